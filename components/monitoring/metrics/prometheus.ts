/**
 * Prometheus v3.14.0's own metrics (kube-prometheus-stack 88.5.3's image): configuration reloads
 * (cmd/prometheus/main.go), alert delivery to Alertmanager (notifier/metric.go, namespace
 * "prometheus", subsystem "notifications", label "alertmanager" from notifier/manager.go), rule
 * evaluation (rules/group.go), the alerts' synthetic series (rules/alerting.go) and the TSDB (tsdb/db.go, tsdb/head.go).
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

export const PROMETHEUS: MetricProducer = {
  job: "prometheus",
  source:
    "prometheus/prometheus@v3.14.0:cmd/prometheus/main.go, notifier/metric.go, notifier/manager.go, rules/group.go, rules/alerting.go, tsdb/db.go, tsdb/head.go",
  metrics: [
    // The rule manager's synthetic series (rules/alerting.go alertMetricName), one per pending or
    // firing alert, labelled alertname and alertstate besides the rule's own labels.
    metric(
      "ALERTS",
      "gauge",
      // With the alert's own labels: every Fortress rule and the chart's carry `severity`.
      ["alertname", "alertstate", "severity"],
      "The synthetic series of every pending or firing alert.",
    ),
    metric(
      "prometheus_config_last_reload_successful",
      "gauge",
      [],
      "Whether the last configuration reload attempt was successful.",
    ),
    metric(
      "prometheus_notifications_errors_total",
      "counter",
      ["alertmanager"],
      "Total number of sent alerts affected by errors.",
    ),
    metric(
      "prometheus_notifications_dropped_total",
      "counter",
      ["alertmanager"],
      "Total number of alerts dropped due to errors when sending to Alertmanager.",
    ),
    metric(
      "prometheus_notifications_sent_total",
      "counter",
      ["alertmanager"],
      "Total number of alerts sent.",
    ),
    metric(
      "prometheus_rule_evaluation_failures_total",
      "counter",
      ["rule_group"],
      "The total number of rule evaluation failures.",
    ),
    metric("prometheus_tsdb_head_series", "gauge", [], "Total number of series in the head block."),
    metric(
      "prometheus_tsdb_compactions_failed_total",
      "counter",
      [],
      "Total number of compactions that failed for the partition.",
    ),
    metric(
      "prometheus_tsdb_storage_blocks_bytes",
      "gauge",
      [],
      "The number of bytes that are currently used for local storage by all blocks.",
    ),
    metric("prometheus_tsdb_wal_corruptions_total", "counter", [], "Total number of WAL corruptions."),
    metric(
      "prometheus_tsdb_reloads_failures_total",
      "counter",
      [],
      "Number of times the database failed to reloadBlocks block data from disk.",
    ),
  ],
};
