/**
 * Before Fortress changes anything on a firewall: is its version new enough, are the plugins the
 * config needs installed, may the API key call every endpoint it will use? And before the filter
 * rules: is every VLAN assigned to the interface its rules go on? (The network layer runs that part
 * after creating the VLAN devices: a device must exist before it can be assigned.) On 26.7 and later
 * Fortress assigns a missing one itself through `interfaces/assignment`; that API cannot enable the
 * interface or give it an address, so those stay manual. Every missing thing is reported in one error.
 *
 * The version is read from `diagnostics/system/system_information` (privilege "Lobby: Dashboard", the
 * read-only dashboard), not `core/firmware/*`, whose privilege "System: Firmware" also allows updates,
 * package installs, reboot and power-off (opnsense/core Core/ACL/ACL.xml; Diagnostics/Api/
 * SystemController.php systemInformationAction). Plugins are found by calling an endpoint they add:
 * without the plugin the router answers 404 "Endpoint not found" (www/api.php).
 */
import * as ipaddr from "ipaddr.js";
import { call, callWithSource, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsenseHttpError, OpnsensePrivilegeError } from "./errors";
import { rememberVersion } from "./privileges";
import { compareVersions, productVersion, type SystemInformation, VERSION_ENDPOINT } from "./version";

export { compareVersions, productVersion } from "./version";

/**
 * 25.7: the ACL patterns Fortress's privilege list is written for, and Dnsmasq's DHCP ranges and hosts
 * (models/OPNsense/Dnsmasq/Dnsmasq.xml `hosts`, `dhcp_ranges` at tag 25.7). The snake_case commands
 * themselves route since 24.7 (Mvc/Router.php).
 */
export const MINIMUM_VERSION = "25.7";

/** From this release on, `interfaces/assignment/*` can assign a device (Interfaces/Api/AssignmentController.php). */
export const ASSIGNMENT_API_VERSION = "26.7";

/** An endpoint each plugin adds, to tell whether it is installed. */
export const PLUGIN_ENDPOINTS: Readonly<Record<string, string>> = {
  "os-chrony": "chrony/general/get",
  "os-node_exporter": "nodeexporter/general/get",
};

export interface PreflightNeeds {
  readonly minimumVersion: string;
  readonly plugins: readonly string[];
  /** GET endpoints to try, one per model, to prove the key's privileges. */
  readonly probes: readonly string[];
  /** OPNsense interfaces (lan, opt1 …) the filter rules use, with the VLAN each must carry. */
  readonly interfaces: readonly { readonly identifier: string; readonly vlan: number }[];
  /**
   * The management networks' CIDRs: the anti-lockout rules let only them reach the firewall, so the
   * machine running Pulumi must reach it from one of them (checked when given).
   */
  readonly managementCidrs?: readonly string[];
  /** OPNsense services (by their `core/service/search` name) that must not be configured: see ABSENT_SERVICES. */
  readonly absentServices?: readonly string[];
}

const SERVICE_LIST = "core/service/search";

/** Why a service must be off, and how to turn it off. */
export const ABSENT_SERVICES: Readonly<Record<string, string>> = {
  // plugins.inc.d/ntpd.inc: ntpd_enabled() is isset(system/timeservers), which config.xml.sample sets
  // to four pool servers, and ntpd then binds UDP 123 on every address (ntpd_configure_do), where
  // chrony must serve. services_ntpd.php unsets timeservers when the list is saved empty (opnsense/core
  // tags 25.7–26.7). Chrony, once on, keeps the firewall's own clock in time instead.
  ntpd:
    "OPNsense's own NTP server (ntpd) is on: it binds UDP 123 on every address, where chrony must serve the lab. " +
    "Under Services > Network Time > General remove every time server and save: with none, OPNsense does not " +
    "start ntpd (chrony then keeps the firewall's clock). Then run again",
};

