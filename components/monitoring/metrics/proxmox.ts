/**
 * prometheus-pve-exporter 3.10.0 (the Proxmox API, one scrape per node with `cluster=1&node=1`).
 * Cluster-wide families (`cluster=1`: status, resources, node, cluster, version, backup-info) come
 * from collector/cluster.py; per-node ones (`node=1`: config, replication, subscription) from
 * collector/node.py (src/pve_exporter/collector/__init__.py collect_pve decides which run). `id` is
 * `node/<name>`, `qemu/<vmid>`, `lxc/<vmid>`, `storage/<node>/<name>` or `cluster/<name>`.
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const ID = ["id"];

export const PROXMOX: MetricProducer = {
  job: "proxmox",
  source:
    "prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py, src/pve_exporter/collector/node.py",
  metrics: [
    metric("pve_up", "gauge", ID, "Node/VM/CT-Status is online/running"),
    metric("pve_cpu_usage_ratio", "gauge", ID, "CPU utilization (for types 'node', 'qemu' and 'lxc')."),
    metric(
      "pve_cpu_usage_limit",
      "gauge",
      ID,
      "Number of available CPUs (for types 'node', 'qemu' and 'lxc').",
    ),
    metric(
      "pve_memory_usage_bytes",
      "gauge",
      ID,
      "Used memory in bytes (for types 'node', 'qemu' and 'lxc').",
    ),
    metric(
      "pve_memory_size_bytes",
      "gauge",
      ID,
      "Number of available memory in bytes (for types 'node', 'qemu' and 'lxc').",
    ),
    metric(
      "pve_disk_usage_bytes",
      "gauge",
      ID,
      "Used disk space in bytes (for type 'storage'), used root image space for VMs (for types 'qemu' and 'lxc').",
    ),
    metric(
      "pve_disk_size_bytes",
      "gauge",
      ID,
      "Storage size in bytes (for type 'storage'), root image size for VMs (for types 'qemu' and 'lxc').",
    ),
    metric(
      "pve_uptime_seconds",
      "gauge",
      ID,
      "Uptime of node or virtual guest in seconds (for types 'node', 'qemu' and 'lxc').",
    ),
    metric(
      "pve_network_receive_bytes_total",
      "counter",
      ID,
      "The amount of traffic in bytes that was sent to the guest over the network since it was started.",
    ),
    metric(
      "pve_network_transmit_bytes_total",
      "counter",
      ID,
      "The amount of traffic in bytes that was sent from the guest over the network since it was started.",
    ),
    metric(
      "pve_disk_read_bytes_total",
      "counter",
      ID,
      "The amount of bytes the guest read from its block devices since it was started.",
    ),
    metric(
      "pve_disk_written_bytes_total",
      "counter",
      ID,
      "The amount of bytes the guest wrote to its block devices since it was started.",
    ),
    metric("pve_guest_info", "gauge", ["id", "node", "name", "type", "template", "tags"], "VM/CT info"),
    metric("pve_storage_info", "gauge", ["id", "node", "storage", "plugintype", "content"], "Storage info"),
    metric("pve_node_info", "gauge", ["id", "level", "name", "nodeid"], "Node info"),
    metric("pve_cluster_info", "gauge", ["id", "nodes", "quorate", "version"], "Cluster info"),
    metric("pve_version_info", "gauge", ["release", "repoid", "version"], "Proxmox VE version info"),
    metric("pve_ha_state", "gauge", ["id", "state"], "HA service status (for HA managed VMs)."),
    metric(
      "pve_lock_state",
      "gauge",
      ["id", "state"],
      "The guest's current config lock (for types 'qemu' and 'lxc')",
    ),
    metric("pve_onboot_status", "gauge", ["id", "node", "type"], "Proxmox vm config onboot value"),
    metric("pve_not_backed_up_total", "gauge", ID, "Total number of guests not covered by any backup job."),
    metric("pve_not_backed_up_info", "gauge", ID, "Present if guest is not covered by any backup job."),
    metric(
      "pve_replication_info",
      "gauge",
      ["id", "type", "source", "target", "guest"],
      "Proxmox vm replication info",
    ),
    metric("pve_replication_last_sync_timestamp_seconds", "gauge", ID, "Proxmox vm replication last_sync"),
    metric("pve_replication_failed_syncs", "gauge", ID, "Proxmox vm replication fail_count"),
  ],
};
