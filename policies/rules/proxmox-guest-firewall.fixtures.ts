import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { PROXMOX_FIREWALL_TYPES } from "../../vocabulary/proxmoxTypes";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

export const datacenter = (enabled: unknown = true) =>
  planResource(PROXMOX_FIREWALL_TYPES.datacenter, "datacenter-firewall", {
    enabled,
    inputPolicy: "ACCEPT",
  });

export const guestVm = (name = "k3s-server-1", vmId = 106, type = pulumiTypeOf(proxmoxve.VmLegacy)) =>
  planResource(type, name, {
    name,
    nodeName: "pve1",
    vmId,
    networkDevices: [{ bridge: "vmbr0", vlanId: 20, firewall: true }],
  });

export const guestOptions = (guest: PlanResource, inputs: Record<string, unknown> = {}) =>
  planResource(
    PROXMOX_FIREWALL_TYPES.guestOptions,
    `${guest.name}-firewall`,
    { nodeName: "pve1", enabled: true, inputPolicy: "DROP", outputPolicy: "ACCEPT", ...inputs },
    { dependsOn: [guest] },
  );

export const groupRule = (rule: Record<string, unknown>) =>
  planResource(PROXMOX_FIREWALL_TYPES.securityGroup, "fz-servers", {
    name: "fz-servers",
    rules: [{ type: "in", action: "ACCEPT", source: "+fz-servers", dest: "+fz-servers", ...rule }],
  });

const vm = guestVm();

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "datacenter firewall on, the VM's options DROP, group rules from IP sets",
      resources: [datacenter(), vm, guestOptions(vm), groupRule({})],
    },
    {
      name: "a container whose options name its containerId",
      resources: [
        datacenter(),
        planResource(pulumiTypeOf(proxmoxve.ContainerLegacy), "ct", { nodeName: "pve1", vmId: 120 }),
        planResource(PROXMOX_FIREWALL_TYPES.guestOptions, "ct-fw", {
          nodeName: "pve1",
          containerId: 120,
          enabled: true,
          inputPolicy: "DROP",
        }),
      ],
    },
    {
      name: "the VM's input policy unset (Proxmox's default, DROP)",
      resources: [datacenter(), vm, guestOptions(vm, { inputPolicy: undefined })],
    },
    {
      name: "a group rule from an IP set with a nomatch entry (an exclusion from the set, not a negation)",
      resources: [
        planResource(PROXMOX_FIREWALL_TYPES.ipSet, "fz-servers-set", {
          name: "fz-servers",
          cidrs: [{ name: "10.10.20.0/24" }, { name: "10.10.20.9", nomatch: true }],
        }),
        groupRule({}),
      ],
    },
  ],
  failing: [
    { name: "the datacenter firewall off", resources: [datacenter(false), vm, guestOptions(vm)] },
    { name: "no datacenter firewall", resources: [vm, guestOptions(vm)] },
    { name: "a VM without firewall options", resources: [datacenter(), vm] },
    {
      name: "the VM's input policy ACCEPT",
      resources: [datacenter(), vm, guestOptions(vm, { inputPolicy: "ACCEPT" })],
    },
    { name: "a group rule accepting from anywhere", resources: [groupRule({ source: "0.0.0.0/0" })] },
  ],
};
