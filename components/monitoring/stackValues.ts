/**
 * kube-prometheus-stack's values for Fortress, as plain data (components/kubernetes/helmRelease.ts
 * pinnedChart): every key read from prometheus-community/helm-charts@kube-prometheus-stack-88.5.3
 * charts/kube-prometheus-stack (values.yaml, templates/) and the subcharts at their pinned tags
 * (prometheus-node-exporter-4.56.1, kube-state-metrics-8.4.0, grafana-community grafana-12.11.1).
 *
 * Choices, with the reason each one is made:
 * - k3s runs the API server, controller manager, scheduler, kube-proxy and embedded etcd inside one
 *   `k3s server` process, and serves the same metrics registry on every one of their ports
 *   (k3s-io/k3s#2262). The controller manager and etcd are scraped on the servers' addresses, where
 *   components/platform/k3sConfig.ts binds them (`kube-controller-manager-arg bind-address=0.0.0.0`
 *   → 10257 over HTTPS with the service account's token; `etcd-expose-metrics` → 2381, plain HTTP),
 *   through the chart's Endpoints in kube-system (templates/exporters/kube-{controller-manager,etcd}/
 *   endpoints.yaml). The scheduler is not scraped: its port would return the controller manager's
 *   registry a second time, doubling every series. kube-proxy is not scraped: k3s leaves its metrics
 *   on 127.0.0.1:10249 (no `metrics-bind-address` flag in k3sConfig.ts), which no pod reaches.
 * - Helm hooks do not run under a helm.v4 Chart (helmRelease.ts), and the admission webhooks' and the
 *   operator's TLS certificate come from hook Jobs (templates/prometheus-operator/admission-webhooks/
 *   job-patch/*): both are off (`admissionWebhooks.enabled: false`, `tls.enabled: false`; the operator
 *   then listens on plain HTTP 8080, reached only by Prometheus under the namespace's policies). Rules
 *   are checked by promtool before they reach the cluster instead of by the webhook.
 * - Rules: the operator's `ruleSelector` is the chart's `release: <release>` (ruleSelectorNilUsesHelmValues
 *   true, ruleSelector unset: templates/prometheus/prometheus.yaml); Fortress's PrometheusRules carry
 *   that label (RULE_LABELS). ServiceMonitors and PodMonitors of other parts carry it too
 *   (serviceMonitorSelectorNilUsesHelmValues).
 * - The chart's own rules are kept for what Fortress does not write itself (Kubernetes workloads,
 *   kubelet, etcd, the operator, Prometheus, Alertmanager, kube-state-metrics), labelled
 *   `layer: platform` so Alertmanager's routes place them; the groups that would double-alert with the
 *   rules helper's own (node exporter filesystem and node health: `nodeExporterAlerting`, `node`,
 *   `general`'s TargetDown) are off, as are those of components not scraped (scheduler, kube-proxy,
 *   Windows).
 */
import type { PlainValue, PlainValues } from "../kubernetes/helmRelease";
import type { ScrapeConfig } from "./scrapeConfigs";
import { NODE_EXPORTER_NAMESPACE } from "./pins";
import {
  ALERTMANAGER_NAME,
  checkStackSizing,
  DEFAULT_STACK_SIZING,
  FULLNAME,
  GRAFANA_NAME,
  PROMETHEUS_STORAGE,
  prometheusRetentionSize,
  RELEASE,
  resized,
  STACK_IMAGES,
  STACK_PORTS,
  STACK_RESOURCES,
  type StackSizing,
} from "./pins";

/** The label the chart's ruleSelector and serviceMonitorSelector match (templates/prometheus/prometheus.yaml). */
export const RULE_LABELS = { release: RELEASE } as const;
export const MONITOR_LABELS = RULE_LABELS;

