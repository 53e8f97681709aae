import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { HYPERVISOR_TYPE, VM_TYPE, resourcesByType, vmFacts } from "../lib/resources";

/** A node as the Hypervisor component records it: capacity is already after the reserve and CPU overcommit. */
interface DeclaredNode {
  readonly name?: string;
  readonly capacity?: { readonly cores?: number; readonly memoryGb?: number; readonly diskGb?: number };
}

interface NodeLoad {
  readonly name: string;
  readonly declaredBy: PolicyResource;
  readonly cores: number;
  readonly memoryMb: number;
  readonly diskGb: number;
  vcpus: number;
  memoryUsedMb: number;
  diskUsedGb: number;
  readonly vms: string[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Collects the declared nodes of every Hypervisor component; a node declared twice keeps its first capacity. */
function declaredNodes(hypervisors: readonly PolicyResource[]): Map<string, NodeLoad> {
  const nodes = new Map<string, NodeLoad>();
  for (const hypervisor of hypervisors) {
    const declared = (hypervisor.props as { nodes?: DeclaredNode[] }).nodes;
    for (const node of Array.isArray(declared) ? declared : []) {
      if (typeof node.name !== "string" || nodes.has(node.name)) continue;
      nodes.set(node.name, {
        name: node.name,
        declaredBy: hypervisor,
        cores: node.capacity?.cores ?? 0,
        memoryMb: (node.capacity?.memoryGb ?? 0) * 1024,
        diskGb: node.capacity?.diskGb ?? 0,
        vcpus: 0,
        memoryUsedMb: 0,
        diskUsedGb: 0,
        vms: [],
      });
    }
  }
  return nodes;
}

/** The capacities a node's VMs exceed, as "<what> <used> of <capacity>". */
function excess(node: NodeLoad): string[] {
  const over: string[] = [];
  if (node.vcpus > node.cores) over.push(`vCPUs ${node.vcpus} of ${node.cores}`);
  if (node.memoryUsedMb > node.memoryMb)
    over.push(`RAM ${round(node.memoryUsedMb / 1024)} GB of ${round(node.memoryMb / 1024)} GB`);
  if (node.diskUsedGb > node.diskGb) over.push(`disk ${round(node.diskUsedGb)} GB of ${node.diskGb} GB`);
  return over;
}

export const nodeCapacity: StackValidationPolicy = {
  name: "node-capacity",
  description:
    "On every Proxmox node the VMs' vCPUs, RAM and disk fit the node's capacity after the reserve, and every VM is on a declared node.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const byType = resourcesByType(args.resources);
    const hypervisors = byType.get(HYPERVISOR_TYPE) ?? [];
    if (hypervisors.length === 0)
      args.notApplicable("no fortress:hypervisor:Hypervisor component in the stack");
    const nodes = declaredNodes(hypervisors);
    const declared = [...nodes.keys()].join(", ") || "none";

    for (const vm of byType.get(VM_TYPE) ?? []) {
      const facts = vmFacts(vm);
      const node = facts.nodeName === undefined ? undefined : nodes.get(facts.nodeName);
      if (!node) {
        reportViolation(
          facts.nodeName === undefined
            ? `VM ${facts.name} has no nodeName: place it on a declared node (${declared})`
            : `VM ${facts.name} is on node "${facts.nodeName}", which is not declared in fortress:nodes (declared: ${declared}): declare the node or move the VM`,
          vm.urn,
        );
        continue;
      }
      node.vcpus += facts.vcpus;
      node.memoryUsedMb += facts.memoryMb;
      node.diskUsedGb += facts.diskGb;
      node.vms.push(facts.name);
    }

    for (const node of nodes.values()) {
      const over = excess(node);
      if (over.length === 0) continue;
      reportViolation(
        `node ${node.name} is over its capacity after the reserve: ${over.join(", ")} (VMs: ${node.vms.join(", ")}): move a VM to another node, shrink one, or disable a service`,
        node.declaredBy.urn,
      );
    }
  },
};
