/**
 * When a lab does not fit its nodes: one issue that says, for each VM left over, by how much it misses
 * on each node it could go to, and one list of what would make it fit (a service to drop, a VM or
 * workload override to set, a smaller profile), each with what it frees. Pure.
 */
import type { ConfigIssue } from "./config/errors";
import type { PlainConfig } from "./config/schema";
import { serviceDemand } from "./demand";
import type { VmRequest } from "./inventory";
import { type Placement, type Resources, vmResources } from "./placement";
import { SERVICE_GRAPH, type ServiceId } from "./blueprint";
import { profileOfConfig } from "./profiles";

const gb = (value: number) => `${Math.round(value * 100) / 100}`;

/** What `need` lacks on a node with `free` left, in words; empty when it fits. */
export function shortfall(need: Resources, free: Resources): string[] {
  const parts: string[] = [];
  if (need.cores > free.cores) parts.push(`${need.cores - free.cores} vCPU`);
  if (need.memoryGb > free.memoryGb + 1e-9) parts.push(`${gb(need.memoryGb - free.memoryGb)} GB RAM`);
  if (need.diskGb > free.diskGb + 1e-9) parts.push(`${gb(need.diskGb - free.diskGb)} GB disk`);
  return parts;
}

const freeOn = (usage: Placement["usage"][number]): Resources => ({
  cores: usage.capacity.cores - usage.used.cores,
  memoryGb: usage.capacity.memoryGb - usage.used.memoryGb,
  diskGb: usage.capacity.diskGb - usage.used.diskGb,
});

/** Services no other enabled service needs: the ones a user can drop on their own. */
function droppable(services: readonly ServiceId[]): Set<ServiceId> {
  const needed = new Set<ServiceId>();
  for (const node of SERVICE_GRAPH) {
    if (services.includes(node.id)) for (const required of node.requires) needed.add(required);
  }
  return new Set(services.filter((id) => !needed.has(id)));
}

/** The list of changes that would each free room, largest first. */
function remedies(config: PlainConfig, unplaced: readonly VmRequest[], placement: Placement): string[] {
  const options: { gain: number; text: string }[] = [];
  const canDrop = droppable(config.services);
  for (const vm of unplaced) {
    const own = vm.services.filter((id) => canDrop.has(id) && vm.services.length === 1);
    for (const id of own) {
      const { memoryGb, diskGb } = vmResources(vm);
      options.push({
        gain: memoryGb,
        text: `drop ${id} from fortress:services (no ${vm.name}: ${gb(memoryGb)} GB RAM, ${gb(diskGb)} GB disk)`,
      });
    }
    const best = placement.usage
      .map((usage) => ({ node: usage.node, free: freeOn(usage) }))
      .sort((a, b) => b.free.memoryGb - a.free.memoryGb)[0];
    if (!best) continue;
    const need = vmResources(vm);
    const diskShort = need.diskGb - best.free.diskGb;
    if (diskShort > 0 && vm.shape.dataDiskGb > diskShort) {
      options.push({
        gain: 0,
        text: `set vms.${vm.name}.dataDiskGb: ${Math.floor(vm.shape.dataDiskGb - diskShort)} (fits ${best.node}'s disk)`,
      });
    }
  }
  // k3s workloads: dropping one shrinks the agents (or the server that runs them).
  for (const { service, pods } of serviceDemand(config)) {
    if (!canDrop.has(service)) continue;
    const total = pods.reduce((sum, pod) => sum + pod, 0);
    if (total > 0)
      options.push({
        gain: total,
        text: `drop ${service} from fortress:services (${gb(total)} GB of k3s workloads)`,
      });
  }
  const profile = profileOfConfig(config);
  if (profile.name !== "minimal") {
    options.push({
      gain: -1,
      text: 'or start smaller: lab.profile: minimal (one 16 GB node; README, "Profiles")',
    });
  }
  options.push({
    gain: -2,
    text: "or add a node to fortress:nodes, or correct a node's memoryGb/vmStorageGb if it was understated",
  });
  const seen = new Set<string>();
  return options
    .sort((a, b) => b.gain - a.gain)
    .filter((option) => !seen.has(option.text) && seen.add(option.text))
    .map((option) => option.text);
}

/** One issue for every VM the placer could not fit (pinned ones are reported at their pin). */
export function unplacedIssue(
  config: PlainConfig,
  vms: readonly VmRequest[],
  placement: Placement,
): ConfigIssue | undefined {
  const unplaced = placement.unplaced
    .map(({ vm, reason }) => ({ request: vms.find((candidate) => candidate.name === vm), reason }))
    .filter((entry): entry is { request: VmRequest; reason: string } => entry.request !== undefined)
    .filter(({ request }) => request.pinnedNode === undefined);
  if (unplaced.length === 0) return undefined;
  const lines = unplaced.map(({ request, reason }) => {
    const need = vmResources(request);
    const perNode = placement.usage
      .filter((usage) => {
        const { requires } = request.role;
        const node = config.nodes.find((candidate) => candidate.name === usage.node);
        return requires === undefined || (node?.capabilities ?? []).includes(requires as never);
      })
      .map((usage) => `${usage.node} ${shortfall(need, freeOn(usage)).join(" and ") || "fits"}`);
    return `VM ${request.name} cannot be placed: ${reason} (short by: ${perNode.join("; ")})`;
  });
  const total = (pick: (resources: Resources) => number) => ({
    need: vms.reduce((sum, vm) => sum + pick(vmResources(vm)), 0),
    have: placement.usage.reduce((sum, usage) => sum + pick(usage.capacity), 0),
  });
  const ram = total((resources) => resources.memoryGb);
  const disk = total((resources) => resources.diskGb);
  const short = [
    ram.need > ram.have ? `${gb(ram.need - ram.have)} GB RAM` : "",
    disk.need > disk.have ? `${gb(disk.need - disk.have)} GB disk` : "",
  ].filter(Boolean);
  const summary =
    `the lab's ${vms.length} VMs need ${gb(ram.need)} GB RAM and ${gb(disk.need)} GB disk, the nodes have ` +
    `${gb(ram.have)} and ${gb(disk.have)} for VMs` +
    (short.length > 0 ? ` (${short.join(" and ")} short in all)` : " (enough in all, but not on one node)");
  const fixes = remedies(
    config,
    unplaced.map(({ request }) => request),
    placement,
  );
  return {
    path: "nodes",
    message: `${summary}. ${lines.join(". ")}`,
    hint: `any of: ${fixes.map((fix, index) => `(${index + 1}) ${fix}`).join("; ")}`,
  };
}
