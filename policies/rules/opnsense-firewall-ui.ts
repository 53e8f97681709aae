/**
 * The firewall's own web UI, API and ssh stay out of reach of every zone but management. The firewall
 * has an address in every VLAN (its gateway there, `(self)` is all of them, `<if>ip` one), so a pass
 * towards a network (users → servers, https) reaches the firewall's UI at that network's gateway too,
 * unless a block to the firewall's addresses on those ports comes first in OPNsense's order: the zone
 * compiler writes one (`<zone> → firewall, other addresses and services blocked`) for that reason.
 *
 * One pass to the firewall is granted: a recorded client of the firewall's API (the Network component's
 * `firewallApiClients`: the Wazuh manager, where the containment action runs) may reach the API's
 * address on the API's port, TCP, from its one address on its own network's interface (lib/firewallApi.ts).
 * Its network, another of its ports (ssh, 80) or another host of its network stay violations.
 * The rescan's pass to the recorded quarantine alias (policies/lib/quarantine.ts isRescanPass) is not
 * such a pass: the alias's table holds contained hosts alone, and containment refuses the firewall's
 * addresses.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { type AddressRange, addressRange, covers } from "../../vocabulary/addresses";
import { AddressResolver } from "../lib/addresses";
import { firewallApiClientsOf, firewallApiGrant } from "../lib/firewallApi";
import {
  apiPort,
  before,
  evaluationOrder,
  portAliasesOf,
  portRanges,
  portsCover,
} from "../lib/opnsenseOrder";
import { type NetworkRecord, networksOf, type OpnsenseRule, opnsenseRules } from "../lib/resources";
import { reachesRange, trafficOf, zoneIndex } from "../lib/zoneMatrix";
import { isRescanPass, quarantinesOf } from "../lib/quarantine";

const DEFAULT_MANAGEMENT = ["management"];
/** ssh, and the web UI's plain-HTTP port (its redirect to https), besides the API's own port. */
const OTHER_UI_PORTS = [22, 80];

const stringList = (value: unknown, fallback: readonly string[]) =>
  Array.isArray(value) ? value.map(String) : [...fallback];

const inbound = (rule: OpnsenseRule) => ["in", "any"].includes(rule.fields.direction ?? "in");

