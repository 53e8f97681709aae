/**
 * Which VMs a lab needs, derived from the enabled services and their RAM budgets: VM services get
 * their own VMs, k3s workloads are packed into agent VMs per pool, and per-VM overrides resize or
 * pin a VM by name.
 */
import {
  AGENT_OVERHEAD_GB,
  K3S_POOL_ROLES,
  K3S_ROLES,
  K3S_SERVER_ROLE,
  type K3sPool,
  type NetworkPurpose,
  type RoleName,
  ROLES,
  type ServiceId,
  serviceSpec,
  type VmRole,
  type VmShape,
} from "./catalog";
import type { PlainConfig } from "./config/schema";
import { serviceDemand } from "./demand";
import { profileOfConfig } from "./profiles";

export interface VmRequest {
  readonly name: string;
  readonly role: VmRole;
  /** The enabled services this VM exists for. */
  readonly services: readonly ServiceId[];
  readonly shape: VmShape;
  readonly network: NetworkPurpose;
  /** Set by a per-VM override: the node the VM must run on. */
  readonly pinnedNode?: string;
  /** Set by a per-VM override: the VM's static address. */
  readonly pinnedIp?: string;
}

interface RoleDemand {
  count: number;
  services: ServiceId[];
}

/** Adds `extra` GB to a shape's memory (a k3s server that also runs the workloads). */
const withMemory = (shape: VmShape, extra: number): VmShape => ({
  ...shape,
  memoryGb: Math.ceil((shape.memoryGb + extra) * 4 - 1e-9) / 4,
});

export function deriveVms(
  config: Pick<PlainConfig, "services" | "vms" | "lab"> &
    Partial<Pick<PlainConfig, "platform" | "workloads">>,
): VmRequest[] {
  const profile = profileOfConfig(config);
  const shapeOf = (role: RoleName): VmShape => profile.shapes[role] ?? ROLES[role].shape;
  const onServers = config.lab.k3sWorkloadsOn === "servers";
  const demand = new Map<RoleName, RoleDemand>();
  const poolMemory = new Map<K3sPool, { memoryGb: number; pods: number; services: ServiceId[] }>();
  const want = (role: RoleName, count: number, service: ServiceId) => {
    const entry = demand.get(role) ?? { count: 0, services: [] };
    entry.count = Math.max(entry.count, count);
    entry.services.push(service);
    demand.set(role, entry);
  };

  for (const id of new Set(config.services)) {
    const placement = serviceSpec(id).placement;
    if (placement.kind === "vm") {
      want(placement.role, placement.role === K3S_SERVER_ROLE ? config.lab.k3sServers : placement.count, id);
    }
  }
  for (const { service, pool, pods } of serviceDemand(config)) {
    const entry = poolMemory.get(pool) ?? { memoryGb: 0, pods: 0, services: [] };
    entry.memoryGb += pods.reduce((sum, gb) => sum + gb, 0);
    entry.pods = Math.max(entry.pods, pods.length);
    entry.services.push(service);
    poolMemory.set(pool, entry);
  }

  // The servers take the general and indexer pools' workloads when the lab runs no agents for them.
  let serverExtraGb = 0;
  for (const [pool, { memoryGb, pods, services }] of poolMemory) {
    const role = ROLES[K3S_POOL_ROLES[pool]];
    if (onServers && pool !== "gpu" && demand.has(K3S_SERVER_ROLE)) {
      serverExtraGb += memoryGb;
      for (const service of services) want(K3S_SERVER_ROLE, config.lab.k3sServers, service);
      continue;
    }
    const perAgent = shapeOf(role.name).memoryGb - AGENT_OVERHEAD_GB;
    // One agent per replica at least: a workload's replicas go to distinct nodes.
    for (const service of services) want(role.name, Math.max(Math.ceil(memoryGb / perAgent), pods), service);
  }
  if (config.lab.minK3sAgents > 0 && demand.has(K3S_SERVER_ROLE)) {
    want(K3S_POOL_ROLES.general, config.lab.minK3sAgents, "k3s");
  }

  if (config.platform?.mode === "existing") {
    for (const role of [...demand.keys()].filter((role) => K3S_ROLES.has(role))) demand.delete(role);
  }

  const vms: VmRequest[] = [];
  for (const [roleName, { count, services }] of [...demand].sort(([a], [b]) => a.localeCompare(b))) {
    // Servers that run the indexer set its kernel parameter too (OpenSearch's mmap check: catalog.ts).
    const role =
      roleName === K3S_SERVER_ROLE && serverExtraGb > 0 && poolMemory.has("indexer")
        ? {
            ...ROLES[roleName],
            sysctls: { ...ROLES[roleName].sysctls, ...ROLES[K3S_POOL_ROLES.indexer].sysctls },
          }
        : ROLES[roleName];
    const shape =
      roleName === K3S_SERVER_ROLE && serverExtraGb > 0
        ? withMemory(shapeOf(roleName), serverExtraGb / Math.max(1, config.lab.k3sServers))
        : shapeOf(roleName);
    for (let index = 1; index <= count; index++) {
      const name = `${role.name}-${index}`;
      const override = config.vms[name] ?? {};
      vms.push({
        name,
        role,
        services,
        network: role.network,
        shape: {
          cores: override.cores ?? shape.cores,
          memoryGb: override.memoryGb ?? shape.memoryGb,
          diskGb: override.diskGb ?? shape.diskGb,
          dataDiskGb: override.dataDiskGb ?? shape.dataDiskGb,
        },
        ...(override.node === undefined ? {} : { pinnedNode: override.node }),
        ...(override.ip === undefined ? {} : { pinnedIp: override.ip }),
      });
    }
  }
  return vms;
}
