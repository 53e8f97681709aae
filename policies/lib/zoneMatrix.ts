/**
 * The zone matrix the lab was compiled from, as the Network component records it in its inputs
 * (`zones`, beside `networks`: plain values in the state, so the pack reads the same matrix offline and
 * in `pulumi preview`), and what a pass rule lets through, to compare the two: where from (the zones
 * whose interface it sits on), where to (address ranges), and which transports and ports.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type AddressRange, addressRange, covers, overlaps } from "../../vocabulary/addresses";
import { isServiceName, SERVICES, type Transport } from "../../vocabulary/services";
import type { Addresses } from "./addresses";
import type { NetworkRecord, OpnsenseRule } from "./opnsense";
import { hasUnknownPort, portRanges } from "./opnsenseOrder";
import { NETWORK_TYPE } from "./typeNames";

/** One entry of `fortress:zones`: `from` may open `services` towards `to`. */
export interface ZoneEntryRecord {
  readonly from: string;
  /**
   * A network's name, or `firewall`, `internet`, `any`; `(self)` for the built-in anti-lockout; or,
   * for a host flow Fortress derived, the host's address (`hostFlows`, below).
   */
  readonly to: string;
  readonly services: readonly string[] | "all";
  /** Set on a host flow's entry only: the one address it grants. */
  readonly hostAddress?: string;
  /** Set on a scan flow's entry only: the one source address it grants from (the scanner's). */
  readonly sourceAddress?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** Every entry the stack's Network components record. */
export function zoneEntriesOf(resources: readonly PolicyResource[]): ZoneEntryRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((resource) => (Array.isArray(resource.props.zones) ? resource.props.zones : []))
    .filter(
      (entry): entry is ZoneEntryRecord =>
        isRecord(entry) &&
        typeof entry.from === "string" &&
        typeof entry.to === "string" &&
        (entry.services === "all" || Array.isArray(entry.services)),
    );
}

/**
 * The host flows the Network components record beside the matrix (`hostFlows`: flows Fortress derives,
 * such as every agent zone's link to the Wazuh manager, components/network/types.ts `HostFlow`), as
 * entries that grant the host's address (`hostAddress`; `to` names the host and its address for the
 * messages), never its network. A flow
 * whose address is not one IPv4 host is dropped, so it grants nothing.
 */
export function hostFlowEntriesOf(resources: readonly PolicyResource[]): ZoneEntryRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((resource) => (Array.isArray(resource.props.hostFlows) ? resource.props.hostFlows : []))
    .filter(
      (flow): flow is { from: string; host?: unknown; address: string; services: string[] } =>
        isRecord(flow) &&
        typeof flow.from === "string" &&
        typeof flow.address === "string" &&
        /^\d{1,3}(\.\d{1,3}){3}$/.test(flow.address) &&
        addressRange(flow.address) !== undefined &&
        Array.isArray(flow.services) &&
        flow.services.every((service: unknown) => typeof service === "string"),
    )
    .map((flow) => ({
      from: flow.from,
      to: typeof flow.host === "string" ? `${flow.host} ${flow.address}` : flow.address,
      services: [...flow.services],
      hostAddress: flow.address,
    }));
}

/**
 * The scan flows the Network components record (`scanFlows`: the vulnerability scanner's address may
 * open every protocol of a whole network, components/network/types.ts `ScanFlow`), as entries from the
 * scanner's network to that network with `sourceAddress`: they grant a pass only from that address. A
 * flow whose address is not one IPv4 host is dropped, so it grants nothing.
 */
export function scanFlowEntriesOf(resources: readonly PolicyResource[]): ZoneEntryRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((resource) => (Array.isArray(resource.props.scanFlows) ? resource.props.scanFlows : []))
    .filter(
      (flow): flow is { from: string; to: string; address: string } =>
        isRecord(flow) &&
        typeof flow.from === "string" &&
        typeof flow.to === "string" &&
        typeof flow.address === "string" &&
        /^\d{1,3}(\.\d{1,3}){3}$/.test(flow.address) &&
        addressRange(flow.address) !== undefined,
    )
    .map((flow) => ({ from: flow.from, to: flow.to, services: "all" as const, sourceAddress: flow.address }));
}

