/**
 * Performance: CPU, memory and disk per node (node exporter on the Proxmox hosts, the VMs and the
 * k3s nodes) and per VM (the Proxmox exporter's guest metrics, named by `pve_guest_info`), the
 * indexer's and Loki's health, and what each pipeline ingests.
 */
import type { PanelSpec } from "../panels";

/**
 * Every Proxmox node answers for the whole cluster (the Proxmox job's cluster=1 on each), so each guest's
 * series come once per node: one copy per id on both sides, or the match has duplicates.
 */
const byVm = (expr: string) =>
  `max by (id) (${expr}) * on (id) group_left (name, node) max by (id, name, node) (pve_guest_info)`;
const REAL_FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs|ramfs"';

export function performancePanels(): PanelSpec[] {
  const perNode = (title: string, expr: string): PanelSpec => ({
    title,
    type: "timeseries",
    w: 12,
    unit: "percentunit",
    queries: [{ kind: "prometheus", expr, legend: "{{node}} {{role}} {{instance}}" }],
  });
  const perVm = (title: string, expr: string): PanelSpec => ({
    title,
    type: "timeseries",
    w: 12,
    unit: "percentunit",
    queries: [{ kind: "prometheus", expr: byVm(expr), legend: "{{name}} ({{node}})" }],
  });
  return [
    perNode(
      "CPU per node",
      '1 - avg by (node, role, instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))',
    ),
    perVm("CPU per VM", 'pve_cpu_usage_ratio{id=~"qemu/.*"}'),
    perNode("Memory used per node", "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes"),
    perVm(
      "Memory used per VM",
      'pve_memory_usage_bytes{id=~"qemu/.*"} / pve_memory_size_bytes{id=~"qemu/.*"}',
    ),
    perNode(
      "Disk used per node (fullest filesystem)",
      `max by (node, role, instance) (1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}})`,
    ),
    {
      ...perVm(
        "Disk I/O per VM",
        'rate(pve_disk_read_bytes_total{id=~"qemu/.*"}[$__rate_interval]) + rate(pve_disk_written_bytes_total{id=~"qemu/.*"}[$__rate_interval])',
      ),
      unit: "Bps",
      description:
        "Bytes read and written per second. Proxmox reports no used space for a VM's disks (qemu-server: `disk = 0; # no info available`): the guests' filesystems are in the node panel.",
    },
    {
      title: "Indexer cluster green",
      type: "stat",
      w: 6,
      h: 5,
      queries: [
        {
          kind: "prometheus",
          expr: 'max(elasticsearch_cluster_health_status{color="green"})',
          instant: true,
        },
      ],
    },
    {
      title: "Indexer disk free (lowest node)",
      type: "stat",
      w: 6,
      h: 5,
      unit: "percentunit",
      queries: [
        {
          kind: "prometheus",
          expr: "min(elasticsearch_filesystem_data_available_bytes / elasticsearch_filesystem_data_size_bytes)",
          instant: true,
        },
      ],
    },
    {
      title: "Loki receiving",
      description: "Lines per second Loki's distributor accepts: zero means no shipper reaches it.",
      type: "stat",
      w: 6,
      h: 5,
      unit: "short",
      queries: [
        { kind: "prometheus", expr: "sum(rate(loki_distributor_lines_received_total[5m]))", instant: true },
      ],
    },
    {
      title: "Proxmox API reachable",
      type: "stat",
      w: 6,
      h: 5,
      queries: [{ kind: "prometheus", expr: 'min(pve_up{id=~"node/.*"})', instant: true }],
    },
    {
      title: "Ingest rates",
      type: "timeseries",
      w: 24,
      unit: "ops",
      queries: [
        {
          kind: "prometheus",
          expr: "sum(rate(elasticsearch_indices_indexing_index_total[$__rate_interval]))",
          legend: "indexer documents/s",
        },
        {
          kind: "prometheus",
          expr: "sum(rate(loki_distributor_lines_received_total[$__rate_interval]))",
          legend: "Loki lines/s",
        },
        {
          kind: "prometheus",
          expr: 'sum by (component_id) (rate(vector_component_sent_events_total{component_kind="sink"}[$__rate_interval]))',
          legend: "Vector {{component_id}} events/s",
        },
      ],
    },
  ];
}
