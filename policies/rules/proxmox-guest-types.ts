import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnmodelledGuestType } from "../lib/guests";

export const proxmoxGuestTypes: ResourceValidationPolicy = {
  name: "proxmox-guest-types",
  description:
    "Every Proxmox guest is of a type the pack models (policies/lib/guests.ts), so the NIC, firewall, cloud-init, state and inventory policies all judge it; a guest type they cannot read is a violation, not a pass.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isUnmodelledGuestType(args.type)) return;
    reportViolation(
      `${args.type} "${args.name}" is a Proxmox guest type the policy pack does not model, so no policy can judge its NICs, firewall, cloud-init or state: use proxmoxve.VmLegacy, or teach policies/lib/guests.ts and vocabulary/proxmoxTypes.ts its inputs`,
    );
  },
};
