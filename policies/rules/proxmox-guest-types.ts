import type { StackValidationPolicy } from "@pulumi/policy";
import { isUnmodelledGuestType } from "../lib/guests";

export const proxmoxGuestTypes: StackValidationPolicy = {
  name: "proxmox-guest-types",
  description:
    "Every Proxmox guest is of a type the pack models (policies/lib/guests.ts), so the NIC, firewall, cloud-init, state and inventory policies all judge it; a guest type they cannot read is a violation, not a pass.",
  enforcementLevel: "mandatory",
  // A stack policy that reads each type once: the check is one per type, not one per resource.
  validateStack: (args, reportViolation) => {
    const verdicts = new Map<string, boolean>();
    for (const resource of args.resources) {
      let unmodelled = verdicts.get(resource.type);
      if (unmodelled === undefined)
        verdicts.set(resource.type, (unmodelled = isUnmodelledGuestType(resource.type)));
      if (!unmodelled) continue;
      reportViolation(
        `${resource.type} "${resource.name}" is a Proxmox guest type the policy pack does not model, so no policy can judge its NICs, firewall, cloud-init or state: use proxmoxve.VmLegacy, or teach policies/lib/guests.ts and vocabulary/proxmoxTypes.ts its inputs`,
        resource.urn,
      );
    }
  },
};
