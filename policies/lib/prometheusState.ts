/**
 * The state kube-prometheus-stack keeps, as its values say, for `state-protected-and-backed-up`
 * (offline no chart renders: lib/charts.ts). Prometheus's TSDB lives in the claim the operator's
 * StatefulSet makes from `prometheus.prometheusSpec.storageSpec.volumeClaimTemplate`; without one it is
 * an emptyDir (prometheus-operator@v0.93.0 pkg/prometheus/common.go). Pulumi cannot protect a claim a
 * StatefulSet makes, so Fortress makes that claim itself, protected, under the name the StatefulSet
 * claims it by (`<template name>-prometheus-<Prometheus name>-0`; the template's name defaults to
 * `prometheus-<Prometheus name>-db`: common.go VolumeName/VolumeClaimName, PrefixedName), and no
 * `persistentVolumeClaimRetentionPolicy` may delete it. The Prometheus object's name is the chart's
 * (prometheus-community/helm-charts@kube-prometheus-stack-88.5.3 templates/_helpers.tpl
 * `kube-prometheus-stack.fullname`, `prometheus.crname`).
 */
import type { PlannedClaim } from "./chartState";

type Values = Record<string, unknown>;
const CHART = "kube-prometheus-stack";
const asRecord = (value: unknown): Values | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Values) : undefined;
const at = (values: Values, path: string): unknown =>
  path.split(".").reduce<unknown>((node, key) => asRecord(node)?.[key], values);
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** A chart of kube-prometheus-stack, by its chart name (a repository chart, an OCI or a path: the last part). */
export function isPrometheusStackChart(props: Values): boolean {
  const chart = String(props.chart ?? asRecord(props.spec)?.chart ?? "");
  return chart.replace(/\/+$/, "").split("/").pop() === CHART;
}

const trunc26 = (name: string) => name.slice(0, 26).replace(/-+$/, "");

/** The Prometheus object's name as the chart's helpers derive it from the release name and values. */
export function prometheusObjectName(release: string, values: Values): string {
  const override = text(values.fullnameOverride);
  const name = text(values.nameOverride) || CHART;
  const fullname = override
    ? trunc26(override)
    : trunc26(release.includes(name) ? release : `${release}-${name}`);
  return values.cleanPrometheusOperatorObjectNames === true ? fullname : `${fullname}-prometheus`;
}

/** The claim Prometheus's StatefulSet makes for its first replica. */
export function prometheusClaim(release: string, values: Values): string {
  const object = prometheusObjectName(release, values);
  const template =
    text(at(values, "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.metadata.name")) ||
    `prometheus-${object}-db`;
  return `${template}-prometheus-${object}-0`;
}

export function prometheusStackStateProblems(
  release: string,
  values: Values,
  namespace: string | undefined,
  claims: readonly PlannedClaim[],
): string[] {
  if (at(values, "prometheus.enabled") === false) return [];
  const spec = asRecord(at(values, "prometheus.prometheusSpec")) ?? {};
  if (!asRecord(at(spec, "storageSpec.volumeClaimTemplate")))
    return [
      "Prometheus's TSDB has no volumeClaimTemplate (prometheus.prometheusSpec.storageSpec), so it is an emptyDir, lost when its pod goes",
    ];
  const problems: string[] = [];
  const retention = asRecord(spec.persistentVolumeClaimRetentionPolicy);
  if (retention && (retention.whenDeleted === "Delete" || retention.whenScaled === "Delete"))
    problems.push(
      "Prometheus's claim is deleted with its StatefulSet (prometheus.prometheusSpec.persistentVolumeClaimRetentionPolicy): keep it (Retain)",
    );
  const name = prometheusClaim(release, values);
  const claim = claims.find(
    (entry) =>
      entry.name === name &&
      (namespace === undefined || entry.namespace === undefined || entry.namespace === namespace),
  );
  if (!claim)
    problems.push(
      `Prometheus's StatefulSet makes its claim ${name} itself, which Pulumi cannot protect: make that claim a protected persistent volume claim of the plan, which the StatefulSet then adopts`,
    );
  else if (!claim.protect) problems.push(`Prometheus's claim ${name} is not protected`);
  return problems;
}
