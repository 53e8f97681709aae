/**
 * The lab's Kubernetes cluster as the model sees it: which planned VMs are k3s servers and agents
 * (by role, from the catalog), the API's name, and one namespace per workload layer. The platform
 * layer builds from it; the DNS layer names the API and the ingress after it; the workload layers
 * find their namespace in it.
 */
import { LAYERS, type LayerName } from "./blueprint";
import { K3S_POOL_ROLES, K3S_SERVER_ROLE, type K3sPool, k3sPoolOf } from "./catalog";
import type { LabModel, PlannedVm } from "./lab";

/** k3s-server-2 before k3s-server-10. */
const byName = (a: PlannedVm, b: PlannedVm) => a.name.localeCompare(b.name, "en", { numeric: true });

/** Agents join pool by pool, in this order. */
const JOIN_ORDER: Readonly<Record<K3sPool, number>> = { general: 0, indexer: 1, gpu: 2 };

export function k3sServers(lab: LabModel): PlannedVm[] {
  return lab.vms.filter((vm) => vm.role.name === K3S_SERVER_ROLE).sort(byName);
}

/** Agents in join order: general, indexer, then GPU, each pool in name order. */
export function k3sAgents(lab: LabModel): (PlannedVm & { pool: K3sPool })[] {
  return lab.vms
    .flatMap((vm) => {
      const pool = k3sPoolOf(vm.role.name);
      return pool ? [{ ...vm, pool }] : [];
    })
    .sort((a, b) => JOIN_ORDER[a.pool] - JOIN_ORDER[b.pool] || byName(a, b));
}

/**
 * The VMs a pool's workloads run on: its agents, or else the k3s servers, which carry no taint while
 * the lab has no general agents (components/platform/k3sConfig.ts) and then run every workload (the
 * minimal profile). The GPU pool never moves. In name order.
 */
export function poolHosts<Vm extends { readonly name: string; readonly role: { readonly name: string } }>(
  vms: readonly Vm[],
  pool: K3sPool,
): Vm[] {
  const byRole = (role: string) =>
    vms
      .filter((vm) => vm.role.name === role)
      .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  const agents = byRole(K3S_POOL_ROLES[pool]);
  const serversRunWorkloads = byRole(K3S_POOL_ROLES.general).length === 0;
  return agents.length > 0 || pool === "gpu" || !serversRunWorkloads ? agents : byRole(K3S_SERVER_ROLE);
}

export function apiFqdn(lab: LabModel): string {
  return `${lab.config.platform.apiName}.${lab.config.lab.domain}`;
}

/** The layers whose workloads run in the cluster: one namespace each. */
export const WORKLOAD_LAYERS = LAYERS.slice(LAYERS.indexOf("identity"));

export const namespaceOf = (layer: LayerName) => `fortress-${layer}`;

/** The node exporter's own namespace (privileged Pod Security: components/monitoring/pins.ts). */
export { NODE_EXPORTER_NAMESPACE } from "../vocabulary/monitoring";

/** The ingress controller k3s ships (Traefik, in kube-system); the baseline does not replace it. */
export const INGRESS = { className: "traefik", namespace: "kube-system" } as const;
