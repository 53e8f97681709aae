import type { ResourceValidationPolicy } from "@pulumi/policy";
import { guestOf, isGuestType } from "../lib/guests";

const validVlan = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 4094;

export const proxmoxVmNic: ResourceValidationPolicy = {
  name: "proxmox-vm-nic",
  description:
    "Every NIC of every Proxmox guest (VMs of each SDK class, clones, containers) is tagged with a VLAN and has the Proxmox firewall on; a clone declares its NICs instead of inheriting them.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isGuestType(args.type)) return;
    const guest = guestOf({ ...args, dependencies: [], propertyDependencies: {} });
    if (!guest) return;
    if (guest.nics === undefined) {
      reportViolation(
        `${guest.kind} ${guest.name} declares no NICs, so it inherits those of the VM it is cloned from (${String(guest.cloneOf)}), which the pack cannot see: declare each NIC with its VLAN tag and firewall: true`,
      );
      return;
    }
    for (const nic of guest.nics) {
      const where = `${guest.kind} ${guest.name} ${nic.slot}${nic.bridge ? ` on ${nic.bridge}` : ""}`;
      if (!validVlan(nic.vlanId)) {
        reportViolation(
          `${where} ${nic.vlanId === undefined ? "has no vlanId" : `has vlanId ${JSON.stringify(nic.vlanId)}`}, so it lands untagged on the bridge: set vlanId to its network's VLAN (1–4094)`,
        );
      }
      if (nic.firewall !== true) {
        reportViolation(
          `${where} has firewall ${nic.firewall === undefined ? "unset" : JSON.stringify(nic.firewall)}, so the zone's security group never applies: set firewall: true`,
        );
      }
    }
  },
};
