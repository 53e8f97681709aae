/**
 * Every OPNsense pass rule is an entry of the zone matrix the lab was compiled from (`fortress:zones`,
 * recorded in the Network component's inputs). A pass filters what enters the firewall on its
 * interfaces, so its source zones are the networks of those interfaces (every one but those listed for
 * `interfacenot`, all of them for a rule with none); for each, some entry from that zone must hold the
 * rule's destination (its network, its gateway for `firewall`, outside every private range for
 * `internet`, anything for `any`) and its protocol and ports (the entry's services). The
 * anti-lockout (management → the firewall's own addresses, https and ssh) is the one pass the matrix
 * does not list, because the compiler always writes it. The host flows Fortress derives (recorded
 * beside the matrix as `hostFlows`: every agent zone, and quarantine on 1514 alone, to the Wazuh
 * manager's address) grant passes to that one address with their services, and nothing more. The
 * scan flows (`scanFlows`: the vulnerability scanner's reach) grant a pass to a whole network with
 * every protocol, only to a rule whose source lies within the scanner's one address. With the
 * quarantine recorded (`quarantine`: the external alias of contained hosts and the manager), a pass
 * from that alias is granted only to the manager's address with the agent link's services
 * (QUARANTINE_FLOW_SERVICES) and only when the alias is of type external; no other entry grants one.
 * The recorded clients of the firewall's API (`firewallApiClients`: the containment's Wazuh manager)
 * each grant one pass on their network's interface: from their one address to the API's address and
 * port (the rule's `firewall.url`), TCP (lib/firewallApi.ts).
 * With scan flows recorded too, the rescan's pass from the scanner's one address to that alias, on the
 * scanner's own interface, is granted (policies/lib/quarantine.ts isRescanPass).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { addressRange } from "../../vocabulary/addresses";
import { QUARANTINE_FLOW_SERVICES } from "../../vocabulary/zones";
import { AddressResolver } from "../lib/addresses";
import { firewallApiClientsOf, firewallApiGrant } from "../lib/firewallApi";
import { portAliasesOf } from "../lib/opnsenseOrder";
import {
  NETWORK_TYPE,
  type NetworkRecord,
  networksOf,
  type OpnsenseRule,
  opnsenseRules,
} from "../lib/resources";
import { aliasType, isRescanPass, type QuarantineRecord, quarantinesOf } from "../lib/quarantine";
import {
  type Destination,
  describeTraffic,
  isInternet,
  privateRanges,
  reachesRange,
  servicesAllow,
  trafficOf,
  within,
  hostFlowEntriesOf,
  scanFlowEntriesOf,
  type ZoneEntryRecord,
  zoneEntriesOf,
  zoneIndex,
} from "../lib/zoneMatrix";

const ANTI_LOCKOUT: Omit<ZoneEntryRecord, "from"> = { to: "(self)", services: ["https", "ssh"] };

/**
 * A pass from the recorded quarantine alias: why it is not granted, or undefined when it is (the alias is
 * external, the destination is the manager's address alone, the traffic the agent link's). Not from
 * the alias at all: null.
 */
function quarantinePassGap(
  rule: OpnsenseRule,
  quarantines: readonly (QuarantineRecord & { readonly type: string | undefined })[],
  destination: Destination,
  traffic: ReturnType<typeof trafficOf>,
): string | undefined | null {
  const source = (rule.fields.source_net ?? "").trim();
  const record = quarantines.find((candidate) => candidate.alias === source);
  if (!record || rule.fields.source_not === "1") return null;
  const type = record.type;
  if (type !== "external")
    return `the quarantine alias ${record.alias} is ${type === undefined ? "not declared" : `of type ${type}`}, not external, so alias_util would write its hosts into config and the next update would release them`;
  const manager = record.reportsTo ? addressRange(record.reportsTo.address) : undefined;
  if (!record.reportsTo || !manager)
    return "no Wazuh manager is recorded, and contained hosts may reach nothing else";
  if (!within(destination, [manager]) || !servicesAllow(QUARANTINE_FLOW_SERVICES, traffic))
    return `contained hosts may reach only ${record.reportsTo.host} ${record.reportsTo.address} with ${QUARANTINE_FLOW_SERVICES.join(", ")}`;
  return undefined;
}

/** The entries a zone has, for a violation's message. */
function listEntries(candidates: readonly Omit<ZoneEntryRecord, "from">[]): string {
  return (
    candidates
      .filter((entry) => entry !== ANTI_LOCKOUT)
      .map(
        (entry) =>
          `${entry.sourceAddress ? `${entry.sourceAddress} → ` : ""}${entry.to} (${entry.services === "all" ? "all" : entry.services.join(", ")})`,
      )
      .join("; ") || "none"
  );
}

