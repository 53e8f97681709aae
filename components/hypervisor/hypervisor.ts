/**
 * The hypervisor layer, on the Proxmox provider the layers share: a resource pool, the cloud image once per
 * node, a PCI mapping for each GPU, one VM per planned VM with cloud-init user-data, and a backup
 * job for the VMs that hold state. GPU VMs are outside the layer's barrier (`barrierWaitsFor`): a
 * GPU that Proxmox refuses to pass through must not hold back the layers that need only the rest.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { renderUserData } from "../cloud-init/userData";
import type { HypervisorArgs, HypervisorVmArgs } from "./args";
import { captureHooks, captureNetworkDevice, captureNodes } from "./capture";
import { gpuHostpci, gpuMapping, gpuRomFile, warnOnGpuMismatch } from "./gpu";
import { vmChildName, type VmChildName } from "./names";
import { snippetFileId, userDataSnippet } from "./snippet";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const HYPERVISOR_TYPE = COMPONENT_TYPES.hypervisor;

const DATA_DISK_SLOT = 1;

export interface HypervisorVmOutputs {
  readonly vmId: pulumi.Output<number>;
  readonly node: string;
  readonly address: string;
  readonly fqdn: string;
  /** The VM's SSH host public key (`ssh-ed25519 AAAA…`), generated here: every SSH connection pins it. */
  readonly hostKey: pulumi.Output<string>;
}

export class Hypervisor extends pulumi.ComponentResource {
  readonly provider: proxmoxve.Provider;
  readonly poolId: pulumi.Output<string>;
  /** Per VM name: its Proxmox id, node and static address. */
  readonly vms: Readonly<Record<string, HypervisorVmOutputs>>;
  /** Rendered user-data per VM name, as uploaded: secret, since it carries the VM's SSH host key. */
  readonly userData: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * What the layer's barrier waits for: every resource but the GPU VMs and what only they use.
   * Downstream layers wait for these; whatever needs a GPU VM depends on it in `gpuVms` directly.
   */
  readonly barrierWaitsFor: readonly pulumi.Resource[];
  /** The VMs that get a GPU, by VM name, outside the barrier. */
  readonly gpuVms: Readonly<Record<string, proxmoxve.VmLegacy>>;
  /**
   * Per GPU VM, what its users (the GPU agent's join) wait for: the VM, and the command that sets
   * its ROM file and restarts it, where there is one.
   */
  readonly gpuReady: Readonly<Record<string, readonly pulumi.Resource[]>>;
  /** The name of what it makes for one VM: `<component>-<vm>-<what>`, aliased to `<vm>-<what>`. */
  private readonly vmChild: (vm: string, what: string) => VmChildName;

