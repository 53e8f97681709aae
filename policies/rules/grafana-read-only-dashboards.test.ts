import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { grafanaReadOnlyDashboards } from "./grafana-read-only-dashboards";
import { grafanaPlan, READ_ONLY_VALUES } from "./grafana-read-only-dashboards.fixtures";

const messages = async (...options: Parameters<typeof grafanaPlan>) =>
  (await evaluatePolicies([grafanaReadOnlyDashboards], grafanaPlan(...options))).map((v) => v.message);

describe("grafana-read-only-dashboards", () => {
  it("accepts a generated admin password, read-only dashboards and a read-only provider", async () => {
    assert.deepEqual(await messages(), []);
  });

  it("names each problem where it is", async () => {
    assert.deepEqual(await messages({ passwordLength: 12, secretTakesPassword: false }), [
      "Grafana grafana's admin password is 12 characters, under 20",
      "Grafana grafana's admin Secret (grafana-admin) does not hold the random password",
    ]);
    assert.deepEqual(await messages({ dashboard: '{"editable":true}' }), [
      "dashboard fortress-security-overview.json of ConfigMap grafana-dashboard-fortress-security-overview is editable",
    ]);
    assert.deepEqual(
      await messages({
        grafanaValues: {
          adminPassword: "x",
          "grafana.ini": { security: { admin_password: "x" } },
          sidecar: { dashboards: { provider: { allowUiUpdates: true } } },
          defaultDashboardsEditable: true,
        },
      }),
      [
        "chart kube-prometheus-stack sets Grafana's adminPassword in its values",
        "chart kube-prometheus-stack leaves Grafana's admin account to the chart (admin.existingSecret unset)",
        "chart kube-prometheus-stack sets security.admin_password in grafana.ini",
        "chart kube-prometheus-stack lets users change provisioned dashboards (allowUiUpdates)",
        "chart kube-prometheus-stack makes the stack's own dashboards editable",
      ],
    );
  });

  it("leaves a stack without Grafana alone", async () => {
    assert.deepEqual(await messages({ grafanaValues: { enabled: false } }), []);
    assert.deepEqual(await messages({ grafanaValues: { ...READ_ONLY_VALUES } }), []);
  });
});
