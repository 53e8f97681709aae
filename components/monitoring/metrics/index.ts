/**
 * The metric catalogue: every metric a rule or a dashboard may name, grouped by the producer that
 * exposes it, each producer's list read from the exporter's own source (see each file's `source`).
 * `metricByName` finds a name's entry; `metricNamesIn` reads the metric names out of a PromQL
 * expression so that the rules' and dashboards' tests can check each one is produced.
 */
import type { MetricProducer, MetricSpec } from "../contract";
import { ALERTMANAGER } from "./alertmanager";
import { CERT_MANAGER } from "./certManager";
import { INDEXER } from "./indexer";
import { KUBELET } from "./kubelet";
import { KUBE_STATE_METRICS } from "./kubeStateMetrics";
import { LOKI } from "./loki";
import { NODE_EXPORTER } from "./nodeExporter";
import { PROMETHEUS } from "./prometheus";
import { PROXMOX } from "./proxmox";
import { metricNamesIn } from "./promql";
import { UP } from "./up";
import { VECTOR } from "./vector";

export { metricNamesIn };

export const METRIC_PRODUCERS: readonly MetricProducer[] = [
  UP,
  NODE_EXPORTER,
  KUBE_STATE_METRICS,
  KUBELET,
  PROXMOX,
  INDEXER,
  LOKI,
  VECTOR,
  CERT_MANAGER,
  PROMETHEUS,
  ALERTMANAGER,
];

const BY_NAME: ReadonlyMap<string, { readonly metric: MetricSpec; readonly producer: MetricProducer }> =
  new Map(
    METRIC_PRODUCERS.flatMap((producer) =>
      producer.metrics.map((metric) => [metric.name, { metric, producer }] as const),
    ),
  );

/** The catalogue entry of a metric name, or undefined when nothing Fortress runs exposes it. */
export function metricByName(name: string): MetricSpec | undefined {
  return BY_NAME.get(name)?.metric;
}

/** The producer exposing a series name, or undefined when nothing Fortress runs produces it. */
export function producerOf(name: string): MetricProducer | undefined {
  return BY_NAME.get(name)?.producer;
}

/** Every name in `expr` no producer exposes: empty when each metric the expression reads is produced. */
export function unproducedNames(expr: string): readonly string[] {
  return metricNamesIn(expr).filter((name) => metricByName(name) === undefined);
}
