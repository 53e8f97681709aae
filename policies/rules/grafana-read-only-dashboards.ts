/**
 * Grafana's dashboards are provisioned and read-only, and its admin password is generated (issue 15,
 * "Checks"). Judged on what the plan holds: the Grafana component's children (components/monitoring/
 * grafana/grafana.ts), every ConfigMap the dashboard sidecar loads (label `grafana_dashboard`), and the
 * values of a grafana or kube-prometheus-stack chart (grafana-community/helm-charts charts/grafana
 * templates/_pod.tpl: the admin env from `admin.existingSecret`, else from the chart's own Secret with
 * `adminPassword` or a random one; templates/_config.tpl `grafana.configDashboardProviderData`:
 * `sidecar.dashboards.provider.allowUiUpdates`).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { dependsOnResource } from "../lib/stack";

export const GRAFANA_TYPE = COMPONENT_TYPES.grafana;
export const DASHBOARD_LABEL = "grafana_dashboard";
/** The shortest admin password the pack accepts from `random`. */
export const MIN_GRAFANA_ADMIN_PASSWORD_LENGTH = 20;

type Json = Record<string, unknown>;
const map = (value: unknown): Json => (typeof value === "object" && value !== null ? (value as Json) : {});

function componentProblems(grafana: PolicyResource, children: readonly PolicyResource[]): string[] {
  const name = grafana.name;
  const password = children.find(
    (child) => child.type === SDK_TYPES.randomPassword && child.name === `${name}-admin-password`,
  );
  if (!password) return [`Grafana ${name} has no random admin password (${name}-admin-password)`];
  const problems: string[] = [];
  if (!(Number(password.props.length) >= MIN_GRAFANA_ADMIN_PASSWORD_LENGTH))
    problems.push(
      `Grafana ${name}'s admin password is ${String(password.props.length)} characters, under ${MIN_GRAFANA_ADMIN_PASSWORD_LENGTH}`,
    );
  const secret = children.find(
    (child) => child.type === SDK_TYPES.k8sSecret && child.name === `${name}-admin`,
  );
  if (!secret || !dependsOnResource(secret, password))
    problems.push(`Grafana ${name}'s admin Secret (${name}-admin) does not hold the random password`);
  return problems;
}

/** Each dashboard file of a ConfigMap the sidecar loads that Grafana would let users edit. */
function dashboardProblems(configMap: PolicyResource): string[] {
  const labels = map(map(configMap.props.metadata).labels);
  if (labels[DASHBOARD_LABEL] === undefined) return [];
  return Object.entries(map(configMap.props.data)).flatMap(([file, text]) => {
    try {
      const model = JSON.parse(String(text)) as Json;
      return model.editable === false ? [] : [`dashboard ${file} of ConfigMap ${configMap.name} is editable`];
    } catch {
      return [`dashboard ${file} of ConfigMap ${configMap.name} is not JSON`];
    }
  });
}

/** The grafana chart's values a release sets: its own, or kube-prometheus-stack's `grafana:`. */
function grafanaValuesOf(release: PolicyResource): Json | undefined {
  const chart = String(release.props.chart ?? "");
  const values = map(release.props.values);
  if (/(^|\/)kube-prometheus-stack$/.test(chart))
    return map(values.grafana).enabled === false ? undefined : map(values.grafana);
  if (/(^|\/)grafana$/.test(chart)) return values;
  return undefined;
}

function valuesProblems(release: PolicyResource, values: Json): string[] {
  const problems: string[] = [];
  const where = `chart ${release.name}`;
  if (values.adminPassword !== undefined)
    problems.push(`${where} sets Grafana's adminPassword in its values`);
  if (!map(values.admin).existingSecret)
    problems.push(`${where} leaves Grafana's admin account to the chart (admin.existingSecret unset)`);
  if (map(map(values["grafana.ini"]).security).admin_password !== undefined)
    problems.push(`${where} sets security.admin_password in grafana.ini`);
  const provider = map(map(map(values.sidecar).dashboards).provider);
  if (provider.allowUiUpdates === true)
    problems.push(`${where} lets users change provisioned dashboards (allowUiUpdates)`);
  if (values.defaultDashboardsEditable === true)
    problems.push(`${where} makes the stack's own dashboards editable`);
  return problems;
}

export const grafanaReadOnlyDashboards: StackValidationPolicy = {
  name: "grafana-read-only-dashboards",
  description:
    "Grafana's admin password comes from @pulumi/random (at least 20 characters) into the admin Secret the chart reads (admin.existingSecret; no adminPassword or security.admin_password in values); every dashboard the sidecar provisions (ConfigMaps labelled grafana_dashboard) is JSON with editable false, and the dashboard provider does not allow UI updates.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const grafana of args.resources.filter((resource) => resource.type === GRAFANA_TYPE)) {
      const children = args.resources.filter((resource) => {
        for (let parent = resource.parent, depth = 0; parent && depth < 50; parent = parent.parent, depth++)
          if (parent.urn === grafana.urn) return true;
        return false;
      });
      for (const problem of componentProblems(grafana, children)) reportViolation(problem, grafana.urn);
    }
    for (const configMap of args.resources.filter((resource) => resource.type === SDK_TYPES.k8sConfigMap))
      for (const problem of dashboardProblems(configMap)) reportViolation(problem, configMap.urn);
    for (const release of args.resources.filter(
      (resource) => resource.type === SDK_TYPES.helmChartV4 || resource.type === SDK_TYPES.helmReleaseV3,
    )) {
      const values = grafanaValuesOf(release);
      if (values)
        for (const problem of valuesProblems(release, values)) reportViolation(problem, release.urn);
    }
  },
};
