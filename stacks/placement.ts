/**
 * A deterministic placer: the same config always gives the same placement. An explicit `node`
 * wins, as long as the node has the capability the role requires; every other VM goes, most constrained and largest first, to the node that has room, holds
 * the fewest replicas of the same role, matches the role's preferences, and has the most free RAM.
 */
import type { NodeConfig } from "./config/schema";
import type { VmRequest } from "./inventory";

export interface Resources {
  readonly cores: number;
  readonly memoryGb: number;
  readonly diskGb: number;
}

export interface NodeUsage {
  readonly node: string;
  /** What VMs may use: RAM less the reserve for Proxmox, vCPUs after overcommit, the VM datastore's size. */
  readonly capacity: Resources;
  readonly used: Resources;
  readonly vms: readonly string[];
}

export interface Unplaced {
  readonly vm: string;
  readonly reason: string;
}

export interface Placement {
  readonly nodeOf: ReadonlyMap<string, string>;
  readonly usage: readonly NodeUsage[];
  readonly unplaced: readonly Unplaced[];
}

export interface CapacityPolicy {
  readonly cpuOvercommit: number;
  readonly reserve: { readonly memoryGb: number };
}

interface Bin {
  readonly node: NodeConfig;
  readonly capacity: Resources;
  used: Resources;
  vms: VmRequest[];
}

export function vmResources(vm: VmRequest): Resources {
  return {
    cores: vm.shape.cores,
    memoryGb: vm.shape.memoryGb,
    diskGb: vm.shape.diskGb + vm.shape.dataDiskGb,
  };
}

function add(a: Resources, b: Resources): Resources {
  return { cores: a.cores + b.cores, memoryGb: a.memoryGb + b.memoryGb, diskGb: a.diskGb + b.diskGb };
}

function fits(bin: Bin, need: Resources): boolean {
  const after = add(bin.used, need);
  return (
    after.cores <= bin.capacity.cores &&
    after.memoryGb <= bin.capacity.memoryGb + 1e-9 &&
    after.diskGb <= bin.capacity.diskGb + 1e-9
  );
}

const has = (node: NodeConfig, capability: string | undefined) =>
  capability !== undefined && node.capabilities.includes(capability as never);

/** Most constrained first, then the largest, then by name, so that the result is stable. */
function placementOrder(a: VmRequest, b: VmRequest): number {
  const rank = (vm: VmRequest) => (vm.role.requires ? 0 : vm.role.prefers || vm.role.avoids ? 1 : 2);
  return rank(a) - rank(b) || b.shape.memoryGb - a.shape.memoryGb || a.name.localeCompare(b.name);
}

function preference(vm: VmRequest, bin: Bin): number[] {
  const sameRole = bin.vms.filter((other) => other.role.name === vm.role.name).length;
  const prefers = has(bin.node, vm.role.prefers) ? 0 : 1;
  const avoided = (vm.role.avoids ?? []).some((capability) => has(bin.node, capability)) ? 1 : 0;
  const free = bin.capacity.memoryGb - bin.used.memoryGb;
  return [sameRole, prefers, avoided, -free];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Disk is the VM datastore the node declares (`vmStorageGb`), not the physical disk: a default
 * install on a 256 GB NVMe keeps about 40% of it for root, swap and free space, outside the
 * local-lvm thin pool (pve-installer Proxmox/Install.pm `create_lvm_volumes`). Thin volumes are
 * counted at their full size, so the pool can never be overcommitted.
 */
export function capacityOf(node: NodeConfig, policy: CapacityPolicy): Resources {
  return {
    cores: Math.floor(node.cores * policy.cpuOvercommit),
    memoryGb: node.memoryGb - policy.reserve.memoryGb,
    diskGb: node.vmStorageGb,
  };
}

export function placeVms(
  vms: readonly VmRequest[],
  nodes: readonly NodeConfig[],
  policy: CapacityPolicy,
): Placement {
  const bins = nodes.map<Bin>((node) => ({
    node,
    capacity: capacityOf(node, policy),
    used: { cores: 0, memoryGb: 0, diskGb: 0 },
    vms: [],
  }));
  const binOf = new Map(bins.map((bin) => [bin.node.name, bin]));
  const nodeOf = new Map<string, string>();
  const unplaced: Unplaced[] = [];
  const put = (vm: VmRequest, bin: Bin) => {
    bin.used = add(bin.used, vmResources(vm));
    bin.vms.push(vm);
    nodeOf.set(vm.name, bin.node.name);
  };

  for (const vm of vms) {
    if (vm.pinnedNode === undefined) continue;
    const bin = binOf.get(vm.pinnedNode);
    if (!bin) unplaced.push({ vm: vm.name, reason: `its node ${vm.pinnedNode} is not declared` });
    else if (vm.role.requires !== undefined && !has(bin.node, vm.role.requires)) {
      unplaced.push({
        vm: vm.name,
        reason: `${bin.node.name} lacks the ${vm.role.requires} capability that ${vm.name} needs`,
      });
    } else put(vm, bin);
  }

  for (const vm of [...vms].filter((candidate) => candidate.pinnedNode === undefined).sort(placementOrder)) {
    const need = vmResources(vm);
    const eligible = bins.filter((bin) => vm.role.requires === undefined || has(bin.node, vm.role.requires));
    const candidates = eligible.filter((bin) => fits(bin, need));
    const best = candidates.sort(
      (a, b) => compare(preference(vm, a), preference(vm, b)) || a.node.name.localeCompare(b.node.name),
    )[0];
    if (best) {
      put(vm, best);
    } else if (eligible.length === 0) {
      unplaced.push({ vm: vm.name, reason: `no node has the capability "${vm.role.requires}"` });
    } else {
      unplaced.push({
        vm: vm.name,
        reason: `no node has room for ${need.cores} vCPU, ${need.memoryGb} GB RAM and ${need.diskGb} GB disk`,
      });
    }
  }

  return {
    nodeOf,
    unplaced,
    usage: bins.map((bin) => ({
      node: bin.node.name,
      capacity: bin.capacity,
      used: bin.used,
      vms: bin.vms.map((vm) => vm.name),
    })),
  };
}
