/** Connection settings several layers share, built once from the lab config. */
import type { FirewallRef } from "../../components/opnsense/provider";
import type { ProxmoxConnectionArgs } from "../../components/proxmox/provider";
import type { SshHost } from "../../components/siem/contract";
import type { PlannedVm } from "../lab";
import type { LayerInputs } from "./types";

export function proxmoxConnection({
  lab,
  secrets,
}: Pick<LayerInputs, "lab" | "secrets">): ProxmoxConnectionArgs {
  const { proxmox, nodes } = lab.config;
  return {
    endpoint: proxmox.endpoint,
    apiToken: secrets.proxmoxApiToken,
    insecure: proxmox.insecure,
    sshUser: proxmox.sshUser,
    sshPrivateKey: secrets.sshPrivateKey,
    nodes: nodes.map((node) => ({
      name: node.proxmoxNode,
      address: node.address,
      sshHostKey: node.sshHostKey,
    })),
  };
}

/** The firewall a layer's OPNsense resources live on; the API key and secret are not in it. */
export function firewallRef({ lab }: LayerInputs): FirewallRef {
  const opnsense = lab.config.opnsense;
  if (!opnsense) throw new Error("internal: the network layers are built without fortress:opnsense");
  return {
    url: opnsense.url,
    insecure: opnsense.insecure,
    ...(opnsense.caCert ? { caCert: opnsense.caCert } : {}),
  };
}

/** A planned VM as an SSH target: its address and name, the host key the hypervisor layer pinned, the lab's admin. */
export function vmSshHost(
  inputs: Pick<LayerInputs<"hypervisor">, "lab" | "secrets" | "upstream">,
  vm: PlannedVm,
): SshHost {
  const machine = inputs.upstream.hypervisor.vms[vm.name];
  if (!machine) throw new Error(`internal: the hypervisor layer has no VM ${vm.name}`);
  return {
    name: vm.name,
    address: vm.ip,
    fqdn: vm.fqdn,
    hostKey: machine.hostKey,
    user: inputs.lab.config.lab.adminUser,
    privateKey: inputs.secrets.sshPrivateKey,
  };
}
