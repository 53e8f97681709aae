/**
 * Disks filling: the indexer's data path (elasticsearch_exporter's node filesystem stats,
 * prometheus-community/elasticsearch_exporter@v1.11.0:collector/nodes.go
 * `elasticsearch_filesystem_data_{available,size}_bytes`), its disk watermarks (the fractions the SIEM
 * sets, components/siem/opensearchYml.ts DISK_WATERMARKS), the cluster's volumes (kubelet's
 * `kubelet_volume_stats_{available,capacity}_bytes{namespace,persistentvolumeclaim}`), and the vzdump
 * storage (prometheus-pve-exporter `pve_disk_{usage,size}_bytes{id="storage/<node>/<storage>"}`).
 * Each has a trend (predict_linear) and an absolute threshold.
 */
import type { AlertRule } from "../contract";
import type { AlertRulesInput, RuleIndexer, RuleVolume, RuleVzdump } from "./input";
import { fraction, oneOf, quoted } from "./promql";

const INDEXER_USED =
  "1 - elasticsearch_filesystem_data_available_bytes / elasticsearch_filesystem_data_size_bytes";

/** The warning comes this far below the low watermark, so that there is time before allocation stops. */
export const WATERMARK_MARGIN = 0.05;

function indexerDisk(indexer: RuleIndexer): AlertRule[] {
  const { low, high, floodStage } = indexer.watermarks;
  if (!(low - WATERMARK_MARGIN > 0 && low < high && high < floodStage && floodStage < 1))
    throw new Error("rules: the indexer's watermarks must rise low < high < flood stage < 1");
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  return [
    {
      alert: "IndexerDiskFillingUp",
      expr: `predict_linear(elasticsearch_filesystem_data_available_bytes[6h], 4 * 86400) < 0 and ${INDEXER_USED} > 0.5`,
      for: "1h",
      labels: { severity: "warning", layer: "siem" },
      annotations: {
        summary: "The indexer's disk on {{ $labels.name }} fills within 4 days",
        description:
          "At the last 6 hours' rate the indexer's data path {{ $labels.path }} runs out of space within 4 days; shorten retention or grow the disk.",
      },
    },
    {
      alert: "IndexerDiskWatermarkNear",
      expr: `${INDEXER_USED} >= ${fraction(low - WATERMARK_MARGIN)}`,
      for: "15m",
      labels: { severity: "warning", layer: "siem" },
      annotations: {
        summary: "The indexer's disk on {{ $labels.name }} nears the low watermark",
        description: `{{ $value | humanizePercentage }} used; at ${percent(low)} OpenSearch stops allocating replicas, at ${percent(high)} it moves shards away, at ${percent(floodStage)} indices turn read-only.`,
      },
    },
    {
      alert: "IndexerDiskWatermarkNear",
      expr: `${INDEXER_USED} >= ${fraction(high)}`,
      for: "5m",
      labels: { severity: "critical", layer: "siem" },
      annotations: {
        summary: "The indexer's disk on {{ $labels.name }} is past the high watermark",
        description: `{{ $value | humanizePercentage }} used, past the ${percent(high)} high watermark; at ${percent(floodStage)} every index on it turns read-only and ingest stops.`,
      },
    },
  ];
}

function claimMatcher(volume: RuleVolume): string {
  const claim = volume.prefix
    ? `persistentvolumeclaim=~${quoted(`${volume.claim.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*`)}`
    : `persistentvolumeclaim=${quoted(volume.claim)}`;
  return `namespace=${quoted(volume.namespace)}, ${claim}`;
}

function volumeRules(volume: RuleVolume): AlertRule[] {
  const selector = claimMatcher(volume);
  const free = `kubelet_volume_stats_available_bytes{${selector}} / kubelet_volume_stats_capacity_bytes{${selector}}`;
  return [
    {
      alert: "VolumeFillingUp",
      expr: `predict_linear(kubelet_volume_stats_available_bytes{${selector}}[6h], 4 * 86400) < 0 and ${free} < 0.5`,
      for: "1h",
      labels: { severity: "warning", layer: volume.layer, volume: volume.name },
      annotations: {
        summary: `${volume.name}'s volume {{ $labels.persistentvolumeclaim }} fills within 4 days`,
        description: `At the last 6 hours' rate ${volume.name}'s volume in {{ $labels.namespace }} runs out of space within 4 days; lower its retention or grow it.`,
      },
    },
    {
      alert: "VolumeAlmostFull",
      expr: `${free} < 0.1`,
      for: "5m",
      labels: { severity: "critical", layer: volume.layer, volume: volume.name },
      annotations: {
        summary: `${volume.name}'s volume {{ $labels.persistentvolumeclaim }} is over 90 % full`,
        description: `{{ $value | humanizePercentage }} of ${volume.name}'s volume in {{ $labels.namespace }} is free.`,
      },
    },
  ];
}

function backupStorage(vzdump: RuleVzdump): AlertRule[] {
  const ids = oneOf(
    "id",
    vzdump.nodes.map((node) => `storage/${node}/${vzdump.storage}`),
  );
  const withNode = (expr: string) => `label_replace(${expr}, "node", "$1", "id", "storage/([^/]+)/.+")`;
  return [
    {
      alert: "BackupStorageFillingUp",
      expr: withNode(
        `max by (id) (predict_linear(pve_disk_usage_bytes{${ids}}[12h], 4 * 86400)) > max by (id) (pve_disk_size_bytes{${ids}})`,
      ),
      for: "1h",
      labels: { severity: "warning", layer: "hypervisor" },
      annotations: {
        summary: `Backup storage ${vzdump.storage} on {{ $labels.node }} fills within 4 days`,
        description:
          "At the last 12 hours' rate the vzdump storage runs out of space within 4 days; the next backups would fail. Lower keep-daily/keep-weekly or grow the storage.",
      },
    },
    {
      alert: "BackupStorageAlmostFull",
      expr: withNode(
        `max by (id) (pve_disk_usage_bytes{${ids}}) / max by (id) (pve_disk_size_bytes{${ids}}) > 0.9`,
      ),
      for: "15m",
      labels: { severity: "critical", layer: "hypervisor" },
      annotations: {
        summary: `Backup storage ${vzdump.storage} on {{ $labels.node }} is over 90 % full`,
        description: "{{ $value | humanizePercentage }} of the vzdump storage is used.",
      },
    },
  ];
}

export function storageRules(input: AlertRulesInput): AlertRule[] {
  return [
    ...(input.indexer ? indexerDisk(input.indexer) : []),
    ...input.volumes.flatMap(volumeRules),
    ...(input.vzdump && input.vzdump.nodes.length > 0 ? backupStorage(input.vzdump) : []),
  ];
}
