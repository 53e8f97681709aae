import type { ResourceValidationPolicy } from "@pulumi/policy";
import { VM_TYPE } from "../lib/resources";

interface Nic {
  bridge?: string;
  vlanId?: unknown;
  firewall?: unknown;
}

const validVlan = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 4094;

export const proxmoxVmNic: ResourceValidationPolicy = {
  name: "proxmox-vm-nic",
  description: "Every Proxmox VM NIC is tagged with a VLAN and has the Proxmox firewall on.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== VM_TYPE) return;
    const nics = (args.props.networkDevices ?? []) as Nic[];
    const vm = typeof args.props.name === "string" ? args.props.name : args.name;
    nics.forEach((nic, index) => {
      const where = `VM ${vm} net${index}${nic.bridge ? ` on ${nic.bridge}` : ""}`;
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
    });
  },
};
