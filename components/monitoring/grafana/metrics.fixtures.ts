/**
 * The metric names the dashboards use, each with where it is defined, until the monitoring layer's
 * catalogue (components/monitoring/metrics, METRIC_PRODUCERS) lands; then the dashboards' test reads
 * the catalogue instead and this list goes.
 */
export const INTERIM_METRICS: Readonly<Record<string, string>> = {
  up: "Prometheus: the synthetic sample of every scrape",
  ALERTS: "Prometheus: the synthetic series of every alerting rule's pending and firing alerts",
  node_cpu_seconds_total: "prometheus/node_exporter@v1.12.0:collector/cpu_linux.go",
  node_memory_MemAvailable_bytes: "prometheus/node_exporter@v1.12.0:collector/meminfo.go (MemAvailable)",
  node_memory_MemTotal_bytes: "prometheus/node_exporter@v1.12.0:collector/meminfo.go (MemTotal)",
  node_filesystem_avail_bytes: "prometheus/node_exporter@v1.12.0:collector/filesystem_common.go",
  node_filesystem_size_bytes: "prometheus/node_exporter@v1.12.0:collector/filesystem_common.go",
  node_network_receive_bytes_total: "prometheus/node_exporter@v1.12.0:collector/netdev_common.go",
  node_network_transmit_bytes_total: "prometheus/node_exporter@v1.12.0:collector/netdev_common.go",
  pve_cpu_usage_ratio: "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py",
  pve_memory_usage_bytes:
    "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py",
  pve_memory_size_bytes:
    "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py",
  pve_disk_usage_bytes:
    "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py",
  pve_disk_size_bytes: "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py",
  pve_guest_info:
    "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py (id, node, name, type, template, tags)",
  pve_up: "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py",
  elasticsearch_cluster_health_status:
    "prometheus-community/elasticsearch_exporter@v1.11.0:collector/cluster_health.go (cluster, color)",
  elasticsearch_filesystem_data_available_bytes:
    "prometheus-community/elasticsearch_exporter@v1.11.0:collector/nodes.go",
  elasticsearch_filesystem_data_size_bytes:
    "prometheus-community/elasticsearch_exporter@v1.11.0:collector/nodes.go",
  elasticsearch_indices_indexing_index_total:
    "prometheus-community/elasticsearch_exporter@v1.11.0:collector/nodes.go",
  loki_distributor_lines_received_total:
    "grafana/loki pkg/distributor (Namespace loki, distributor_lines_received_total)",
  vector_component_sent_events_total:
    "vectordotdev/vector@v0.57.0:lib/vector-common/src/internal_event/metric_name.rs (the exporter's `vector` namespace)",
  fortress_wazuh_agents:
    "the manager's textfile metrics (issue 15 hosts part: fortress_wazuh_agents{status,group})",
  fortress_containment_actions_total:
    "fortress-contain's textfile counters (issue 15 hosts part: {action,result})",
};
