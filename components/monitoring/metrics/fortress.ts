/**
 * Fortress's own metrics, written as textfiles for the node exporter on the Wazuh manager (the `node`
 * job): the manager's agents and queues (components/monitoring/wazuh/fortress-wazuh-metrics.py HELP
 * table) and the containment action's counters (components/response/containment/fortress-contain.py
 * `Metrics`). The tests of both programs check every series they write against this list.
 */
import type { MetricProducer, MetricSpec, MetricType } from "../contract";

const metric = (name: string, type: MetricType, labels: readonly string[], help: string): MetricSpec => ({
  name,
  type,
  labels,
  help,
});

export const WAZUH_METRICS_PROGRAM = "components/monitoring/wazuh/fortress-wazuh-metrics.py";
export const CONTAINMENT_PROGRAM = "components/response/containment/fortress-contain.py";

export const FORTRESS_TEXTFILES: MetricProducer = {
  job: "node",
  source: `${WAZUH_METRICS_PROGRAM}, ${CONTAINMENT_PROGRAM}`,
  metrics: [
    metric(
      "fortress_wazuh_api_up",
      "gauge",
      [],
      "1 when every call of the last run to the Wazuh API succeeded",
    ),
    metric(
      "fortress_wazuh_last_success_timestamp_seconds",
      "gauge",
      [],
      "When the Wazuh API last answered every call",
    ),
    metric(
      "fortress_wazuh_agents_connection",
      "gauge",
      ["status"],
      "Agents by connection status (GET /agents/summary/status)",
    ),
    metric(
      "fortress_wazuh_agents",
      "gauge",
      ["group", "status"],
      "Agents by status and group (an agent in two groups counts in both)",
    ),
    metric(
      "fortress_wazuh_queue_usage_ratio",
      "gauge",
      ["daemon", "queue"],
      "How full a Wazuh daemon's queue is, 0 to 1",
    ),
    metric(
      "fortress_wazuh_queue_size",
      "gauge",
      ["daemon", "queue"],
      "A Wazuh daemon's queue capacity, in messages",
    ),
    metric(
      "fortress_containment_actions_total",
      "counter",
      ["action", "result"],
      "Containment actions by action and result",
    ),
    metric(
      "fortress_containment_last_failure_timestamp_seconds",
      "gauge",
      [],
      "When an action last failed or outlived its retries",
    ),
    metric(
      "fortress_containment_last_success_timestamp_seconds",
      "gauge",
      [],
      "When an action last succeeded",
    ),
    metric(
      "fortress_containment_recorded_hosts",
      "gauge",
      [],
      "Hosts held contained by a record of this program",
    ),
  ],
};

/**
 * Every `# TYPE` and sample of a textfile checked against the catalogue: the name is listed, the type
 * is the same, each sample carries exactly the listed labels. The problems found, empty when none.
 */
export function textfileProblems(text: string, producer: MetricProducer = FORTRESS_TEXTFILES): string[] {
  const problems: string[] = [];
  const byName = new Map(producer.metrics.map((spec) => [spec.name, spec]));
  for (const line of text.split("\n").filter(Boolean)) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const spec = byName.get(type[1] ?? "");
      if (!spec) problems.push(`${type[1]} is not in the catalogue`);
      else if (spec.type !== type[2])
        problems.push(`${type[1]} is a ${type[2]}, the catalogue says ${spec.type}`);
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!sample) {
      problems.push(`not a sample: ${line}`);
      continue;
    }
    const spec = byName.get(sample[1] ?? "");
    if (!spec) {
      problems.push(`${sample[1]} is not in the catalogue`);
      continue;
    }
    const labels = [...(sample[2] ?? "").matchAll(/(\w+)="(?:[^"\\]|\\.)*"/g)]
      .map((match) => match[1])
      .sort();
    if (labels.join(",") !== [...spec.labels].sort().join(","))
      problems.push(
        `${sample[1]} has labels ${labels.join(",")}, the catalogue says ${spec.labels.join(",")}`,
      );
  }
  return problems;
}
