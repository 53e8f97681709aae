import type { StackValidationPolicy } from "@pulumi/policy";
import { addressRange, type AddressRange, covers, overlaps } from "../../vocabulary/addresses";
import { type Addresses, AddressResolver } from "../lib/addresses";
import { type NetworkRecord, networksOf, type OpnsenseRule, opnsenseRules } from "../lib/resources";

const DEFAULT_UNTRUSTED = ["users", "iot", "guest", "quarantine"];
const DEFAULT_MANAGEMENT = ["management"];

/** Whether a destination (possibly negated) can reach `target`; "unknown" when it cannot be told. */
function reaches(addresses: Addresses, negated: boolean, target: AddressRange): boolean | "unknown" {
  if (!negated) {
    if (addresses.ranges.some((range) => overlaps(range, target))) return true;
    return addresses.unknown.length > 0 ? "unknown" : false;
  }
  if (addresses.all || covers(addresses.ranges, target)) return false;
  return addresses.unknown.length > 0 ? "unknown" : true;
}

const isNegated = (value: string | undefined) => value === "1";

function stringList(value: unknown, fallback: readonly string[]): string[] {
  return Array.isArray(value) ? value.map(String) : [...fallback];
}

export const opnsenseNoPassIntoManagement: StackValidationPolicy = {
  name: "opnsense-no-pass-into-management",
  description:
    "No OPNsense pass rule lets traffic from a users, iot, guest or quarantine network into the management network.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      untrustedPurposes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_UNTRUSTED,
        description: "Network purposes whose traffic must never reach the management network.",
      },
      managementPurposes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_MANAGEMENT,
        description: "Network purposes that make up the management network.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ untrustedPurposes?: unknown; managementPurposes?: unknown }>();
    const untrustedPurposes = new Set(stringList(config.untrustedPurposes, DEFAULT_UNTRUSTED));
    const managementPurposes = new Set(stringList(config.managementPurposes, DEFAULT_MANAGEMENT));
    const networks = networksOf(args.resources);
    const untrusted = networks.filter((network) => untrustedPurposes.has(network.purpose));
    const management = networks.flatMap((network) => {
      const range = managementPurposes.has(network.purpose) ? addressRange(network.cidr) : undefined;
      return range ? [{ network, range }] : [];
    });
    if (untrusted.length === 0 || management.length === 0) return;
    const resolver = new AddressResolver(args.resources, networks);

    /** The untrusted networks a rule's traffic can come from, and the management networks it can enter. */
    const flows = (rule: OpnsenseRule, destination: Addresses) => {
      const { fields } = rule;
      const direction = fields.direction ?? "in";
      const onInterfaces = (network: NetworkRecord) => rule.appliesTo(network.interface);
      const negated = isNegated(fields.destination_not);
      const into = (zones: typeof management) =>
        zones.filter(({ range }) => reaches(destination, negated, range) !== false);
      const from = new Set<NetworkRecord>();
      const targets = new Set<(typeof management)[number]>();
      if (direction === "in" || direction === "any") {
        // Inbound rules filter what enters the firewall on their interfaces: the interface is the source zone.
        const sources = untrusted.filter(onInterfaces);
        const entered = into(management);
        if (sources.length > 0 && entered.length > 0) {
          for (const network of sources) from.add(network);
          for (const zone of entered) targets.add(zone);
        }
      }
      if (direction === "out" || direction === "any") {
        // Outbound rules filter what leaves on their interfaces: the source net says where it came from.
        const source = resolver.resolve(fields.source_net);
        const sourceNegated = isNegated(fields.source_not);
        const sources = untrusted.filter((network) => {
          const range = addressRange(network.cidr);
          return range !== undefined && reaches(source, sourceNegated, range) !== false;
        });
        const exits = into(management.filter(({ network }) => onInterfaces(network)));
        if (sources.length > 0 && exits.length > 0) {
          for (const network of sources) from.add(network);
          for (const zone of exits) targets.add(zone);
        }
      }
      return { from: [...from], into: [...targets] };
    };

    for (const rule of opnsenseRules(args.resources)) {
      if (!rule.enabled || rule.fields.action !== "pass") continue;
      const destination = resolver.resolve(rule.fields.destination_net);
      const { from, into } = flows(rule, destination);
      if (from.length === 0 || into.length === 0) continue;
      const negated = isNegated(rule.fields.destination_not);
      const certain = into.some(({ range }) => reaches(destination, negated, range) === true);
      const unresolved = certain
        ? ""
        : ` (${destination.unknown.join(", ")} cannot be resolved to addresses, so it may include management)`;
      const shown = `${negated ? "not " : ""}${rule.fields.destination_net || "any"}`;
      reportViolation(
        `filter rule "${rule.fields.description ?? rule.resource.name}" passes traffic from ${from
          .map((network) => network.name)
          .join(", ")} to ${shown}, which reaches the management network ${into
          .map(({ network }) => `${network.name} (${network.cidr})`)
          .join(
            ", ",
          )}${unresolved}: name a destination that excludes management (a zone alias such as fz_net_servers, ` +
          `or internet as "not fz_private"), or remove the rule`,
        rule.resource.urn,
      );
    }
  },
};
