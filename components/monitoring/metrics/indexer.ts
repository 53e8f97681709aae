/**
 * The elasticsearch exporter 1.11.0 against the Wazuh indexer (OpenSearch): cluster health
 * (collector/cluster_health.go), node stats (collector/nodes.go, the node it connects to, or every
 * node with `--es.all`), and snapshot statistics with `--collector.snapshots` (the flag that replaced
 * `--es.snapshots` in 1.7.0, README.md; collector/snapshots.go). Namespace "elasticsearch"
 * (collector/collector.go).
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const CLUSTER = ["cluster"];
const NODE = [
  "cluster",
  "host",
  "name",
  "es_master_node",
  "es_data_node",
  "es_ingest_node",
  "es_client_node",
];
const FS = [...NODE, "mount", "path"];
const SNAPSHOT = ["repository", "state", "version"];
const REPOSITORY = ["repository"];

export const INDEXER: MetricProducer = {
  job: "indexer-exporter",
  source:
    "prometheus-community/elasticsearch_exporter@v1.11.0:collector/cluster_health.go, collector/nodes.go, collector/snapshots.go, collector/collector.go",
  metrics: [
    metric(
      "elasticsearch_cluster_health_status",
      "gauge",
      ["cluster", "color"],
      "Whether all primary and replica shards are allocated.",
    ),
    metric(
      "elasticsearch_cluster_health_number_of_nodes",
      "gauge",
      CLUSTER,
      "Number of nodes in the cluster.",
    ),
    metric(
      "elasticsearch_cluster_health_number_of_data_nodes",
      "gauge",
      CLUSTER,
      "Number of data nodes in the cluster.",
    ),
    metric(
      "elasticsearch_cluster_health_active_shards",
      "gauge",
      CLUSTER,
      "Aggregate total of all shards across all indices, which includes replica shards.",
    ),
    metric(
      "elasticsearch_cluster_health_unassigned_shards",
      "gauge",
      CLUSTER,
      "The number of shards that exist in the cluster state, but cannot be found in the cluster itself.",
    ),
    metric(
      "elasticsearch_filesystem_data_available_bytes",
      "gauge",
      FS,
      "Available space on block device in bytes",
    ),
    metric("elasticsearch_filesystem_data_size_bytes", "gauge", FS, "Size of block device in bytes"),
    metric("elasticsearch_indices_docs", "gauge", NODE, "Count of documents on this node"),
    metric(
      "elasticsearch_indices_store_size_bytes",
      "gauge",
      NODE,
      "Current size of stored index data in bytes",
    ),
    metric("elasticsearch_indices_indexing_index_total", "counter", NODE, "Total index calls"),
    metric(
      "elasticsearch_indices_indexing_index_time_seconds_total",
      "counter",
      NODE,
      "Cumulative index time in seconds",
    ),
    metric(
      "elasticsearch_jvm_memory_used_bytes",
      "gauge",
      [...NODE, "area"],
      "JVM memory currently used by area",
    ),
    metric("elasticsearch_jvm_memory_max_bytes", "gauge", [...NODE, "area"], "JVM memory max"),
    metric("elasticsearch_os_cpu_percent", "gauge", NODE, "Percent CPU used by OS"),
    metric(
      "elasticsearch_scrape_success",
      "gauge",
      ["collector"],
      "elasticsearch_exporter: Whether a collector succeeded.",
    ),
    metric(
      "elasticsearch_snapshot_stats_number_of_snapshots",
      "gauge",
      REPOSITORY,
      "Number of snapshots in a repository",
    ),
    metric(
      "elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds",
      "gauge",
      REPOSITORY,
      "Timestamp of the latest SUCCESS or PARTIAL snapshot",
    ),
    metric(
      "elasticsearch_snapshot_stats_oldest_snapshot_timestamp",
      "gauge",
      REPOSITORY,
      "Timestamp of the oldest snapshot",
    ),
    metric(
      "elasticsearch_snapshot_stats_snapshot_number_of_failures",
      "gauge",
      SNAPSHOT,
      "Last snapshot number of failures",
    ),
    metric(
      "elasticsearch_snapshot_stats_snapshot_failed_shards",
      "gauge",
      SNAPSHOT,
      "Last snapshot failed shards",
    ),
  ],
};
