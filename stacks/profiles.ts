/**
 * The lab's size as a choice (`fortress:lab.profile`): what each profile decides when the stack config
 * leaves it out. A profile is defaults only: every value stays overridable (services, `vms.<name>`,
 * `workloads.<name>`, `lab.k3sServers`, `monitoring.retention`, `platform.mode`), and the door records
 * which values a profile decided (config/profile.ts) so that the plan can print them.
 *
 * Budgets are lab-sized steady-state GB (DESIGN.md §3, research/next-layers.md §10 "sane minimal
 * requests", research/services.md "Minimal profile on a single 16 GB node").
 */
import { SERVICE_IDS, type ServiceId } from "./blueprint";
import type { RoleName, VmShape } from "./catalog";

export const PROFILE_NAMES = ["minimal", "home", "smb"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export const DEFAULT_PROFILE: ProfileName = "home";

/** The workloads whose size a profile sets and `fortress:workloads.<name>` overrides. */
export const SIZED_WORKLOADS = ["wazuh-indexer", "keycloak", "grafana", "prometheus", "loki"] as const;
export type SizedWorkload = (typeof SIZED_WORKLOADS)[number];

export interface WorkloadSize {
  /** Pods (the indexer: cluster nodes, 1 or 3). */
  readonly replicas: number;
  /** Each pod's memory limit (= request), GB. */
  readonly memoryGb: number;
  /** The JVM heap, GB (the indexer only: at most half of memoryGb). */
  readonly heapGb?: number;
  /** The data claim, GB (indexer data, Prometheus TSDB, Loki chunks). */
  readonly storageGb?: number;
}

export type WorkloadSettings = { readonly [Name in SizedWorkload]: WorkloadSize };

/** Where k3s workloads run: on agents beside dedicated servers, or on the servers themselves (no agents). */
export type K3sLayout = "agents" | "servers";

export interface Profile {
  readonly name: ProfileName;
  readonly services: readonly ServiceId[];
  readonly k3sServers: 1 | 3 | 5;
  readonly k3sLayout: K3sLayout;
  readonly platformMode: "k3s" | "existing";
  /** Role shapes that differ from the catalog's (home's). */
  readonly shapes: Partial<Record<RoleName, VmShape>>;
  /** k3s services whose RAM budget (GB, per pod) differs from the catalog's. */
  readonly budgets: Partial<Record<ServiceId, number>>;
  readonly workloads: WorkloadSettings;
  readonly retention: { readonly metricsDays: number; readonly logsDays: number };
  /** Pod disruption budgets and spreading each multi-replica workload's pods over distinct nodes. */
  readonly resilience: boolean;
}

const HOME_WORKLOADS: WorkloadSettings = {
  "wazuh-indexer": { replicas: 1, memoryGb: 3, heapGb: 1.5, storageGb: 195 },
  keycloak: { replicas: 1, memoryGb: 1.5 },
  grafana: { replicas: 1, memoryGb: 0.3125 },
  prometheus: { replicas: 1, memoryGb: 1.125, storageGb: 16 },
  loki: { replicas: 1, memoryGb: 1.25, storageGb: 12 },
};

/** Every service of the blueprint but the GPU worker (a laptop's, home's alone). */
const EVERYTHING: readonly ServiceId[] = SERVICE_IDS.filter((id) => id !== "gpu-worker");

export const PROFILES: { readonly [Name in ProfileName]: Profile & { readonly name: Name } } = {
  minimal: {
    name: "minimal",
    // The worked example still runs: the agent and the central clamd detect, Wazuh escalates and
    // contains through OPNsense, Grafana shows it (TheHive, the MISP check and the rescan are skipped).
    services: [
      "k3s",
      "vaultwarden",
      "wazuh-indexer",
      "wazuh-manager",
      "wazuh-dashboard",
      "suricata",
      "wazuh-agent",
      "clamav",
      "workstation",
      "quarantine",
      "prometheus",
      "loki",
      "vector",
    ],
    k3sServers: 1,
    k3sLayout: "servers",
    platformMode: "k3s",
    shapes: {
      // The one server runs every k3s workload: its memory is this plus the budgets (inventory.ts),
      // its data disk holds every claim (local-path).
      "k3s-server": { cores: 4, memoryGb: 1.75, diskGb: 24, dataDiskGb: 64 },
      "wazuh-manager": { cores: 2, memoryGb: 2.5, diskGb: 32, dataDiskGb: 0 },
      workstation: { cores: 1, memoryGb: 1, diskGb: 16, dataDiskGb: 0 },
    },
    budgets: {
      "wazuh-indexer": 2,
      "wazuh-dashboard": 0.75,
      clamav: 1.5,
      prometheus: 1.5,
      loki: 0.75,
      vector: 0.25,
    },
    workloads: {
      "wazuh-indexer": { replicas: 1, memoryGb: 2, heapGb: 1, storageGb: 28 },
      keycloak: { replicas: 1, memoryGb: 1.5 },
      // Home's Grafana (256 MiB requested, a 512 MiB limit): Grafana asks for 512 MB at least.
      grafana: { replicas: 1, memoryGb: 0.3125 },
      prometheus: { replicas: 1, memoryGb: 0.625, storageGb: 6 },
      loki: { replicas: 1, memoryGb: 0.5, storageGb: 8 },
    },
    retention: { metricsDays: 7, logsDays: 7 },
    resilience: false,
  },
  home: {
    name: "home",
    services: [...SERVICE_IDS],
    k3sServers: 3,
    k3sLayout: "agents",
    platformMode: "k3s",
    shapes: {},
    budgets: {},
    workloads: HOME_WORKLOADS,
    retention: { metricsDays: 15, logsDays: 14 },
    resilience: false,
  },
  smb: {
    name: "smb",
    services: EVERYTHING.filter((id) => id !== "workstation"),
    k3sServers: 3,
    k3sLayout: "agents",
    platformMode: "existing",
    shapes: {},
    budgets: {},
    workloads: {
      "wazuh-indexer": { replicas: 3, memoryGb: 4, heapGb: 2, storageGb: 195 },
      keycloak: { replicas: 2, memoryGb: 1.5 },
      // Two Grafanas on a PostgreSQL of their own, gossiping their alerting state (monitoring/grafana).
      grafana: { replicas: 2, memoryGb: 0.3125 },
      prometheus: { replicas: 1, memoryGb: 2, storageGb: 32 },
      loki: { replicas: 1, memoryGb: 1.5, storageGb: 40 },
    },
    retention: { metricsDays: 30, logsDays: 30 },
    resilience: true,
  },
};

/** The profile a config names (configs built by hand in tests may leave it out: home). */
export function profileOfConfig(config: { readonly lab: { readonly profile?: ProfileName } }): Profile {
  return PROFILES[config.lab.profile ?? DEFAULT_PROFILE];
}

/** The config's sized workloads: the door's resolved values, or the profile's for a config built by hand. */
export function workloadsOf(config: {
  readonly lab: { readonly profile?: ProfileName };
  readonly workloads?: WorkloadSettings;
}): WorkloadSettings {
  return config.workloads ?? profileOfConfig(config).workloads;
}
