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

export function deriveVms(
  config: Pick<PlainConfig, "services" | "vms" | "lab"> & Partial<Pick<PlainConfig, "platform">>,
): VmRequest[] {
  const demand = new Map<RoleName, RoleDemand>();
  const poolMemory = new Map<K3sPool, { memoryGb: number; services: ServiceId[] }>();
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
    } else if (placement.kind === "k3s") {
      const pool = poolMemory.get(placement.pool) ?? { memoryGb: 0, services: [] };
      pool.memoryGb += placement.memoryGb;
      pool.services.push(id);
      poolMemory.set(placement.pool, pool);
    }
  }

  for (const [pool, { memoryGb, services }] of poolMemory) {
    const role = ROLES[K3S_POOL_ROLES[pool]];
    const perAgent = role.shape.memoryGb - AGENT_OVERHEAD_GB;
    for (const service of services) want(role.name, Math.ceil(memoryGb / perAgent), service);
  }
  if (config.lab.minK3sAgents > 0 && demand.has(K3S_SERVER_ROLE)) {
    want(K3S_POOL_ROLES.general, config.lab.minK3sAgents, "k3s");
  }

  if (config.platform?.mode === "existing") {
    for (const role of [...demand.keys()].filter((role) => K3S_ROLES.has(role))) demand.delete(role);
  }

  const vms: VmRequest[] = [];
  for (const [roleName, { count, services }] of [...demand].sort(([a], [b]) => a.localeCompare(b))) {
    const role = ROLES[roleName];
    for (let index = 1; index <= count; index++) {
      const name = `${role.name}-${index}`;
      const override = config.vms[name] ?? {};
      vms.push({
        name,
        role,
        services,
        network: role.network,
        shape: {
          cores: override.cores ?? role.shape.cores,
          memoryGb: override.memoryGb ?? role.shape.memoryGb,
          diskGb: override.diskGb ?? role.shape.diskGb,
          dataDiskGb: override.dataDiskGb ?? role.shape.dataDiskGb,
        },
        ...(override.node === undefined ? {} : { pinnedNode: override.node }),
        ...(override.ip === undefined ? {} : { pinnedIp: override.ip }),
      });
    }
  }
  return vms;
}
