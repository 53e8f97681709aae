/**
 * GPU passthrough: a cluster PCI mapping per GPU node, and the ROM file for GPUs that expose no VBIOS.
 *
 * Proxmox checks a mapping against the real device when a VM that uses it starts: vendor:device id,
 * subsystem id and IOMMU group of function .0 must match, or the start fails (pve-guest-common
 * src/PVE/Mapping/PCI.pm `assert_valid`, called from qemu-server src/PVE/QemuServer/PCI.pm
 * `parse_hostpci`). A path without a function maps the whole device, every function.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { GpuArgs } from "./args";
import { gpuMismatches } from "./gpuCheck";

export function gpuMappingName(node: string): string {
  return `fortress-gpu-${node}`;
}

export function gpuMapping(
  resourceName: string,
  node: string,
  gpu: GpuArgs,
  opts: pulumi.CustomResourceOptions,
): proxmoxve.hardware.mapping.Pci {
  return new proxmoxve.hardware.mapping.Pci(
    resourceName,
    {
      name: gpuMappingName(node),
      comment: "GPU passthrough, managed by Fortress",
      maps: [
        {
          node,
          id: gpu.id,
          subsystemId: gpu.subsystemId,
          iommuGroup: gpu.iommuGroup,
          path: gpu.path,
        },
      ],
    },
    opts,
  );
}

/** The hostpci entry the VM is created with; `romfile` is added over SSH (see `gpuRomFile`). */
export function gpuHostpci(mappingName: pulumi.Input<string>): proxmoxve.types.input.VmLegacyHostpci {
  return { device: "hostpci0", mapping: mappingName, pcie: true, rombar: true };
}

export interface GpuRomArgs {
  readonly vmName: string;
  readonly vmId: pulumi.Input<number>;
  readonly mappingName: pulumi.Input<string>;
  readonly romFile: string;
  readonly ssh: {
    readonly host: string;
    readonly user: string;
    readonly privateKey: pulumi.Input<string>;
    /** The node's SSH host key line, pinned: pulumi-command ignores the host key when none is given. */
    readonly hostKey: string;
  };
}

/**
 * Proxmox lets only root@pam set `romfile` (qemu-server src/PVE/API2/Qemu.pm `check_hostpci_perm`),
 * and an API token is never root@pam, so the API cannot. This sets it with `qm set` as the SSH user
 * (root, as for snippets) and cold-starts the VM so that it boots with the ROM; the VM ignores
 * changes to its hostpci list, or the next `pulumi up` would take the ROM away again.
 */
export function gpuRomFile(args: GpuRomArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const rom = `/usr/share/kvm/${args.romFile}`;
  const create = pulumi.interpolate`set -eu
test -f ${rom} || { echo "${rom} is missing on this node: copy the GPU's VBIOS there (README, GPU host setup)" >&2; exit 1; }
qm set ${args.vmId} --hostpci0 mapping=${args.mappingName},pcie=1,rombar=1,romfile=${args.romFile}
if qm status ${args.vmId} | grep -q running; then qm stop ${args.vmId} && qm start ${args.vmId}; fi`;
  return new command.remote.Command(
    `${args.vmName}-gpu-rom`,
    {
      connection: {
        host: args.ssh.host,
        user: args.ssh.user,
        privateKey: pulumi.secret(args.ssh.privateKey),
        hostKey: args.ssh.hostKey,
      },
      create,
      logging: "none",
      triggers: [args.vmId, args.mappingName, args.romFile],
    },
    opts,
  );
}

/**
 * Reads the device from the node at preview and warns, naming the config key, where the mapping
 * will not match it. A warning, not an error: the GPU VM is outside the hypervisor's barrier, and a
 * wrong value must not stop the rest of the lab. Needs Sys.Audit on / (pve-manager
 * PVE/API2/Hardware/PCI.pm).
 */
export function warnOnGpuMismatch(
  node: string,
  gpu: GpuArgs,
  opts: { provider: pulumi.ProviderResource; parent: pulumi.Resource },
): void {
  proxmoxve.hardware
    .getPciOutput({ nodeName: node, pciClassBlacklists: [], filters: { id: gpu.path } }, opts)
    .apply((result) => {
      // Without a node to ask (the offline plan's mocks echo the arguments) there is nothing to compare.
      if (!Array.isArray(result.devices)) return;
      for (const problem of gpuMismatches(node, gpu, result.devices))
        void pulumi.log.warn(problem, opts.parent);
    });
}
