/**
 * Grafana panels and queries as plain data (the dashboard JSON model Grafana's provisioning reads),
 * and a row-by-row layout on Grafana's 24-column grid. Each query names its data source by uid
 * (DATASOURCE_UIDS) and type, so a dashboard works on any Grafana that provisions those uids.
 */
import { DATASOURCE_UIDS } from "../contract";
import { ALERT_TIME_FIELD } from "./references";

/** The data source plugin ids: Grafana's core Prometheus, Loki and Alertmanager, and the OpenSearch plugin. */
export const DATASOURCE_TYPES = {
  prometheus: "prometheus",
  loki: "loki",
  alerts: "grafana-opensearch-datasource",
  alertmanager: "alertmanager",
} as const;

export type DatasourceKey = keyof typeof DATASOURCE_UIDS;
export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}
export const datasource = (key: DatasourceKey): DatasourceRef => ({
  type: DATASOURCE_TYPES[key],
  uid: DATASOURCE_UIDS[key],
});

/** A PromQL query. */
export interface PromQuery {
  readonly kind: "prometheus";
  readonly expr: string;
  readonly legend?: string;
  /** An instant query (stat, table, bar gauge) instead of a range. */
  readonly instant?: boolean;
}

/** A LogQL metric query. */
export interface LokiQuery {
  readonly kind: "loki";
  readonly expr: string;
  readonly legend?: string;
}

/** A bucket aggregation of the OpenSearch plugin's Lucene query editor. */
export type Bucket =
  | { readonly type: "terms"; readonly field: string; readonly size: number }
  | { readonly type: "date_histogram" }
  | {
      readonly type: "filters";
      readonly filters: readonly { readonly label: string; readonly query: string }[];
    };

/** A metric of the OpenSearch plugin's Lucene query editor. */
export type AlertMetric =
  { readonly type: "count" } | { readonly type: "cardinality" | "min" | "max"; readonly field: string };

/** A Lucene query on the alert indices, aggregated (the plugin's `Metric` Lucene query type). */
export interface AlertQuery {
  readonly kind: "alerts";
  readonly lucene: string;
  readonly buckets: readonly Bucket[];
  readonly metric?: AlertMetric;
  readonly alias?: string;
}

export type Query = PromQuery | LokiQuery | AlertQuery;

export type PanelType = "timeseries" | "stat" | "table" | "bargauge" | "piechart";

