/**
 * Compares a configured GPU with the device the node reports (`GET /nodes/{node}/hardware/pci`, as
 * the provider's `hardware.getPci` returns it), field by field as Proxmox will when the VM starts
 * (pve-guest-common src/PVE/Mapping/PCI.pm `assert_valid`: function .0 of a whole-device path; ids
 * compared without `0x`). Each mismatch is one sentence naming the config key and the value to give.
 */
import type { GpuArgs } from "./args";

/** The fields of a `hardware.getPci` device this check reads. */
export interface PciDeviceFacts {
  /** `0000:01:00.0` */
  readonly id: string;
  /** `0x10de` */
  readonly vendor: string;
  readonly device: string;
  readonly subsystemVendor: string;
  readonly subsystemDevice: string;
  /** -1 when the device is in no IOMMU group. */
  readonly iommuGroup: number;
}

const hex = (value: string) => value.toLowerCase().replace(/^0x/, "");

export function gpuMismatches(node: string, gpu: GpuArgs, devices: readonly PciDeviceFacts[]): string[] {
  const address = `${gpu.path}.0`;
  const where = `the GPU of ${node} (fortress:nodes, gpu)`;
  const device = devices.find((candidate) => candidate.id === address);
  if (!device) {
    return [`${where}: ${node} has no PCI device at ${address}; set gpu.path from \`lspci -nn\` on the node`];
  }
  const problems: string[] = [];
  const id = `${hex(device.vendor)}:${hex(device.device)}`;
  if (id !== gpu.id) problems.push(`${where}: gpu.id is ${gpu.id}, the device at ${address} is ${id}`);
  const subsystemId = `${hex(device.subsystemVendor)}:${hex(device.subsystemDevice)}`;
  if (subsystemId !== gpu.subsystemId)
    problems.push(
      `${where}: gpu.subsystemId is ${gpu.subsystemId}, the device at ${address} has ${subsystemId}`,
    );
  if (device.iommuGroup < 0) {
    problems.push(
      `${where}: ${address} is in no IOMMU group; turn on VT-d/AMD-Vi and the IOMMU (README, GPU host setup)`,
    );
  } else if (device.iommuGroup !== gpu.iommuGroup) {
    problems.push(
      `${where}: gpu.iommuGroup is ${gpu.iommuGroup}, the device at ${address} is in group ${device.iommuGroup}`,
    );
  }
  return problems.map((problem) => `${problem}: Proxmox will not start the GPU VM until they match`);
}
