/**
 * The node exporter 1.12.x (the chart's DaemonSet on the k3s nodes, prometheus-node-exporter 4.56.1 /
 * app 1.12.1; the Debian package on the other VMs and the Proxmox hosts): the subset Fortress reads.
 * Names are `node_<subsystem>_<name>` (collector/collector.go namespace "node"); memory fields are
 * `node_memory_<field>` built from /proc/meminfo keys (collector/meminfo.go, collector/meminfo_linux.go, meminfo_linux.go);
 * network counters are `node_network_<key>_total` (collector/netdev_common.go metricDesc) with the
 * keys collector/netdev_linux.go reads, renamed by `legacy()` unless --collector.netdev.enable-detailed-metrics
 * (off in every exporter here): `receive_drop`, `transmit_drop`, `receive_errs`, `transmit_errs`
 * (netdev_common.go `legacy`, the same in 1.5.0).
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const REF = "prometheus/node_exporter@v1.12.1";
const FS_LABELS = ["device", "mountpoint", "fstype", "device_error"] as const;

export const NODE_EXPORTER: MetricProducer = {
  job: "node-exporter",
  source: `${REF}:collector/cpu_common.go, collector/meminfo.go, collector/meminfo_linux.go, collector/filesystem_common.go, collector/netdev_common.go, collector/netdev_linux.go, collector/loadavg.go, collector/stat_linux.go, collector/textfile.go, collector/timex.go, collector/uname.go, collector/collector.go`,
  metrics: [
    metric("node_cpu_seconds_total", "counter", ["cpu", "mode"], "Seconds the CPUs spent in each mode."),
    metric("node_memory_MemTotal_bytes", "gauge", [], "Memory information field MemTotal_bytes."),
    metric("node_memory_MemAvailable_bytes", "gauge", [], "Memory information field MemAvailable_bytes."),
    metric("node_memory_MemFree_bytes", "gauge", [], "Memory information field MemFree_bytes."),
    metric("node_memory_Buffers_bytes", "gauge", [], "Memory information field Buffers_bytes."),
    metric("node_memory_Cached_bytes", "gauge", [], "Memory information field Cached_bytes."),
    metric("node_memory_SwapTotal_bytes", "gauge", [], "Memory information field SwapTotal_bytes."),
    metric("node_memory_SwapFree_bytes", "gauge", [], "Memory information field SwapFree_bytes."),
    metric(
      "node_filesystem_avail_bytes",
      "gauge",
      FS_LABELS,
      "Filesystem space available to non-root users in bytes.",
    ),
    metric("node_filesystem_size_bytes", "gauge", FS_LABELS, "Filesystem size in bytes."),
    metric("node_filesystem_free_bytes", "gauge", FS_LABELS, "Filesystem free space in bytes."),
    metric("node_filesystem_readonly", "gauge", FS_LABELS, "Filesystem read-only status."),
    metric(
      "node_network_receive_bytes_total",
      "counter",
      ["device"],
      "Network device statistic receive_bytes.",
    ),
    metric(
      "node_network_transmit_bytes_total",
      "counter",
      ["device"],
      "Network device statistic transmit_bytes.",
    ),
    metric(
      "node_network_receive_packets_total",
      "counter",
      ["device"],
      "Network device statistic receive_packets.",
    ),
    metric(
      "node_network_receive_drop_total",
      "counter",
      ["device"],
      "Network device statistic receive_drop.",
    ),
    metric(
      "node_network_transmit_drop_total",
      "counter",
      ["device"],
      "Network device statistic transmit_drop.",
    ),
    metric(
      "node_network_receive_errs_total",
      "counter",
      ["device"],
      "Network device statistic receive_errs.",
    ),
    metric(
      "node_network_transmit_errs_total",
      "counter",
      ["device"],
      "Network device statistic transmit_errs.",
    ),
    metric("node_load1", "gauge", [], "1m load average."),
    metric("node_load5", "gauge", [], "5m load average."),
    metric("node_load15", "gauge", [], "15m load average."),
    metric("node_boot_time_seconds", "gauge", [], "Node boot time, in unixtime."),
    metric(
      "node_textfile_scrape_error",
      "gauge",
      [],
      "1 if there was an error opening or reading a file, 0 otherwise",
    ),
    metric(
      "node_textfile_mtime_seconds",
      "gauge",
      ["file"],
      "Unixtime mtime of textfiles successfully read.",
    ),
    metric(
      "node_timex_offset_seconds",
      "gauge",
      [],
      "Time offset in between local system and reference clock.",
    ),
    metric(
      "node_timex_sync_status",
      "gauge",
      [],
      "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
    ),
    metric(
      "node_uname_info",
      "gauge",
      ["sysname", "release", "version", "machine", "nodename", "domainname"],
      "Labeled system information as provided by the uname system call.",
    ),
    metric(
      "node_scrape_collector_success",
      "gauge",
      ["collector"],
      "node_exporter: Whether a collector succeeded.",
    ),
  ],
};
