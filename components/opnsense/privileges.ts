/**
 * Which OPNsense privilege (as the GUI lists it under System > Access > Users/Groups > Privileges)
 * grants each API endpoint the provider calls. OPNsense answers a key whose user lacks the privilege
 * with a bare 403 `{"status":403,"message":"Forbidden"}`, so the provider has to name it itself.
 *
 * Facts come from OPNsense's ACL.xml files (and one plugin's). Every entry cites the file and the
 * commit it was read at, in opnsense/core unless noted. An ACL entry is a stable key (e.g.
 * `page-filter-api`) with a display name and URL patterns; `*` in a pattern matches anything
 * (including `/`) and a pattern must match the whole request path (no query string).
 * The display names have changed between releases while the keys stayed; old names seen are noted.
 */

export interface AclPrivilege {
  /** The ACL key in ACL.xml, stable across releases (what config.xml stores for a user/group). */
  readonly key: string;
  /** The name the GUI shows in the privilege list. */
  readonly name: string;
  /** URL patterns of the `api/...` kind this privilege grants (ui/... and legacy *.php patterns left out). */
  readonly patterns: readonly string[];
  /** Where the fact was read. */
  readonly source: string;
}

/** The ACL entries that grant something the provider calls, as OPNsense defines them. */
export const ACL_PRIVILEGES: readonly AclPrivilege[] = [
  {
    // The GUI's "All pages" (pattern `*`): admins and anything granted it pass every check.
    key: "page-all",
    name: "All pages",
    patterns: ["*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Core/ACL/ACL.xml @ 00df3c44005c",
  },
  {
    key: "page-firewall-alias-edit",
    name: "Firewall: Alias: Edit",
    patterns: ["api/firewall/alias/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Core/ACL/ACL.xml @ 00df3c44005c",
  },
  {
    // Read-only subset: export, search*, list*, get* — not add/set/del/reconfigure.
    key: "page-firewall-aliases",
    name: "Firewall: Aliases",
    patterns: [
      "api/firewall/alias/export",
      "api/firewall/alias/search*",
      "api/firewall/alias/list*",
      "api/firewall/alias/get*",
    ],
    source: "src/opnsense/mvc/app/models/OPNsense/Core/ACL/ACL.xml @ 00df3c44005c",
  },
  {
    key: "page-diagnostics-tables",
    name: "Diagnostics: PF Table IP addresses",
    patterns: ["api/firewall/alias_util/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Core/ACL/ACL.xml @ 00df3c44005c",
  },
  {
    // The MVC ("automation", since 25.7 "Rules [new]") filter rules, savepoint/apply/cancel_rollback/revert
    // included. Earlier names of the same key: "Firewall: Rules: API" (Firewall/ACL/ACL.xml @ 8e299d3efe2a),
    // "Firewall: Automation: Filter" (quoted for 24.x/25.1 in Red-Swingline/OPNManager#32).
    key: "page-filter-api",
    name: "Firewall: Rules [new]",
    patterns: ["api/firewall/filter/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Firewall/ACL/ACL.xml @ 0619062198f0",
  },
  {
    key: "page-interfaces-vlan-edit",
    name: "Interfaces: VLAN",
    patterns: ["api/interfaces/vlan_settings/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Interfaces/ACL/ACL.xml @ c67aad5def18",
  },
  {
    // NOT confirmed from OPNsense's own ACL.xml: the stored Core ACL.xml versions give this key only
    // `status_interfaces.php*`. That it also grants api/interfaces/overview/* is what third parties
    // report for 25.7–26.x (e.g. a least-privilege list "verified on OPNsense 26.1" naming
    // "Status: Interfaces" for the interfaces overview). Treat as likely, not proven.
    key: "page-status-interfaces",
    name: "Status: Interfaces",
    patterns: ["api/interfaces/overview/*"],
    source: "third-party reports only (see comment); Core/ACL/ACL.xml @ 00df3c44005c has the key and name",
  },
  {
    // The catch-all for Unbound. Named "Services: Unbound (MVC)" in the 25.7-era file read here
    // (commit 128094e10d1c; "(mvc)" in older ones); lists from 2026 call it "Services: Unbound".
    key: "page-services-unbound",
    name: "Services: Unbound (MVC)",
    patterns: ["api/unbound/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Unbound/ACL/ACL.xml @ 128094e10d1c",
  },
  {
    // Narrower, host/domain overrides only. Its patterns end in `/*`, so taken literally they need a
    // path segment after the command: `add_host_override` (no uuid) would not match, `set_host_override/<uuid>`
    // would. Whether OPNsense's matcher is that literal was not confirmed; unbound/service/reconfigure
    // needs page-services-unbound anyway, so the provider names that one.
    key: "page-services-dnsresolver-overrides",
    name: "Services: Unbound DNS: Edit Host and Domain Override",
    patterns: [
      "api/unbound/settings/search_host_override/*",
      "api/unbound/settings/get_host_override/*",
      "api/unbound/settings/set_host_override/*",
      "api/unbound/settings/add_host_override/*",
      "api/unbound/settings/del_host_override/*",
      "api/unbound/settings/toggle_host_override/*",
    ],
    source: "src/opnsense/mvc/app/models/OPNsense/Unbound/ACL/ACL.xml @ 128094e10d1c",
  },
  {
    key: "page-dhcp-kea-v4",
    name: "Services: DHCP: Kea(v4)",
    patterns: ["api/kea/dhcpv4/*", "api/kea/leases4/*", "api/kea/service/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Kea/ACL/ACL.xml @ 8d607a68b9ca",
  },
  {
    // Also grants api/kea/service/* (so does page-dhcp-kea-ctrl-agent, "Services: DHCP: Kea Ctrl Agent").
    key: "page-dhcp-kea-v6",
    name: "Services: DHCP: Kea(v6)",
    patterns: ["api/kea/dhcpv6/*", "api/kea/leases6/*", "api/kea/service/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Kea/ACL/ACL.xml @ 8d607a68b9ca",
  },
  {
    key: "page-services-dnsforwarder",
    name: "Services: Dnsmasq DNS/DHCP: Settings",
    patterns: ["api/dnsmasq/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Dnsmasq/ACL/ACL.xml @ 6528087b7a9c",
  },
  {
    key: "page-services-chrony",
    name: "Services: Chrony",
    patterns: ["api/chrony/*"],
    source:
      "opnsense/plugins net/chrony/src/opnsense/mvc/app/models/OPNsense/Chrony/ACL/ACL.xml @ 851392f3e354",
  },
  {
    key: "page-system-firmware-manualupdate",
    name: "System: Firmware",
    patterns: ["api/core/firmware/*"],
    source: "src/opnsense/mvc/app/models/OPNsense/Core/ACL/ACL.xml @ 00df3c44005c",
  },
];

/**
 * The privilege the provider names for each endpoint prefix it uses: the one ACL entry that grants
 * every call the provider makes under that prefix (reads and writes).
 */
export const PROVIDER_PRIVILEGES: readonly { readonly prefix: string; readonly key: string }[] = [
  { prefix: "firewall/alias", key: "page-firewall-alias-edit" },
  { prefix: "firewall/alias_util", key: "page-diagnostics-tables" },
  { prefix: "firewall/filter", key: "page-filter-api" },
  { prefix: "interfaces/vlan_settings", key: "page-interfaces-vlan-edit" },
  { prefix: "interfaces/overview", key: "page-status-interfaces" },
  { prefix: "unbound/settings", key: "page-services-unbound" },
  { prefix: "unbound/service", key: "page-services-unbound" },
  { prefix: "kea/dhcpv4", key: "page-dhcp-kea-v4" },
  { prefix: "kea/service", key: "page-dhcp-kea-v4" },
  { prefix: "dnsmasq/settings", key: "page-services-dnsforwarder" },
  { prefix: "dnsmasq/service", key: "page-services-dnsforwarder" },
  { prefix: "chrony/general", key: "page-services-chrony" },
  { prefix: "chrony/service", key: "page-services-chrony" },
  { prefix: "core/firmware", key: "page-system-firmware-manualupdate" },
];

/** `firewall/filter/add_rule`, `/api/firewall/filter/add_rule?x=1` → `firewall/filter/add_rule`. */
export function normalizeApiPath(path: string): string {
  let clean = path.split(/[?#]/, 1)[0] ?? "";
  clean = clean.replace(/^\/+/, "");
  if (clean.startsWith("api/")) clean = clean.slice(4);
  return clean.replace(/\/+$/, "");
}

function patternMatches(pattern: string, apiPath: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(apiPath);
}

function byKey(key: string): AclPrivilege {
  const found = ACL_PRIVILEGES.find((privilege) => privilege.key === key);
  if (!found) throw new Error(`unknown ACL key ${key}`);
  return found;
}

/**
 * The privilege to name for `path` (`firewall/filter/add_rule`, no `/api` prefix needed), or
 * undefined when the provider has no entry for that endpoint.
 */
export function privilegeFor(path: string): string | undefined {
  const clean = normalizeApiPath(path);
  let best: { prefix: string; key: string } | undefined;
  for (const entry of PROVIDER_PRIVILEGES) {
    if (clean === entry.prefix || clean.startsWith(`${entry.prefix}/`)) {
      if (!best || entry.prefix.length > best.prefix.length) best = entry;
    }
  }
  return best ? byKey(best.key).name : undefined;
}

/**
 * Every privilege whose patterns grant `path` (the way OPNsense checks a request: any one of the
 * user's privileges matching is enough), "All pages" included.
 */
export function privilegesGranting(path: string): string[] {
  const apiPath = `api/${normalizeApiPath(path)}`;
  return ACL_PRIVILEGES.filter((privilege) => privilege.patterns.some((p) => patternMatches(p, apiPath))).map(
    (privilege) => privilege.name,
  );
}