export const opnsenseFirewallUi: StackValidationPolicy = {
  name: "opnsense-firewall-ui",
  description:
    "No OPNsense pass lets a zone other than management reach the firewall's own addresses (any VLAN's gateway, (self), <if>ip) on its web UI/API port, 80 or ssh, unless a block to those addresses and ports comes before it in OPNsense's order; the one exception is a recorded firewall API client's pass (the containment's Wazuh manager): from its one address to the API's address and port, TCP, nothing wider.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      managementPurposes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_MANAGEMENT,
        description: "Network purposes that may reach the firewall's UI.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ managementPurposes?: unknown }>();
    const management = new Set(stringList(config.managementPurposes, DEFAULT_MANAGEMENT));
    const networks = networksOf(args.resources);
    const zones = networks.filter((network) => !management.has(network.purpose));
    const rules = opnsenseRules(args.resources).filter((rule) => rule.enabled && inbound(rule));
    if (zones.length === 0 || rules.length === 0) return;
    const resolver = new AddressResolver(args.resources, networks);
    const portAliases = portAliasesOf(args.resources);
    const gateways = networks.flatMap((network) => addressRange(network.gateway) ?? []);
    const uiPorts = [...new Set([apiPort(rules[0]?.resource.props ?? {}), ...OTHER_UI_PORTS])];

    /** The UI ports a rule's traffic includes (TCP, or every protocol). */
    const uiPortsOf = (rule: OpnsenseRule) => {
      const traffic = trafficOf(rule, portAliases);
      if (traffic === "all") return uiPorts;
      if (!traffic.transports.includes("tcp")) return [];
      return uiPorts.filter((port) => portsCover(traffic.ports, port));
    };

    /** The quick blocks that can shield the UI (TCP or every protocol, IPv4), each read once. */
    const blocks = rules
      .filter((block) => {
        const { fields } = block;
        const protocol = (fields.protocol ?? "any").trim().toUpperCase();
        return (
          ["block", "reject"].includes(fields.action ?? "") &&
          (fields.quick ?? "1") !== "0" &&
          ["inet", "inet46"].includes(fields.ipprotocol ?? "inet") &&
          ["", "ANY", "TCP", "TCP/UDP"].includes(protocol) &&
          fields.source_not !== "1" &&
          fields.destination_not !== "1"
        );
      })
      .map((block) => ({
        block,
        order: evaluationOrder(block),
        source: resolver.resolve(block.fields.source_net),
        destination: resolver.resolve(block.fields.destination_net),
        ports: portRanges(block.fields.destination_port, portAliases),
      }));

    const blocksOn = new Map<string, typeof blocks>();
    for (const zone of zones) {
      blocksOn.set(
        zone.interface,
        blocks.filter(({ block }) => block.appliesTo(zone.interface)),
      );
    }

    /** A quick block before `rule`, on the zone's interface, that stops the zone reaching `reached` on `ports`. */
    const shielded = (rule: OpnsenseRule, zone: NetworkRecord, reached: AddressRange[], ports: number[]) => {
      const zoneRange = addressRange(zone.cidr);
      const order = evaluationOrder(rule);
      return (blocksOn.get(zone.interface) ?? []).some(
        ({ block, source, destination, ports: blocked, order: blockOrder }) =>
          zoneRange !== undefined &&
          block.appliesTo(zone.interface) &&
          before(blockOrder, order) &&
          (source.all || covers(source.ranges, zoneRange)) &&
          (destination.all || reached.every((range) => covers(destination.ranges, range))) &&
          ports.every((port) => portsCover(blocked, port)),
      );
    };
    const zonesOf = zoneIndex(zones);
    const clients = firewallApiClientsOf(args.resources);
    /** The recorded API client this pass is the one pass of, for the zone; undefined for every other pass. */
    const apiClientPass = (rule: OpnsenseRule, zone: NetworkRecord) =>
      clients.length === 0
        ? undefined
        : firewallApiGrant(
            {
              rule,
              source: resolver.resolve(rule.fields.source_net),
              sourceNegated: rule.fields.source_not === "1",
              destination: {
                addresses: resolver.resolve(rule.fields.destination_net),
                negated: rule.fields.destination_not === "1",
              },
              traffic: trafficOf(rule, portAliases),
            },
            zone,
            clients,
          );
    const reachedBy = new Map<string, AddressRange[]>();
    const quarantines = quarantinesOf(args.resources);
    const interfaceOf = (name: string) => networks.find((network) => network.name === name)?.interface;

    for (const rule of rules) {
      if (rule.fields.action !== "pass") continue;
      if (quarantines.some((record) => isRescanPass(rule, record, interfaceOf))) continue;
      const ports = uiPortsOf(rule);
      if (ports.length === 0) continue;
      const source = resolver.resolve(rule.fields.source_net);
      const negated = rule.fields.destination_not === "1";
      // Most passes share a handful of destinations (`!fz_private`, a zone alias): each is read once.
      const key = `${negated ? "!" : ""}${rule.fields.destination_net ?? "any"}`;
      let reached = reachedBy.get(key);
      if (!reached) {
        const destination = resolver.resolve(rule.fields.destination_net);
        reached = gateways.filter((gateway) => reachesRange(destination, negated, gateway));
        reachedBy.set(key, reached);
      }
      if (reached.length === 0) continue;
      for (const zone of zonesOf(rule)) {
        const zoneRange = addressRange(zone.cidr);
        if (!zoneRange) continue;
        if (!reachesRange(source, rule.fields.source_not === "1", zoneRange)) continue;
        if (shielded(rule, zone, reached, ports)) continue;
        if (apiClientPass(rule, zone)) continue;
        reportViolation(
          `filter rule "${rule.fields.description ?? rule.resource.name}" lets ${zone.name} (${zone.purpose}) reach the firewall's own address${reached.length > 1 ? "es" : ""} on port ${ports.join(", ")} (its web UI, API or ssh) through ${negated ? "!" : ""}${rule.fields.destination_net || "any"}: put a logged block from any to (self) on ${zone.interface} before it, as the zone compiler does, or narrow the destination`,
          rule.resource.urn,
        );
      }
    }
  },
};