/** The name of Prometheus's volume claim template; its claim is `<this>-prometheus-<cr name>-0`. */
export const PROMETHEUS_VOLUME = "prometheus-db";
/**
 * The claim the StatefulSet makes from the template (prometheus-operator@v0.93.0
 * pkg/prometheus/common.go VolumeClaimName and prometheusNameByShard → `prometheus-<name>`;
 * Kubernetes names a StatefulSet's claims `<template>-<statefulset>-<ordinal>`). Fortress makes this
 * claim itself, protected, so that the StatefulSet adopts it and Pulumi never deletes the data.
 */
export const prometheusClaimName = (prometheusName: string) =>
  `${PROMETHEUS_VOLUME}-prometheus-${prometheusName}-0`;

/**
 * Alertmanager's secret files: one Secret mounted read-only through `alertmanagerSpec.volumes` and
 * `volumeMounts` (templates/alertmanager/alertmanager.yaml), where the operator's own `secrets` list
 * would put it (prometheus-operator@v0.93.0 pkg/alertmanager/statefulset.go `secretsDir`:
 * /etc/alertmanager/secrets/<name>). A volume rather than `secrets`, whose plain list of names the
 * pack's secrets-from-random-or-config cannot tell from a list of credentials.
 */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secrets";
export const ALERTMANAGER_FILES_SECRET = "fortress-alertmanager-files";
/** Where the rules helper's `*_file` keys must point. */
export const ALERTMANAGER_SECRETS_MOUNT_PATH = `${ALERTMANAGER_SECRETS_DIR}/${ALERTMANAGER_FILES_SECRET}`;
const ALERTMANAGER_FILES_VOLUME = "fortress-files";
/**
 * The configuration Secret: with `configSecret` unset the operator reads `alertmanager-<name>`
 * (pkg/alertmanager/statefulset.go defaultConfigSecretName), key alertmanager.yaml
 * (`alertmanagerConfigFile`); `useExistingSecret: true` keeps the chart from writing its own there
 * (templates/alertmanager/secret.yaml), so Fortress's Secret of that name is the one read.
 */
export const ALERTMANAGER_CONFIG_SECRET = `alertmanager-${ALERTMANAGER_NAME}`;
export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yaml";

/** The chart's rule groups Fortress turns off (defaultRules.rules.<group>: false), with why. */
export const CHART_RULE_GROUPS_OFF: Readonly<Record<string, string>> = {
  kubeSchedulerAlerting: "the scheduler is not scraped (one registry in k3s)",
  kubeSchedulerRecording: "the scheduler is not scraped (one registry in k3s)",
  kubeProxy: "kube-proxy's metrics stay on 127.0.0.1 in k3s",
  windows: "no Windows nodes",
};
/**
 * Single alerts of kept groups that the rules part's own replace (defaultRules.disabled): its TargetDown
 * (per layer and role), and its per-volume VolumeFillingUp/VolumeAlmostFull on the same kubelet metric,
 * which would otherwise fire beside the chart's KubePersistentVolumeFillingUp for the same claim.
 */
export const CHART_ALERTS_OFF = ["KubePersistentVolumeFillingUp"] as const;

export interface StackValuesArgs {
  readonly storageClass: string;
  /**
   * The additional scrape configs (scrapeConfigs.ts), which the chart puts in its Secret
   * `<fullname>-prometheus-scrape-confg` (templates/prometheus/additionalScrapeConfigs.yaml, through
   * `tpl`: no `{{` in them) and names to the operator.
   */
  readonly scrapeConfigs: readonly ScrapeConfig[];
  /** The k3s servers' addresses (the controller manager's and etcd's metrics); empty: not scraped. */
  readonly controlPlane: readonly string[];
  /** The grafana helper's subtree for the chart's `grafana:` key, merged over the base here. */
  readonly grafana: PlainValues;
  /** Grafana's public URL (its `server.root_url`), https://<hostname>. */
  readonly grafanaUrl: string;
  /**
   * Days Prometheus keeps (fortress:monitoring.retention.metricsDays); default PROMETHEUS_STORAGE's.
   * retentionSize still caps it to the volume, whichever comes first (Prometheus docs/storage.md).
   */
  readonly retentionDays?: number;
  /** Prometheus's memory and volume (its retentionSize follows the volume); default the home lab's. */
  readonly sizing?: StackSizing;
}

