import type { StackValidationPolicy } from "@pulumi/policy";
import { covers, everyAddress } from "../../vocabulary/addresses";
import { type Addresses, AddressResolver } from "../lib/addresses";
import { networksOf, opnsenseRules } from "../lib/resources";

/** Every address of a family, however it is written: `any`, 0.0.0.0/0, ::/0, or aliases whose content adds up to it. */
function isEverything(addresses: Addresses): boolean {
  return (
    addresses.all ||
    covers(addresses.ranges, everyAddress("ipv4")) ||
    covers(addresses.ranges, everyAddress("ipv6"))
  );
}

export const opnsenseNoAnyToAny: StackValidationPolicy = {
  name: "opnsense-no-any-to-any",
  description:
    "No OPNsense filter rule passes traffic from any source to any destination: `any`, 0.0.0.0/0, ::/0 and " +
    "aliases that resolve to every address all count, and so does a negated destination (`!x` is everything but x) " +
    "behind a source of every address.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const resolver = new AddressResolver(args.resources, networksOf(args.resources));
    for (const rule of opnsenseRules(args.resources)) {
      const { fields } = rule;
      if (fields.action !== "pass" || fields.enabled === "0") continue;
      const source = resolver.resolve(fields.source_net);
      const destination = resolver.resolve(fields.destination_net);
      const fromEverywhere = fields.source_not !== "1" && isEverything(source);
      const toEverywhere = fields.destination_not === "1" || isEverything(destination);
      if (fromEverywhere && toEverywhere) {
        reportViolation(
          `filter rule "${fields.description ?? rule.resource.name}" passes any → any ` +
            `(${fields.source_net ?? "any"} → ${fields.destination_not === "1" ? "!" : ""}${fields.destination_net ?? "any"}): ` +
            "name a source zone and a destination in fortress:zones",
          rule.resource.urn,
        );
      }
    }
  },
};
