/**
 * Endpoint Security: Wazuh agents by status and by role (the manager's textfile metric
 * `fortress_wazuh_agents{status,group}`: Fortress's agent groups are the VM roles), file integrity
 * changes, malware detections and vulnerabilities by severity (Wazuh alerts).
 */
import { anyOf, type PanelSpec } from "../panels";
import { MALWARE_RULE_IDS } from "./wazuhRules";

export function endpointSecurityPanels(): PanelSpec[] {
  return [
    {
      title: "Agents by status",
      type: "piechart",
      w: 8,
      queries: [
        {
          kind: "prometheus",
          expr: "sum by (status) (fortress_wazuh_agents)",
          legend: "{{status}}",
          instant: true,
        },
      ],
    },
    {
      title: "Agents by role and status",
      type: "bargauge",
      w: 16,
      queries: [
        {
          kind: "prometheus",
          expr: "sum by (group, status) (fortress_wazuh_agents)",
          legend: "{{group}} {{status}}",
          instant: true,
        },
      ],
    },
    {
      title: "File integrity changes",
      type: "timeseries",
      w: 12,
      stacked: true,
      queries: [
        {
          kind: "alerts",
          lucene: "rule.groups:syscheck",
          buckets: [{ type: "terms", field: "syscheck.event", size: 5 }, { type: "date_histogram" }],
        },
      ],
    },
    {
      title: "Most changed paths",
      type: "table",
      w: 12,
      queries: [
        {
          kind: "alerts",
          lucene: "rule.groups:syscheck",
          buckets: [
            { type: "terms", field: "agent.name", size: 10 },
            { type: "terms", field: "syscheck.path", size: 5 },
          ],
        },
      ],
    },
    {
      title: "Malware detections by agent",
      type: "timeseries",
      w: 12,
      queries: [
        {
          kind: "alerts",
          lucene: anyOf("rule.id", MALWARE_RULE_IDS),
          buckets: [{ type: "terms", field: "agent.name", size: 10 }, { type: "date_histogram" }],
        },
      ],
    },
    {
      // Wazuh alerts on a finding when it appears or is solved; the current list is the states index
      // (wazuh-states-vulnerabilities-*), which Grafana's user does not read: new detections, by severity.
      title: "New vulnerability detections by severity",
      type: "bargauge",
      w: 12,
      queries: [
        {
          kind: "alerts",
          lucene: "rule.groups:vulnerability-detector AND data.vulnerability.status:Active",
          buckets: [{ type: "terms", field: "data.vulnerability.severity", size: 5 }],
        },
      ],
    },
  ];
}
