/**
 * The services Fortress knows, the layer each belongs to, what each needs, and where it runs.
 * RAM budgets are the lab-sized steady-state figures of DESIGN.md §3. The VMs of a lab are derived
 * from this table and the enabled services (see inventory.ts), never listed by hand.
 */
import type { K3sPool } from "../vocabulary/pools";
import { type LayerName, SERVICE_GRAPH, type ServiceId, type ServiceNode } from "./blueprint";

// The agent pools are vocabulary (the k3s component and the model share them); the model names the role
// of each below, so a pool added there fails to compile here until it has one.
export type { K3sPool };

export { SERVICE_IDS, type ServiceId } from "./blueprint";

import type { NetworkPurpose } from "../vocabulary/zones";

export { NETWORK_PURPOSES, type NetworkPurpose } from "../vocabulary/zones";

/** A VM shape: the sizes a role gets unless a per-VM override says otherwise. */
export interface VmShape {
  readonly cores: number;
  readonly memoryGb: number;
  readonly diskGb: number;
  /** A second disk for the role's state; 0 for none. */
  readonly dataDiskGb: number;
}

export const ROLE_NAMES = [
  "k3s-server",
  "k3s-agent",
  "k3s-indexer",
  "k3s-gpu",
  "wazuh-manager",
  "zeek",
  "greenbone",
  "misp",
  "workstation",
] as const;

export type RoleName = (typeof ROLE_NAMES)[number];

/** A kind of VM. Its count comes from the services that need it. */
export interface VmRole {
  readonly name: RoleName;
  readonly layer: LayerName;
  readonly shape: VmShape;
  readonly network: NetworkPurpose;
  /** Holds data worth keeping: protected from destroy and covered by a backup job. */
  readonly stateful: boolean;
  /** Node capability the role cannot run without. */
  readonly requires?: string;
  /** Node capability the role is placed on when one has room. */
  readonly prefers?: string;
  /**
   * Node capabilities the role stays off while another node has room. Spreading the role's replicas
   * over distinct nodes comes first: three servers on two plain nodes and a GPU node use all three.
   */
  readonly avoids?: readonly string[];
  /** Passes the node's GPU through to the VM. */
  readonly gpu?: boolean;
  /** Gets a capture NIC fed by the node's traffic mirror (the Zeek sensor): components/hypervisor/capture.ts. */
  readonly captureNic?: boolean;
  /** Kernel parameters the role's VMs set through their cloud-init (components/cloud-init/userData.ts). */
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
}

export type Placement =
  /** Runs in k3s, on the agents of one pool; `memoryGb` is its budget there. */
  | { readonly kind: "k3s"; readonly pool: K3sPool; readonly memoryGb: number }
  /** Has VMs of its own. */
  | { readonly kind: "vm"; readonly role: RoleName; readonly count: number }
  /** Runs on the OPNsense firewall, outside the VM budget. */
  | { readonly kind: "firewall" }
  /** Runs on every VM (through cloud-init), inside each VM's own budget. */
  | { readonly kind: "every-vm" };

/** A service of the blueprint's service graph, and where it runs. */
export interface ServiceSpec extends ServiceNode {
  readonly placement: Placement;
}

