import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { DASHBOARD_LABEL, GRAFANA_TYPE } from "./grafana-read-only-dashboards";

export const monitoring = layerComponent("monitoring");

export interface GrafanaPlanOptions {
  readonly passwordLength?: number;
  readonly withPassword?: boolean;
  readonly secretTakesPassword?: boolean;
  /** The dashboard's JSON text (default: a read-only model). */
  readonly dashboard?: string;
  /** kube-prometheus-stack's `grafana:` values (default: Fortress's shape). */
  readonly grafanaValues?: Record<string, unknown>;
}

export const READ_ONLY_VALUES = {
  admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
  defaultDashboardsEditable: false,
  sidecar: {
    dashboards: {
      enabled: true,
      label: DASHBOARD_LABEL,
      labelValue: "1",
      provider: { allowUiUpdates: false },
    },
  },
};

/** A Grafana component as it records itself, its password, admin Secret and a dashboard, and the stack's chart. */
export function grafanaPlan(options: GrafanaPlanOptions = {}): PlanResource[] {
  const component = planResource(
    GRAFANA_TYPE,
    "grafana",
    { hostname: "grafana.lab.example" },
    { parent: monitoring },
  );
  const password = planResource(
    SDK_TYPES.randomPassword,
    "grafana-admin-password",
    { length: options.passwordLength ?? 40, special: false },
    { parent: component },
  );
  const secret = planResource(
    SDK_TYPES.k8sSecret,
    "grafana-admin",
    { metadata: { name: "grafana-admin", namespace: "fortress-monitoring" }, stringData: "[secret]" },
    { parent: component, dependsOn: options.secretTakesPassword === false ? [] : [password] },
  );
  const dashboard = planResource(
    SDK_TYPES.k8sConfigMap,
    "grafana-dashboard-fortress-security-overview",
    {
      metadata: { name: "dashboard-fortress-security-overview", labels: { [DASHBOARD_LABEL]: "1" } },
      data: {
        "fortress-security-overview.json":
          options.dashboard ?? '{"uid":"fortress-security-overview","editable":false}',
      },
    },
    { parent: component },
  );
  const chart = planResource(
    SDK_TYPES.helmChartV4,
    "kube-prometheus-stack",
    {
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      values: { grafana: options.grafanaValues ?? READ_ONLY_VALUES },
    },
    { parent: monitoring },
  );
  return [
    monitoring,
    component,
    ...(options.withPassword === false ? [] : [password]),
    secret,
    dashboard,
    chart,
  ];
}

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a generated admin password in the admin Secret, a read-only dashboard, the stack's provider read-only",
      resources: grafanaPlan(),
    },
    { name: "no Grafana in the plan", resources: [monitoring] },
    {
      name: "a ConfigMap without the sidecar's label (not a dashboard)",
      resources: [
        monitoring,
        planResource(
          SDK_TYPES.k8sConfigMap,
          "other",
          { metadata: { name: "other" }, data: { "x.json": "{}" } },
          { parent: monitoring },
        ),
      ],
    },
  ],
  failing: [
    { name: "no random admin password", resources: grafanaPlan({ withPassword: false }) },
    { name: "a short random admin password", resources: grafanaPlan({ passwordLength: 8 }) },
    {
      name: "an admin Secret that does not hold the random password",
      resources: grafanaPlan({ secretTakesPassword: false }),
    },
    { name: "an editable dashboard", resources: grafanaPlan({ dashboard: '{"uid":"x","editable":true}' }) },
    {
      name: "a dashboard that does not say it is read-only",
      resources: grafanaPlan({ dashboard: '{"uid":"x"}' }),
    },
    { name: "a dashboard that is not JSON", resources: grafanaPlan({ dashboard: "uid: x" }) },
    {
      name: "the chart's adminPassword (kube-prometheus-stack's old prom-operator)",
      resources: grafanaPlan({ grafanaValues: { ...READ_ONLY_VALUES, adminPassword: "[secret]" } }),
    },
    {
      name: "the admin account left to the chart's random Secret",
      resources: grafanaPlan({ grafanaValues: { ...READ_ONLY_VALUES, admin: { existingSecret: "" } } }),
    },
    {
      name: "a provider that lets users change provisioned dashboards",
      resources: grafanaPlan({
        grafanaValues: {
          ...READ_ONLY_VALUES,
          sidecar: { dashboards: { provider: { allowUiUpdates: true } } },
        },
      }),
    },
  ],
};
