/**
 * What the monitoring layer's parts hand each other (issue 15): the metrics each producer exposes
 * (the only names a rule or a dashboard may use), the scrape jobs the layer adds to Prometheus, the
 * rule groups, the Alertmanager configuration, and Grafana's part of the stack's chart values. One
 * vocabulary for the labels every target carries, so that rules, routes and dashboards agree.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The labels Fortress puts on every target it scrapes (besides Prometheus's `job` and `instance`). */
export const TARGET_LABELS = {
  /** The blueprint layer the target belongs to (network, hypervisor, siem, …). */
  layer: "layer",
  /** The VM role (`k3s-agent`, `wazuh-manager`, …), `proxmox-node`, or `firewall`. */
  role: "role",
  /** The Proxmox node a VM runs on, or the node itself. */
  node: "node",
} as const;

export type TargetLabel = (typeof TARGET_LABELS)[keyof typeof TARGET_LABELS];

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "info";

/** One metric a producer exposes, with the labels it carries (before Fortress's target labels). */
export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  readonly help: string;
}

/**
 * A producer of metrics the lab runs: the scrape job name it is scraped under, what it exposes and
 * where that list was read (repo@ref:path of the exporter's source, never our memory).
 */
export interface MetricProducer {
  readonly job: string;
  readonly metrics: readonly MetricSpec[];
  readonly source: string;
}

/** A target outside the cluster's ServiceMonitors: a VM, a Proxmox node, the firewall. */
export interface ScrapeTarget {
  /** host:port */
  readonly address: string;
  readonly labels: Readonly<Partial<Record<TargetLabel, string>>>;
}

/** One job of Prometheus's additional scrape configuration. */
export interface ScrapeJob {
  readonly job: string;
  readonly targets: readonly ScrapeTarget[];
  readonly scheme: "http" | "https";
  readonly metricsPath?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  /**
   * Multi-target exporters (the Proxmox exporter): each target's address becomes the `target`
   * parameter and the scrape goes to this address instead.
   */
  readonly exporterAddress?: string;
  readonly scrapeInterval?: string;
}

/** A Prometheus alerting rule as `promtool check rules` reads it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: "critical" | "warning" | "info"; readonly layer: string } & Readonly<
    Record<string, string>
  >;
  readonly annotations: { readonly summary: string; readonly description: string } & Readonly<
    Record<string, string>
  >;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

/**
 * Alertmanager's configuration: the YAML (no secret inside: secrets are files Alertmanager reads,
 * `*_file` keys pointing under `secretsMountPath`) and the files, secret.
 */
export interface AlertmanagerConfig {
  readonly yaml: string;
  /** file name → content, mounted at secretsMountPath/<name>. */
  readonly secretFiles: Readonly<Record<string, pulumi.Input<string>>>;
  readonly secretsMountPath: string;
}

/** One Grafana dashboard as code: its JSON model, provisioned read-only from a ConfigMap. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  /** The dashboard's JSON model, as Grafana's dashboard provisioning reads it. */
  readonly model: Readonly<Record<string, unknown>>;
}

/** The data sources' uids: dashboards refer to them by uid, Grafana's provisioning creates them. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  /** The Wazuh indexer's alerts (wazuh-alerts-4.x-*), read by Grafana's own read-only user. */
  alerts: "wazuh-alerts",
  alertmanager: "alertmanager",
} as const;
