/**
 * A dashboard's layout as a Markdown table of its panels (title, query, data source), for the README;
 * a test keeps the README's table equal to what the program generates.
 */
import type { Dashboard } from "../contract";
import { panelTargets } from "./check";

type Json = Readonly<Record<string, unknown>>;

/** One target as a line of text: its PromQL/LogQL, or its Lucene query and aggregations. */
export function describeTarget(target: Json): string {
  if (typeof target.expr === "string") return target.expr;
  const metric = ((target.metrics ?? []) as Json[]).map((m) => (m.field ? `${m.type}(${m.field})` : m.type));
  const buckets = ((target.bucketAggs ?? []) as Json[]).map((agg) => {
    if (agg.type === "filters") {
      const filters = ((agg.settings as Json).filters as Json[]).map((f) => f.label).join("/");
      return `filters ${filters}`;
    }
    return agg.field && agg.type !== "date_histogram" ? `${agg.type} ${agg.field}` : String(agg.type);
  });
  return [`${String(target.query)}`, ...metric, ...buckets].join(" · ");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function panelTable(dashboard: Dashboard): string {
  const rows = new Map<string, { queries: string[]; uid: string }>();
  for (const { panel, panelDatasource, target } of panelTargets(dashboard)) {
    const row = rows.get(panel) ?? { queries: [], uid: panelDatasource.uid };
    row.queries.push(describeTarget(target));
    rows.set(panel, row);
  }
  const lines = ["| Panel | Query | Data source |", "| --- | --- | --- |"];
  for (const [title, row] of rows) {
    const shown =
      row.queries.length > 3
        ? [...row.queries.slice(0, 2), `… ${row.queries.length} queries in all`]
        : row.queries;
    lines.push(
      `| ${cell(title)} | ${shown.map((query) => `\`${cell(query)}\``).join("<br>")} | \`${row.uid}\` |`,
    );
  }
  return lines.join("\n");
}
