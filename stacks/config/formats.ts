/**
 * Names and addresses that look free-form but are read by something strict: the Proxmox and OPNsense
 * APIs, DNS, Debian's user tools, tzdata, FreeBSD's interface names. Each is checked here as the
 * reader would take it, with a message that says what form is expected.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** A problem a refinement reports, with the hint load.ts shows for it (zod's `params`). */
function problem(context: z.core.$RefinementCtx<string>, message: string, hint: string): void {
  context.addIssue({ code: "custom", message, params: { hint }, input: context.value });
}

/**
 * The https URL of an API: scheme, host and port only. Leading and trailing whitespace is trimmed
 * (as for sshHostKey: such values are pasted); whitespace inside is refused. The value is never
 * echoed: a URL with `user:password@` holds a credential.
 * - bpg/terraform-provider-proxmox proxmox/api/client.go `NewConnection` drops the path and keeps a
 *   query and `user:password@`, then appends `/api2/json/...`;
 * - components/opnsense/client.ts resolves `/api/...` against the URL, which drops its path and query.
 */
export function httpsEndpoint(what: string, example: string) {
  return z
    .string()
    .trim()
    .superRefine((value, context) => {
      const hint = `give only scheme, host and port, e.g. ${example}`;
      // eslint-disable-next-line no-control-regex -- a control character is what this refuses
      if (/[\s\u0000-\u001f\u007f]/.test(value)) {
        return problem(
          context,
          `must be the https URL of ${what}, without spaces or control characters`,
          hint,
        );
      }
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return problem(context, `must be the https URL of ${what}, e.g. ${example}`, hint);
      }
      if (url.protocol !== "https:" || !/^https:\/\//i.test(value)) {
        return problem(context, `must be the https URL of ${what} (https:// required)`, hint);
      }
      if (url.username !== "" || url.password !== "") {
        return problem(
          context,
          `must not hold a user name or password (user:password@): the URL is written in plaintext into plan.json and the state`,
          "remove it from the URL; the credential belongs in its secret key (fortress:proxmoxApiToken, fortress:opnsenseApiKey/opnsenseApiSecret), set with pulumi config set --secret",
        );
      }
      // With the credentials gone, a ? or # in the URL starts a query or fragment, even an empty one.
      const query = url.href.includes("?");
      const fragment = url.href.includes("#");
      if (url.pathname !== "/" || query || fragment) {
        const parts = [
          url.pathname !== "/" ? "a path" : "",
          query ? "a query" : "",
          fragment ? "a fragment" : "",
        ];
        const found = parts.filter(Boolean);
        return problem(
          context,
          `must not have ${found.join(" or ")}: Fortress adds the API path itself`,
          hint,
        );
      }
      // The URL is used as written (Go's net/url in the Proxmox provider, ours for OPNsense), so it must
      // be written as Node reads it: no `@`, `\`, dot segments or IPv4 shorthand (`10.1`) that Node alone
      // cleans up, and a real port.
      const written = /^https:\/\/(\[[0-9A-Fa-f:.]+\]|([A-Za-z0-9.-]+))(:\d{1,5})?\/?$/i.exec(value);
      if (
        !written ||
        (written[2] !== undefined && written[2].toLowerCase() !== url.hostname) ||
        url.port === "0"
      ) {
        problem(
          context,
          `must be written as https://host:port, with the host's full name or dotted address`,
          hint,
        );
      }
    });
}

/**
 * A ClamAV signature mirror, as freshclam takes it in `PrivateMirror` (Cisco-Talos/clamav@clamav-1.4.5
 * freshclam/freshclam.c `get_database_server_list`, `get_server_node`): an http(s) URL to which
 * freshclam appends `/<file>.cvd`, one word on a config line, not under *.clamav.net (refused there).
 */
export const clamavMirror = z
  .string()
  .trim()
  .superRefine((value, context) => {
    const hint =
      "give the URL your mirror serves main.cvd, daily.cvd and bytecode.cvd under, e.g. http://clamav-mirror.home.arpa:8080 (cvdupdate serves one); leave fortress:clamav.mirror out to use database.clamav.net";
    // eslint-disable-next-line no-control-regex -- a control character is what this refuses
    if (/[\s\u0000-\u001f\u007f]/.test(value)) {
      return problem(context, "must be one URL without spaces (freshclam reads it as one word)", hint);
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return problem(context, "must be an http or https URL", hint);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return problem(context, "must be an http or https URL", hint);
    }
    if (url.username !== "" || url.password !== "") {
      return problem(context, "must not hold a user name or password: the URL is written in plaintext", hint);
    }
    if (url.search !== "" || url.hash !== "" || value.endsWith("/")) {
      return problem(
        context,
        "must end in the directory's path, without a query, fragment or trailing /",
        hint,
      );
    }
    if (url.hostname === "clamav.net" || url.hostname.endsWith(".clamav.net")) {
      return problem(
        context,
        "must not be under clamav.net: freshclam refuses a PrivateMirror there",
        "leave fortress:clamav.mirror out to use the public database.clamav.net",
      );
    }
  });

