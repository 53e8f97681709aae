/** Reading Proxmox VMs as policies see them: what a VM asks of its node and of the network. */
import type { PolicyResource } from "@pulumi/policy";

/** Proxmox's defaults for what a VM leaves out (cpu.cores, cpu.sockets, memory.dedicated, disks[].size). */
export const VM_DEFAULTS = { cores: 1, sockets: 1, memoryMb: 512, diskGb: 8 } as const;

/** What a VM asks of its node and of the network, read from its inputs. */
export interface VmFacts {
  /** The guest's name (`inputs.name`), else the resource's name. */
  readonly name: string;
  readonly nodeName: string | undefined;
  /** vCPUs: cores × sockets. */
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly diskGb: number;
  /** The first NIC's VLAN tag and MAC address. */
  readonly vlanId: number | undefined;
  readonly macAddress: string | undefined;
  readonly hasNic: boolean;
}

interface VmInputs {
  name?: string;
  nodeName?: string;
  cpu?: { cores?: number; sockets?: number };
  memory?: { dedicated?: number };
  disks?: { size?: number }[];
  networkDevices?: { vlanId?: number; macAddress?: string }[];
}

const numberOr = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);
const stringOr = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

export function vmFacts(resource: Pick<PolicyResource, "name" | "props">): VmFacts {
  const inputs = resource.props as VmInputs;
  const nic = inputs.networkDevices?.[0];
  return {
    name: stringOr(inputs.name) ?? resource.name,
    nodeName: stringOr(inputs.nodeName),
    vcpus:
      numberOr(inputs.cpu?.cores, VM_DEFAULTS.cores) * numberOr(inputs.cpu?.sockets, VM_DEFAULTS.sockets),
    memoryMb: numberOr(inputs.memory?.dedicated, VM_DEFAULTS.memoryMb),
    diskGb: (inputs.disks ?? []).reduce((sum, disk) => sum + numberOr(disk.size, VM_DEFAULTS.diskGb), 0),
    vlanId: typeof nic?.vlanId === "number" ? nic.vlanId : undefined,
    macAddress: stringOr(nic?.macAddress),
    hasNic: nic !== undefined,
  };
}
