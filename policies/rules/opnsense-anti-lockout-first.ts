/**
 * What keeps the machine running Pulumi from locking itself out of the firewall: OPNsense's savepoint
 * rollback does not (it reverts nothing on 25.7–26.1, opnsense/core#10721, and 26.7 removed it), so the
 * plan must. For each management network: a pass rule from the whole management network to the
 * firewall's own address, on the management interface, for the API's port (from the firewall URL the
 * rules carry; 443 by default) and for ssh (22); and no other Fortress rule, on any interface, that
 * OPNsense would evaluate before it.
 *
 * The order is OPNsense's (policies/lib/opnsenseOrder.ts).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { addressRange, covers } from "../../vocabulary/addresses";
import { AddressResolver } from "../lib/addresses";
import { apiPort, before, evaluationOrder, portAliasesOf, portRanges } from "../lib/opnsenseOrder";
import {
  NETWORK_TYPE,
  type NetworkRecord,
  networksOf,
  type OpnsenseRule,
  opnsenseRules,
} from "../lib/resources";

/** The GUI's ssh, besides the API's own port. */
const SSH_PORT = 22;

export { apiPort, evaluationOrder };

interface Judge {
  readonly resolver: AddressResolver;
  readonly portAliases: ReadonlyMap<string, string>;
}

/** The ports (of `wanted`) this rule lets the whole management network open to the firewall on its interface. */
function lockoutPortsOpened(
  rule: OpnsenseRule,
  management: NetworkRecord,
  wanted: readonly number[],
  judge: Judge,
): number[] {
  const { fields } = rule;
  const management_range = addressRange(management.cidr);
  const gateway = addressRange(management.gateway);
  if (!management_range || !gateway) return [];
  const shapeOk =
    rule.enabled &&
    fields.action === "pass" &&
    (fields.quick ?? "1") !== "0" &&
    ["in", "any"].includes(fields.direction ?? "in") &&
    rule.interfaces.length === 1 &&
    rule.interfaces[0] === management.interface &&
    !rule.inverted &&
    ["inet", "inet46"].includes(fields.ipprotocol ?? "inet") &&
    ["TCP", "TCP/UDP", "any", ""].includes(fields.protocol ?? "any") &&
    fields.source_not !== "1" &&
    fields.destination_not !== "1" &&
    (fields.source_port ?? "").trim() === "";
  if (!shapeOk) return [];
  const source = judge.resolver.resolve(fields.source_net);
  const destination = judge.resolver.resolve(fields.destination_net);
  if (!covers(source.ranges, management_range) || !covers(destination.ranges, gateway)) return [];
  const ports = portRanges(fields.destination_port, judge.portAliases);
  return wanted.filter((port) => ports.some(([low, high]) => low <= port && port <= high));
}

const label = (rule: OpnsenseRule) => `"${rule.fields.description ?? rule.resource.name}"`;

export const opnsenseAntiLockoutFirst: StackValidationPolicy = {
  name: "opnsense-anti-lockout-first",
  description:
    "Each management network has an anti-lockout pass to the firewall (its API port and ssh) on its interface, and no OPNsense rule Fortress writes, on any interface, is evaluated before it.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const rules = opnsenseRules(args.resources).filter((rule) => rule.enabled);
    if (rules.length === 0) return;
    const portAliases = portAliasesOf(args.resources);
    const components = args.resources.filter((resource) => resource.type === NETWORK_TYPE);
    for (const component of components) {
      const networks = networksOf([component]);
      const judge: Judge = { resolver: new AddressResolver(args.resources, networks), portAliases };
      for (const management of networks.filter((network) => network.purpose === "management")) {
        const wanted = [...new Set([apiPort(rules[0]?.resource.props ?? {}), SSH_PORT])];
        const where = `management network ${management.name} (interface ${management.interface})`;
        const opening = rules.map((rule) => ({
          rule,
          ports: lockoutPortsOpened(rule, management, wanted, judge),
        }));
        // For each port, the earliest rule that opens it; the anti-lockout is in force once all are.
        const firstFor = wanted.map((port) => {
          const candidates = opening.filter(({ ports }) => ports.includes(port)).map(({ rule }) => rule);
          return candidates.sort((a, b) => (before(evaluationOrder(a), evaluationOrder(b)) ? -1 : 1))[0];
        });
        const missing = wanted.filter((_, index) => firstFor[index] === undefined);
        if (missing.length > 0) {
          reportViolation(
            `${where} has no anti-lockout pass for port ${missing.join(" and ")} (the firewall's API and ssh): add a pass rule on ${management.interface} from the whole network (fz_net_${management.name}) to (self), TCP, those ports, with a sequence below every other rule`,
            component.urn,
          );
          continue;
        }
        const antiLockout = new Set(opening.filter(({ ports }) => ports.length > 0).map(({ rule }) => rule));
        const inForce = firstFor
          .map((rule) => evaluationOrder(rule as OpnsenseRule))
          .reduce((latest, order) => (before(latest, order) ? order : latest));
        // A tie (same priority group and sequence) may go either way: opnsense/core's
        // ArrayField::sortedBy breaks it by the rule's UUID, which the plan cannot know.
        for (const rule of rules) {
          if (antiLockout.has(rule) || before(inForce, evaluationOrder(rule))) continue;
          const [group] = evaluationOrder(rule);
          const tie = !before(evaluationOrder(rule), inForce);
          const why = Number.isNaN(group)
            ? `${rule.interfaces[0] ?? "its interface"} is not lan, wan or optN, so it is an interface group, whose rules OPNsense evaluates before every single-interface rule (at 300000 + the group's sequence), or an interface the firewall does not have (the rule is never applied): the plan cannot tell which`
            : group < inForce[0]
              ? `it is a floating rule, which OPNsense evaluates before every interface rule`
              : tie
                ? `its sequence ${rule.sequence} ties with the anti-lockout's, and OPNsense breaks ties by UUID, which the plan cannot know`
                : `its sequence ${rule.sequence} is below the anti-lockout's ${inForce[1]}`;
          reportViolation(
            `filter rule ${label(rule)} on ${rule.interfaces.join(",") || "no interface"} ${tie ? "may come" : "comes"} before the anti-lockout of ${where}: ${why}. Give it a single interface (lan, wan or optN) and a sequence above ${inForce[1]}`,
            rule.resource.urn,
          );
        }
      }
    }
  },
};
