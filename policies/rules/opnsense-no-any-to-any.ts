import type { StackValidationPolicy } from "@pulumi/policy";
import { type Addresses, AddressResolver, covers, type Range } from "../lib/addresses";
import { networksOf, opnsenseRules } from "../lib/resources";

const EVERY_IPV4: Range = [0, 2 ** 32 - 1];
/** IPv6 "everything" spelled out, which the IPv4 resolver does not read. */
const EVERY_IPV6 = new Set(["::/0", "::0/0"]);

/** Every address, however it is written: `any`, 0.0.0.0/0, ::/0, or aliases whose content adds up to it. */
function isEverything(text: string | undefined, addresses: Addresses): boolean {
  return (
    addresses.all || covers(addresses.ranges, EVERY_IPV4) || EVERY_IPV6.has((text ?? "").trim().toLowerCase())
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
      const fromEverywhere = fields.source_not !== "1" && isEverything(fields.source_net, source);
      const toEverywhere =
        fields.destination_not === "1" || isEverything(fields.destination_net, destination);
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
