/**
 * kube-prometheus-stack in the monitoring namespace (pins.ts, stackValues.ts), with what its values name
 * made here first: Alertmanager's
 * configuration and secret files (Secrets: the YAML never holds a secret, its `*_file` keys point under
 * ALERTMANAGER_SECRETS_MOUNT_PATH), Prometheus's volume claim (protected, adopted by the StatefulSet),
 * the namespace's NetworkPolicies; then the chart (which puts the ScrapeJobs' additional scrape configs
 * in its own Secret), then the rule groups as PrometheusRule objects (their
 * CRD comes with the chart) carrying the label the operator's ruleSelector matches.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { type PlainValues, pinnedChart } from "../kubernetes/helmRelease";
import type { AlertmanagerConfig, RuleGroup, ScrapeJob } from "./contract";
import { DEFAULT_STACK_SIZING, KPS_CHART, PROMETHEUS_NAME, RELEASE, type StackSizing } from "./pins";
import { type Endpoint, monitoringPolicies } from "./policies";
import { scrapeConfigs } from "./scrapeConfigs";
import {
  ALERTMANAGER_CONFIG_KEY,
  ALERTMANAGER_CONFIG_SECRET,
  ALERTMANAGER_FILES_SECRET,
  ALERTMANAGER_SECRETS_MOUNT_PATH,
  PROMETHEUS_VOLUME,
  prometheusClaimName,
  RULE_LABELS,
  STACK_SERVICES,
  stackValues,
} from "./stackValues";

export const PROMETHEUS_STACK_TYPE = COMPONENT_TYPES.prometheusStack;

export interface PrometheusStackArgs {
  readonly namespace: string;
  /** The default storage class: Prometheus's volume. */
  readonly storageClass: string;
  /** Every k3s node's address; the servers' separately (controller manager, etcd). */
  readonly nodes: readonly string[];
  readonly controlPlane: readonly string[];
  readonly scrapeJobs: readonly ScrapeJob[];
  readonly ruleGroups: readonly RuleGroup[];
  readonly alertmanager: AlertmanagerConfig;
  /** The grafana helper's subtree of the chart's `grafana:` values. */
  readonly grafanaValues: PlainValues;
  readonly grafanaUrl: string;
  readonly alertmanagerEgress: readonly Endpoint[];
  /** Days Prometheus keeps metrics (stackValues `retentionDays`). */
  readonly retentionDays?: number;
  /** Prometheus's memory and volume (stackValues `sizing`); default the home lab's. */
  readonly sizing?: StackSizing;
  /** What the chart's pods need first (Grafana's Secrets and dashboards): the chart waits for them. */
  readonly prerequisites?: readonly pulumi.Resource[];
}

/** A rule group's PrometheusRule name: DNS-1123, one object per group. */
export const ruleObjectName = (group: string) =>
  `fortress-${group
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")}`.slice(0, 63);

/** The PrometheusRule spec for one group (monitoring.coreos.com/v1 PrometheusRuleSpec: groups). */
export function ruleSpec(group: RuleGroup) {
  return {
    groups: [
      {
        name: group.name,
        ...(group.interval ? { interval: group.interval } : {}),
        rules: group.rules.map((rule) => ({ ...rule })),
      },
    ],
  };
}

export function checkAlertmanagerConfig(config: AlertmanagerConfig): void {
  if (config.secretsMountPath.replace(/\/+$/, "") !== ALERTMANAGER_SECRETS_MOUNT_PATH) {
    throw new Error(
      `monitoring: Alertmanager's secret files are mounted at ${ALERTMANAGER_SECRETS_MOUNT_PATH} (alertmanagerSpec.secrets: ${ALERTMANAGER_FILES_SECRET}), not ${config.secretsMountPath}`,
    );
  }
  for (const name of Object.keys(config.secretFiles))
    if (!/^[-._a-zA-Z0-9]+$/.test(name)) throw new Error(`monitoring: ${name} is not a Secret key`);
}

export class PrometheusStack extends pulumi.ComponentResource {
  readonly chart: k8s.helm.v4.Chart;
  readonly prometheus: { readonly host: string; readonly port: number };
  readonly alertmanager: { readonly host: string; readonly port: number };
  readonly grafana: { readonly host: string; readonly port: number };
  readonly rules: readonly k8s.apiextensions.CustomResource[];
  readonly volumeClaim: k8s.core.v1.PersistentVolumeClaim;

  constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PROMETHEUS_STACK_TYPE, name, { namespace: args.namespace }, opts);
    checkAlertmanagerConfig(args.alertmanager);
    const child = { parent: this };
    const ns = args.namespace;
    const sizing = args.sizing ?? DEFAULT_STACK_SIZING;
    const amConfig = new k8s.core.v1.Secret(
      `${name}-alertmanager-config`,
      {
        metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace: ns },
        type: "Opaque",
        stringData: { [ALERTMANAGER_CONFIG_KEY]: args.alertmanager.yaml },
      },
      child,
    );
    const amFiles = new k8s.core.v1.Secret(
      `${name}-alertmanager-files`,
      {
        metadata: { name: ALERTMANAGER_FILES_SECRET, namespace: ns },
        type: "Opaque",
        stringData: { ...args.alertmanager.secretFiles },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    this.volumeClaim = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-prometheus-data`,
      {
        metadata: { name: prometheusClaimName(PROMETHEUS_NAME), namespace: ns },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.storageClass,
          resources: { requests: { storage: `${sizing.prometheus.volumeGi}Gi` } },
        },
      },
      { ...child, protect: true, retainOnDelete: true },
    );
    const policies = monitoringPolicies(
      name,
      {
        namespace: ns,
        nodes: args.nodes,
        controlPlane: args.controlPlane,
        scrapeJobs: args.scrapeJobs,
        alertmanagerEgress: args.alertmanagerEgress,
      },
      child,
    );
    this.chart = pinnedChart(
      `${name}-chart`,
      {
        name: RELEASE,
        namespace: ns,
        chart: KPS_CHART,
        values: stackValues({
          storageClass: args.storageClass,
          scrapeConfigs: scrapeConfigs(args.scrapeJobs),
          controlPlane: args.controlPlane,
          grafana: args.grafanaValues,
          grafanaUrl: args.grafanaUrl,
          ...(args.retentionDays !== undefined ? { retentionDays: args.retentionDays } : {}),
          sizing,
        }),
      },
      {
        parent: this,
        dependsOn: [amConfig, amFiles, this.volumeClaim, ...policies, ...(args.prerequisites ?? [])],
      },
    );
    const names = new Set<string>();
    this.rules = args.ruleGroups.map((group) => {
      const objectName = ruleObjectName(group.name);
      if (names.has(objectName)) throw new Error(`monitoring: two rule groups are named ${objectName}`);
      names.add(objectName);
      return new k8s.apiextensions.CustomResource(
        `${name}-rules-${objectName}`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name: objectName, namespace: ns, labels: { ...RULE_LABELS } },
          spec: ruleSpec(group),
        },
        { ...child, dependsOn: [this.chart] },
      );
    });
    this.prometheus = STACK_SERVICES.prometheus;
    this.alertmanager = STACK_SERVICES.alertmanager;
    this.grafana = STACK_SERVICES.grafana;
    this.registerOutputs({
      prometheus: this.prometheus,
      alertmanager: this.alertmanager,
      volume: PROMETHEUS_VOLUME,
    });
  }
}
