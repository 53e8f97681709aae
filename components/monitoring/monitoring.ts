/**
 * The monitoring layer's component: kube-prometheus-stack (PrometheusStack) with the scrape jobs, rule
 * groups and Alertmanager configuration the other parts hand it (components/monitoring/contract.ts),
 * Grafana's chart values and its own resources from the grafana part (its Secrets, dashboards,
 * certificate, ingress and NetworkPolicies: components/monitoring/grafana), and whatever further parts
 * the lead composes (Loki, Vector, exporters), each built by a callback with this component as parent.
 *
 * Prometheus and Alertmanager are not published through the ingress: neither has a login of its own,
 * and Grafana (behind Keycloak) reads both as data sources. Their in-cluster addresses are outputs.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { PlainValues } from "../kubernetes/helmRelease";
import type { AlertmanagerConfig, RuleGroup, ScrapeJob } from "./contract";
import type { StackSizing } from "./pins";
import type { Endpoint } from "./policies";
import { PrometheusStack } from "./prometheusStack";

export const MONITORING_TYPE = COMPONENT_TYPES.monitoring;

/** A part built inside the component: called with the component as parent (`{ parent }`). */
export type MonitoringPart = (parent: pulumi.Resource) => readonly pulumi.Resource[];

/** What the grafana part gives the stack: the chart's `grafana:` subtree and its own objects. */
export interface GrafanaPartOutput {
  /** The subtree for the chart's `grafana:` key (plain data). */
  readonly values: PlainValues;
  /**
   * Grafana's own objects (Secrets, dashboard ConfigMaps, certificate, ingress, NetworkPolicies): the
   * chart waits for them (the Grafana component and its `prerequisites`).
   */
  readonly resources: readonly pulumi.Resource[];
}

/**
 * Either the values with an optional builder of the objects, or one builder of both, e.g.
 * `(parent) => { const g = new Grafana("grafana", …, { parent }); return { values: g.values, resources: [g, ...g.prerequisites] }; }`.
 */
export type GrafanaPart =
  | { readonly values: PlainValues; readonly resources?: MonitoringPart }
  | ((parent: pulumi.Resource) => GrafanaPartOutput);

export interface MonitoringArgs {
  /** The namespace the platform made for the layer (fortress-monitoring). */
  readonly namespace: string;
  /** The baseline's storage classes: `default` for Prometheus's volume. */
  readonly storageClasses: { readonly default: string; readonly rwx?: string };
  /** Grafana's DNS name (its root URL; the grafana part makes its certificate and ingress). */
  readonly hostnames: { readonly grafana: string };
  /** The k3s nodes' addresses: servers (control plane, etcd) and agents (kubelet, node exporter). */
  readonly k3s: { readonly servers: readonly string[]; readonly agents: readonly string[] };
  readonly scrapeJobs: readonly ScrapeJob[];
  readonly ruleGroups: readonly RuleGroup[];
  /**
   * Alertmanager's configuration, or a builder of it with this component as parent, for a receiver
   * built in the layer (the TheHive bridge, whose token the configuration's secret files carry).
   */
  readonly alertmanager: AlertmanagerConfig | ((parent: pulumi.Resource) => AlertmanagerConfig);
  /** Where Alertmanager's receivers send: the TheHive bridge, the SMTP relay or webhook. */
  readonly alertmanagerEgress: readonly Endpoint[];
  /** Grafana's part: its values and objects, or a builder that makes both with this component as parent. */
  readonly grafana: GrafanaPart;
  /** Days Prometheus keeps metrics (fortress:monitoring.retention.metricsDays); the volume caps it. */
  readonly retentionDays?: number;
  /** Prometheus's memory and volume, from the lab's profile; default the home lab's. */
  readonly sizing?: StackSizing;
  /** Further parts (Loki, Vector, exporters), each built with this component as parent. */
  readonly parts?: Readonly<Record<string, MonitoringPart>>;
}

export class Monitoring extends pulumi.ComponentResource {
  readonly stack: PrometheusStack;
  readonly chart: k8s.helm.v4.Chart;
  readonly grafanaUrl: string;
  /** In-cluster Service name and port. */
  readonly prometheus: { readonly host: string; readonly port: number };
  readonly alertmanager: { readonly host: string; readonly port: number };
  readonly grafanaResources: readonly pulumi.Resource[];
  readonly parts: Readonly<Record<string, readonly pulumi.Resource[]>>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MONITORING_TYPE, name, { namespace: args.namespace }, opts);
    this.grafanaUrl = `https://${args.hostnames.grafana}`;
    // Grafana's own objects first: the chart's values name the Secrets and ConfigMaps they hold.
    const grafana: GrafanaPartOutput =
      typeof args.grafana === "function"
        ? args.grafana(this)
        : {
            values: args.grafana.values,
            resources: args.grafana.resources ? args.grafana.resources(this) : [],
          };
    this.grafanaResources = [...grafana.resources];
    this.stack = new PrometheusStack(
      `${name}-stack`,
      {
        namespace: args.namespace,
        storageClass: args.storageClasses.default,
        nodes: [...args.k3s.servers, ...args.k3s.agents],
        controlPlane: args.k3s.servers,
        scrapeJobs: args.scrapeJobs,
        ruleGroups: args.ruleGroups,
        alertmanager: typeof args.alertmanager === "function" ? args.alertmanager(this) : args.alertmanager,
        grafanaValues: grafana.values,
        grafanaUrl: this.grafanaUrl,
        alertmanagerEgress: args.alertmanagerEgress,
        ...(args.retentionDays !== undefined ? { retentionDays: args.retentionDays } : {}),
        ...(args.sizing ? { sizing: args.sizing } : {}),
        prerequisites: this.grafanaResources,
      },
      { parent: this },
    );
    this.chart = this.stack.chart;
    this.parts = Object.fromEntries(
      Object.entries(args.parts ?? {}).map(([part, build]) => [part, [...build(this)]]),
    );
    this.prometheus = this.stack.prometheus;
    this.alertmanager = this.stack.alertmanager;
    this.registerOutputs({
      grafanaUrl: this.grafanaUrl,
      prometheus: this.prometheus,
      alertmanager: this.alertmanager,
    });
  }
}
