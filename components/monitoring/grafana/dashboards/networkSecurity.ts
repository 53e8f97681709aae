/**
 * Network Security: the firewall's blocks and passes by zone pair (pf's filterlog in Loki, one query
 * per ordered pair of the lab's routed zones, by `ip()` filters on the source and destination), Suricata
 * alerts by category and its malware detections (Wazuh alerts), and traffic per VLAN interface
 * (node exporter on OPNsense).
 */
import { parseCidr } from "../../../../vocabulary/addresses";
import type { LokiQuery, PanelSpec } from "../panels";
import { FILTERLOG_IPV4_REGEXP, FIREWALL_LOG_SELECTOR } from "../references";
import { anyOf } from "../panels";
import { MALWARE_RULE_IDS } from "./wazuhRules";

/** A zone the firewall routes, with its IPv4 network. */
export interface Zone {
  readonly name: string;
  readonly cidr: string;
}

/** The scrape job of OPNsense's node exporter (components/monitoring hosts part, job `opnsense`). */
export const OPNSENSE_JOB = "opnsense";

/** One LogQL metric query: pf's log lines from `from` to `to`, counted by action. */
export function zonePairQuery(from: Zone, to: Zone): LokiQuery {
  const selector = FIREWALL_LOG_SELECTOR;
  const expr =
    `sum by (action) (count_over_time(${selector} |= "filterlog" | regexp ${JSON.stringify(FILTERLOG_IPV4_REGEXP)}` +
    ` | src = ip(${JSON.stringify(from.cidr)}) | dst = ip(${JSON.stringify(to.cidr)}) [$__auto]))`;
  return { kind: "loki", expr, legend: `${from.name} → ${to.name} {{action}}` };
}

export function zonePairQueries(zones: readonly Zone[]): LokiQuery[] {
  const names = new Set<string>();
  for (const zone of zones) {
    if (names.has(zone.name)) throw new Error(`zone ${zone.name} twice`);
    names.add(zone.name);
    if (!parseCidr(zone.cidr)) throw new Error(`zone ${zone.name}: ${zone.cidr} is no IPv4 network`);
  }
  if (zones.length < 2) throw new Error("zone pairs need two zones at least");
  return zones.flatMap((from) => zones.filter((to) => to !== from).map((to) => zonePairQuery(from, to)));
}

export function networkSecurityPanels(zones: readonly Zone[]): PanelSpec[] {
  const traffic = (metric: string, way: string): PanelSpec => ({
    title: `Traffic per VLAN (${way})`,
    type: "timeseries",
    w: 12,
    unit: "Bps",
    queries: [
      {
        kind: "prometheus",
        expr: `sum by (device) (rate(${metric}{job="${OPNSENSE_JOB}"}[$__rate_interval]))`,
        legend: "{{device}}",
      },
    ],
  });
  return [
    {
      title: "Firewall blocks and passes by zone pair",
      type: "timeseries",
      w: 24,
      h: 10,
      stacked: true,
      queries: zonePairQueries(zones),
    },
    {
      title: "Suricata alerts by category",
      type: "timeseries",
      w: 12,
      stacked: true,
      queries: [
        {
          kind: "alerts",
          lucene: "rule.groups:suricata",
          buckets: [{ type: "terms", field: "data.alert.category", size: 10 }, { type: "date_histogram" }],
        },
      ],
    },
    {
      title: "Suricata malware detections",
      type: "table",
      w: 12,
      queries: [
        {
          kind: "alerts",
          lucene: `rule.groups:suricata AND ${anyOf("rule.id", MALWARE_RULE_IDS)}`,
          buckets: [{ type: "terms", field: "data.alert.signature", size: 20 }],
        },
      ],
    },
    traffic("node_network_receive_bytes_total", "in"),
    traffic("node_network_transmit_bytes_total", "out"),
  ];
}