export const opnsenseZoneMatrix: StackValidationPolicy = {
  name: "opnsense-zone-matrix",
  description:
    "Every OPNsense pass rule is granted by an entry of the zone matrix the lab was compiled from (fortress:zones, as the Network component records it): for each zone whose interface the rule sits on, an entry from that zone holds the rule's destination and its protocol and ports; a pass no entry grants, or an outbound pass, is a violation.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    if (!args.resources.some((resource) => resource.type === NETWORK_TYPE)) {
      args.notApplicable("no fortress:network:Network component records a zone matrix");
    }
    const networks = networksOf(args.resources);
    const entries = [
      ...zoneEntriesOf(args.resources),
      ...hostFlowEntriesOf(args.resources),
      ...scanFlowEntriesOf(args.resources),
    ];
    const resolver = new AddressResolver(args.resources, networks);
    const quarantines = quarantinesOf(args.resources).map((record) => ({
      ...record,
      type: aliasType(args.resources, record.alias),
    }));
    const portAliases = portAliasesOf(args.resources);
    const apiClients = firewallApiClientsOf(args.resources);
    const byName = new Map(networks.map((network) => [network.name, network]));
    const zonesOf = zoneIndex(networks);
    const selfRanges = resolver.resolve("(self)").ranges;
    const privates = privateRanges(networks);
    const entriesFrom = new Map<string, ZoneEntryRecord[]>();
    for (const entry of entries) entriesFrom.set(entry.from, [...(entriesFrom.get(entry.from) ?? []), entry]);

    /** The addresses an entry's `to` stands for, or a test for the keywords. */
    const allows = (entry: Omit<ZoneEntryRecord, "from">, zone: NetworkRecord, destination: Destination) => {
      switch (entry.to) {
        case "any":
          return true;
        case "internet":
          return isInternet(destination, privates);
        case "firewall": {
          const gateway = addressRange(zone.gateway);
          return gateway !== undefined && within(destination, [gateway]);
        }
        case "(self)":
          return within(destination, selfRanges);
        default: {
          if (entry.hostAddress !== undefined) {
            const host = addressRange(entry.hostAddress);
            return host !== undefined && within(destination, [host]);
          }
          const target = byName.get(entry.to);
          const range = target ? addressRange(target.cidr) : undefined;
          return range !== undefined && within(destination, [range]);
        }
      }
    };

    for (const rule of opnsenseRules(args.resources)) {
      if (!rule.enabled || rule.fields.action !== "pass") continue;
      const label = `filter rule "${rule.fields.description ?? rule.resource.name}"`;
      if (rule.fields.direction === "out") {
        reportViolation(
          `${label} passes outbound traffic, which no entry of fortress:zones can describe (entries are what a zone opens, filtered where it enters the firewall): write it as an inbound pass on the source zone's interface from a matrix entry, or remove it`,
          rule.resource.urn,
        );
        continue;
      }
      const source = resolver.resolve(rule.fields.source_net);
      const sourceNegated = rule.fields.source_not === "1";
      const destination: Destination = {
        addresses: resolver.resolve(rule.fields.destination_net),
        negated: rule.fields.destination_not === "1",
      };
      const traffic = trafficOf(rule, portAliases);
      const interfaceOf = (name: string) => byName.get(name)?.interface;
      if (quarantines.some((record) => record.type === "external" && isRescanPass(rule, record, interfaceOf)))
        continue;
      const quarantineGap = quarantinePassGap(rule, quarantines, destination, traffic);
      if (quarantineGap !== null) {
        if (quarantineGap !== undefined) {
          reportViolation(
            `${label} on ${rule.interfaces.join(",") || "every interface"} passes contained hosts (${rule.fields.source_net}) → ${rule.fields.destination_net || "any"} (${describeTraffic(traffic)}), which nothing grants: ${quarantineGap}`,
            rule.resource.urn,
          );
        }
        continue;
      }
      for (const zone of zonesOf(rule)) {
        const zoneRange = addressRange(zone.cidr);
        if (!zoneRange) continue;
        // Traffic from the zone's own hosts: a source that leaves them out passes only spoofed packets.
        if (!reachesRange(source, sourceNegated, zoneRange)) continue;
        // From quarantine only a host flow of the agent link counts, whatever the record says.
        const own = (entriesFrom.get(zone.name) ?? []).filter(
          (entry) =>
            zone.purpose !== "quarantine" ||
            (entry.hostAddress !== undefined &&
              Array.isArray(entry.services) &&
              entry.services.every((service) => QUARANTINE_FLOW_SERVICES.includes(service))),
        );
        const candidates: Omit<ZoneEntryRecord, "from">[] = [
          ...own,
          ...(zone.purpose === "management" ? [ANTI_LOCKOUT] : []),
        ];
        const fromScanner = (entry: Omit<ZoneEntryRecord, "from">) => {
          if (entry.sourceAddress === undefined) return true;
          const scanner = addressRange(entry.sourceAddress);
          return scanner !== undefined && within({ addresses: source, negated: sourceNegated }, [scanner]);
        };
        const granted =
          candidates.some(
            (entry) =>
              fromScanner(entry) &&
              allows(entry, zone, destination) &&
              servicesAllow(entry.services, traffic),
          ) ||
          firewallApiGrant({ rule, source, sourceNegated, destination, traffic }, zone, apiClients) !==
            undefined;
        if (granted) continue;
        const shown = `${destination.negated ? "!" : ""}${rule.fields.destination_net || "any"}`;
        const listed = listEntries(candidates);
        reportViolation(
          `${label} on ${rule.interfaces.join(",") || "every interface"}${rule.inverted ? " (inverted)" : ""} passes ${zone.name} → ${shown} (${describeTraffic(traffic)}), which no entry of fortress:zones grants (entries from ${zone.name}: ${listed}): add the entry to fortress:zones and let the compiler write the rule, or remove it`,
          rule.resource.urn,
        );
      }
    }
  },
};
