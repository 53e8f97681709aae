import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { VM_TYPE } from "../lib/resources";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

export const vmWithNics = (name: string, networkDevices: readonly Record<string, unknown>[]) =>
  planResource(VM_TYPE, name, { name, nodeName: "pve1", networkDevices });

const nic = { bridge: "vmbr0", model: "virtio", macAddress: "02:73:3D:E7:81:05", vlanId: 20, firewall: true };

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "a tagged NIC behind the firewall", resources: [vmWithNics("k3s-server-1", [nic])] },
    {
      name: "two NICs on two VLANs, and a VM without NICs",
      resources: [vmWithNics("zeek-1", [nic, { ...nic, vlanId: 30 }]), vmWithNics("offline", [])],
    },
  ],
  failing: [
    { name: "an untagged NIC", resources: [vmWithNics("flat", [{ ...nic, vlanId: undefined }])] },
    { name: "the firewall left off", resources: [vmWithNics("open", [{ ...nic, firewall: false }])] },
    {
      name: "a container NIC with the firewall off",
      resources: [
        planResource(pulumiTypeOf(proxmoxve.ContainerLegacy), "ct", {
          networkInterfaces: [{ name: "eth0", bridge: "vmbr0", vlanId: 20, firewall: false }],
        }),
      ],
    },
    {
      name: "the second NIC untagged",
      resources: [vmWithNics("dual", [nic, { bridge: "vmbr1", firewall: true }])],
    },
  ],
};