  constructor(name: string, args: HypervisorArgs, opts?: pulumi.ComponentResourceOptions) {
    // Recorded in the state (plain, no secret) so that the policy pack can check capacity.
    super(
      HYPERVISOR_TYPE,
      name,
      { nodes: args.nodes.map((node) => ({ name: node.name, capacity: node.capacity })) },
      opts,
    );

    this.provider = args.provider;
    this.vmChild = (vm, what) => vmChildName(name, vm, what);
    const resourceOpts = { parent: this, provider: this.provider };

    const pool = new proxmoxve.PoolLegacy(
      `${name}-pool`,
      { poolId: args.pool, comment: "Managed by Fortress" },
      resourceOpts,
    );
    this.poolId = pool.poolId;
    const images = this.downloadImages(name, args, resourceOpts);
    const gpuMappings = this.mapGpus(name, args, resourceOpts);

    const vms: Record<string, HypervisorVmOutputs> = {};
    const userData: Record<string, pulumi.Output<string>> = {};
    const statefulVms: proxmoxve.VmLegacy[] = [];
    const gpuVms: Record<string, proxmoxve.VmLegacy> = {};
    const gpuReady: Record<string, pulumi.Resource[]> = {};
    const required: pulumi.Resource[] = [pool, ...images.values()];
    const hooked = captureNodes(args.vms);
    const machines: { node: string; machine: proxmoxve.VmLegacy }[] = [];
    for (const vm of args.vms) {
      const image = images.get(vm.node);
      if (!image) throw new Error(`internal: no image on ${vm.node}`);
      const mapping = vm.gpu ? gpuMappings.get(vm.node) : undefined;
      if (vm.gpu && !mapping)
        throw new Error(`VM ${vm.name} needs a GPU but node ${vm.node} has no GPU mapping`);
      const built = this.buildVm(vm, args, { image, poolId: pool.poolId, gpuMapping: mapping, resourceOpts });
      userData[vm.name] = built.userData;
      machines.push({ node: vm.node, machine: built.machine });
      if (vm.stateful) statefulVms.push(built.machine);
      if (built.gpuReady) {
        gpuVms[vm.name] = built.machine;
        gpuReady[vm.name] = built.gpuReady;
      } else {
        required.push(built.snippet, built.machine, ...built.guards);
      }
      vms[vm.name] = built.outputs;
    }
    this.vms = vms;
    this.userData = userData;
    this.gpuVms = gpuVms;
    this.gpuReady = gpuReady;

    // No catalog role is both GPU and stateful; one that were would hold the barrier through this job.
    if (statefulVms.length > 0) required.push(this.backUpState(name, args, statefulVms, resourceOpts));
    for (const node of hooked) {
      const opts = { parent: this, provider: this.provider };
      required.push(...captureHooks(`${name}-capture-hook-${node}`, node, machines, args, opts));
    }
    this.barrierWaitsFor = required;

    this.registerOutputs({ poolId: this.poolId, vms: this.vms });
  }

  /** The cloud image, once per node that runs a VM. */
  private downloadImages(
    name: string,
    args: HypervisorArgs,
    opts: pulumi.CustomResourceOptions,
  ): Map<string, proxmoxve.download.File> {
    const usedNodes = [...new Set(args.vms.map((vm) => vm.node))].sort();
    return new Map(
      usedNodes.map((node) => [
        node,
        new proxmoxve.download.File(
          `${name}-image-${node}`,
          {
            nodeName: node,
            contentType: "import",
            datastoreId: args.imageDatastore,
            url: args.image.url,
            fileName: args.image.fileName,
            checksum: args.image.checksum,
            checksumAlgorithm: args.image.checksumAlgorithm,
            verify: true,
            overwrite: false,
          },
          opts,
        ),
      ]),
    );
  }

  /** A PCI mapping per GPU node, and a warning where a GPU VM's node does not match its GPU. */
  private mapGpus(
    name: string,
    args: HypervisorArgs,
    opts: pulumi.CustomResourceOptions,
  ): Map<string, proxmoxve.hardware.mapping.Pci> {
    const gpuNodes = args.nodes.flatMap((node) => (node.gpu ? [{ ...node, gpu: node.gpu }] : []));
    const gpuMappings = new Map(
      gpuNodes.map((node) => [node.name, gpuMapping(`${name}-gpu-${node.name}`, node.name, node.gpu, opts)]),
    );
    for (const node of gpuNodes) {
      if (args.vms.some((vm) => vm.gpu && vm.node === node.name))
        warnOnGpuMismatch(node.name, node.gpu, { provider: this.provider, parent: this });
    }
    return gpuMappings;
  }

