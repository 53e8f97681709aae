import type { StackValidationPolicy } from "@pulumi/policy";
import { before, evaluationOrder } from "../lib/opnsenseOrder";
import { NETWORK_TYPE, networksOf, type OpnsenseRule, opnsenseRules } from "../lib/resources";

const isAny = (value: string | undefined, negated: string | undefined) =>
  (value ?? "any").trim() === "any" && negated !== "1";
const isEmpty = (value: string | undefined) => (value ?? "").trim() === "" || value === "any";
/** Rules that filter traffic entering the firewall on their interface (OPNsense's default direction). */
const inbound = (rule: OpnsenseRule) => ["in", "any"].includes(rule.fields.direction ?? "in");

/** What keeps a rule from being a complete default deny, or an empty list when it is one. */
export function denyGaps(rule: OpnsenseRule): string[] {
  const { fields } = rule;
  const gaps: string[] = [];
  if (!["block", "reject"].includes(fields.action ?? "")) gaps.push(`action is ${fields.action ?? "unset"}`);
  if (!isAny(fields.source_net, fields.source_not)) gaps.push("source is not any");
  if (!isAny(fields.destination_net, fields.destination_not)) gaps.push("destination is not any");
  if (!isEmpty(fields.protocol)) gaps.push(`protocol is ${fields.protocol}`);
  if (!isEmpty(fields.source_port) || !isEmpty(fields.destination_port)) gaps.push("it names ports");
  if (fields.ipprotocol !== "inet46") gaps.push(`it covers ${fields.ipprotocol ?? "inet"} only, not inet46`);
  if (!inbound(rule)) gaps.push(`direction is ${fields.direction}`);
  // Filter.xml: `log` defaults to 0; an unlogged deny hides every probe it stops.
  if (String(fields.log ?? "0") !== "1") gaps.push("it is not logged");
  return gaps;
}

export const opnsenseDefaultDeny: StackValidationPolicy = {
  name: "opnsense-default-deny",
  description:
    "Every network's OPNsense interface ends in a logged default deny: a block or reject rule from any to any, IPv4 and IPv6, that OPNsense evaluates after every other rule on that interface (floating rules come before interface rules).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const rules = opnsenseRules(args.resources).filter((rule) => rule.enabled && inbound(rule));
    const components = args.resources.filter((resource) => resource.type === NETWORK_TYPE);
    for (const [component, network] of components.flatMap((owner) =>
      networksOf([owner]).map((record) => [owner, record] as const),
    )) {
      const own = rules.filter((rule) => rule.appliesTo(network.interface));
      const where = `network ${network.name} (VLAN ${network.vlan}, interface ${network.interface})`;
      const fix = `add a logged block rule on ${network.interface} from any to any, protocol any, inet46, with a sequence above every other rule of the interface`;
      const unordered = own.filter((rule) => rule.sequence === undefined);
      for (const rule of unordered) {
        reportViolation(
          `filter rule "${rule.fields.description ?? rule.resource.name}" on ${where} has no numeric sequence, so the default deny cannot be shown to come last: give it one`,
          rule.resource.urn,
        );
      }
      const ordered = own.filter((rule) => rule.sequence !== undefined);
      const denies = ordered.filter((rule) => denyGaps(rule).length === 0);
      if (denies.length === 0) {
        const nearest = ordered.filter((rule) => ["block", "reject"].includes(rule.fields.action ?? ""));
        const hints = nearest
          .filter((rule) => isAny(rule.fields.source_net, rule.fields.source_not))
          .map((rule) => `"${rule.fields.description ?? rule.resource.name}": ${denyGaps(rule).join(", ")}`);
        reportViolation(
          `${where} has no default deny${hints.length > 0 ? ` (closest: ${hints.join("; ")})` : ""}: ${fix}`,
          component.urn,
        );
        continue;
      }
      // The last deny in OPNsense's order (floating rules before interface rules, then by sequence);
      // every rule at or after it leaves the deny short of last.
      const deny = denies.reduce((a, b) => (before(evaluationOrder(a), evaluationOrder(b)) ? b : a));
      const later = ordered.filter(
        (rule) => !before(evaluationOrder(rule), evaluationOrder(deny)) && denyGaps(rule).length > 0,
      );
      for (const rule of later) {
        reportViolation(
          `filter rule "${rule.fields.description ?? rule.resource.name}" on ${where} has sequence ${rule.sequence}, not below the default deny "${deny.fields.description ?? deny.resource.name}" (${deny.sequence}), so the deny does not come last: renumber it below ${deny.sequence} or move the deny above ${rule.sequence}`,
          rule.resource.urn,
        );
      }
    }
  },
};
