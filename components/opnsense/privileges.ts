/**
 * Which OPNsense privilege (as the GUI lists it under System > Access > Users/Groups > Privileges)
 * grants each API endpoint the provider calls. OPNsense answers a key whose user lacks the privilege
 * with a bare 403 `{"status":403,"message":"Forbidden"}`, so the provider has to name it itself.
 *
 * Facts come from OPNsense's ACL.xml files (and one plugin's), read at tags 25.7, 26.1 and 26.7 of
 * opnsense/core (src/opnsense/mvc/app/models/OPNsense/<Module>/ACL/ACL.xml) and of opnsense/plugins
 * (net/chrony/.../Chrony/ACL/ACL.xml). An ACL entry is a stable key (e.g. `page-filter-api`) with a
 * display name and URL patterns; `*` in a pattern matches anything, and a pattern ending in `/*` also
 * matches the path without that last part (Core/ACL.php `urlMatch`). Display names changed between
 * releases while the keys stayed: `renamed` lists the older names with the release that changed them.
 */

export interface AclPrivilege {
  /** The ACL key in ACL.xml, stable across releases (what config.xml stores for a user/group). */
  readonly key: string;
  /** The name the GUI shows in the privilege list, as of 26.7. */
  readonly name: string;
  /** Older names: `name` was shown by releases before `until` (a release line such as "26.1"). */
  readonly renamed?: readonly { readonly until: string; readonly name: string }[];
  /** The first release line whose ACL grants these patterns, when that is later than 25.7. */
  readonly since?: string;
  /** URL patterns of the `api/...` kind this privilege grants (ui/... and legacy *.php patterns left out). */
  readonly patterns: readonly string[];
  /** Where the fact was read. */
  readonly source: string;
}

const CORE_ACL = (module: string) =>
  `opnsense/core src/opnsense/mvc/app/models/OPNsense/${module}/ACL/ACL.xml @ 25.7, 26.1, 26.7`;

