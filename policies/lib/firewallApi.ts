/**
 * The hosts the Network component records as clients of the firewall's own API (`firewallApiClients`:
 * components/network/types.ts `FirewallApiClient`, the Wazuh manager where the containment action runs),
 * and the one pass each is granted: on its network's interface, from its one address, to the API's
 * address (the host of the rule's `firewall.url`, an IPv4 address) on TCP at the API's port (the
 * URL's: apiPort), nothing wider. The grant is judged against the URL the rule itself is written to,
 * not against the record's copy of it. Read by opnsense-firewall-ui and opnsense-zone-matrix.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type AddressRange, addressRange } from "../../vocabulary/addresses";
import type { Addresses } from "./addresses";
import type { NetworkRecord, OpnsenseRule } from "./opnsense";
import { apiPort } from "./opnsenseOrder";
import { NETWORK_TYPE } from "./typeNames";
import { type Destination, type RuleTraffic, within } from "./zoneMatrix";

export interface FirewallApiClientRecord {
  /** The network the client is on: its interface carries the pass. */
  readonly from: string;
  readonly host: string;
  /** One IPv4 address. */
  readonly address: string;
  readonly why: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** Every recorded client; one whose address is not one IPv4 host is dropped, so it grants nothing. */
export function firewallApiClientsOf(resources: readonly PolicyResource[]): FirewallApiClientRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((resource) =>
      Array.isArray(resource.props.firewallApiClients) ? resource.props.firewallApiClients : [],
    )
    .filter(
      (client): client is FirewallApiClientRecord =>
        isRecord(client) &&
        typeof client.from === "string" &&
        typeof client.host === "string" &&
        typeof client.why === "string" &&
        typeof client.address === "string" &&
        /^\d{1,3}(\.\d{1,3}){3}$/.test(client.address) &&
        addressRange(client.address) !== undefined,
    )
    .map(({ from, host, address, why }) => ({ from, host, address, why }));
}

/** The API's address from the `firewall.url` a rule resource carries, when its host is an IPv4 address. */
export function apiAddress(props: Record<string, unknown>): AddressRange | undefined {
  const firewall = props.firewall as { url?: unknown } | undefined;
  if (typeof firewall?.url !== "string") return undefined;
  try {
    const host = new URL(firewall.url).hostname;
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? addressRange(host) : undefined;
  } catch {
    return undefined;
  }
}

/** What a pass rule is, as the grant reads it: its source and destination resolved, its traffic. */
export interface PassShape {
  readonly rule: OpnsenseRule;
  readonly source: Addresses;
  readonly sourceNegated: boolean;
  readonly destination: Destination;
  readonly traffic: RuleTraffic;
}

/**
 * The recorded client whose one pass this is, for the zone it filters: the client is on `zone`, the
 * source lies within its one address, the destination within the API's address, and the traffic is
 * TCP to the API's port alone. Undefined when none grants it.
 */
export function firewallApiGrant(
  pass: PassShape,
  zone: NetworkRecord,
  clients: readonly FirewallApiClientRecord[],
): FirewallApiClientRecord | undefined {
  // Nothing but the agent link leaves a quarantine network, whatever the record says.
  if (zone.purpose === "quarantine") return undefined;
  const api = apiAddress(pass.rule.resource.props);
  if (!api) return undefined;
  const port = apiPort(pass.rule.resource.props);
  const { traffic } = pass;
  const apiTraffic =
    traffic !== "all" &&
    traffic.transports.length === 1 &&
    traffic.transports[0] === "tcp" &&
    traffic.ports.length > 0 &&
    traffic.ports.every(([low, high]) => low === port && high === port);
  if (!apiTraffic || !within(pass.destination, [api])) return undefined;
  return clients.find((client) => {
    const address = addressRange(client.address);
    return (
      client.from === zone.name &&
      address !== undefined &&
      pass.source.ranges.length > 0 &&
      within({ addresses: pass.source, negated: pass.sourceNegated }, [address])
    );
  });
}