export const ROLES: { readonly [Name in RoleName]: VmRole & { readonly name: Name } } = {
  "k3s-server": {
    name: "k3s-server",
    layer: "platform",
    shape: { cores: 2, memoryGb: 3, diskGb: 40, dataDiskGb: 0 },
    network: "servers",
    stateful: true,
    avoids: ["gpu"],
    tags: ["k3s", "k3s-server"],
  },
  // 8 GB (7 for workloads): the general pool's 20 GB of budgets fit three agents. Four 6 GB agents
  // (the same 24 GB, one more OS and kubelet) left no M710q room within 10 % headroom for MISP, Zeek
  // and the manager VM beside the k3s servers (research/next-layers.md §10).
  "k3s-agent": {
    name: "k3s-agent",
    layer: "platform",
    shape: { cores: 2, memoryGb: 8, diskGb: 32, dataDiskGb: 80 },
    network: "servers",
    stateful: true,
    avoids: ["gpu"],
    tags: ["k3s", "k3s-agent"],
  },
  "k3s-indexer": {
    name: "k3s-indexer",
    layer: "platform",
    shape: { cores: 4, memoryGb: 8, diskGb: 32, dataDiskGb: 300 },
    network: "servers",
    stateful: true,
    prefers: "bulk-storage",
    // OpenSearch's mmapfs needs vm.max_map_count >= 262144; the wazuh-kubernetes manifest sets it with
    // a privileged init container (wazuh/wazuh-kubernetes@v4.14.6:
    // wazuh/indexer_stack/wazuh-indexer/cluster/indexer-sts.yaml, `sysctl -w vm.max_map_count=262144`),
    // which Fortress's pods may not run: the VM sets it instead.
    sysctls: { "vm.max_map_count": "262144" },
    tags: ["k3s", "k3s-agent", "indexer"],
  },
  "k3s-gpu": {
    name: "k3s-gpu",
    layer: "platform",
    shape: { cores: 4, memoryGb: 8, diskGb: 64, dataDiskGb: 0 },
    network: "servers",
    stateful: false,
    requires: "gpu",
    gpu: true,
    tags: ["k3s", "k3s-agent", "gpu"],
  },
  // The Wazuh manager on a VM of its own (issue 12: the image runs as root, and agents, OPNsense's
  // syslog and active response want a stable address on the servers network). 3 GB: the manager's
  // 1–1.5 GB (research/next-layers.md §10; the wazuh-kubernetes manifest's 512Mi limit is too small
  // with vulnerability detection), Filebeat, and Debian with its page cache. Its state (agent keys,
  // groups, queues, the alert archive before it is shipped) is worth keeping: protected and backed up
  // (the backup job takes the whole VM, so /var/ossec stays where the package puts it, on a 40 GB root).
  "wazuh-manager": {
    name: "wazuh-manager",
    layer: "siem",
    shape: { cores: 2, memoryGb: 3, diskGb: 40, dataDiskGb: 0 },
    network: "servers",
    stateful: true,
    tags: ["siem", "wazuh-manager"],
  },
  zeek: {
    name: "zeek",
    layer: "sensors",
    shape: { cores: 2, memoryGb: 4, diskGb: 32, dataDiskGb: 64 },
    network: "sensors",
    stateful: false,
    captureNic: true,
    tags: ["sensor", "zeek"],
  },
  greenbone: {
    name: "greenbone",
    layer: "vuln",
    shape: { cores: 4, memoryGb: 8, diskGb: 32, dataDiskGb: 64 },
    network: "servers",
    stateful: true,
    tags: ["vuln", "greenbone"],
  },
  misp: {
    name: "misp",
    layer: "response",
    shape: { cores: 2, memoryGb: 5, diskGb: 32, dataDiskGb: 64 },
    network: "servers",
    stateful: true,
    tags: ["response", "misp"],
  },
  // "The user's laptop" of the worked example (issue 12): a small desktop-less VM on the users network
  // with an enrolled agent. Nothing on it is worth keeping: not protected, not backed up.
  workstation: {
    name: "workstation",
    layer: "endpoint",
    shape: { cores: 2, memoryGb: 2, diskGb: 24, dataDiskGb: 0 },
    network: "users",
    stateful: false,
    tags: ["endpoint", "workstation"],
  },
};

/** Memory an agent VM keeps for its OS and the kubelet, outside the workloads' budgets. */
export const AGENT_OVERHEAD_GB = 1;

/** The role whose VMs are the k3s servers. */
export const K3S_SERVER_ROLE = "k3s-server" satisfies RoleName;

/** The agent role of each k3s pool. */
export const K3S_POOL_ROLES: Readonly<Record<K3sPool, RoleName>> = {
  general: "k3s-agent",
  indexer: "k3s-indexer",
  gpu: "k3s-gpu",
};

/** The pool whose agents a role's VMs are, if they are k3s agents. */
export function k3sPoolOf(role: RoleName): K3sPool | undefined {
  return (Object.keys(K3S_POOL_ROLES) as K3sPool[]).find((pool) => K3S_POOL_ROLES[pool] === role);
}

/** The roles whose VMs are the k3s cluster (none with an existing cluster). */
export const K3S_ROLES: ReadonlySet<RoleName> = new Set([K3S_SERVER_ROLE, ...Object.values(K3S_POOL_ROLES)]);

const k3s = (pool: K3sPool, memoryGb: number): Placement => ({ kind: "k3s", pool, memoryGb });

const PLACEMENTS: { readonly [Id in ServiceId]: Placement } = {
  k3s: { kind: "vm", role: "k3s-server", count: 3 },
  "gpu-worker": { kind: "vm", role: "k3s-gpu", count: 1 },
  keycloak: k3s("general", 2),
  vaultwarden: k3s("general", 0.25),
  "wazuh-indexer": k3s("indexer", 4),
  "wazuh-manager": { kind: "vm", role: "wazuh-manager", count: 1 },
  "wazuh-dashboard": k3s("general", 1),
  suricata: { kind: "firewall" },
  zeek: { kind: "vm", role: "zeek", count: 1 },
  "wazuh-agent": { kind: "every-vm" },
  // One central clamd for the lab, not one per VM: clamd holds ~1.2 GB of signatures (twice that
  // while reloading, which `ConcurrentDatabaseReload no` avoids), 13–29 GB over every VM
  // (research/next-layers.md §0.3, §10: 1.5–2.5 GB).
  clamav: k3s("general", 2),
  workstation: { kind: "vm", role: "workstation", count: 1 },
  greenbone: { kind: "vm", role: "greenbone", count: 1 },
  thehive: k3s("general", 6),
  cortex: k3s("general", 4),
  misp: { kind: "vm", role: "misp", count: 1 },
  quarantine: { kind: "firewall" },
  prometheus: k3s("general", 2.75),
  loki: k3s("general", 1.5),
  vector: k3s("general", 0.5),
};

/** Every service of the blueprint's graph with where it runs. */
export const SERVICES: readonly ServiceSpec[] = SERVICE_GRAPH.map((node) => ({
  ...node,
  placement: PLACEMENTS[node.id],
}));

const serviceById = new Map(SERVICES.map((service) => [service.id, service]));

export function serviceSpec(id: ServiceId): ServiceSpec {
  const spec = serviceById.get(id);
  if (!spec) throw new Error(`unknown service ${id}`);
  return spec;
}