/** The ACL entries that grant something the provider calls, as OPNsense defines them. */
export const ACL_PRIVILEGES: readonly AclPrivilege[] = [
  {
    // The GUI's "All pages" (pattern `*`): admins and anything granted it pass every check.
    key: "page-all",
    name: "All pages",
    patterns: ["*"],
    source: CORE_ACL("Core"),
  },
  {
    key: "page-firewall-alias-edit",
    name: "Firewall: Alias: Edit",
    patterns: ["api/firewall/alias/*"],
    source: CORE_ACL("Core"),
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
    source: CORE_ACL("Core"),
  },
  {
    // The containment key's first privilege: add/delete/list/flush of an alias's pf table.
    key: "page-diagnostics-tables",
    name: "Diagnostics: PF Table IP addresses",
    patterns: ["api/firewall/alias_util/*"],
    source: CORE_ACL("Core"),
  },
  {
    // The containment key's second: kill_states drops a contained host's open connections.
    key: "page-diagnostics-showstates",
    name: "Diagnostics: Show States",
    patterns: [
      "api/diagnostics/firewall/query_states*",
      "api/diagnostics/firewall/del_state*",
      "api/diagnostics/firewall/kill_states*",
      "api/diagnostics/firewall/flush_sources*",
      "api/diagnostics/firewall/flush_states*",
    ],
    source: CORE_ACL("Core"),
  },
  {
    // The MVC filter rules, savepoint/apply/cancel_rollback/revert included.
    key: "page-filter-api",
    name: "Firewall: Rules [new]",
    renamed: [{ until: "26.1", name: "Firewall: Automation: Filter" }],
    patterns: ["api/firewall/filter/*"],
    source: CORE_ACL("Firewall"),
  },
  {
    key: "page-interfaces-vlan-edit",
    name: "Interfaces: VLAN",
    patterns: ["api/interfaces/vlan_settings/*"],
    source: CORE_ACL("Interfaces"),
  },
  {
    key: "page-status-interfaces",
    name: "Status: Interfaces",
    patterns: ["api/interfaces/overview/*"],
    source: CORE_ACL("Core"),
  },
  {
    // The service list (is OPNsense's ntpd on?). The same key also allows start/stop/restart of any
    // service (Core/Api/ServiceController.php); no narrower privilege lists the services.
    key: "page-status-services",
    name: "Status: Services",
    patterns: ["api/core/service/*"],
    source: CORE_ACL("Core"),
  },
  {
    // The assignment API exists from 26.7 (Interfaces/Api/AssignmentController.php); before, this key
    // grants the GUI page only.
    key: "page-interfaces-assignnetworkports",
    name: "Interfaces: Assign network ports",
    since: "26.7",
    patterns: ["api/interfaces/assignment/*"],
    source: CORE_ACL("Core"),
  },
  {
    // The catch-all for Unbound.
    key: "page-services-unbound",
    name: "Services: Unbound",
    renamed: [{ until: "26.7", name: "Services: Unbound (MVC)" }],
    patterns: ["api/unbound/*"],
    source: CORE_ACL("Unbound"),
  },
  {
    // Narrower, host/domain overrides only (urlMatch lets `.../add_host_override/*` match without the
    // last part); unbound/service/reconfigure needs page-services-unbound anyway, so the provider names that one.
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
    source: CORE_ACL("Unbound"),
  },
  {
    key: "page-dhcp-kea-v4",
    name: "Services: DHCP: Kea(v4)",
    patterns: ["api/kea/dhcpv4/*", "api/kea/leases4/*", "api/kea/service/*"],
    source: CORE_ACL("Kea"),
  },
  {
    // Also grants api/kea/service/* (so does page-dhcp-kea-ctrl-agent, "Services: DHCP: Kea Ctrl Agent").
    key: "page-dhcp-kea-v6",
    name: "Services: DHCP: Kea(v6)",
    patterns: ["api/kea/dhcpv6/*", "api/kea/leases6/*", "api/kea/service/*"],
    source: CORE_ACL("Kea"),
  },
  {
    key: "page-services-dnsforwarder",
    name: "Services: Dnsmasq DNS/DHCP: Settings",
    patterns: ["api/dnsmasq/*"],
    source: CORE_ACL("Dnsmasq"),
  },
  {
    // Destinations, general settings and the service (reconfigure, stats, reset).
    key: "page-diagnostics-logs-settings-targets",
    name: "System: Settings: Logging",
    patterns: ["api/syslog/*"],
    source: CORE_ACL("Syslog"),
  },
  {
    // Settings, rulesets, policies and the service (reconfigure, update_rules), plus Suricata's log page.
    key: "page-services-ids",
    name: "Services: Intrusion Detection",
    patterns: ["api/ids/*", "api/diagnostics/log/core/suricata/*"],
    source: CORE_ACL("IDS"),
  },
  {
    // Every cron job (add, set, delete, toggle) and cron's restart: the Intrusion Detection's rule-update
    // job is one of them (Cron/ACL/ACL.xml; no narrower privilege reaches a single job).
    key: "page-system-cron",
    name: "System: Settings: Cron",
    patterns: ["api/cron/*"],
    source: CORE_ACL("Cron"),
  },
  {
    // getconfig, setconfig, reconfigure, status, cache stats (Diagnostics/Api/NetflowController.php).
    key: "page-diagnostics-netflow",
    name: "Diagnostics: Netflow configuration",
    patterns: ["api/diagnostics/netflow/*"],
    source: CORE_ACL("Diagnostics"),
  },
  {
    key: "page-services-chrony",
    name: "Services: Chrony",
    patterns: ["api/chrony/*"],
    source:
      "opnsense/plugins net/chrony/src/opnsense/mvc/app/models/OPNsense/Chrony/ACL/ACL.xml @ 25.7, 26.1, 26.7",
  },
  {
    key: "page-services-nodeexporter",
    name: "Services: Prometheus Exporter",
    patterns: ["api/nodeexporter/*"],
    source:
      "opnsense/plugins sysutils/node_exporter/src/opnsense/mvc/app/models/OPNsense/NodeExporter/ACL/ACL.xml @ 25.7, 26.1, 26.7",
  },
  {
    // Also grants firmware updates, reboot and power-off (Core/Api/FirmwareController.php updateAction,
    // rebootAction, poweroffAction): Fortress uses it only to install a plugin (plugin.ts, core/firmware
    // info, install, upgradestatus, remove), and only for a lab that asks it to.
    key: "page-system-firmware-manualupdate",
    name: "System: Firmware",
    patterns: ["api/core/firmware/*", "api/diagnostics/log/core/pkg/*"],
    source: CORE_ACL("Core"),
  },
  {
    // The read-only dashboard: system_information names the product and version
    // (Diagnostics/Api/SystemController.php systemInformationAction: "OPNsense 26.1.2-amd64").
    key: "page-system-login-logout",
    name: "Lobby: Dashboard",
    patterns: [
      "api/core/dashboard/*",
      "api/diagnostics/cpu_usage/*",
      "api/diagnostics/firewall/pf_states",
      "api/diagnostics/system/system_disk",
      "api/diagnostics/system/system_information",
      "api/diagnostics/system/system_resources",
      "api/diagnostics/system/system_temperature",
      "api/diagnostics/system/system_time",
      "api/diagnostics/system/system_mbuf",
      "api/diagnostics/system/system_swap",
    ],
    source: CORE_ACL("Core"),
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
  { prefix: "syslog/settings", key: "page-diagnostics-logs-settings-targets" },
  { prefix: "syslog/service", key: "page-diagnostics-logs-settings-targets" },
  { prefix: "ids/settings", key: "page-services-ids" },
  { prefix: "ids/service", key: "page-services-ids" },
  { prefix: "diagnostics/netflow", key: "page-diagnostics-netflow" },
  { prefix: "cron/settings", key: "page-system-cron" },
  { prefix: "cron/service", key: "page-system-cron" },
  { prefix: "nodeexporter/general", key: "page-services-nodeexporter" },
  { prefix: "nodeexporter/service", key: "page-services-nodeexporter" },
  { prefix: "core/firmware", key: "page-system-firmware-manualupdate" },
  { prefix: "chrony/general", key: "page-services-chrony" },
  { prefix: "chrony/service", key: "page-services-chrony" },
  { prefix: "interfaces/assignment", key: "page-interfaces-assignnetworkports" },
  { prefix: "diagnostics/system/system_information", key: "page-system-login-logout" },
];

/** `firewall/filter/add_rule`, `/api/firewall/filter/add_rule?x=1` → `firewall/filter/add_rule`. */
export function normalizeApiPath(path: string): string {
  let clean = path.split(/[?#]/, 1)[0] ?? "";
  clean = clean.replace(/^\/+/, "");
  if (clean.startsWith("api/")) clean = clean.slice(4);
  return clean.replace(/\/+$/, "");
}

/** ACL::urlMatch (Core/ACL.php): `*` matches anything; a trailing `/*` also matches the path without it. */
function patternMatches(pattern: string, apiPath: string): boolean {
  let source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  source = source.replace(/([/&?])\.\*$/, "($1.*)?");
  return new RegExp(`^${source}$`).test(apiPath);
}

function byKey(key: string): AclPrivilege {
  const found = ACL_PRIVILEGES.find((privilege) => privilege.key === key);
  if (!found) throw new Error(`unknown ACL key ${key}`);
  return found;
}

function compareLines(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map((part) => Number.parseInt(part, 10) || 0);
  const [bm = 0, bn = 0] = b.split(".").map((part) => Number.parseInt(part, 10) || 0);
  return am - bm || an - bn;
}

/** The privilege's name as `version` shows it (e.g. "25.7.3" → "Firewall: Automation: Filter"). */
export function privilegeName(privilege: AclPrivilege, version: string): string {
  const older = [...(privilege.renamed ?? [])]
    .sort((a, b) => compareLines(a.until, b.until))
    .find((entry) => compareLines(version, entry.until) < 0);
  return older?.name ?? privilege.name;
}

/** Every name the privilege has had, newest first, with the releases: for a message that cannot know the version. */
export function privilegeNames(privilege: AclPrivilege): string {
  const renamed = privilege.renamed ?? [];
  if (renamed.length === 0) return privilege.name;
  return `${privilege.name} (before ${renamed.map((entry) => `${entry.until}: ${entry.name}`).join("; ")})`;
}

/** The versions each firewall URL reported to the preflight in this process, so that 403s name the right privilege. */
function versionRegistry(): Map<string, string> {
  const registry = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;
  return (registry[Symbol.for("fortress.opnsense.versions")] ??= new Map<string, string>());
}

export function rememberVersion(url: string, version: string): void {
  versionRegistry().set(url, version);
}

export function knownVersion(url: string): string | undefined {
  return versionRegistry().get(url);
}

function providerPrivilege(path: string): AclPrivilege | undefined {
  const clean = normalizeApiPath(path);
  let best: { prefix: string; key: string } | undefined;
  for (const entry of PROVIDER_PRIVILEGES) {
    if (clean === entry.prefix || clean.startsWith(`${entry.prefix}/`)) {
      if (!best || entry.prefix.length > best.prefix.length) best = entry;
    }
  }
  return best ? byKey(best.key) : undefined;
}

/**
 * The privilege to name for `path` (`firewall/filter/add_rule`, no `/api` prefix needed), as the
 * firewall's `version` calls it; without a version, every name it has had. Undefined when the provider
 * has no entry for that endpoint.
 */
export function privilegeFor(path: string, version?: string): string | undefined {
  const privilege = providerPrivilege(path);
  if (!privilege) return undefined;
  return version ? privilegeName(privilege, version) : privilegeNames(privilege);
}

/**
 * Every privilege whose patterns grant `path` at `version` (the way OPNsense checks a request: any one
 * of the user's privileges matching is enough), "All pages" included.
 */
export function privilegesGranting(path: string, version = "26.7"): string[] {
  const apiPath = `api/${normalizeApiPath(path)}`;
  return ACL_PRIVILEGES.filter(
    (privilege) =>
      (privilege.since === undefined || compareLines(version, privilege.since) >= 0) &&
      privilege.patterns.some((p) => patternMatches(p, apiPath)),
  ).map((privilege) => privilegeName(privilege, version));
}

/**
 * The containment key's privileges (components/response/containment: fortress-contain, contain.yml):
 * the pf tables (alias_util add/delete/list) and the states (kill_states), and nothing else. Creating
 * that user and key by API (POST api/auth/user/add with `priv`, then api/auth/user/add_api_key/<name>,
 * Auth/Api/UserController.php at 25.7–26.7) would need "System: Access: Management"
 * (page-system-usermanager, api/auth/user/*) on Fortress's own key, which lets a key grant itself any
 * privilege: Fortress does not ask for it, the admin creates the user by hand and fortress-contain's
 * preflight proves the key holds these two and no more.
 */
export const CONTAINMENT_PRIVILEGE_KEYS = ["page-diagnostics-tables", "page-diagnostics-showstates"] as const;

/** The containment key's privileges as `version` names them. */
export function containmentPrivileges(version: string): string[] {
  return CONTAINMENT_PRIVILEGE_KEYS.map((key) => privilegeName(byKey(key), version));
}
