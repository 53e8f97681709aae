import type { ResourceValidationPolicy } from "@pulumi/policy";
import { OPNSENSE, opnsenseFields } from "../lib/resources";

/** Whole address spaces, however they are written. (An alias whose content is one is not resolved here.) */
const EVERYTHING = new Set(["any", "0.0.0.0/0", "::/0"]);

const isAny = (value: string | undefined, negated: string | undefined) =>
  EVERYTHING.has((value ?? "any").trim().toLowerCase()) && negated !== "1";

export const opnsenseNoAnyToAny: ResourceValidationPolicy = {
  name: "opnsense-no-any-to-any",
  description: "No OPNsense filter rule passes traffic from any source to any destination.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPNSENSE("rule")) return;
    const fields = opnsenseFields(args.props);
    if (!fields || fields.action !== "pass") return;
    if (
      isAny(fields.source_net, fields.source_not) &&
      isAny(fields.destination_net, fields.destination_not)
    ) {
      reportViolation(
        `filter rule "${fields.description ?? args.name}" passes any → any: name a source zone and a destination in fortress:zones`,
      );
    }
  },
};
