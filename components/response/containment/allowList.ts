/**
 * The addresses containment must never touch, computed from the plan: cutting one of them off would
 * cut the lab's own control off (the admins, the firewall, the hypervisors, the cluster, the SIEM that
 * does the containing, the machine running Pulumi). fortress-contain refuses them (and logs the
 * refusal), whoever asks: the active response, the responder, the playbook or a person. Pure.
 */

export interface AllowEntry {
  /** A network or a host (`/32`). */
  readonly cidr: string;
  /** Why it is never contained, for the refusal's message. */
  readonly why: string;
}

export interface AllowListInput {
  readonly networks: readonly {
    readonly name: string;
    readonly cidr: string;
    readonly gateway: string;
    readonly purpose: string;
  }[];
  readonly nodes: readonly { readonly name: string; readonly address: string }[];
  readonly vms: readonly { readonly name: string; readonly ip: string; readonly role: string }[];
  /** Roles whose VMs are never contained, with why: the k3s servers, the Wazuh manager, the indexer's nodes. */
  readonly protectedRoles: Readonly<Record<string, string>>;
  /** The firewall's other addresses (its WAN, its API address when not a gateway). */
  readonly firewallAddresses?: readonly string[];
  /** The machine running Pulumi, when it is not on the management network (a config value). */
  readonly pulumiHost?: string;
}

const host = (address: string) => (address.includes("/") ? address : `${address}/32`);

export function containmentAllowList(input: AllowListInput): AllowEntry[] {
  const managements = input.networks.filter((network) => network.purpose === "management");
  if (managements.length === 0)
    throw new Error("no management network: the allow-list would not hold the admins");
  const entries: AllowEntry[] = [
    ...managements.map((network) => ({
      cidr: network.cidr,
      why: `the management network ${network.name} (admins and the machine running Pulumi)`,
    })),
    ...input.networks.map((network) => ({
      cidr: host(network.gateway),
      why: `the firewall (its address on ${network.name})`,
    })),
    ...(input.firewallAddresses ?? []).map((address) => ({ cidr: host(address), why: "the firewall" })),
    ...input.nodes.map((node) => ({ cidr: host(node.address), why: `the Proxmox node ${node.name}` })),
    ...input.vms
      .filter((vm) => input.protectedRoles[vm.role] !== undefined)
      .map((vm) => ({ cidr: host(vm.ip), why: `${vm.name}: ${input.protectedRoles[vm.role]}` })),
    ...(input.pulumiHost ? [{ cidr: host(input.pulumiHost), why: "the machine running Pulumi" }] : []),
  ];
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.cidr) && seen.add(entry.cidr) !== undefined);
}
