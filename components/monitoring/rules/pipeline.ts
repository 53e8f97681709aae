/**
 * The security pipeline's health: the indexer cluster and its snapshots, the vzdump job's coverage,
 * Wazuh agents per role, log sources gone silent, capture drops, certificates, the containment action.
 *
 * Sources of the metrics (each in the catalogue, components/monitoring/metrics):
 * - `elasticsearch_cluster_health_status{cluster,color}` 1 for the current colour
 *   (prometheus-community/elasticsearch_exporter@v1.11.0:collector/cluster_health.go); with
 *   `--es.snapshots`, `elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{repository}`, 0 when
 *   the repository holds none (collector/snapshots.go).
 * - `pve_not_backed_up_info{id}`, present for a guest no backup job covers (prometheus-pve-exporter
 *   @v3.10.0 cluster.py, `--collector.backup-info`); `pve_lock_state{id,state="backup"}` a guest's lock.
 * - `fortress_wazuh_agents{status,group}` and `fortress_containment_actions_total{action,result}`, the
 *   textfile metrics Fortress writes on the manager (components/monitoring/metrics/fortress.ts).
 * - `vector_component_received_events_total{component_id}` (Vector's internal metrics).
 * - `node_network_receive_drop_total{device}` and `node_network_receive_packets_total` — the
 *   name on Linux and FreeBSD alike (prometheus/node_exporter@v1.12.1:collector/netdev_linux.go,
 *   netdev_bsd.go `receive_dropped`).
 * - `certmanager_certificate_expiration_timestamp_seconds{name,namespace,…}` and
 *   `certmanager_certificate_ready_status{…,condition}` (cert-manager/cert-manager@v1.19.4:
 *   internal/collectors/certificate_collector.go).
 */
import type { AlertRule } from "../contract";
import type { AlertRulesInput, RuleLogSource, RuleVm } from "./input";
import { FIREWALL_ROLE } from "./availability";
import { oneOf, quoted, seconds } from "./promql";

function indexerHealth(): AlertRule[] {
  return [
    {
      alert: "IndexerClusterNotGreen",
      expr: `elasticsearch_cluster_health_status{color="yellow"} == 1`,
      for: "15m",
      labels: { severity: "warning", layer: "siem" },
      annotations: {
        summary: "The indexer cluster {{ $labels.cluster }} is yellow",
        description: "Some replica shards are unassigned for 15 minutes (a node or disk short of space).",
      },
    },
    {
      alert: "IndexerClusterNotGreen",
      expr: `elasticsearch_cluster_health_status{color="red"} == 1`,
      for: "5m",
      labels: { severity: "critical", layer: "siem" },
      annotations: {
        summary: "The indexer cluster {{ $labels.cluster }} is red",
        description: "A primary shard is unassigned: some Wazuh alerts cannot be written or searched.",
      },
    },
  ];
}

function indexerSnapshots(repository: string, maxAgeHours: number): AlertRule {
  return {
    alert: "IndexerSnapshotMissing",
    expr: `time() - elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{repository=${quoted(repository)}} > ${maxAgeHours * 3600}`,
    for: "30m",
    labels: { severity: "warning", layer: "siem" },
    annotations: {
      summary: `No indexer snapshot in ${repository} for ${maxAgeHours} hours`,
      description:
        "The snapshot management policy's daily snapshot has not been taken (or the repository holds none): the Wazuh indices have no fresh backup.",
    },
  };
}

function vzdumpCoverage(stateful: readonly RuleVm[]): AlertRule[] {
  // One copy per guest: every Proxmox node reports the whole cluster (cluster=1 on each).
  const guests = `max by (id, name, node) (pve_guest_info{${oneOf(
    "name",
    stateful.map((vm) => vm.name),
  )}})`;
  return [
    {
      alert: "VmNotBackedUp",
      expr: `max by (id) (pve_not_backed_up_info) * on (id) group_left (name, node) ${guests}`,
      for: "1h",
      labels: { severity: "warning", layer: "hypervisor" },
      annotations: {
        summary: "VM {{ $labels.name }} holds state but no backup job covers it",
        description: "Proxmox lists {{ $labels.name }} on {{ $labels.node }} among the guests not backed up.",
      },
    },
    {
      alert: "BackupStuck",
      expr: `max by (id) (pve_lock_state{state="backup"}) * on (id) group_left (name, node) ${guests} == 1`,
      for: "4h",
      labels: { severity: "warning", layer: "hypervisor" },
      annotations: {
        summary: "VM {{ $labels.name }} has been locked by a backup for 4 hours",
        description: "The vzdump of {{ $labels.name }} on {{ $labels.node }} has not finished in 4 hours.",
      },
    },
  ];
}

function agents(input: AlertRulesInput): AlertRule[] {
  const groups = input.agentGroups;
  const rules: AlertRule[] = [
    {
      alert: "WazuhAgentsDisconnected",
      expr: `sum by (group) (fortress_wazuh_agents{status="disconnected", ${oneOf(
        "group",
        groups.map((g) => g.group),
      )}}) > 0`,
      for: "10m",
      labels: { severity: "warning", layer: "endpoint" },
      annotations: {
        summary: "{{ $value }} Wazuh agent(s) of role {{ $labels.group }} disconnected",
        description:
          "The manager counts disconnected agents in group {{ $labels.group }} for 10 minutes: those hosts send no events.",
      },
    },
  ];
  for (const group of groups)
    rules.push({
      alert: "WazuhAgentsMissing",
      // `or vector(0)`: the metrics program writes a group only while it holds an agent, so a role with
      // none active (never enrolled, all gone) would otherwise yield no series and no alert.
      expr: `(sum(fortress_wazuh_agents{status="active", group=${quoted(group.group)}}) or vector(0)) < ${group.expected}`,
      for: "30m",
      labels: { severity: "warning", layer: "endpoint", group: group.group },
      annotations: {
        summary: `Fewer than ${group.expected} active Wazuh agent(s) of role ${group.group}`,
        description: `The plan has ${group.expected} host(s) of role ${group.group}; only {{ $value }} agent(s) are active.`,
      },
    });
  return rules;
}

