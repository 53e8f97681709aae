/**
 * `promtool test rules` cases, one per alert name: series that fire it (with the labels and annotations
 * expected, written by hand from what each rule means) and series that must not. They run against the
 * rules of TEST_LAB, a small lab with every part switched on.
 */
import type { AlertRulesInput } from "./input";

export const TEST_LAB: AlertRulesInput = {
  proxmoxNodes: ["pve1", "pve2"],
  vms: [
    { name: "idx-1", role: "k3s-indexer", layer: "siem", node: "pve1", stateful: true },
    { name: "mgr-1", role: "wazuh-manager", layer: "siem", node: "pve2", stateful: true },
    { name: "zeek-1", role: "zeek", layer: "sensors", node: "pve2", stateful: false },
  ],
  firewall: true,
  logSources: [
    { source: "opnsense-syslog", componentId: "opnsense_syslog" },
    { source: "suricata", componentId: "suricata_eve" },
    { source: "zeek", componentId: "zeek_logs" },
  ],
  capture: { zeek: { role: "zeek", device: "ens19" }, suricata: { devices: ["vtnet1"] } },
  indexer: {
    watermarks: { low: 0.8, high: 0.85, floodStage: 0.9 },
    snapshots: { repository: "fortress-snapshots", maxAgeHours: 26 },
  },
  volumes: [
    {
      name: "Prometheus",
      layer: "monitoring",
      namespace: "fortress-monitoring",
      claim: "prometheus-db-",
      prefix: true,
    },
  ],
  vzdump: { storage: "backup", nodes: ["pve1", "pve2"] },
  agentGroups: [{ group: "k3s-agent", expected: 2 }],
  containment: true,
  certificates: true,
};

export interface Series {
  readonly series: string;
  readonly values: string;
}

export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RuleCase {
  readonly alert: string;
  /** Series (1m apart) that fire it, and the alerts expected at `at`. */
  readonly fire: {
    readonly series: readonly Series[];
    readonly at: string;
    readonly alerts: readonly ExpectedAlert[];
  };
  /** Series that come close (or concern something outside the lab) and must not fire it at `at`. */
  readonly quiet: { readonly series: readonly Series[]; readonly at: string };
}

/**
 * The Proxmox job as the layer scrapes it: every node answers for the whole cluster (cluster=1), so each
 * series arrives once per node, under its own `instance` (components/monitoring/exporters
 * proxmoxScrapeJob); the rules must take one copy.
 */
const PVE_TARGETS = ['job="proxmox", instance="10.10.10.11"', 'job="proxmox", instance="10.10.10.12"'];
/** A Proxmox series as both nodes' scrapes bring it. */
const pve = (metric: string, labels: string, values: string): Series[] =>
  PVE_TARGETS.map((target) => ({ series: `${metric}{${target}, ${labels}}`, values }));
const INDEXER =
  'job="indexer", instance="exporter:9114", cluster="wazuh", name="wazuh-indexer-0", path="/data"';
const INDEXER_LABELS = {
  job: "indexer",
  instance: "exporter:9114",
  cluster: "wazuh",
  name: "wazuh-indexer-0",
  path: "/data",
};
const ZEEK = 'job="node", instance="zeek-1:9100", layer="sensors", role="zeek", node="pve2", device="ens19"';
const CERT =
  'name="grafana", namespace="fortress-monitoring", issuer_name="fortress-ca", issuer_kind="ClusterIssuer", issuer_group="cert-manager.io"';
const CERT_LABELS = {
  name: "grafana",
  namespace: "fortress-monitoring",
  issuer_name: "fortress-ca",
  issuer_kind: "ClusterIssuer",
  issuer_group: "cert-manager.io",
};
const CLAIM = 'namespace="fortress-monitoring", persistentvolumeclaim="prometheus-db-prometheus-0"';
const EVENTS = "vector_component_received_events_total";

const flowing = (component: string): Series => ({
  series: `${EVENTS}{component_id="${component}"}`,
  values: "0+10x60",
});

const indexerDisk = (available: string): Series[] => [
  { series: `elasticsearch_filesystem_data_available_bytes{${INDEXER}}`, values: available },
  { series: `elasticsearch_filesystem_data_size_bytes{${INDEXER}}`, values: "100e9x1000" },
];