  /**
   * One VM: its SSH host key, its user-data snippet, the VM, its firewall, and (a GPU VM with a ROM
   * file) the command that sets the ROM. `gpuReady` is set for a GPU VM only.
   */
  private buildVm(
    vm: HypervisorVmArgs,
    args: HypervisorArgs,
    refs: {
      image: proxmoxve.download.File;
      poolId: pulumi.Output<string>;
      gpuMapping: proxmoxve.hardware.mapping.Pci | undefined;
      resourceOpts: pulumi.CustomResourceOptions;
    },
  ): {
    outputs: HypervisorVmOutputs;
    userData: pulumi.Output<string>;
    snippet: pulumi.Resource;
    machine: proxmoxve.VmLegacy;
    guards: pulumi.Resource[];
    gpuReady?: pulumi.Resource[];
  } {
    // The VM's SSH host identity, made here so that the platform can pin it (no trust on first use).
    const keyName = this.vmChild(vm.name, "ssh-host-key");
    const hostKey = new tls.PrivateKey(
      keyName.name,
      { algorithm: "ED25519" },
      { parent: this, aliases: keyName.aliases },
    );
    const userData = pulumi.secret(
      pulumi.all([hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh]).apply(([privateKey, publicKey]) =>
        renderUserData({
          hostname: vm.name,
          fqdn: vm.fqdn,
          timezone: args.guest.timezone,
          adminUser: args.guest.adminUser,
          sshPublicKeys: args.guest.sshPublicKeys,
          ntpServers: [vm.nic.gateway],
          ...(vm.dataDiskGb > 0 ? { dataDiskSlot: DATA_DISK_SLOT } : {}),
          ...(vm.sysctls ? { sysctls: vm.sysctls } : {}),
          hostKey: { privateKey, publicKey },
        }),
      ),
    );
    const snippet = userDataSnippet(
      this.vmChild(vm.name, "user-data"),
      vm.name,
      vm.node,
      args.snippetDatastore,
      userData,
      refs.resourceOpts,
    );
    const romFile = vm.gpu ? args.nodes.find((node) => node.name === vm.node)?.gpu?.romFile : undefined;
    const machine = this.createVm(vm, args, {
      imageId: refs.image.id,
      // The snippet's id as a plain value, the order by dependsOn: see snippet.ts.
      userDataFileId: snippetFileId(args.snippetDatastore, vm.name),
      poolId: refs.poolId,
      gpuMappingName: refs.gpuMapping?.name,
      opts: {
        ...refs.resourceOpts,
        dependsOn: [snippet],
        protect: vm.stateful,
        // Its MAC, address and SSH host key are fixed: two copies must never run side by side.
        deleteBeforeReplace: true,
        // With a ROM file the hostpci entry, on a capture node the hookscript, is set over SSH.
        ignoreChanges: [
          ...(romFile ? ["hostpcis"] : []),
          ...(captureNodes(args.vms).has(vm.node) ? ["hookScriptFileId"] : []),
        ],
      },
    });
    const guards = vm.securityGroup ? this.guardVm(vm, vm.securityGroup, machine, refs.resourceOpts) : [];
    const outputs = {
      vmId: machine.vmId,
      node: vm.node,
      address: vm.nic.address,
      fqdn: vm.fqdn,
      hostKey: hostKey.publicKeyOpenssh,
    };
    const mapping = refs.gpuMapping;
    if (!mapping) return { outputs, userData, snippet, machine, guards };
    const gpuReady = [
      machine,
      ...(romFile ? [this.addRomFile(vm, machine, mapping.name, romFile, args)] : []),
    ];
    return { outputs, userData, snippet, machine, guards, gpuReady };
  }

  /** The backup job of the VMs that hold state. */
  private backUpState(
    name: string,
    args: HypervisorArgs,
    statefulVms: readonly proxmoxve.VmLegacy[],
    opts: pulumi.CustomResourceOptions,
  ): pulumi.Resource {
    return new proxmoxve.backup.Job(
      `${name}-state-backup`,
      {
        resourceId: "fortress-state",
        schedule: args.backup.schedule,
        storage: args.backup.storage,
        vmids: statefulVms.map((vm) => vm.vmId.apply((id) => String(id))),
        mode: "snapshot",
        compress: "zstd",
        enabled: true,
        pruneBackups: {
          "keep-daily": String(args.backup.keepDaily),
          "keep-weekly": String(args.backup.keepWeekly),
        },
        notesTemplate: "{{guestname}} (Fortress)",
      },
      { ...opts, protect: true },
    );
  }

