/**
 * What the alert rules are a function of: what the lab runs. The lead builds it from the plan (the
 * VMs and their roles, the nodes, which log sources and backups exist); nothing here reads config.
 */

/** A planned VM as Proxmox names it (pve_guest_info `name`), with its role, layer and node. */
export interface RuleVm {
  readonly name: string;
  readonly role: string;
  readonly layer: string;
  readonly node: string;
  /** In the hypervisor's vzdump job (components/hypervisor/hypervisor.ts backUpState). */
  readonly stateful: boolean;
}

/** A log source whose silence matters, as the Vector aggregator counts it. */
export interface RuleLogSource {
  readonly source: "opnsense-syslog" | "suricata" | "zeek";
  /** The aggregator's component that receives only this source (Vector's `component_id` label). */
  readonly componentId: string;
  /** How long without an event is silence (a Prometheus duration); 15m by default. */
  readonly silentFor?: string;
}

/** A persistent volume in the cluster whose filling matters (kubelet volume stats). */
export interface RuleVolume {
  /** What it holds, for the alert's text ("Prometheus", "Loki"). */
  readonly name: string;
  readonly layer: string;
  readonly namespace: string;
  /** The claim's name, or its prefix when a StatefulSet numbers it (`prefix` true). */
  readonly claim: string;
  readonly prefix?: boolean;
}

export interface RuleIndexer {
  /** The disk watermarks opensearch.yml sets (components/siem/opensearchYml.ts DISK_WATERMARKS). */
  readonly watermarks: { readonly low: number; readonly high: number; readonly floodStage: number };
  /**
   * The snapshot repository the SM policy writes (components/siem/retention.ts SNAPSHOT_REPOSITORY) and
   * the hours after which a missing daily snapshot alerts; absent when the indexer is not snapshotted.
   */
  readonly snapshots?: { readonly repository: string; readonly maxAgeHours: number };
}

/** The Proxmox backup (vzdump) job: its storage on each node it writes to. */
export interface RuleVzdump {
  readonly storage: string;
  readonly nodes: readonly string[];
}

/** A Wazuh agent group (one per VM role) and how many agents should be active in it. */
export interface RuleAgentGroup {
  readonly group: string;
  readonly expected: number;
}

export interface AlertRulesInput {
  /** The Proxmox nodes by name (the exporter's `pve_up{id="node/<name>"}`). */
  readonly proxmoxNodes: readonly string[];
  readonly vms: readonly RuleVm[];
  /** The firewall is scraped (os-node_exporter, role `firewall`). */
  readonly firewall: boolean;
  readonly logSources: readonly RuleLogSource[];
  /** Packet capture whose drops matter: the Zeek VM's capture NIC, the firewall's interfaces Suricata reads. */
  readonly capture: {
    readonly zeek?: { readonly role: string; readonly device: string };
    readonly suricata?: { readonly devices: readonly string[] };
  };
  /** The Wazuh indexer, when the SIEM runs (its exporter scraped). */
  readonly indexer?: RuleIndexer;
  readonly volumes: readonly RuleVolume[];
  readonly vzdump?: RuleVzdump;
  readonly agentGroups: readonly RuleAgentGroup[];
  /** The containment action runs and writes its counters. */
  readonly containment: boolean;
  /** cert-manager's metrics are scraped. */
  readonly certificates: boolean;
}
