/**
 * What a dashboard's queries refer to, read back from its JSON model: the metric names of its PromQL,
 * the stream labels of its LogQL, the fields of its Lucene queries and aggregations, and the data
 * sources of its panels. `referenceProblems` names every reference nothing in the lab produces.
 */
import type { Dashboard } from "../contract";
import { DATASOURCE_UIDS } from "../contract";
import { metricNamesIn } from "../metrics";
import { DATASOURCE_TYPES } from "./panels";

export interface PanelTarget {
  readonly dashboard: string;
  readonly panel: string;
  readonly panelDatasource: { readonly type: string; readonly uid: string };
  readonly target: Readonly<Record<string, unknown>>;
}

type Json = Readonly<Record<string, unknown>>;

/** Every panel target of a dashboard, with its panel's title and data source. */
export function panelTargets(dashboard: Dashboard): PanelTarget[] {
  const panels = (dashboard.model.panels ?? []) as readonly Json[];
  return panels.flatMap((panel) =>
    ((panel.targets ?? []) as readonly Json[]).map((target) => ({
      dashboard: dashboard.title,
      panel: String(panel.title),
      panelDatasource: panel.datasource as PanelTarget["panelDatasource"],
      target,
    })),
  );
}

/** Quoted strings (PromQL/LogQL "…" and `…`) blanked, so that their content is not read as names. */
const withoutStrings = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');

/**
 * Grafana's interval variables (`$__rate_interval`, `$__range`, `$__interval`, `$__auto`) as a PromQL
 * duration, so that the expression parses as PromQL (Grafana substitutes them before it queries).
 */
export const asPromql = (expr: string) => expr.replace(/\$__(rate_interval|range|interval|auto)\b/g, "5m");

/** The metric names a panel's PromQL reads (the catalogue's extractor, on the substituted expression). */
export const promqlMetricNames = (expr: string): string[] => [...metricNamesIn(asPromql(expr))];

/** The label names a PromQL expression matches on or groups by (`{name="…"}`, `by (…)`, `on (…)`, …). */
export function promqlLabelNames(expr: string): string[] {
  const text = withoutStrings(expr);
  const labels = new Set<string>();
  for (const selector of text.matchAll(/\{([^}]*)\}/g))
    for (const matcher of selector[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/g))
      labels.add(matcher[1]);
  for (const list of text.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g))
    for (const name of list[1].split(",")) if (name.trim()) labels.add(name.trim());
  return [...labels];
}

/** The label names of a LogQL expression's stream selectors (`{name="…", …}`). */
export function logqlStreamLabels(expr: string): string[] {
  const labels = new Set<string>();
  for (const selector of withoutStrings(expr).matchAll(/\{([^}]*)\}/g))
    for (const matcher of selector[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/g))
      labels.add(matcher[1]);
  return [...labels];
}

/** The field names a Lucene query string names (`field:value`, `field:(a OR b)`, `field:[a TO b]`). */
export function luceneFields(query: string): string[] {
  return [...new Set([...withoutStrings(query).matchAll(/([A-Za-z_@][\w.@-]*):/g)].map((match) => match[1]))];
}

/** The fields an alerts target reads: its query's, its aggregations' and its metrics'. */
export function alertTargetFields(target: Json): string[] {
  const fields = luceneFields(String(target.query ?? ""));
  for (const agg of (target.bucketAggs ?? []) as readonly Json[]) {
    if (typeof agg.field === "string") fields.push(agg.field);
    const filters = ((agg.settings as Json | undefined)?.filters ?? []) as readonly Json[];
    for (const filter of filters) fields.push(...luceneFields(String(filter.query ?? "")));
  }
  for (const metric of (target.metrics ?? []) as readonly Json[])
    if (typeof metric.field === "string") fields.push(metric.field);
  if (typeof target.timeField === "string") fields.push(target.timeField);
  return [...new Set(fields)];
}

export interface KnownReferences {
  readonly metric: (name: string) => boolean;
  /** A produced metric's own labels (before the target's). */
  readonly metricLabels: (name: string) => readonly string[];
  /** The labels every target carries: Prometheus's job and instance, Fortress's TARGET_LABELS. */
  readonly targetLabels: ReadonlySet<string>;
  readonly lokiLabels: ReadonlySet<string>;
  readonly alertFields: ReadonlySet<string>;
}

const UIDS: ReadonlySet<string> = new Set(Object.values(DATASOURCE_UIDS));
const TYPE_OF_UID = new Map<string, string>(
  (Object.keys(DATASOURCE_UIDS) as (keyof typeof DATASOURCE_UIDS)[]).map((key) => [
    DATASOURCE_UIDS[key],
    DATASOURCE_TYPES[key],
  ]),
);

/** Each reference of the dashboards' queries that nothing produces, as "dashboard / panel: what". */
export function referenceProblems(all: readonly Dashboard[], known: KnownReferences): string[] {
  const problems: string[] = [];
  for (const { dashboard, panel, panelDatasource, target } of all.flatMap(panelTargets)) {
    const where = `${dashboard} / ${panel}`;
    const ds = target.datasource as { type?: string; uid?: string } | undefined;
    if (!ds?.uid || !UIDS.has(ds.uid)) problems.push(`${where}: data source ${ds?.uid} is not provisioned`);
    else if (TYPE_OF_UID.get(ds.uid) !== ds.type) problems.push(`${where}: ${ds.uid} is no ${ds.type}`);
    if (ds?.uid !== panelDatasource?.uid)
      problems.push(`${where}: a target of another data source than its panel`);
    if (ds?.uid === DATASOURCE_UIDS.prometheus) {
      const names = promqlMetricNames(String(target.expr));
      for (const name of names)
        if (!known.metric(name)) problems.push(`${where}: metric ${name} is produced by nothing`);
      const labels = new Set([...known.targetLabels, ...names.flatMap((name) => known.metricLabels(name))]);
      for (const label of promqlLabelNames(String(target.expr)))
        if (!labels.has(label)) problems.push(`${where}: label ${label} is on none of ${names.join(", ")}`);
    }
    if (ds?.uid === DATASOURCE_UIDS.loki)
      for (const label of logqlStreamLabels(String(target.expr)))
        if (!known.lokiLabels.has(label)) problems.push(`${where}: Loki label ${label} is set by nothing`);
    if (ds?.uid === DATASOURCE_UIDS.alerts)
      for (const field of alertTargetFields(target))
        if (!known.alertFields.has(field)) problems.push(`${where}: alert field ${field} is in no alert`);
  }
  return problems;
}
