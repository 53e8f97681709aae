/**
 * Incident Response: what opens cases (the alerts sent to TheHive; TheHive itself exposes no metrics),
 * containments, releases, refusals and failures (the containment's audit alerts, and its counters on
 * the manager), and each containment beside the alert that caused it. No panel measures MISP hits:
 * nothing the lab runs exports them (MISP lookups happen inside Cortex and TheHive).
 */
import type { PanelSpec } from "../panels";
import { containmentRuleIds, THEHIVE_LUCENE } from "./wazuhRules";

const ids = (result: string) => containmentRuleIds(result).join(" OR ");

export function incidentResponsePanels(): PanelSpec[] {
  return [
    {
      title: "Alerts sent to TheHive (7d)",
      type: "stat",
      w: 6,
      h: 5,
      timeFrom: "7d",
      reduce: "sum",
      queries: [{ kind: "alerts", lucene: THEHIVE_LUCENE, buckets: [{ type: "date_histogram" }] }],
    },
    {
      title: "Alerts sent to TheHive",
      type: "timeseries",
      w: 18,
      h: 5,
      queries: [
        {
          kind: "alerts",
          lucene: THEHIVE_LUCENE,
          buckets: [{ type: "terms", field: "rule.description", size: 10 }, { type: "date_histogram" }],
        },
      ],
    },
    {
      title: "Containments and releases",
      type: "timeseries",
      w: 12,
      stacked: true,
      queries: [
        {
          kind: "alerts",
          lucene: `rule.groups:containment`,
          buckets: [
            {
              type: "filters",
              filters: [
                { label: "contained", query: `rule.id:(${ids("contained")})` },
                { label: "released", query: `rule.id:(${ids("released")})` },
                { label: "refused", query: `rule.id:(${ids("refused")})` },
                { label: "failed", query: `rule.id:(${ids("failed")})` },
              ],
            },
            { type: "date_histogram" },
          ],
        },
      ],
    },
    {
      title: "Containment actions by result",
      description: "fortress-contain's own counters on the manager (node exporter's textfile collector).",
      type: "bargauge",
      w: 12,
      queries: [
        {
          kind: "prometheus",
          expr: "sum by (action, result) (increase(fortress_containment_actions_total[$__range]))",
          legend: "{{action}} {{result}}",
          instant: true,
        },
      ],
    },
    {
      title: "Containments and the alert that caused them (time to contain)",
      description:
        "Each contained address with the reason fortress-contain recorded (the Wazuh alert id and rule) and when it was contained; no metric measures the delay itself.",
      type: "table",
      w: 24,
      // The plugin answers `min` of the timestamp as epoch milliseconds.
      unit: "dateTimeAsIso",
      queries: [
        {
          kind: "alerts",
          lucene: `rule.id:(${ids("contained")})`,
          metric: { type: "min", field: "timestamp" },
          buckets: [
            { type: "terms", field: "data.fortress.address", size: 20 },
            { type: "terms", field: "data.fortress.reason", size: 5 },
            { type: "terms", field: "data.fortress.by", size: 3 },
          ],
        },
      ],
    },
  ];
}