const image = (pin: { registry: string; repository: string; tag: string }) => ({
  registry: pin.registry,
  repository: pin.repository,
  tag: pin.tag,
  sha: "",
});

const isRecord = (value: PlainValue | undefined): value is PlainValues =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Values merged as Helm merges a values file over defaults: maps deep, everything else replaced. */
export function mergeValues(base: PlainValues, over: PlainValues): PlainValues {
  const merged: Record<string, PlainValue> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = merged[key];
    merged[key] = isRecord(under) && isRecord(value) ? mergeValues(under, value) : value;
  }
  return merged;
}

function controlPlaneValues(servers: readonly string[]): PlainValues {
  const scraped = servers.length > 0;
  return {
    kubeControllerManager: {
      enabled: scraped,
      endpoints: [...servers],
      service: {
        enabled: scraped,
        port: STACK_PORTS.controllerManager,
        targetPort: STACK_PORTS.controllerManager,
      },
      serviceMonitor: { enabled: scraped, https: true },
    },
    kubeEtcd: {
      enabled: scraped,
      endpoints: [...servers],
      service: { enabled: scraped, port: STACK_PORTS.etcdMetrics, targetPort: STACK_PORTS.etcdMetrics },
      serviceMonitor: { enabled: scraped, scheme: "http" },
    },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
  };
}

function defaultRulesValues(): PlainValues {
  return {
    create: true,
    rules: Object.fromEntries(Object.keys(CHART_RULE_GROUPS_OFF).map((group) => [group, false])),
    additionalRuleLabels: { layer: "platform" },
    disabled: Object.fromEntries(CHART_ALERTS_OFF.map((alert) => [alert, true])),
  };
}

function prometheusValues(
  storageClass: string,
  scrapeConfigs: readonly ScrapeConfig[],
  retentionDays: number | undefined,
  sizing: StackSizing["prometheus"],
): PlainValues {
  const scrape = JSON.parse(JSON.stringify(scrapeConfigs)) as PlainValue[];
  if (JSON.stringify(scrape).includes("{{"))
    throw new Error("monitoring: a scrape config holds `{{`, which the chart's tpl would evaluate");
  return {
    enabled: true,
    prometheusSpec: {
      image: image(STACK_IMAGES.prometheus),
      resources: resized(STACK_RESOURCES.prometheus, sizing.memoryMib),
      retention: retentionDays !== undefined ? `${retentionDays}d` : PROMETHEUS_STORAGE.retention,
      retentionSize: prometheusRetentionSize(sizing.volumeGi),
      storageSpec: {
        volumeClaimTemplate: {
          metadata: { name: PROMETHEUS_VOLUME },
          spec: {
            storageClassName: storageClass,
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: `${sizing.volumeGi}Gi` } },
          },
        },
      },
      // The claim outlives the StatefulSet whatever happens to it (apps/v1 StatefulSet).
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      ruleSelectorNilUsesHelmValues: true,
      serviceMonitorSelectorNilUsesHelmValues: true,
      podMonitorSelectorNilUsesHelmValues: true,
      additionalScrapeConfigs: scrape,
    },
  };
}

function alertmanagerValues(): PlainValues {
  return {
    enabled: true,
    alertmanagerSpec: {
      image: image(STACK_IMAGES.alertmanager),
      resources: STACK_RESOURCES.alertmanager,
      // The configuration is Fortress's Secret (the chart's own, with its default receivers, is not made).
      useExistingSecret: true,
      volumes: [
        {
          name: ALERTMANAGER_FILES_VOLUME,
          secret: { secretName: ALERTMANAGER_FILES_SECRET, defaultMode: 0o440 },
        },
      ],
      volumeMounts: [
        { name: ALERTMANAGER_FILES_VOLUME, mountPath: ALERTMANAGER_SECRETS_MOUNT_PATH, readOnly: true },
      ],
    },
  };
}