/** What a Debian box and Node both take: tzdata names in their IANA spelling, canonical or alias. */
const IANA_SEGMENT = /^[A-Z][A-Za-z0-9_+-]*$/;
/** The tz database as Debian's tzdata installs it: one file per zone and alias, case-sensitive. */
const ZONEINFO = "/usr/share/zoneinfo";

/** Whether tzdata on this machine has a file for `zone`, or undefined where there is no tzdata. */
function inZoneinfo(zone: string): boolean | undefined {
  if (!existsSync(ZONEINFO)) return undefined;
  const file = join(ZONEINFO, zone);
  return existsSync(file) && statSync(file).isFile();
}

/**
 * Why `zone` is not a time zone a Debian VM (cloud-init links /usr/share/zoneinfo/<zone>, a
 * case-sensitive path) and Node both take, or undefined. Node's `Intl.supportedValuesOf('timeZone')`
 * lists canonical zones only and leaves out `UTC` and aliases such as `Etc/UTC` or `Europe/Kiev`, and
 * Intl resolves names whatever their case (`Europe/KYIV`). So a zone Intl resolves is taken when it
 * is canonical, or, for an alias, when this machine's tzdata has its file under that exact spelling
 * (where there is no tzdata, when each part is spelled as IANA spells names). Offsets such as
 * `+01:00` are refused: Intl takes them, tzdata has no such file.
 */
export function timeZoneProblem(zone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return "is not an IANA time zone";
  }
  if (/^[+-]/.test(zone)) return "is a UTC offset, not an IANA time zone";
  if (resolved === zone || Intl.supportedValuesOf("timeZone").includes(zone)) return undefined;
  if (resolved.toLowerCase() === zone.toLowerCase()) return `is spelled ${resolved} in the IANA zone list`;
  const misspelt = "is not spelled as the IANA zone list spells it (e.g. Etc/UTC, Europe/Berlin)";
  if (!zone.split("/").every((segment) => IANA_SEGMENT.test(segment))) return misspelt;
  return inZoneinfo(zone) === false ? misspelt : undefined;
}

export const timeZone = z.string().superRefine((zone, context) => {
  const found = timeZoneProblem(zone);
  if (found) {
    problem(
      context,
      found,
      "use a zone from the IANA list (`timedatectl list-timezones` on Debian), e.g. Europe/Berlin or Etc/UTC",
    );
  }
});

/** RFC 1123 host label: letters, digits, inner dashes, at most 63 characters (lower case, as Fortress writes names). */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** RFC 1035 2.3.4: a name is at most 255 octets on the wire, 253 characters written out. */
export const MAX_DNS_NAME_LENGTH = 253;

/** Why `name` is not a DNS name of RFC 1123 labels, or undefined. */
export function dnsNameProblem(name: string, minLabels: number): string | undefined {
  if (name.endsWith(".")) return "must not end in a dot";
  if (name.length > MAX_DNS_NAME_LENGTH) return `is longer than ${MAX_DNS_NAME_LENGTH} characters`;
  const labels = name.split(".");
  if (labels.length < minLabels) return `must have at least ${minLabels} labels (e.g. home.arpa)`;
  const long = labels.find((label) => label.length > 63);
  if (long !== undefined) return `has a label longer than 63 characters`;
  if (labels.some((label) => !LABEL.test(label))) {
    return "has a label that is not lower-case letters, digits and inner dashes";
  }
  if (minLabels > 1 && /^\d+$/.test(labels[labels.length - 1] ?? ""))
    return "must not end in an all-numeric label";
  return undefined;
}

export const dnsDomain = z.string().superRefine((name, context) => {
  const found = dnsNameProblem(name, 2);
  if (found)
    problem(
      context,
      `${found}: must be a DNS domain such as home.arpa`,
      "use RFC 1123 labels, e.g. home.arpa or lab.example.org",
    );
});

const IPV4_LIKE = /^[\d.]+$/;

/** A DNS name or an IPv4 address, as a server's address in a config file is written. */
export const hostName = z.string().superRefine((name, context) => {
  const found = IPV4_LIKE.test(name)
    ? /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(name)
      ? undefined
      : "is not an IPv4 address"
    : dnsNameProblem(name, 1);
  if (found)
    problem(context, `${found}: must be a host name or IPv4 address`, "e.g. 0.pool.ntp.org or 10.10.10.5");
});

