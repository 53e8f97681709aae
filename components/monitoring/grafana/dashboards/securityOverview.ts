/**
 * Security Overview: alerts by severity and by source over time, what reached TheHive (its cases
 * come from those alerts: TheHive exposes no metrics and keeps its cases in its own graph index),
 * hosts contained, the top rules, and the platform's own firing alerts.
 */
import type { PanelSpec } from "../panels";
import { containmentRuleIds, SEVERITY_FILTERS, THEHIVE_LUCENE } from "./wazuhRules";

export function securityOverviewPanels(): PanelSpec[] {
  return [
    {
      title: "Alerts by severity",
      type: "timeseries",
      w: 12,
      stacked: true,
      queries: [
        {
          kind: "alerts",
          lucene: "*",
          buckets: [{ type: "filters", filters: SEVERITY_FILTERS }, { type: "date_histogram" }],
        },
      ],
    },
    {
      title: "Alerts by source agent",
      type: "timeseries",
      w: 12,
      stacked: true,
      queries: [
        {
          kind: "alerts",
          lucene: "rule.level:>=3",
          buckets: [{ type: "terms", field: "agent.name", size: 10 }, { type: "date_histogram" }],
        },
      ],
    },
    {
      title: "Alerts sent to TheHive (24h)",
      description:
        "Alerts the Wazuh integration turns into TheHive alerts, which open its cases (level 10 and above, or a detection rule).",
      type: "stat",
      w: 6,
      h: 5,
      timeFrom: "24h",
      reduce: "sum",
      queries: [{ kind: "alerts", lucene: THEHIVE_LUCENE, buckets: [{ type: "date_histogram" }] }],
    },
    {
      title: "Hosts contained (24h)",
      description:
        "Each address fortress-contain put in the quarantine in the last 24 hours, with how often.",
      type: "table",
      w: 6,
      h: 5,
      timeFrom: "24h",
      queries: [
        {
          kind: "alerts",
          lucene: `rule.id:(${containmentRuleIds("contained").join(" OR ")})`,
          buckets: [{ type: "terms", field: "data.fortress.address", size: 50 }],
        },
      ],
    },
    {
      title: "Platform alerts firing",
      type: "stat",
      w: 6,
      h: 5,
      queries: [
        // Not the chart's Watchdog (always firing, by design) or InfoInhibitor: the alerts that matter.
        {
          kind: "prometheus",
          expr: 'count(ALERTS{alertstate="firing", severity!~"none|info"}) or vector(0)',
          instant: true,
        },
      ],
    },
    {
      title: "Targets down",
      type: "stat",
      w: 6,
      h: 5,
      queries: [{ kind: "prometheus", expr: "count(up == 0) or vector(0)", instant: true }],
    },
    {
      title: "Top rules",
      type: "table",
      w: 24,
      queries: [
        {
          kind: "alerts",
          lucene: "rule.level:>=3",
          buckets: [
            { type: "terms", field: "rule.id", size: 10 },
            { type: "terms", field: "rule.description", size: 1 },
          ],
        },
      ],
    },
  ];
}