const watermarkText = (severity: "warning" | "critical", used: string) =>
  severity === "warning"
    ? {
        summary: "The indexer's disk on wazuh-indexer-0 nears the low watermark",
        description: `${used} used; at 80 % OpenSearch stops allocating replicas, at 85 % it moves shards away, at 90 % indices turn read-only.`,
      }
    : {
        summary: "The indexer's disk on wazuh-indexer-0 is past the high watermark",
        description: `${used} used, past the 85 % high watermark; at 90 % every index on it turns read-only and ingest stops.`,
      };

export const RULE_CASES: readonly RuleCase[] = [
  {
    alert: "ProxmoxNodeDown",
    fire: {
      series: [...pve("pve_up", `id="node/pve1"`, "1 0x10")],
      at: "5m",
      alerts: [
        {
          labels: {
            severity: "critical",
            layer: "hypervisor",
            node: "pve1",
            id: "node/pve1",
          },
          annotations: {
            summary: "Proxmox node pve1 is offline",
            description:
              "The Proxmox cluster reports node pve1 offline for 2 minutes. Every VM on it is down; their own alerts are inhibited.",
          },
        },
      ],
    },
    quiet: {
      series: [...pve("pve_up", `id="node/pve1"`, "1x10"), ...pve("pve_up", `id="node/elsewhere"`, "0x10")],
      at: "5m",
    },
  },
  {
    alert: "VmDown",
    fire: {
      series: [
        ...pve("pve_up", `id="qemu/101"`, "0x10"),
        ...pve(
          "pve_guest_info",
          `id="qemu/101", name="idx-1", node="pve1", type="qemu", template="0", tags="fortress"`,
          "1x10",
        ),
      ],
      at: "5m",
      alerts: [
        {
          labels: {
            severity: "critical",
            layer: "siem",
            role: "k3s-indexer",
            id: "qemu/101",
            name: "idx-1",
            node: "pve1",
          },
          annotations: {
            summary: "VM idx-1 (k3s-indexer) on pve1 is not running",
            description:
              "Proxmox reports VM idx-1 not running for 3 minutes. Alerts of the targets on it are inhibited.",
          },
        },
      ],
    },
    quiet: {
      series: [
        ...pve("pve_up", `id="qemu/101"`, "1x10"),
        ...pve(
          "pve_guest_info",
          `id="qemu/101", name="idx-1", node="pve1", type="qemu", template="0", tags="fortress"`,
          "1x10",
        ),
        ...pve("pve_up", `id="qemu/900"`, "0x10"),
        ...pve(
          "pve_guest_info",
          `id="qemu/900", name="scratch", node="pve1", type="qemu", template="0", tags=""`,
          "1x10",
        ),
      ],
      at: "5m",
    },
  },
  {
    alert: "FirewallDown",
    fire: {
      series: [
        {
          series: 'up{job="opnsense", instance="10.10.0.1:9100", layer="network", role="firewall"}',
          values: "0x10",
        },
      ],
      at: "5m",
      alerts: [
        {
          labels: {
            severity: "critical",
            layer: "network",
            role: "firewall",
            job: "opnsense",
            instance: "10.10.0.1:9100",
          },
          annotations: {
            summary: "The firewall does not answer Prometheus",
            description:
              "OPNsense's node exporter at 10.10.0.1:9100 has not answered for 2 minutes: the firewall, or its route to the servers, is down.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series: 'up{job="opnsense", instance="10.10.0.1:9100", layer="network", role="firewall"}',
          values: "1 0 1 0 1 0 1 0 1 0 1",
        },
      ],
      at: "10m",
    },
  },
  {
    alert: "ScrapeTargetDown",
    fire: {
      series: [
        {
          series: 'up{job="node", instance="mgr-1:9100", layer="siem", role="wazuh-manager", node="pve2"}',
          values: "0x10",
        },
      ],
      at: "6m",
      alerts: [
        {
          labels: {
            severity: "warning",
            layer: "siem",
            role: "wazuh-manager",
            node: "pve2",
            job: "node",
            instance: "mgr-1:9100",
          },
          annotations: {
            summary: "node target mgr-1:9100 (wazuh-manager) is down",
            description:
              "Prometheus has not scraped mgr-1:9100 (job node, role wazuh-manager, node pve2) for 5 minutes.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series: 'up{job="opnsense", instance="10.10.0.1:9100", layer="network", role="firewall"}',
          values: "0x10",
        },
        { series: 'up{job="prometheus", instance="localhost:9090"}', values: "0x10" },
        {
          series: 'up{job="node", instance="mgr-1:9100", layer="siem", role="wazuh-manager", node="pve2"}',
          values: "0x3 1x6",
        },
      ],
      at: "6m",
    },
  },
  {
    alert: "IndexerDiskFillingUp",
    fire: {
      series: indexerDisk("60e9-1e8x600"),
      at: "5h",
      alerts: [
        {
          labels: INDEXER_LABELS,
          annotations: {
            summary: "The indexer's disk on wazuh-indexer-0 fills within 4 days",
            description:
              "At the last 6 hours' rate the indexer's data path /data runs out of space within 4 days; shorten retention or grow the disk.",
          },
        },
      ].map((alert) => ({ ...alert, labels: { severity: "warning", layer: "siem", ...alert.labels } })),
    },
    quiet: { series: indexerDisk("60e9-1e6x600"), at: "5h" },
  },
  {
    alert: "IndexerDiskWatermarkNear",
    fire: {
      series: indexerDisk("24e9x30 14e9x30"),
      at: "55m",
      alerts: [
        {
          labels: { severity: "warning", layer: "siem", ...INDEXER_LABELS },
          annotations: watermarkText("warning", "86%"),
        },
        {
          labels: { severity: "critical", layer: "siem", ...INDEXER_LABELS },
          annotations: watermarkText("critical", "86%"),
        },
      ],
    },
    quiet: { series: indexerDisk("30e9x30"), at: "25m" },
  },
  {
    alert: "VolumeFillingUp",
    fire: {
      series: [
        { series: `kubelet_volume_stats_available_bytes{${CLAIM}}`, values: "45e9-1e8x400" },
        { series: `kubelet_volume_stats_capacity_bytes{${CLAIM}}`, values: "100e9x400" },
      ],
      at: "5h",
      alerts: [
        {
          labels: {
            severity: "warning",
            layer: "monitoring",
            volume: "Prometheus",
            namespace: "fortress-monitoring",
            persistentvolumeclaim: "prometheus-db-prometheus-0",
          },
          annotations: {
            summary: "Prometheus's volume prometheus-db-prometheus-0 fills within 4 days",
            description:
              "At the last 6 hours' rate Prometheus's volume in fortress-monitoring runs out of space within 4 days; lower its retention or grow it.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series:
            'kubelet_volume_stats_available_bytes{namespace="fortress-monitoring", persistentvolumeclaim="scratch"}',
          values: "45e9-1e8x400",
        },
        {
          series:
            'kubelet_volume_stats_capacity_bytes{namespace="fortress-monitoring", persistentvolumeclaim="scratch"}',
          values: "100e9x400",
        },
      ],
      at: "5h",
    },
  },
  {
    alert: "VolumeAlmostFull",
    fire: {
      series: [
        { series: `kubelet_volume_stats_available_bytes{${CLAIM}}`, values: "5e9x10" },
        { series: `kubelet_volume_stats_capacity_bytes{${CLAIM}}`, values: "100e9x10" },
      ],
      at: "6m",
      alerts: [
        {
          labels: {
            severity: "critical",
            layer: "monitoring",
            volume: "Prometheus",
            namespace: "fortress-monitoring",
            persistentvolumeclaim: "prometheus-db-prometheus-0",
          },
          annotations: {
            summary: "Prometheus's volume prometheus-db-prometheus-0 is over 90 % full",
            description: "5% of Prometheus's volume in fortress-monitoring is free.",
          },
        },
      ],
    },
    quiet: {
      series: [
        { series: `kubelet_volume_stats_available_bytes{${CLAIM}}`, values: "15e9x10" },
        { series: `kubelet_volume_stats_capacity_bytes{${CLAIM}}`, values: "100e9x10" },
      ],
      at: "6m",
    },
  },
  {
    alert: "BackupStorageFillingUp",
    fire: {
      series: [
        ...pve("pve_disk_usage_bytes", `id="storage/pve1/backup"`, "500e9+1e8x900"),
        ...pve("pve_disk_size_bytes", `id="storage/pve1/backup"`, "1000e9x900"),
      ],
      at: "14h",
      alerts: [
        {
          labels: {
            severity: "warning",
            layer: "hypervisor",
            node: "pve1",
            id: "storage/pve1/backup",
          },
          annotations: {
            summary: "Backup storage backup on pve1 fills within 4 days",
            description:
              "At the last 12 hours' rate the vzdump storage runs out of space within 4 days; the next backups would fail. Lower keep-daily/keep-weekly or grow the storage.",
          },
        },
      ],
    },
    quiet: {
      series: [
        ...pve("pve_disk_usage_bytes", `id="storage/pve1/local"`, "500e9+1e8x900"),
        ...pve("pve_disk_size_bytes", `id="storage/pve1/local"`, "1000e9x900"),
        ...pve("pve_disk_usage_bytes", `id="storage/pve2/backup"`, "500e9+1e6x900"),
        ...pve("pve_disk_size_bytes", `id="storage/pve2/backup"`, "1000e9x900"),
      ],
      at: "14h",
    },
  },
  {
    alert: "BackupStorageAlmostFull",
    fire: {
      series: [
        ...pve("pve_disk_usage_bytes", `id="storage/pve2/backup"`, "950e9x30"),
        ...pve("pve_disk_size_bytes", `id="storage/pve2/backup"`, "1000e9x30"),
      ],
      at: "20m",
      alerts: [
        {
          labels: {
            severity: "critical",
            layer: "hypervisor",
            node: "pve2",
            id: "storage/pve2/backup",
          },
          annotations: {
            summary: "Backup storage backup on pve2 is over 90 % full",
            description: "95% of the vzdump storage is used.",
          },
        },
      ],
    },
    quiet: {
      series: [
        ...pve("pve_disk_usage_bytes", `id="storage/pve2/backup"`, "850e9x30"),
        ...pve("pve_disk_size_bytes", `id="storage/pve2/backup"`, "1000e9x30"),
      ],
      at: "20m",
    },
  },
  {
    alert: "IndexerClusterNotGreen",
    fire: {
      series: [
        {
          series: 'elasticsearch_cluster_health_status{job="indexer", cluster="wazuh", color="green"}',
          values: "0x30",
        },
        {
          series: 'elasticsearch_cluster_health_status{job="indexer", cluster="wazuh", color="yellow"}',
          values: "1x10 0x20",
        },
        {
          series: 'elasticsearch_cluster_health_status{job="indexer", cluster="wazuh", color="red"}',
          values: "0x10 1x20",
        },
      ],
      at: "20m",
      alerts: [
        {
          labels: { severity: "critical", layer: "siem", job: "indexer", cluster: "wazuh", color: "red" },
          annotations: {
            summary: "The indexer cluster wazuh is red",
            description: "A primary shard is unassigned: some Wazuh alerts cannot be written or searched.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series: 'elasticsearch_cluster_health_status{job="indexer", cluster="wazuh", color="green"}',
          values: "0x10 1x20",
        },
        {
          series: 'elasticsearch_cluster_health_status{job="indexer", cluster="wazuh", color="yellow"}',
          values: "1x10 0x20",
        },
        {
          series: 'elasticsearch_cluster_health_status{job="indexer", cluster="wazuh", color="red"}',
          values: "0x30",
        },
      ],
      at: "20m",
    },
  },
  {
    alert: "IndexerSnapshotMissing",
    fire: {
      series: [
        {
          series:
            'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{job="indexer", repository="fortress-snapshots"}',
          values: "0x1700",
        },
      ],
      at: "27h",
      alerts: [
        {
          labels: { severity: "warning", layer: "siem", job: "indexer", repository: "fortress-snapshots" },
          annotations: {
            summary: "No indexer snapshot in fortress-snapshots for 26 hours",
            description:
              "The snapshot management policy's daily snapshot has not been taken (or the repository holds none): the Wazuh indices have no fresh backup.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series:
            'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{job="indexer", repository="fortress-snapshots"}',
          values: "0+60x1700",
        },
        {
          series:
            'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{job="indexer", repository="elsewhere"}',
          values: "0x1700",
        },
      ],
      at: "27h",
    },
  },
  {
    alert: "VmNotBackedUp",
    fire: {
      series: [
        ...pve("pve_not_backed_up_info", `id="qemu/102"`, "1x70"),
        ...pve(
          "pve_guest_info",
          `id="qemu/102", name="mgr-1", node="pve2", type="qemu", template="0", tags="fortress"`,
          "1x70",
        ),
      ],
      at: "65m",
      alerts: [
        {
          labels: {
            severity: "warning",
            layer: "hypervisor",
            id: "qemu/102",
            name: "mgr-1",
            node: "pve2",
          },
          annotations: {
            summary: "VM mgr-1 holds state but no backup job covers it",
            description: "Proxmox lists mgr-1 on pve2 among the guests not backed up.",
          },
        },
      ],
    },
    quiet: {
      series: [
        ...pve("pve_not_backed_up_info", `id="qemu/103"`, "1x70"),
        ...pve(
          "pve_guest_info",
          `id="qemu/103", name="zeek-1", node="pve2", type="qemu", template="0", tags="fortress"`,
          "1x70",
        ),
      ],
      at: "65m",
    },
  },
  {
    alert: "BackupStuck",
    fire: {
      series: [
        ...pve("pve_lock_state", `id="qemu/101", state="backup"`, "1x300"),
        ...pve(
          "pve_guest_info",
          `id="qemu/101", name="idx-1", node="pve1", type="qemu", template="0", tags="fortress"`,
          "1x300",
        ),
      ],
      at: "245m",
      alerts: [
        {
          labels: {
            severity: "warning",
            layer: "hypervisor",
            id: "qemu/101",
            name: "idx-1",
            node: "pve1",
          },
          annotations: {
            summary: "VM idx-1 has been locked by a backup for 4 hours",
            description: "The vzdump of idx-1 on pve1 has not finished in 4 hours.",
          },
        },
      ],
    },
    quiet: {
      series: [
        ...pve("pve_lock_state", `id="qemu/101", state="backup"`, "1x60 0x240"),
        ...pve(
          "pve_guest_info",
          `id="qemu/101", name="idx-1", node="pve1", type="qemu", template="0", tags="fortress"`,
          "1x300",
        ),
      ],
      at: "245m",
    },
  },
  {
    alert: "WazuhAgentsDisconnected",
    fire: {
      series: [
        {
          series:
            'fortress_wazuh_agents{job="node", instance="mgr-1:9100", group="k3s-agent", status="disconnected"}',
          values: "1x20",
        },
        {
          series:
            'fortress_wazuh_agents{job="node", instance="mgr-1:9100", group="k3s-agent", status="active"}',
          values: "3x20",
        },
      ],
      at: "15m",
      alerts: [
        {
          labels: { severity: "warning", layer: "endpoint", group: "k3s-agent" },
          annotations: {
            summary: "1 Wazuh agent(s) of role k3s-agent disconnected",
            description:
              "The manager counts disconnected agents in group k3s-agent for 10 minutes: those hosts send no events.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series:
            'fortress_wazuh_agents{job="node", instance="mgr-1:9100", group="k3s-agent", status="disconnected"}',
          values: "0x20",
        },
        {
          series:
            'fortress_wazuh_agents{job="node", instance="mgr-1:9100", group="laptops", status="disconnected"}',
          values: "2x20",
        },
      ],
      at: "15m",
    },
  },
  {
    alert: "WazuhAgentsMissing",
    fire: {
      series: [
        {
          series:
            'fortress_wazuh_agents{job="node", instance="mgr-1:9100", group="k3s-agent", status="active"}',
          values: "1x40",
        },
      ],
      at: "35m",
      alerts: [
        {
          labels: { severity: "warning", layer: "endpoint", group: "k3s-agent" },
          annotations: {
            summary: "Fewer than 2 active Wazuh agent(s) of role k3s-agent",
            description: "The plan has 2 host(s) of role k3s-agent; only 1 agent(s) are active.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series:
            'fortress_wazuh_agents{job="node", instance="mgr-1:9100", group="k3s-agent", status="active"}',
          values: "2x40",
        },
      ],
      at: "35m",
    },
  },
  {
    alert: "LogSourceSilent",
    fire: {
      series: [
        flowing("opnsense_syslog"),
        flowing("zeek_logs"),
        { series: `${EVENTS}{component_id="suricata_eve"}`, values: "0+10x10 100x40" },
      ],
      at: "40m",
      alerts: [
        {
          labels: { severity: "warning", layer: "sensors", source: "suricata", role: "firewall" },
          annotations: {
            summary: "Suricata's EVE alerts have been silent for 15m",
            description:
              "Vector's suricata_eve has received no event for 15m: the source, or its path to the aggregator, is down.",
          },
        },
      ],
    },
    quiet: {
      series: [flowing("opnsense_syslog"), flowing("zeek_logs"), flowing("suricata_eve")],
      at: "40m",
    },
  },
  {
    alert: "CapturePacketsDropped",
    fire: {
      series: [
        { series: `node_network_receive_drop_total{${ZEEK}}`, values: "0+100x40" },
        { series: `node_network_receive_packets_total{${ZEEK}}`, values: "0+1000x40" },
      ],
      at: "30m",
      alerts: [
        {
          labels: {
            severity: "warning",
            layer: "sensors",
            sensor: "zeek",
            role: "zeek",
            node: "pve2",
            device: "ens19",
            job: "node",
            instance: "zeek-1:9100",
          },
          annotations: {
            summary: "zeek's interface ens19 drops over 1 % of packets",
            description:
              "10% of the packets reaching ens19 on zeek-1:9100 are dropped before zeek sees them.",
          },
        },
      ],
    },
    quiet: {
      series: [
        { series: `node_network_receive_drop_total{${ZEEK}}`, values: "0+1x40" },
        { series: `node_network_receive_packets_total{${ZEEK}}`, values: "0+1000x40" },
        {
          series:
            'node_network_receive_drop_total{job="node", instance="zeek-1:9100", role="zeek", device="ens18"}',
          values: "0+500x40",
        },
        {
          series:
            'node_network_receive_packets_total{job="node", instance="zeek-1:9100", role="zeek", device="ens18"}',
          values: "0+1000x40",
        },
      ],
      at: "30m",
    },
  },
  {
    alert: "CertificateExpiring",
    fire: {
      series: [
        { series: `certmanager_certificate_expiration_timestamp_seconds{${CERT}}`, values: "172800x200" },
      ],
      at: "2h",
      alerts: (["warning", "critical"] as const).map((severity) => ({
        labels: { severity, layer: "platform", ...CERT_LABELS },
        annotations: {
          summary: `Certificate fortress-monitoring/grafana expires within ${severity === "warning" ? 14 : 3} days`,
          description:
            "cert-manager has not renewed it (1d 22h 0m 0s left); check the Certificate's events and the fortress-ca issuer.",
        },
      })),
    },
    quiet: {
      series: [
        { series: `certmanager_certificate_expiration_timestamp_seconds{${CERT}}`, values: "2592000x200" },
      ],
      at: "2h",
    },
  },
  {
    alert: "CertificateNotReady",
    fire: {
      series: [
        { series: `certmanager_certificate_ready_status{${CERT}, condition="False"}`, values: "1x30" },
        { series: `certmanager_certificate_ready_status{${CERT}, condition="True"}`, values: "0x30" },
      ],
      at: "20m",
      alerts: [
        {
          labels: { severity: "warning", layer: "platform", condition: "False", ...CERT_LABELS },
          annotations: {
            summary: "Certificate fortress-monitoring/grafana is not ready",
            description:
              "cert-manager reports the certificate not ready for 15 minutes: its secret may be missing or stale.",
          },
        },
      ],
    },
    quiet: {
      series: [
        { series: `certmanager_certificate_ready_status{${CERT}, condition="False"}`, values: "1x5 0x25" },
        { series: `certmanager_certificate_ready_status{${CERT}, condition="True"}`, values: "0x5 1x25" },
      ],
      at: "20m",
    },
  },
  {
    alert: "ContainmentFailing",
    fire: {
      series: [
        {
          series:
            'fortress_containment_actions_total{job="node", instance="mgr-1:9100", action="contain", result="failed"}',
          values: "0x5 1x10",
        },
        {
          series:
            'fortress_containment_actions_total{job="node", instance="mgr-1:9100", action="contain", result="done"}',
          values: "0x5 1x10",
        },
      ],
      at: "10m",
      alerts: [
        {
          labels: { severity: "critical", layer: "response", action: "contain", result: "failed" },
          annotations: {
            summary: "A containment contain failed (failed)",
            description:
              "The containment action on the manager recorded an unsuccessful contain in the last 30 minutes: a host that should be isolated may not be.",
          },
        },
      ],
    },
    quiet: {
      series: [
        {
          series:
            'fortress_containment_actions_total{job="node", instance="mgr-1:9100", action="contain", result="failed"}',
          values: "1x60",
        },
        {
          series:
            'fortress_containment_actions_total{job="node", instance="mgr-1:9100", action="contain", result="done"}',
          values: "0+1x60",
        },
        {
          series:
            'fortress_containment_actions_total{job="node", instance="mgr-1:9100", action="contain", result="refused"}',
          values: "0+1x60",
        },
      ],
      at: "50m",
    },
  },
];
