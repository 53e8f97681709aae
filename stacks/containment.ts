/**
 * What the containment needs from the lab, derived once (pure): the allow-list (never contained: the
 * management network, the firewall's addresses, the Proxmox nodes, the k3s servers, the Wazuh manager
 * and the indexer's nodes; the machine running Pulumi sits on the management network), the lab's
 * networks (internal) and its servers networks (never contained on a network alert alone), the scan
 * target of each network (the rescan), and how long an automatic containment holds.
 */
import type { AllowEntry } from "../components/response/containment/allowList";
import { containmentAllowList } from "../components/response/containment/allowList";
import { K3S_POOL_ROLES, K3S_SERVER_ROLE } from "./catalog";
import { MANAGER_ROLE } from "./enrollment";
import type { LabModel } from "./lab";
import { scanTargets } from "./scanTargets";

export interface ContainmentPlan {
  readonly allow: readonly AllowEntry[];
  readonly internal: readonly string[];
  readonly servers: readonly string[];
  /** The scan target whose network holds each CIDR (stacks/scanTargets.ts): CIDR → target name. */
  readonly rescanTargets: Readonly<Record<string, string>>;
  /** Seconds an automatic containment holds; 0: until a person releases it. */
  readonly releaseAfter: number;
}

export function containmentPlan(lab: LabModel): ContainmentPlan {
  const { networks } = lab.config;
  const allow = containmentAllowList({
    networks: networks.map((network) => ({
      name: network.name,
      cidr: network.cidr,
      gateway: network.gateway,
      purpose: network.purpose,
    })),
    nodes: lab.config.nodes.map((node) => ({ name: node.name, address: node.address })),
    vms: lab.vms.map((vm) => ({ name: vm.name, ip: vm.ip, role: vm.role.name })),
    protectedRoles: {
      [K3S_SERVER_ROLE]: "a k3s server (the cluster's control plane and ingress)",
      [MANAGER_ROLE]: "the Wazuh manager (the SIEM and the containment itself)",
      [K3S_POOL_ROLES.indexer]: "the Wazuh indexer's node",
      // With Cortex's responder they call the firewall's API (stacks/hostFlows.ts firewallApiClients),
      // and a contained one would cut Cortex off from releasing anyone: never contained either.
      ...(lab.config.services.includes("cortex")
        ? { [K3S_POOL_ROLES.general]: "a general k3s agent (the cluster's workloads, Cortex's responder)" }
        : {}),
    },
  });
  const rescanTargets: Record<string, string> = {};
  for (const target of scanTargets(lab)) for (const cidr of target.hosts) rescanTargets[cidr] = target.name;
  return {
    allow,
    internal: networks.map((network) => network.cidr),
    servers: networks.filter((network) => network.purpose === "servers").map((network) => network.cidr),
    rescanTargets,
    releaseAfter: (lab.config.response?.containment.releaseAfterHours ?? 24) * 3600,
  };
}