export interface PanelSpec {
  readonly title: string;
  readonly type: PanelType;
  readonly description?: string;
  readonly queries: readonly Query[];
  /** Grid width (of 24) and height; rows are laid out left to right. */
  readonly w: number;
  readonly h?: number;
  readonly unit?: string;
  /** A relative time of its own ("24h"), for counters over a fixed window. */
  readonly timeFrom?: string;
  /** A stacked time series (counts by category). */
  readonly stacked?: boolean;
  /** How a stat or bar gauge reduces each series: the sum of a count's buckets, or the last value. */
  readonly reduce?: "sum" | "lastNotNull";
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const refId = (index: number): string =>
  index < REF_IDS.length
    ? REF_IDS[index]
    : `${REF_IDS[Math.floor(index / REF_IDS.length) - 1]}${REF_IDS[index % 26]}`;

const keyOf = (query: Query): DatasourceKey => (query.kind === "alerts" ? "alerts" : query.kind);

function bucketAgg(bucket: Bucket, id: number) {
  const base = { id: String(id) };
  switch (bucket.type) {
    case "terms":
      return {
        ...base,
        type: "terms",
        field: bucket.field,
        settings: { size: String(bucket.size), order: "desc", orderBy: "_count", min_doc_count: "1" },
      };
    case "date_histogram":
      return {
        ...base,
        type: "date_histogram",
        field: ALERT_TIME_FIELD,
        settings: { interval: "auto", min_doc_count: "0" },
      };
    case "filters":
      return {
        ...base,
        type: "filters",
        settings: { filters: bucket.filters.map((f) => ({ label: f.label, query: f.query })) },
      };
  }
}

/** One query as a panel target of its data source's plugin. */
export function target(query: Query, index: number): Record<string, unknown> {
  const common = { refId: refId(index), datasource: datasource(keyOf(query)) };
  switch (query.kind) {
    case "prometheus":
      return {
        ...common,
        expr: query.expr,
        legendFormat: query.legend ?? "__auto",
        range: !query.instant,
        instant: query.instant === true,
      };
    case "loki":
      return { ...common, expr: query.expr, legendFormat: query.legend ?? "", queryType: "range" };
    case "alerts":
      return {
        ...common,
        queryType: "lucene",
        luceneQueryType: "Metric",
        query: query.lucene,
        alias: query.alias ?? "",
        timeField: ALERT_TIME_FIELD,
        metrics: [{ id: "1", ...(query.metric ?? { type: "count" }) }],
        bucketAggs: query.buckets.map((bucket, i) => bucketAgg(bucket, i + 2)),
      };
  }
}

/** The panel types that reduce each series (or each row) to one value. */
const REDUCING: ReadonlySet<PanelType> = new Set(["stat", "bargauge", "piechart"]);

/**
 * Whether the panel's data are rows, each a value of its own: an aggregation on the alerts with terms
 * and no time buckets comes back as one table (a row per term), which a bar gauge shows row by row.
 */
const rowsAreValues = (spec: PanelSpec) =>
  spec.queries.every(
    (query) => query.kind === "alerts" && !query.buckets.some((b) => b.type === "date_histogram"),
  );

/** The panels laid out in order, wrapping to a new row when a row's 24 columns are full. */
export function layout(specs: readonly PanelSpec[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, index) => {
    const h = spec.h ?? 8;
    if (spec.w < 1 || spec.w > 24) throw new Error(`panel ${spec.title}: width ${spec.w} is not 1-24`);
    if (x + spec.w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: spec.w, h };
    x += spec.w;
    rowHeight = Math.max(rowHeight, h);
    const keys = new Set(spec.queries.map(keyOf));
    if (keys.size !== 1)
      throw new Error(`panel ${spec.title}: one data source per panel, not ${[...keys].join(", ")}`);
    return {
      id: index + 1,
      type: spec.type,
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      gridPos,
      datasource: datasource([...keys][0]),
      targets: spec.queries.map(target),
      ...(spec.timeFrom ? { timeFrom: spec.timeFrom } : {}),
      fieldConfig: {
        defaults: {
          ...(spec.unit ? { unit: spec.unit } : {}),
          ...(spec.stacked ? { custom: { stacking: { mode: "normal", group: "A" } } } : {}),
        },
        overrides: [],
      },
      options: REDUCING.has(spec.type)
        ? {
            reduceOptions: { calcs: [spec.reduce ?? "lastNotNull"], fields: "", values: rowsAreValues(spec) },
          }
        : {},
    };
  });
}

/** A dashboard's JSON model: read-only, UTC, its panels laid out. */
export function dashboardModel(args: {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly panels: readonly PanelSpec[];
}): Record<string, unknown> {
  if (!/^[a-z0-9-]{1,40}$/.test(args.uid))
    throw new Error(`dashboard uid ${args.uid}: a-z, 0-9, - and at most 40`);
  return {
    uid: args.uid,
    title: args.title,
    description: args.description,
    tags: ["fortress"],
    editable: false,
    timezone: "utc",
    schemaVersion: 39,
    time: { from: "now-24h", to: "now" },
    refresh: "1m",
    graphTooltip: 1,
    panels: layout(args.panels),
    templating: { list: [] },
    annotations: { list: [] },
  };
}

/** A Lucene `field:(a OR b)` for ids. */
export const anyOf = (field: string, values: readonly (string | number)[]): string => {
  if (values.length === 0) throw new Error(`${field}: no value to match`);
  return `${field}:(${values.map(String).join(" OR ")})`;
};