const SOURCE_TEXT: Record<RuleLogSource["source"], { title: string; layer: string }> = {
  "opnsense-syslog": { title: "OPNsense's syslog", layer: "network" },
  suricata: { title: "Suricata's EVE alerts", layer: "sensors" },
  zeek: { title: "Zeek's logs", layer: "sensors" },
};

/** The Zeek VM's role and node label it; the firewall's sources its role: so that a down host inhibits them. */
function silent(source: RuleLogSource, zeek: RuleVm | undefined): AlertRule {
  const window = source.silentFor ?? "15m";
  seconds(window);
  const text = SOURCE_TEXT[source.source];
  const selector = `vector_component_received_events_total{component_id=${quoted(source.componentId)}}`;
  const host: Record<string, string> =
    source.source !== "zeek" ? { role: FIREWALL_ROLE } : zeek ? { role: zeek.role, node: zeek.node } : {};
  return {
    alert: "LogSourceSilent",
    expr: `sum(increase(${selector}[${window}])) == 0 or absent(${selector})`,
    for: "5m",
    labels: { severity: "warning", layer: text.layer, source: source.source, ...host },
    annotations: {
      summary: `${text.title} have been silent for ${window}`,
      description: `Vector's ${source.componentId} has received no event for ${window}: the source, or its path to the aggregator, is down.`,
    },
  };
}

function drops(input: AlertRulesInput): AlertRule[] {
  const rule = (sensor: string, selector: string, layer: string): AlertRule => ({
    alert: "CapturePacketsDropped",
    expr: `rate(node_network_receive_drop_total{${selector}}[10m]) / rate(node_network_receive_packets_total{${selector}}[10m]) > 0.01`,
    for: "15m",
    labels: { severity: "warning", layer, sensor },
    annotations: {
      summary: `${sensor}'s interface {{ $labels.device }} drops over 1 % of packets`,
      description: `{{ $value | humanizePercentage }} of the packets reaching {{ $labels.device }} on {{ $labels.instance }} are dropped before ${sensor} sees them.`,
    },
  });
  const rules: AlertRule[] = [];
  const { zeek, suricata } = input.capture;
  if (zeek) rules.push(rule("zeek", `role=${quoted(zeek.role)}, device=${quoted(zeek.device)}`, "sensors"));
  if (suricata && suricata.devices.length > 0)
    rules.push(rule("suricata", `role="${FIREWALL_ROLE}", ${oneOf("device", suricata.devices)}`, "sensors"));
  return rules;
}

function certificates(): AlertRule[] {
  const left = "certmanager_certificate_expiration_timestamp_seconds - time()";
  const expiring = (severity: "warning" | "critical", days: number): AlertRule => ({
    alert: "CertificateExpiring",
    expr: `${left} < ${days * 86400}`,
    for: "1h",
    labels: { severity, layer: "platform" },
    annotations: {
      summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within ${days} days`,
      description:
        "cert-manager has not renewed it ({{ $value | humanizeDuration }} left); check the Certificate's events and the fortress-ca issuer.",
    },
  });
  return [
    expiring("warning", 14),
    expiring("critical", 3),
    {
      alert: "CertificateNotReady",
      expr: `certmanager_certificate_ready_status{condition="False"} == 1`,
      for: "15m",
      labels: { severity: "warning", layer: "platform" },
      annotations: {
        summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready",
        description:
          "cert-manager reports the certificate not ready for 15 minutes: its secret may be missing or stale.",
      },
    },
  ];
}

/**
 * The results the containment program counts as failures: its `FAILED` ("failed", "transient") in
 * components/response/containment/fortress-contain.py (the hosts part's counters, commit 09216a4);
 * "done", "skipped", "restored" and "refused" (an allow-listed address) are not.
 */
function containment(): AlertRule {
  return {
    alert: "ContainmentFailing",
    expr: `sum by (action, result) (increase(fortress_containment_actions_total{result=~"failed|transient"}[30m])) > 0`,
    labels: { severity: "critical", layer: "response" },
    annotations: {
      summary: "A containment {{ $labels.action }} failed ({{ $labels.result }})",
      description:
        "The containment action on the manager recorded an unsuccessful {{ $labels.action }} in the last 30 minutes: a host that should be isolated may not be.",
    },
  };
}

export function pipelineRules(input: AlertRulesInput): AlertRule[] {
  const stateful = input.vms.filter((vm) => vm.stateful);
  return [
    ...(input.indexer ? indexerHealth() : []),
    ...(input.indexer?.snapshots
      ? [indexerSnapshots(input.indexer.snapshots.repository, input.indexer.snapshots.maxAgeHours)]
      : []),
    ...(input.vzdump && stateful.length > 0 ? vzdumpCoverage(stateful) : []),
    ...(input.agentGroups.length > 0 ? agents(input) : []),
    ...input.logSources.map((source) =>
      silent(
        source,
        input.vms.find((vm) => vm.role === input.capture.zeek?.role),
      ),
    ),
    ...drops(input),
    ...(input.certificates ? certificates() : []),
    ...(input.containment ? [containment()] : []),
  ];
}
