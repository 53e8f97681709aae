/**
 * The zone compiler's input, resolved: every name of the matrix and of the derived host flows looked
 * up, and every rule the config checks enforce for the admin asserted again (here a violation can only
 * be a caller's bug, so it throws). Pure.
 */
import { cidrContainsHost, parseCidr } from "../../vocabulary/addresses";
import { isServiceName, type ServiceName, serviceRank } from "../../vocabulary/services";
import { MAX_ZONE_NAME_LENGTH, QUARANTINE_FLOW_SERVICES } from "../../vocabulary/zones";
import type { HostFlow, ScanFlow, ZoneNetwork, ZonePolicyInput } from "./types";

export type Target =
  | { readonly kind: "firewall" }
  | { readonly kind: "network"; readonly network: ZoneNetwork }
  | { readonly kind: "internet" }
  | { readonly kind: "any" };

export interface ResolvedEntry {
  readonly from: ZoneNetwork;
  readonly to: Target;
  /** Sorted by the service table's order; undefined for `all`. */
  readonly services: readonly ServiceName[] | undefined;
}

const TARGET_ORDER: Record<Target["kind"], number> = { firewall: 0, network: 1, internet: 2, any: 3 };

export const targetName = (target: Target) => (target.kind === "network" ? target.network.name : target.kind);

function byVlan(networks: readonly ZoneNetwork[]): ZoneNetwork[] {
  return [...networks].sort((a, b) => a.vlan - b.vlan || a.name.localeCompare(b.name));
}

export interface ResolvedHostFlow {
  readonly from: ZoneNetwork;
  readonly to: ZoneNetwork;
  readonly host: string;
  readonly address: string;
  /** Sorted by the service table's order. */
  readonly services: readonly ServiceName[];
}

/**
 * Host flows are derived by Fortress (stacks/hostFlows.ts), never written by the admin: a bad one is a
 * bug, so it throws. Each opens one address of a network other than its source, never a quarantine
 * network; from a quarantine network only QUARANTINE_FLOW_SERVICES.
 */
function resolveHostFlows(
  flows: readonly HostFlow[],
  byName: ReadonlyMap<string, ZoneNetwork>,
): ResolvedHostFlow[] {
  const seen = new Set<string>();
  return flows.map((flow, index): ResolvedHostFlow => {
    const fail = (message: string) => new Error(`zone compiler: hostFlows[${index}]: ${message}`);
    const from = byName.get(flow.from);
    if (!from) throw fail(`unknown source network ${flow.from}`);
    const to = byName.get(flow.to);
    if (!to) throw fail(`unknown destination network ${flow.to}`);
    if (to === from) throw fail("a host flow crosses the firewall: its host is on another network");
    if (to.purpose === "quarantine") throw fail("nothing may enter a quarantine network");
    const cidr = parseCidr(to.cidr);
    if (!cidr || !cidrContainsHost(cidr, flow.address) || flow.address === to.gateway) {
      throw fail(`${flow.address} is not a host address of ${to.name} (${to.cidr})`);
    }
    const services = flow.services.map((name) => {
      if (!isServiceName(name)) throw fail(`unknown service ${name}`);
      return name;
    });
    if (services.length === 0) throw fail("no services");
    if (new Set(services).size !== services.length) throw fail("a service is listed twice");
    if (from.purpose === "quarantine" && services.some((name) => !QUARANTINE_FLOW_SERVICES.includes(name))) {
      throw fail(
        `only ${QUARANTINE_FLOW_SERVICES.join(", ")} may leave a quarantine network, not ${services.join(", ")}`,
      );
    }
    const key = `${from.name}→${flow.address}`;
    if (seen.has(key)) throw fail(`${key} is granted twice`);
    seen.add(key);
    return {
      from,
      to,
      host: flow.host,
      address: flow.address,
      services: [...services].sort((a, b) => serviceRank(a) - serviceRank(b)),
    };
  });
}

export interface ResolvedScanFlow {
  readonly from: ZoneNetwork;
  readonly to: ZoneNetwork;
  readonly host: string;
  readonly address: string;
}

/**
 * Scan flows are derived too (stacks/scanTargets.ts): each opens one network other than the scanner's
 * own to the scanner's one address, never a quarantine network (a contained host is cut off from
 * scans as from everything else) and never from one.
 */
