/**
 * Every metric an alert reads is one the lab produces: each name in each expression (the catalogue's
 * own extractor, metrics/promql.ts) is in the catalogue (components/monitoring/metrics), save the
 * textfile metrics Fortress writes itself on the manager, which the hosts part catalogues
 * (components/monitoring/metrics/fortress.ts on its branch; the lead unions the two).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricByName, metricNamesIn } from "../metrics";
import { alertRules, alertsOf } from "./alertRules";
import { homeLabInput, MINIMAL_LAB } from "./labs.fixtures";
import { TEST_LAB } from "./ruleTests.fixtures";

/** Written by Fortress's own scripts on the manager (node exporter textfile collector). */
export const FORTRESS_TEXTFILE_METRICS: ReadonlySet<string> = new Set([
  "fortress_wazuh_agents",
  "fortress_containment_actions_total",
]);

describe("the alert rules read only produced metrics", () => {
  for (const [lab, input] of [
    ["the test lab", TEST_LAB],
    ["the home lab", homeLabInput()],
    ["a minimal lab", MINIMAL_LAB],
  ] as const)
    it(`every name in ${lab}'s expressions is in the catalogue`, () => {
      for (const rule of alertsOf(alertRules(input))) {
        const names = metricNamesIn(rule.expr);
        assert.ok(names.length > 0, `${rule.alert}: no metric found in ${rule.expr}`);
        for (const name of names)
          assert.ok(
            metricByName(name) !== undefined || FORTRESS_TEXTFILE_METRICS.has(name),
            `${rule.alert} reads ${name}, which nothing in the lab produces`,
          );
      }
    });

  it("reads the labels each metric carries", () => {
    // The selectors' and `by`/`on` labels a rule leans on, for the metrics whose labels the exporter sets.
    const labelsOf = (name: string) => new Set(metricByName(name)?.labels ?? []);
    for (const [name, label] of [
      ["pve_up", "id"],
      ["pve_guest_info", "name"],
      ["pve_guest_info", "node"],
      ["pve_lock_state", "state"],
      ["elasticsearch_cluster_health_status", "color"],
      ["elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds", "repository"],
      ["kubelet_volume_stats_available_bytes", "persistentvolumeclaim"],
      ["vector_component_received_events_total", "component_id"],
      ["node_network_receive_drop_total", "device"],
      ["certmanager_certificate_ready_status", "condition"],
    ] as const)
      assert.ok(labelsOf(name).has(label), `${name} carries no ${label} label in the catalogue`);
  });
});
