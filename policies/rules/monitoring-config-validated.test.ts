import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { monitoringConfigValidated } from "./monitoring-config-validated";
import {
  ALERTMANAGER_SAMPLES,
  alertmanagerPlan,
  RULE_SAMPLES,
  rulePlan,
} from "./monitoring-config-validated.fixtures";
import { planResource } from "../lib/build";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const messages = async (resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([monitoringConfigValidated], resources)).map((v) => v.message);

describe("monitoring-config-validated on its samples", () => {
  // Whether promtool and amtool agree with each verdict: components/monitoring/validators.test.ts.
  for (const [kind, samples, plan] of [
    ["rules", RULE_SAMPLES, rulePlan],
    ["alertmanager", ALERTMANAGER_SAMPLES, alertmanagerPlan],
  ] as const)
    for (const sample of samples)
      it(`${kind}: ${sample.name} — ${sample.pack}`, async () => {
        const found = await messages(plan(sample.doc));
        assert.equal(found.length === 0 ? "pass" : "fail", sample.pack, found.join("\n"));
      });
});

describe("monitoring-config-validated", () => {
  it("names what is wrong, where", async () => {
    assert.deepEqual(
      await messages(
        rulePlan({
          groups: [
            {
              name: "g",
              rules: [
                {
                  alert: "A",
                  expr: "up",
                  for: "5 minutes",
                  labels: { layer: "x", severity: "warning" },
                  annotations: { summary: "s", description: "d" },
                },
              ],
            },
          ],
        }),
      ),
      ["PrometheusRule fortress-rules group 1 (g) rule 1: for is not a duration"],
    );
    const [undefinedReceiver] = ALERTMANAGER_SAMPLES.filter(
      (sample) => sample.name === "a route to an undefined receiver",
    );
    assert.deepEqual(await messages(alertmanagerPlan(undefinedReceiver!.doc)), [
      'Secret alertmanager-config alertmanager.yaml route.routes[0]: undefined receiver "pager" used in route',
    ]);
  });

  it("reads kube-prometheus-stack's values: alertmanager.config and additionalPrometheusRulesMap", async () => {
    const chart = planResource(SDK_TYPES.helmChartV4, "kube-prometheus-stack", {
      chart: "kube-prometheus-stack",
      values: {
        alertmanager: { config: { route: { receiver: "nowhere" }, receivers: [] } },
        additionalPrometheusRulesMap: { extra: { groups: [{ name: "", rules: [] }] } },
      },
    });
    assert.deepEqual(await messages([chart]), [
      'chart kube-prometheus-stack alertmanager.config route: undefined receiver "nowhere" used in route',
      "chart kube-prometheus-stack additionalPrometheusRulesMap.extra group 1: Groupname must not be empty",
    ]);
  });

  it("refuses a configuration it cannot read", async () => {
    assert.deepEqual(await messages(alertmanagerPlan("[secret]")), [
      "Secret alertmanager-config alertmanager.yaml cannot be checked: it is secret or unknown in the plan, though it holds no secret (only *_file references)",
    ]);
  });
});