function resolveScanFlows(
  flows: readonly ScanFlow[],
  byName: ReadonlyMap<string, ZoneNetwork>,
): ResolvedScanFlow[] {
  const seen = new Set<string>();
  return flows.map((flow, index): ResolvedScanFlow => {
    const fail = (message: string) => new Error(`zone compiler: scanFlows[${index}]: ${message}`);
    const from = byName.get(flow.from);
    if (!from) throw fail(`unknown source network ${flow.from}`);
    const to = byName.get(flow.to);
    if (!to) throw fail(`unknown destination network ${flow.to}`);
    if (to === from) throw fail("a scan flow crosses the firewall: it scans another network");
    if (to.purpose === "quarantine" || from.purpose === "quarantine")
      throw fail("no scan enters or leaves a quarantine network");
    const cidr = parseCidr(from.cidr);
    if (!cidr || !cidrContainsHost(cidr, flow.address) || flow.address === from.gateway) {
      throw fail(`${flow.address} is not a host address of ${from.name} (${from.cidr})`);
    }
    const key = `${flow.address}→${to.name}`;
    if (seen.has(key)) throw fail(`${key} is granted twice`);
    seen.add(key);
    return { from, to, host: flow.host, address: flow.address };
  });
}

/**
 * Looks every name up. The config checks (stacks/config/zones.ts) report these problems to the admin
 * with a path and a hint; here they can only be a caller's bug, so they throw.
 */
export function resolve(input: ZonePolicyInput): {
  networks: ZoneNetwork[];
  entries: ResolvedEntry[];
  hostFlows: ResolvedHostFlow[];
  scanFlows: ResolvedScanFlow[];
} {
  const networks = byVlan(input.networks);
  const byName = new Map(networks.map((network) => [network.name, network]));
  if (byName.size !== networks.length) throw new Error("zone compiler: network names are not unique");
  if (new Set(networks.map((network) => network.vlan)).size !== networks.length) {
    throw new Error("zone compiler: VLAN ids are not unique");
  }
  for (const network of networks) {
    if (network.name.length > MAX_ZONE_NAME_LENGTH) {
      throw new Error(`zone compiler: network name ${network.name} is longer than ${MAX_ZONE_NAME_LENGTH}`);
    }
  }
  const seen = new Set<string>();
  const entries = input.zones.map((entry, index): ResolvedEntry => {
    const fail = (message: string) => new Error(`zone compiler: zones[${index}]: ${message}`);
    const from = byName.get(entry.from);
    if (!from) throw fail(`unknown source network ${entry.from}`);
    if (from.purpose === "quarantine") throw fail("nothing may leave a quarantine network");
    const to: Target | undefined =
      entry.to === "firewall" || entry.to === "internet" || entry.to === "any"
        ? { kind: entry.to }
        : byName.has(entry.to)
          ? { kind: "network", network: byName.get(entry.to) as ZoneNetwork }
          : undefined;
    if (!to) throw fail(`unknown destination ${entry.to}`);
    if (to.kind === "network" && to.network.purpose === "quarantine") {
      throw fail("nothing may enter a quarantine network");
    }
    if (to.kind === "network" && to.network === from) throw fail("a network cannot be its own destination");
    const key = `${from.name}→${targetName(to)}`;
    if (seen.has(key)) throw fail(`${key} is granted twice`);
    seen.add(key);
    if (to.kind === "any" && from.purpose !== "management")
      throw fail("to: any is only for the management network");
    if (entry.services === "all") {
      if (from.purpose !== "management") throw fail("services: all is only for the management network");
      return { from, to, services: undefined };
    }
    const services = entry.services.map((name) => {
      if (!isServiceName(name)) throw fail(`unknown service ${name}`);
      return name;
    });
    if (new Set(services).size !== services.length) throw fail("a service is listed twice");
    if (services.length === 0) throw fail("no services");
    return { from, to, services: [...services].sort((a, b) => serviceRank(a) - serviceRank(b)) };
  });
  const hostFlows = resolveHostFlows(input.hostFlows ?? [], byName).sort(
    (a, b) =>
      a.from.vlan - b.from.vlan ||
      a.to.vlan - b.to.vlan ||
      a.host.localeCompare(b.host) ||
      a.address.localeCompare(b.address),
  );
  const scanFlows = resolveScanFlows(input.scanFlows ?? [], byName).sort(
    (a, b) => a.from.vlan - b.from.vlan || a.to.vlan - b.to.vlan || a.address.localeCompare(b.address),
  );
  return { networks, entries, hostFlows, scanFlows };
}

export function sortEntries(entries: readonly ResolvedEntry[]): ResolvedEntry[] {
  return [...entries].sort(
    (a, b) =>
      a.from.vlan - b.from.vlan ||
      TARGET_ORDER[a.to.kind] - TARGET_ORDER[b.to.kind] ||
      (a.to.kind === "network" && b.to.kind === "network" ? a.to.network.vlan - b.to.network.vlan : 0),
  );
}
