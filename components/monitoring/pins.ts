/**
 * What the monitoring layer's stack runs, pinned, and how much of the general pool it takes.
 * Chart: prometheus-community/helm-charts@kube-prometheus-stack-88.5.3 (cf408a2)
 * charts/kube-prometheus-stack/Chart.yaml: 88.5.3, appVersion v0.93.1 (the operator), dependencies
 * kube-state-metrics 8.4.0 (appVersion 2.20.0), prometheus-node-exporter 4.56.1 (appVersion 1.12.1),
 * grafana 12.11.1 (grafana-community). Image tags as the chart pins them (values.yaml
 * `prometheus.prometheusSpec.image.tag: v3.14.0-distroless`, `alertmanager.alertmanagerSpec.image.tag:
 * v0.34.0`; the operator's, the config reloader's, kube-state-metrics' and the node exporter's tags are
 * "" there, i.e. the charts' appVersions, written out here so that nothing floats). Every tag is one
 * release; digests could not be read here (no registry is reachable from this machine), so none is
 * claimed.
 */
import type { ChartPin } from "../kubernetes/helmRelease";
import type { ContainerResources } from "../kubernetes/resources";

export const KPS_CHART: ChartPin = {
  repo: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
};

/** registry/repository/tag as the charts' `image` blocks read them (`sha: ""`: no digest claimed). */
export const STACK_IMAGES = {
  prometheus: { registry: "quay.io", repository: "prometheus/prometheus", tag: "v3.14.0-distroless" },
  alertmanager: { registry: "quay.io", repository: "prometheus/alertmanager", tag: "v0.34.0" },
  operator: { registry: "quay.io", repository: "prometheus-operator/prometheus-operator", tag: "v0.93.1" },
  configReloader: {
    registry: "quay.io",
    repository: "prometheus-operator/prometheus-config-reloader",
    tag: "v0.93.1",
  },
  kubeStateMetrics: {
    registry: "registry.k8s.io",
    repository: "kube-state-metrics/kube-state-metrics",
    tag: "v2.20.0",
  },
  nodeExporter: { registry: "quay.io", repository: "prometheus/node-exporter", tag: "v1.12.1" },
} as const;

/**
 * Names the chart's templates derive (templates/_helpers.tpl `kube-prometheus-stack.fullname`: the
 * fullnameOverride truncated to 26; `prometheus.crname` = fullname + "-prometheus", `alertmanager.crname`
 * = fullname + "-alertmanager"; the operator's Prometheus and Alertmanager Services carry those names).
 */
export const RELEASE = "kube-prometheus-stack";
export { NODE_EXPORTER_NAMESPACE } from "../../vocabulary/monitoring";
export const FULLNAME = "kps";
export const PROMETHEUS_NAME = `${FULLNAME}-prometheus`;
export const ALERTMANAGER_NAME = `${FULLNAME}-alertmanager`;
export const GRAFANA_NAME = "grafana";

/** Container ports (the chart's Services: Prometheus 9090, Alertmanager 9093, Grafana 3000 behind 80). */
export const STACK_PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  /** Alertmanager's cluster gossip (one replica here, but the operator opens it). */
  alertmanagerMesh: 9094,
  grafana: 3000,
  /** The operator without TLS (prometheusOperator.tls.enabled: false): its `http` port. */
  operator: 8080,
  kubeStateMetrics: 8080,
  nodeExporter: 9100,
  /** The config reloader sidecars' metrics/health port (operator: `reloader-web`). */
  configReloader: 8080,
  kubelet: 10250,
  /** k3s: kube-controller-manager-arg bind-address=0.0.0.0 (components/platform/k3sConfig.ts), secure port. */
  controllerManager: 10257,
  /** CoreDNS's `prometheus :9153` (the chart's coreDns ServiceMonitor, Service port http-metrics 9153). */
  coreDns: 9153,
  /** k3s: etcd-expose-metrics (components/platform/k3sConfig.ts), plain HTTP metrics listener. */
  etcdMetrics: 2381,
} as const;

/**
 * Prometheus's volume and what it keeps. retentionSize counts the WAL and the m-mapped head chunks
 * with the blocks, deleting only blocks, in base-2 units ("13GB" is 13 GiB: prometheus/prometheus
 * docs/storage.md, `--storage.tsdb.retention.size`; the operator's ByteSize, prometheus-operator@v0.93.0
 * pkg/apis/monitoring/v1/prometheus_types.go); about 80 % of the volume leaves room for the WAL's
 * two-hourly peak and a compaction's temporary block. 16 GiB because the general agents' data disks, where local-path
 * puts every claim, are 48 GB in the home lab (Pulumi.home.yaml fortress:vms) and carry TheHive's,
 * Loki's and Prometheus's volumes between them; the lab's few hundred series per target over 15 days
 * stay well under it.
 */
export const PROMETHEUS_STORAGE = { volumeGi: 16, retentionSize: "13GB", retention: "15d" } as const;

/**
 * The part of Prometheus's volume retentionSize may take: "at most 80-85 %" of the disk, the rest for a
 * compaction's source and new blocks side by side (prometheus/prometheus@v3.14.0 docs/storage.md,
 * "Right-Sizing Retention Size"). Rounded down to whole GB, 16 GiB keeps today's 13GB.
 */
