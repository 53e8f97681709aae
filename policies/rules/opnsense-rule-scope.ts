import type { StackValidationPolicy } from "@pulumi/policy";
import { networksOf, opnsenseRules } from "../lib/resources";

export const opnsenseRuleScope: StackValidationPolicy = {
  name: "opnsense-rule-scope",
  description:
    "Fortress's OPNsense rules sit only on the interfaces of its own networks: none on the WAN or an interface no Fortress network uses, none floating on every interface (no interface), none inverted (interfacenot: every interface but those listed, the WAN among them).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const managed = new Set(networksOf(args.resources).map((network) => network.interface));
    const fix = `name only the interfaces of Fortress's networks (${[...managed].join(", ") || "none declared"})`;
    for (const rule of opnsenseRules(args.resources)) {
      if (!rule.enabled) continue;
      const label = `filter rule "${rule.fields.description ?? rule.resource.name}"`;
      if (rule.inverted) {
        reportViolation(
          `${label} is inverted (interfacenot) on ${rule.interfaces.join(",") || "no interface"}, so it sits on every other interface, the WAN and interfaces Fortress does not manage among them: ${fix}, without interfacenot`,
          rule.resource.urn,
        );
        continue;
      }
      if (rule.interfaces.length === 0) {
        reportViolation(
          `${label} names no interface, so it is floating on every interface, the WAN among them: ${fix}`,
          rule.resource.urn,
        );
        continue;
      }
      const foreign = rule.interfaces.filter((iface) => !managed.has(iface));
      if (foreign.length > 0) {
        reportViolation(
          `${label} sits on ${foreign.join(", ")}, which no Fortress network uses${foreign.includes("wan") ? " (the WAN faces the internet)" : ""}: ${fix}`,
          rule.resource.urn,
        );
      }
    }
  },
};