/**
 * The networks a rule applies to, from an index by interface: a rule on one interface looks it up,
 * only floating and inverted rules test every network.
 */
export function zoneIndex(networks: readonly NetworkRecord[]): (rule: OpnsenseRule) => NetworkRecord[] {
  const byInterface = new Map<string, NetworkRecord[]>();
  for (const network of networks)
    byInterface.set(network.interface, [...(byInterface.get(network.interface) ?? []), network]);
  return (rule) =>
    rule.interfaces.length === 1 && !rule.inverted
      ? (byInterface.get(rule.interfaces[0] ?? "") ?? [])
      : networks.filter((network) => rule.appliesTo(network.interface));
}

/** RFC 1918 §3: what `internet` (`!fz_private`) leaves out, with the lab's own networks. */
const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export const privateRanges = (networks: readonly NetworkRecord[]): AddressRange[] =>
  [...RFC1918, ...networks.map((network) => network.cidr)].flatMap((cidr) => addressRange(cidr) ?? []);

/** A rule's destination, resolved, with its negation. */
export interface Destination {
  readonly addresses: Addresses;
  readonly negated: boolean;
}

/** Whether a (possibly negated) address set reaches any of `target`; unresolvable parts may. */
export function reachesRange(addresses: Addresses, negated: boolean, target: AddressRange): boolean {
  if (!negated)
    return (
      addresses.all ||
      addresses.unknown.length > 0 ||
      addresses.ranges.some((range) => overlaps(range, target))
    );
  return !(addresses.all || covers(addresses.ranges, target));
}

/** Whether every address of a destination lies inside `target`. */
export function within(destination: Destination, target: readonly AddressRange[]): boolean {
  const { addresses, negated } = destination;
  if (negated || addresses.all || addresses.unknown.length > 0) return false;
  return addresses.ranges.every((range) => covers(target, range));
}

/** Whether a destination lies outside every private range (privateRanges): `!fz_private`, or public ranges only. */
export function isInternet(destination: Destination, privates: readonly AddressRange[]): boolean {
  const { addresses, negated } = destination;
  if (negated) return addresses.all || privates.every((range) => covers(addresses.ranges, range));
  if (addresses.all || addresses.unknown.length > 0) return false;
  return addresses.ranges.every(
    (range) => range.family === "ipv4" && !privates.some((inner) => overlaps(inner, range)),
  );
}

/** The transports and ports a rule passes; `all` for every protocol (any, ICMP, …) or unreadable ports. */
export type RuleTraffic =
  "all" | { readonly transports: readonly Transport[]; readonly ports: readonly [number, number][] };

export function trafficOf(rule: OpnsenseRule, portAliases: ReadonlyMap<string, string>): RuleTraffic {
  const protocol = (rule.fields.protocol ?? "any").trim().toUpperCase();
  const transports: Transport[] | undefined =
    protocol === "TCP"
      ? ["tcp"]
      : protocol === "UDP"
        ? ["udp"]
        : protocol === "TCP/UDP"
          ? ["tcp", "udp"]
          : undefined;
  if (!transports || hasUnknownPort(rule.fields.destination_port, portAliases)) return "all";
  return { transports, ports: portRanges(rule.fields.destination_port, portAliases) };
}

/** Whether the traffic fits inside the entry's services (ports per transport, as vocabulary/services.ts lists them). */
export function servicesAllow(services: readonly string[] | "all", traffic: RuleTraffic): boolean {
  if (services === "all") return true;
  if (traffic === "all") return false;
  const allowed = (transport: Transport) =>
    new Set<number>(services.filter(isServiceName).flatMap((name) => [...SERVICES[name][transport]]));
  return traffic.transports.every((transport) => {
    const ports = allowed(transport);
    return traffic.ports.every(([low, high]) => {
      if (high - low > 1024) return false;
      for (let port = low; port <= high; port++) if (!ports.has(port)) return false;
      return true;
    });
  });
}

/** What a traffic reads as in a message: `TCP 443, 8443` or `every protocol and port`. */
export function describeTraffic(traffic: RuleTraffic): string {
  if (traffic === "all") return "every protocol and port";
  const ports = traffic.ports.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(", ");
  return `${traffic.transports.join("+").toUpperCase()} ${ports === "0-65535" ? "any port" : ports}`;
}
