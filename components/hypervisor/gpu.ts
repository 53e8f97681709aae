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
import { romRemoveScript, romSetScript } from "./gpuRom";
import type { VmChildName } from "./names";

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
 * Sets `romfile` over SSH as root, which an API token cannot (gpuRom.ts), and restarts the VM so
 * that it boots with the ROM; its delete takes the ROM off again, so that the token can manage the
 * VM's hostpci entry once more. The VM ignores changes to its hostpci list meanwhile, or the next
 * `pulumi up` would try to take the ROM away through the API.
 */
export function gpuRomFile(
  resource: VmChildName,
  args: GpuRomArgs,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const scripts = pulumi.all([args.vmId, args.mappingName]).apply(([vmId, mappingName]) => {
    const rom = { vmId, mappingName, romFile: args.romFile };
    return { create: romSetScript(rom), delete: romRemoveScript(rom) };
  });
  return new command.remote.Command(
    resource.name,
    {
      connection: {
        host: args.ssh.host,
        user: args.ssh.user,
        privateKey: pulumi.secret(args.ssh.privateKey),
        hostKey: args.ssh.hostKey,
      },
      create: scripts.create,
      delete: scripts.delete,
      logging: "none",
      triggers: [args.vmId, args.mappingName, args.romFile],
    },
    // Created first, a new ROM would be set and then taken off again by the old one's delete.
    { ...opts, aliases: resource.aliases, deleteBeforeReplace: true },
  );
}

/**
 * Reads the device from the node at preview and warns, naming the config key, where the mapping
 * will not match it. Warnings, not errors, also when the node cannot be asked (unreachable, or a
 * token without Sys.Audit on /, which `GET /nodes/{node}/hardware/pci` needs: pve-manager
 * PVE/API2/Hardware/PCI.pm): the GPU VM is outside the hypervisor's barrier, and neither a wrong
 * value nor a check that cannot run may stop the rest of the lab.
 */
export function warnOnGpuMismatch(
  node: string,
  gpu: GpuArgs,
  opts: { provider: pulumi.ProviderResource; parent: pulumi.Resource },
): void {
  void proxmoxve.hardware
    .getPci({ nodeName: node, pciClassBlacklists: [], filters: { id: gpu.path } }, opts)
    .then(
      (result) => {
        // Without a node to ask (the offline plan's mocks echo the arguments) there is nothing to compare.
        if (!Array.isArray(result.devices)) return;
        for (const problem of gpuMismatches(node, gpu, result.devices))
          void pulumi.log.warn(problem, opts.parent);
      },
      (error: unknown) =>
        void pulumi.log.warn(
          `could not read the GPU of ${node} from Proxmox (${error instanceof Error ? error.message : String(error)}): ` +
            `check that ${node} is up and reachable at fortress:proxmox.endpoint, and that the API token ` +
            `(fortress:proxmoxApiToken) has Sys.Audit on /; the GPU settings (fortress:nodes, gpu) are not checked ` +
            `against the device until then`,
          opts.parent,
        ),
    );
}