export class OpnsensePreflightError extends OpnsenseError {
  constructor(
    readonly url: string,
    readonly problems: readonly string[],
    /** What the preflight did change (interface assignments on 26.7), if anything. */
    readonly changed: readonly string[] = [],
  ) {
    const done = changed.length > 0 ? `; Fortress did: ${changed.join("; ")}` : "; nothing was changed";
    super(
      `the firewall at ${url} is not ready for Fortress${done}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
    );
  }
}

interface InterfaceRow {
  identifier?: string;
  device?: string;
  enabled?: boolean;
  vlan_tag?: string | number | null;
  vlan?: { tag?: string | number } | null;
}

/** Turns "you may not" and "there is no such endpoint" into problems; anything else is an error. */
async function tryCall(
  connection: Connection,
  path: string,
  policy: RetryPolicy,
  problems: string[],
  source?: (localAddress: string | undefined) => void,
): Promise<unknown | undefined> {
  try {
    const answer = await callWithSource(connection, "GET", path, undefined, policy);
    source?.(answer.localAddress);
    return answer.body;
  } catch (error) {
    if (error instanceof OpnsensePrivilegeError) {
      problems.push(`missing privilege ${error.privilege ? `"${error.privilege}" ` : ""}for ${path}`);
      return undefined;
    }
    if (error instanceof OpnsenseHttpError && error.status === 404) {
      const plugin = Object.entries(PLUGIN_ENDPOINTS).find(([, endpoint]) => endpoint === path)?.[0];
      problems.push(
        plugin
          ? `the plugin ${plugin} is not installed: install it under System > Firmware > Plugins`
          : `${path} does not exist on this firewall (OPNsense answered 404)`,
      );
      return undefined;
    }
    throw error;
  }
}

/**
 * Whether `localAddress` (this machine's end of a connection to the firewall) lies in a management
 * network; a problem saying what to do when not. The anti-lockout passes only `fz_net_<management>`
 * to the firewall on the management interface (components/network/zoneRules.ts): from any other
 * network, that network's own rules (its default deny, or its block to the firewall) decide, and the
 * run could lock itself out half way. Through NAT or a proxy the firewall sees another address than
 * this one: the check cannot see that, the README says so.
 */
export function sourceProblem(
  localAddress: string | undefined,
  cidrs: readonly string[],
): string | undefined {
  const networks = cidrs.join(", ");
  if (!localAddress || !ipaddr.isValid(localAddress)) {
    return `Fortress could not tell from which address this machine reaches the firewall, so it cannot check that it is in a management network (${networks})`;
  }
  const address = ipaddr.process(localAddress);
  const inside = cidrs.some((cidr) => {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    return network.kind() === address.kind() && address.match([network, bits]);
  });
  if (inside) return undefined;
  return (
    `this machine reaches the firewall from ${address.toString()}, which is in no management network (${networks}). ` +
    "The anti-lockout rules let only the management networks reach the firewall's API and ssh; from anywhere else " +
    "the rules Fortress applies could shut this run out half way. Either run Pulumi from a machine in a management " +
    "network (fortress:networks, purpose management), or make its address one: put its network's CIDR into that " +
    "network, or route to the firewall through the management network without NAT. Then run again"
  );
}

function versionProblems(version: string | undefined, needs: PreflightNeeds): string[] {
  if (!version) return [];
  return compareVersions(version, needs.minimumVersion) < 0
    ? [`OPNsense ${version} is older than ${needs.minimumVersion}: upgrade the firewall (System > Firmware)`]
    : [];
}

const rowsOf = (overview: InterfaceRow[] | { rows?: InterfaceRow[] }) =>
  Array.isArray(overview) ? overview : (overview.rows ?? []);

const vlanTagOf = (row: InterfaceRow) => {
  const tag = row.vlan_tag ?? row.vlan?.tag;
  return tag === null || tag === undefined || tag === "" ? undefined : Number(tag);
};

/** The device carrying `vlan` (assigned or not), from the overview's VLAN details. */
const deviceOfVlan = (rows: InterfaceRow[], vlan: number) =>
  rows.find((row) => vlanTagOf(row) === vlan)?.device;

/**
 * Each interface the rules go on must hold the VLAN device made for its network (the device's VLAN tag
 * is the network's, Interfaces/Api/OverviewController.php `vlan_tag`): rules on an interface that holds
 * any other device would filter other traffic, and the network's own would reach no interface at all.
 */
function interfaceProblems(
  rows: InterfaceRow[],
  needs: PreflightNeeds,
  canAssign: boolean,
  /** Identifiers already reported (their device went to another identifier). */
  explained: ReadonlySet<string>,
): string[] {
  const byIdentifier = new Map(rows.map((row) => [row.identifier, row]));
  return needs.interfaces.flatMap(({ identifier, vlan }) => {
    if (explained.has(identifier)) return [];
    const row = byIdentifier.get(identifier);
    if (!row) {
      return [
        canAssign
          ? `interface ${identifier} is not assigned and Fortress could not assign the VLAN ${vlan} device to it ` +
            "(see above): assign it under Interfaces > Assignments, enable it and give it the network's gateway " +
            "address (networks[].gateway), then run again"
          : `interface ${identifier} is not assigned: assign the VLAN ${vlan} device to it under Interfaces > ` +
            "Assignments, enable it and give it the network's gateway address (networks[].gateway); the API " +
            `cannot assign interfaces before OPNsense ${ASSIGNMENT_API_VERSION}. Then run again`,
      ];
    }
    const tag = vlanTagOf(row);
    if (tag !== vlan) {
      const wanted = deviceOfVlan(rows, vlan);
      const holds = `${row.device ?? "a device"} (${tag === undefined ? "no VLAN" : `VLAN ${tag}`})`;
      return [
        `interface ${identifier} holds ${holds}, not ${wanted ? `${wanted}, ` : ""}the VLAN ${vlan} device Fortress ` +
          `made for it: under Interfaces > Assignments put ${wanted ?? `the VLAN ${vlan} device`} on ${identifier} ` +
          "(if this machine reaches the firewall through it, do it from the console: opnsense-shell option 1, " +
          `"Assign interfaces"), or set networks[].interface of the VLAN ${vlan} network to the interface that holds ` +
          "it. Then run again",
      ];
    }
    return row.enabled === false
      ? [
          `interface ${identifier} is assigned but not enabled: enable it under Interfaces > [${identifier}] and give ` +
            "it the network's gateway address (networks[].gateway); the assignment API cannot do either. Then run again",
        ]
      : [];
  });
}

/**
 * On 26.7+: assigns each missing interface's VLAN device through `interfaces/assignment/add_item`, in
 * the order of the identifiers asked for. OPNsense picks the identifier itself (the lowest free `optN`,
 * Interfaces/NetworkInterface.php serializeToConfig), so the one it chose is read back from the
 * overview and reported when it differs from the config. No `descr` is sent: it would have to name an
 * identifier Fortress cannot know in advance (an empty one shows the identifier, FieldTypes/IfDescField.php).
 * An identifier already holding another device is left alone (interfaceProblems reports it).
 */
async function assignMissing(
  connection: Connection,
  rows: InterfaceRow[],
  needs: PreflightNeeds,
  policy: RetryPolicy,
  problems: string[],
): Promise<{ device: string; vlan: number; identifier: string }[]> {
  const assigned = new Set(rows.map((row) => row.identifier).filter((id) => id));
  const missing = needs.interfaces
    .filter(({ identifier }) => !assigned.has(identifier))
    .sort((a, b) => a.identifier.localeCompare(b.identifier, "en", { numeric: true }));
  const done: { device: string; vlan: number; identifier: string }[] = [];
  for (const { identifier, vlan } of missing) {
    const device = rows.find((row) => !row.identifier && vlanTagOf(row) === vlan)?.device;
    if (!device) continue; // reported as unassigned afterwards
    try {
      const answer = (await call(
        connection,
        "POST",
        "interfaces/assignment/add_item",
        { interface: { if: device, lock: "0" } },
        policy,
      )) as { result?: string; validations?: Record<string, unknown> };
      if (answer.result !== "saved") {
        problems.push(
          `OPNsense refused to assign ${device} (VLAN ${vlan}): ${JSON.stringify(answer.validations ?? answer)}`,
        );
        continue;
      }
      done.push({ device, vlan, identifier });
    } catch (error) {
      if (error instanceof OpnsensePrivilegeError) {
        problems.push(
          `missing privilege "${error.privilege ?? "Interfaces: Assign network ports"}" for ${error.path}`,
        );
        return done;
      }
      throw error;
    }
  }
  if (done.length > 0) await call(connection, "POST", "interfaces/assignment/reconfigure", {}, policy);
  return done;
}

/** What the assignments became, by the identifier OPNsense gave each device; a differing one is a problem. */
function assignedAs(
  done: readonly { device: string; vlan: number; identifier: string }[],
  rows: InterfaceRow[],
  problems: string[],
  explained: Set<string>,
): string[] {
  return done.map(({ device, vlan, identifier }) => {
    const chosen = rows.find((row) => row.device === device)?.identifier || undefined;
    if (chosen !== identifier) {
      explained.add(identifier);
      problems.push(
        chosen
          ? `OPNsense assigned ${device} (VLAN ${vlan}) as ${chosen}, not ${identifier}: set networks[].interface of ` +
              `the VLAN ${vlan} network to ${chosen} (or move the assignment under Interfaces > Assignments), then run again`
          : `${device} (VLAN ${vlan}) does not show as assigned after the assignment: check Interfaces > Assignments`,
      );
    }
    return `assigned ${device} (VLAN ${vlan}) as ${chosen ?? "?"}`;
  });
}

export async function preflight(
  connection: Connection,
  needs: PreflightNeeds,
  policy: RetryPolicy,
): Promise<void> {
  const problems: string[] = [];
  let localAddress: string | undefined;
  const info = (await tryCall(connection, VERSION_ENDPOINT, policy, problems, (from) => {
    localAddress = from;
  })) as SystemInformation | undefined;
  if (needs.managementCidrs && needs.managementCidrs.length > 0 && info) {
    const problem = sourceProblem(localAddress, needs.managementCidrs);
    if (problem) problems.push(problem);
  }
  const version = info ? productVersion(info) : undefined;
  if (version) rememberVersion(connection.url, version);
  problems.push(...versionProblems(version, needs));
  const pluginEndpoints = needs.plugins.map((plugin) => PLUGIN_ENDPOINTS[plugin]);
  for (const [index, plugin] of needs.plugins.entries()) {
    const endpoint = pluginEndpoints[index];
    if (endpoint) await tryCall(connection, endpoint, policy, problems);
    else problems.push(`Fortress does not know how to check for the plugin ${plugin}`);
  }
  for (const probe of needs.probes.filter(
    (path) => !pluginEndpoints.includes(path) && path !== SERVICE_LIST,
  )) {
    await tryCall(connection, probe, policy, problems);
  }
  if (needs.absentServices?.length || needs.probes.includes(SERVICE_LIST)) {
    const list = (await tryCall(connection, SERVICE_LIST, policy, problems)) as
      { rows?: { name?: unknown }[] } | undefined;
    const present = new Set((list?.rows ?? []).map((row) => row.name));
    for (const service of needs.absentServices ?? []) {
      if (present.has(service))
        problems.push(
          ABSENT_SERVICES[service] ?? `the OPNsense service ${service} is on: turn it off, then run again`,
        );
    }
  }
  const changed: string[] = [];
  const explained = new Set<string>();
  if (needs.interfaces.length > 0) {
    const read = async () =>
      (await tryCall(connection, "interfaces/overview/export", policy, problems)) as
        InterfaceRow[] | { rows?: InterfaceRow[] } | undefined;
    let overview = await read();
    const canAssign = version !== undefined && compareVersions(version, ASSIGNMENT_API_VERSION) >= 0;
    if (overview && canAssign) {
      const done = await assignMissing(connection, rowsOf(overview), needs, policy, problems);
      if (done.length > 0) {
        overview = await read();
        if (overview) changed.push(...assignedAs(done, rowsOf(overview), problems, explained));
      }
    }
    if (overview) problems.push(...interfaceProblems(rowsOf(overview), needs, canAssign, explained));
  }
  if (problems.length > 0) throw new OpnsensePreflightError(connection.url, problems, changed);
}