export const PROMETHEUS_FILL_FRACTION = 0.85;

/** retentionSize for a volume: at most 85 % of it, in whole base-2 GB (16 Gi → "13GB", 6 Gi → "5GB"). */
export function prometheusRetentionSize(volumeGi: number): string {
  const size = Math.floor(volumeGi * PROMETHEUS_FILL_FRACTION);
  if (!(size >= 1)) throw new Error(`monitoring: a ${volumeGi} GiB volume leaves Prometheus no room`);
  return `${size}GB`;
}

/**
 * Memory limits in MiB (requests equal for memory, so the scheduler reserves what the budget counts).
 * stacks/catalog.ts gives `prometheus` 2.75 GB of the general pool for the operator, Prometheus,
 * Alertmanager, Grafana, kube-state-metrics and the node exporters; stackBudgetMib sums them.
 */
export const MEMORY_MIB = {
  prometheus: 1152,
  configReloader: 48,
  alertmanager: 128,
  operator: 160,
  kubeStateMetrics: 128,
  grafana: 320,
  grafanaSidecar: 64,
  nodeExporter: 40,
} as const;

export const CATALOG_BUDGET_GB = 2.75;

/** The stack's memory limits with one node exporter per k3s node, in MiB. */
export function stackBudgetMib(nodes: number): number {
  const m = MEMORY_MIB;
  return (
    m.prometheus +
    2 * m.configReloader + // Prometheus's and Alertmanager's config reloaders
    m.alertmanager +
    m.operator +
    m.kubeStateMetrics +
    m.grafana +
    2 * m.grafanaSidecar + // the dashboards' and the data sources' sidecars
    nodes * m.nodeExporter
  );
}

export const mibToGb = (mib: number) => (mib * 1024 * 1024) / 1e9;

/**
 * What the lab's profile sizes in the stack (stacks/profiles.ts `workloads`, mapped by the monitoring
 * layer): Prometheus's memory limit (= request) and volume. Grafana's size is the grafana part's
 * (grafana/values.ts grafanaResources), whose values are merged over the stack's `grafana:` base.
 */
export interface StackSizing {
  readonly prometheus: { readonly memoryMib: number; readonly volumeGi: number };
}

/** The home lab's sizes: the constants above. */
export const DEFAULT_STACK_SIZING: StackSizing = {
  prometheus: { memoryMib: MEMORY_MIB.prometheus, volumeGi: PROMETHEUS_STORAGE.volumeGi },
};

/**
 * The smallest Prometheus the stack is let run. The current block of incoming samples is kept in
 * memory, secured by a WAL in 128 MB segments of which at least three (and two hours of raw data) are
 * kept, and retentionSize counts the WAL and head chunks too (prometheus/prometheus@v3.14.0
 * docs/storage.md): on 4 GiB the blocks still get 3 GB. The memory floor is Fortress's estimate, not
 * the vendor's: a one-node lab's targets (a dozen node exporters, kube-state-metrics, the kubelet's
 * cAdvisor for a few dozen containers: some tens of thousands of series) in 512 MiB.
 */
export const PROMETHEUS_MINIMUM = { memoryMib: 512, volumeGi: 4 } as const;

export function checkStackSizing(sizing: StackSizing): void {
  const { memoryMib, volumeGi } = sizing.prometheus;
  if (!(memoryMib >= PROMETHEUS_MINIMUM.memoryMib))
    throw new Error(
      `monitoring: Prometheus needs at least ${PROMETHEUS_MINIMUM.memoryMib} MiB (fortress:workloads.prometheus.memoryGb), not ${memoryMib}`,
    );
  if (!(volumeGi >= PROMETHEUS_MINIMUM.volumeGi))
    throw new Error(
      `monitoring: Prometheus's volume needs at least ${PROMETHEUS_MINIMUM.volumeGi} GiB (fortress:workloads.prometheus.storageGb), not ${volumeGi}`,
    );
}

const sized = (memory: number, cpuRequest: string, cpuLimit: string): ContainerResources => ({
  requests: { cpu: cpuRequest, memory: `${memory}Mi` },
  limits: { cpu: cpuLimit, memory: `${memory}Mi` },
});

/** A container's memory (limit = request) at another size, its cpu as STACK_RESOURCES gives it. */
export function resized(resources: ContainerResources, memoryMib: number): ContainerResources {
  return {
    requests: { ...resources.requests, memory: `${memoryMib}Mi` },
    limits: { ...resources.limits, memory: `${memoryMib}Mi` },
  };
}

export const STACK_RESOURCES = {
  prometheus: sized(MEMORY_MIB.prometheus, "200m", "1"),
  configReloader: sized(MEMORY_MIB.configReloader, "10m", "100m"),
  alertmanager: sized(MEMORY_MIB.alertmanager, "20m", "200m"),
  operator: sized(MEMORY_MIB.operator, "50m", "300m"),
  kubeStateMetrics: sized(MEMORY_MIB.kubeStateMetrics, "20m", "200m"),
  grafana: sized(MEMORY_MIB.grafana, "50m", "500m"),
  grafanaSidecar: sized(MEMORY_MIB.grafanaSidecar, "10m", "100m"),
  nodeExporter: sized(MEMORY_MIB.nodeExporter, "20m", "200m"),
} as const;
