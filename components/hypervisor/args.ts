import type * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type { ProxmoxConnectionArgs } from "../proxmox/provider";

export type { ProxmoxConnectionArgs };

export interface NodeCapacity {
  /** vCPUs the VMs may have in all, after overcommit. */
  readonly cores: number;
  readonly memoryGb: number;
  readonly diskGb: number;
}

/** A GPU as Proxmox's PCI mapping checks it (all from function .0), and its optional VBIOS file. */
export interface GpuArgs {
  /** vendor:device, lower-case hex. */
  readonly id: string;
  readonly subsystemId: string;
  readonly iommuGroup: number;
  /** The whole device without its function, e.g. 0000:01:00: every function passes through. */
  readonly path: string;
  /** A file under /usr/share/kvm/ on the node. */
  readonly romFile?: string;
}

export interface HypervisorNodeArgs {
  /** The Proxmox node name. */
  readonly name: string;
  /** Its management address, for SSH. */
  readonly address: string;
  readonly gpu?: GpuArgs;
  /** What VMs may use on the node, the reserve for Proxmox already taken off; recorded for the policy pack. */
  readonly capacity: NodeCapacity;
}

export interface CloudImageArgs {
  readonly url: string;
  readonly fileName: string;
  readonly checksum: string;
  readonly checksumAlgorithm: string;
}

export interface VmNicArgs {
  readonly vlan: number;
  readonly address: string;
  readonly prefix: number;
  readonly gateway: string;
  readonly mac: string;
}

export interface HypervisorVmArgs {
  readonly name: string;
  readonly fqdn: string;
  /** The Proxmox node it runs on. */
  readonly node: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly diskGb: number;
  readonly dataDiskGb: number;
  /** Protected from destroy and covered by the backup job. */
  readonly stateful: boolean;
  /** Gets the node's GPU through its PCI mapping. */
  readonly gpu: boolean;
  /**
   * Gets a second NIC for traffic capture (net1, on a VLAN no network uses: vocabulary/capture.ts); every
   * VM on its node then carries the mirror's hookscript (capture.ts).
   */
  readonly captureNic?: boolean;
  readonly nic: VmNicArgs;
  /** The Proxmox security group of the VM's zone (network layer); with it, the VM's firewall drops all else. */
  readonly securityGroup?: string;
  /** Kernel parameters its cloud-init sets (the role's: `vm.max_map_count` for the indexer). */
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly description: string;
}

export interface GuestArgs {
  readonly domain: string;
  readonly timezone: string;
  readonly adminUser: string;
  readonly sshPublicKeys: readonly string[];
}

export interface BackupArgs {
  readonly storage: string;
  readonly schedule: string;
  readonly keepDaily: number;
  readonly keepWeekly: number;
}

export interface HypervisorArgs {
  /** The Proxmox provider the layers share (built once by the composition root). */
  readonly provider: proxmoxve.Provider;
  /** The nodes' SSH settings, for the commands Fortress runs on them (a GPU's ROM file). */
  readonly connection: ProxmoxConnectionArgs;
  readonly nodes: readonly HypervisorNodeArgs[];
  readonly pool: string;
  readonly bridge: string;
  readonly vmDatastore: string;
  readonly imageDatastore: string;
  readonly snippetDatastore: string;
  readonly image: CloudImageArgs;
  readonly backup: BackupArgs;
  readonly guest: GuestArgs;
  readonly vms: readonly HypervisorVmArgs[];
}