/**
 * A Linux user name as Debian's adduser takes it by default (adduser.conf NAME_REGEX
 * `^[a-z][-a-z0-9_]*$`), at most 32 characters (useradd's limit, utmp's UT_NAMESIZE).
 */
export const linuxUserName = z.string().superRefine((name, context) => {
  const hint =
    "e.g. fortress: a lower-case letter, then lower-case letters, digits, - or _ (Debian's adduser NAME_REGEX)";
  if (!/^[a-z][-a-z0-9_]*$/.test(name)) problem(context, "must be a Linux user name", hint);
  else if (name.length > 32) problem(context, "must be at most 32 characters (useradd's limit)", hint);
});

/**
 * A Linux network device on a Proxmox node (the bridge's uplink, a SPAN NIC): at most 15 characters
 * (IFNAMSIZ 16), no `/`, `:` or space (the kernel's dev_valid_name), and not one Proxmox makes for a
 * guest or a bridge (tap, veth, fwbr, fwpr, fwln, vmbr), which come and go with VMs.
 */
export const linuxNicName = z.string().superRefine((name, context) => {
  const hint = "the NIC as `ip link` shows it on the node, e.g. eno1, enp1s0, enx00e04c680001";
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(name)) {
    problem(context, "must be a Linux network device name of at most 15 characters", hint);
  } else if (/^(tap|veth|fwbr|fwpr|fwln|vmbr|lo$)/.test(name)) {
    problem(context, "must be a physical NIC of the node, not a bridge, loopback or a guest's device", hint);
  }
});

/**
 * A FreeBSD network device OPNsense can put VLANs on: a driver name and a unit number (`igb1`,
 * `vtnet0`, `ix0`, `lagg0`), at most 15 characters (IFNAMSIZ 16). OPNsense offers every device as a
 * VLAN parent except loopback, enc, pflog, pfsync and point-to-point ones
 * (opnsense/core src/opnsense/mvc/app/models/OPNsense/Interfaces/FieldTypes/VlanInterfaceField.php);
 * a VLAN device as the parent (`vlan01`, `vlan0.10`) would make QinQ, which Fortress does not build,
 * and FreeBSD's if_vlan does not tag on a bridge.
 */
export const opnsenseTrunkDevice = z.string().superRefine((name, context) => {
  const hint = "the device under Interfaces > Overview that carries the VLANs, e.g. igb1, vtnet1, lagg0";
  if (!/^[a-z]+[0-9]+$/.test(name)) {
    problem(context, "must be the firewall's physical or lagg device: a driver name and a unit number", hint);
  } else if (name.length > 15) {
    problem(context, "must be at most 15 characters (a FreeBSD interface name)", hint);
  } else if (
    /^(lo|enc|pflog|pfsync|qinq|vlan|gif|gre|ovpn[sc]?|wg|tun|tap|ppp|pppoe|pptp|l2tp|ipsec|bridge)\d/.test(
      name,
    )
  ) {
    problem(
      context,
      "must be a physical or lagg device: loopback, tunnel, point-to-point, bridge, pf and VLAN devices cannot carry the VLANs",
      hint,
    );
  }
});

/**
 * An OPNsense interface identifier as Interfaces > Assignments gives it: `lan`, or `opt` and a number
 * from 1 without leading zeros (opnsense/core src/opnsense/mvc/app/models/OPNsense/Interfaces/NetworkInterface.php
 * numbers new assignments 'opt' . $next_if from 1). `wan` is not offered: no lab VLAN goes on the WAN.
 */
export const opnsenseInterfaceId = z.string().superRefine((id, context) => {
  if (!/^(lan|opt[1-9]\d{0,2})$/.test(id)) {
    problem(
      context,
      "must be an OPNsense interface identifier such as lan or opt2",
      "the identifier in Interfaces > Assignments (lan, opt1, opt2, …), not the device name (igb1, vlan01)",
    );
  }
});

/**
 * A Proxmox storage id as the API takes it: a letter, then letters, digits, - _ or ., ending in a
 * letter or digit (proxmox/pve-common src/PVE/JSONSchema.pm `parse_storage_id`, format pve-storage-id).
 */
export const proxmoxStorageId = z.string().superRefine((id, context) => {
  if (!/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(id)) {
    problem(
      context,
      "must be a Proxmox storage id",
      "the ID under Datacenter > Storage (`pvesm status`), e.g. local, local-lvm, nas-backup",
    );
  }
});