function operatorValues(): PlainValues {
  return {
    enabled: true,
    image: image(STACK_IMAGES.operator),
    resources: STACK_RESOURCES.operator,
    tls: { enabled: false },
    admissionWebhooks: { enabled: false, patch: { enabled: false } },
    prometheusConfigReloader: {
      image: image(STACK_IMAGES.configReloader),
      resources: STACK_RESOURCES.configReloader,
    },
  };
}

function grafanaBase(grafanaUrl: string): PlainValues {
  return {
    enabled: true,
    fullnameOverride: GRAFANA_NAME,
    resources: STACK_RESOURCES.grafana,
    // httpsIngress names the Service's port `http` (the chart's default portName is `service`).
    service: { portName: "http" },
    sidecar: { resources: STACK_RESOURCES.grafanaSidecar },
    "grafana.ini": { server: { root_url: grafanaUrl } },
  };
}

export function stackValues(args: StackValuesArgs): PlainValues {
  const sizing = args.sizing ?? DEFAULT_STACK_SIZING;
  checkStackSizing(sizing);
  return {
    fullnameOverride: FULLNAME,
    crds: { enabled: true },
    defaultRules: defaultRulesValues(),
    windowsMonitoring: { enabled: false },
    ...controlPlaneValues(args.controlPlane),
    prometheus: prometheusValues(
      args.storageClass,
      args.scrapeConfigs,
      args.retentionDays,
      sizing.prometheus,
    ),
    alertmanager: alertmanagerValues(),
    prometheusOperator: operatorValues(),
    "kube-state-metrics": {
      // No `secrets` collector: its ClusterRole would list and watch every Secret in the cluster
      // (kube-state-metrics-8.4.0 templates/role.yaml), which k8s-rbac-least-privilege refuses; no
      // rule or dashboard reads kube_secret_*.
      collectorsExclude: ["secrets"],
      image: image(STACK_IMAGES.kubeStateMetrics),
      resources: STACK_RESOURCES.kubeStateMetrics,
    },
    "prometheus-node-exporter": {
      // Its own namespace, the one Pod Security `privileged` one of the layer (stacks/cluster.ts
      // NODE_EXPORTER_NAMESPACE): the DaemonSet and its ServiceMonitor go there (prometheus-node-exporter-4.56.1
      // _helpers.tpl `prometheus-node-exporter.namespace`, `.monitor-namespace`).
      namespaceOverride: NODE_EXPORTER_NAMESPACE,
      // Every node, the k3s servers too: they carry CriticalAddonsOnly=true:NoExecute when the lab has
      // agents (components/platform/k3sConfig.ts), which the chart's one default toleration
      // (NoSchedule, values.yaml) does not tolerate.
      tolerations: [{ operator: "Exists" }],
      // Its chart refuses `image.sha` and appends "-distroless" (image.distroless: true in
      // kube-prometheus-stack's values): v1.12.1-distroless (prometheus-node-exporter-4.56.1 _helpers.tpl).
      image: {
        registry: STACK_IMAGES.nodeExporter.registry,
        repository: STACK_IMAGES.nodeExporter.repository,
        tag: STACK_IMAGES.nodeExporter.tag,
      },
      resources: STACK_RESOURCES.nodeExporter,
      // The chart sets only readOnlyRootFilesystem; the rest of what a restricted container keeps.
      containerSecurityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
    },
    grafana: mergeValues(grafanaBase(args.grafanaUrl), args.grafana),
  };
}

/** The names the stack's Services answer on, in the namespace. */
export const STACK_SERVICES = {
  prometheus: { host: `${FULLNAME}-prometheus`, port: STACK_PORTS.prometheus },
  alertmanager: { host: ALERTMANAGER_NAME, port: STACK_PORTS.alertmanager },
  grafana: { host: GRAFANA_NAME, port: 80 },
} as const;
