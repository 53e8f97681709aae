/** Maps the lab model onto the hypervisor component's args. */
import { Hypervisor, type HypervisorVmArgs } from "../../components/hypervisor";
import type { PlannedVm } from "../lab";
import { capacityOf } from "../placement";
import { proxmoxConnection } from "./connections";
import type { LayerBuild } from "./types";

function vmArgs(vm: PlannedVm, securityGroups: Readonly<Record<string, string>>): HypervisorVmArgs {
  return {
    name: vm.name,
    fqdn: vm.fqdn,
    node: vm.node.proxmoxNode,
    cores: vm.shape.cores,
    memoryGb: vm.shape.memoryGb,
    diskGb: vm.shape.diskGb,
    dataDiskGb: vm.shape.dataDiskGb,
    stateful: vm.role.stateful,
    gpu: vm.role.gpu === true,
    ...(vm.role.captureNic ? { captureNic: true } : {}),
    nic: {
      vlan: vm.networkConfig.vlan,
      address: vm.ip,
      prefix: vm.prefix,
      gateway: vm.networkConfig.gateway,
      mac: vm.mac,
    },
    tags: vm.role.tags,
    ...(vm.role.sysctls ? { sysctls: vm.role.sysctls } : {}),
    ...(securityGroups[vm.networkConfig.name]
      ? { securityGroup: securityGroups[vm.networkConfig.name] }
      : {}),
    description: `Fortress ${vm.role.name} for ${vm.services.join(", ")}`,
  };
}

export const buildHypervisor: LayerBuild<"hypervisor", "network"> = (inputs, opts) => {
  const { lab } = inputs;
  const { securityGroups } = inputs.upstream.network;
  const { config } = lab;
  const { proxmox } = config;
  return new Hypervisor(
    "hypervisor",
    {
      provider: inputs.shared.proxmox(),
      connection: proxmoxConnection(inputs),
      nodes: config.nodes.map((node) => ({
        name: node.proxmoxNode,
        address: node.address,
        ...(node.gpu ? { gpu: node.gpu } : {}),
        capacity: capacityOf(node, config.lab),
      })),
      pool: proxmox.pool,
      bridge: proxmox.bridge,
      vmDatastore: proxmox.vmDatastore,
      imageDatastore: proxmox.imageDatastore,
      snippetDatastore: proxmox.snippetDatastore,
      image: proxmox.image,
      backup: proxmox.backup,
      guest: {
        domain: config.lab.domain,
        timezone: config.lab.timezone,
        adminUser: config.lab.adminUser,
        sshPublicKeys: [config.lab.adminSshPublicKey],
      },
      vms: lab.vms.map((vm) => vmArgs(vm, securityGroups)),
    },
    opts,
  );
};