  private addRomFile(
    vm: HypervisorVmArgs,
    machine: proxmoxve.VmLegacy,
    mappingName: pulumi.Input<string>,
    romFile: string,
    args: HypervisorArgs,
  ): pulumi.Resource {
    const node = args.connection.nodes.find((candidate) => candidate.name === vm.node);
    if (!node) throw new Error(`internal: no SSH address for node ${vm.node}`);
    return gpuRomFile(
      this.vmChild(vm.name, "gpu-rom"),
      {
        vmName: vm.name,
        vmId: machine.vmId,
        mappingName,
        romFile,
        ssh: {
          host: node.address,
          user: args.connection.sshUser,
          privateKey: args.connection.sshPrivateKey,
          hostKey: node.sshHostKey,
        },
      },
      { parent: this, dependsOn: [machine] },
    );
  }

  /** Defense in depth behind OPNsense: the zone's security group on the NIC, everything else dropped. */
  private guardVm(
    vm: HypervisorVmArgs,
    securityGroup: string,
    machine: proxmoxve.VmLegacy,
    opts: pulumi.CustomResourceOptions,
  ): pulumi.Resource[] {
    const target = { nodeName: vm.node, vmId: machine.vmId };
    const rules = this.vmChild(vm.name, "firewall-rules");
    const options = this.vmChild(vm.name, "firewall");
    return [
      new proxmoxve.firewall.RulesLegacy(
        rules.name,
        { ...target, rules: [{ securityGroup, iface: "net0", comment: "Fortress zone policy" }] },
        { ...opts, aliases: rules.aliases },
      ),
      new proxmoxve.firewall.OptionsLegacy(
        options.name,
        {
          ...target,
          enabled: true,
          inputPolicy: "DROP",
          outputPolicy: "ACCEPT",
          macfilter: true,
          dhcp: true,
        },
        { ...opts, aliases: options.aliases },
      ),
    ];
  }

  private createVm(
    vm: HypervisorVmArgs,
    args: HypervisorArgs,
    refs: {
      imageId: pulumi.Input<string>;
      userDataFileId: pulumi.Input<string>;
      poolId: pulumi.Input<string>;
      gpuMappingName: pulumi.Input<string> | undefined;
      opts: pulumi.CustomResourceOptions;
    },
  ): proxmoxve.VmLegacy {
    const disk = { datastoreId: args.vmDatastore, discard: "on", iothread: true, ssd: true };
    const gpuMappingName = refs.gpuMappingName;
    return new proxmoxve.VmLegacy(
      vm.name,
      {
        name: vm.name,
        nodeName: vm.node,
        poolId: refs.poolId,
        description: vm.description,
        tags: ["fortress", ...vm.tags],
        onBoot: true,
        started: true,
        protection: vm.stateful,
        agent: { enabled: true, trim: true },
        operatingSystem: { type: "l26" },
        cpu: { cores: vm.cores, type: "x86-64-v2-AES" },
        memory: { dedicated: Math.round(vm.memoryGb * 1024) },
        scsiHardware: "virtio-scsi-single",
        disks: [
          { ...disk, interface: "scsi0", importFrom: refs.imageId, size: vm.diskGb, backup: true },
          ...(vm.dataDiskGb > 0
            ? // A stateless VM's data disk is scratch (Zeek's logs go to the SIEM): left out of backups.
              [{ ...disk, interface: `scsi${DATA_DISK_SLOT}`, size: vm.dataDiskGb, backup: vm.stateful }]
            : []),
        ],
        networkDevices: [
          {
            bridge: args.bridge,
            vlanId: vm.nic.vlan,
            macAddress: vm.nic.mac,
            firewall: true,
            model: "virtio",
          },
          ...(vm.captureNic ? [captureNetworkDevice(args.bridge)] : []),
        ],
        initialization: {
          datastoreId: args.vmDatastore,
          ipConfigs: [{ ipv4: { address: `${vm.nic.address}/${vm.nic.prefix}`, gateway: vm.nic.gateway } }],
          dns: { domain: args.guest.domain, servers: [vm.nic.gateway] },
          userDataFileId: refs.userDataFileId,
        },
        ...(gpuMappingName !== undefined
          ? {
              machine: "q35",
              bios: "ovmf",
              efiDisk: { datastoreId: args.vmDatastore, type: "4m" },
              hostpcis: [gpuHostpci(gpuMappingName)],
            }
          : {}),
      },
      refs.opts,
    );
  }
}
