/**
 * Helm charts as the pack sees them. In `pulumi preview` a `kubernetes:helm.sh/v4:Chart`
 * (pulumi/pulumi-kubernetes provider/pkg/provider/helm/v4/chart.go, `pulumi.Parent(comp)`) and a helm.v3
 * Chart (sdk/nodejs/helm/v3/helm.ts: each rendered object is created with `yaml.getChildOpts(this, …)`)
 * register every object they render as a child, and the pack judges those objects like any other. A
 * helm.v3 Release and k3s's own `helm.cattle.io/v1` HelmChart register only themselves, a v4 Chart whose
 * inputs are not all known at preview renders nothing (chart.go: "Input properties have unknown
 * values"), and offline, under mocks, no chart renders: for those the values that control security are
 * what can be judged. */
import type { PolicyResource } from "@pulumi/policy";
import * as yaml from "js-yaml";
import { K8S_PACKAGE, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { knownString } from "./inputs";
import { K8S_DEFAULT_SCHEMA } from "./yaml11";

/** k3s's HelmChart custom resource (k3s-io/helm-controller pkg/apis/helm.cattle.io/v1/types.go). */
export const K3S_HELM_CHART_TYPE = `${K8S_PACKAGE}:helm.cattle.io/v1:HelmChart`;
/** Every chart mechanism: helm.v3 Release and Chart, helm.v4 Chart, k3s's HelmChart. */
export const CHART_TYPES: ReadonlySet<string> = new Set([
  SDK_TYPES.helmReleaseV3,
  SDK_TYPES.helmChartV3,
  SDK_TYPES.helmChartV4,
  K3S_HELM_CHART_TYPE,
]);

type Inputs = Record<string, unknown>;
const asRecord = (value: unknown): Inputs | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Inputs) : undefined;

/**
 * A HelmChart `spec.set` value (an IntOrString) as the chart receives it. helm-controller passes an
 * integer, or a string that lower-cases to true/false/null, with `--set` (so Helm's strvals types it:
 * "True" is the boolean true), and every other string with `--set-string`, so "8080" stays a string
 * (k3s-io/helm-controller pkg/controllers/chart/chart.go args/typedVal; helm/helm pkg/strvals/parser.go
 * typedVal compares with strings.EqualFold).
 */
const setScalar = (value: unknown) => {
  if (typeof value !== "string") return value;
  const lower = value.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : lower === "null" ? null : value;
};

/** `a.b[0].c=v` (`--set`, HelmChart `spec.set`) as the nested values it sets. */
function setValues(set: Inputs): Inputs {
  const root: Inputs = {};
  for (const [path, value] of Object.entries(set)) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== "");
    let node = root;
    keys.forEach((key, index) => {
      if (index === keys.length - 1) node[key] = setScalar(value);
      else node = (node[key] = asRecord(node[key]) ?? {}) as Inputs;
    });
  }
  return root;
}

export interface ChartValues {
  /** Each source of values with where it came from: `values`, `spec.valuesContent`, `spec.set`. */
  readonly sources: readonly { readonly path: string; readonly values: unknown }[];
  /** Sources that could not be read, and why with what to do (valuesContent that is not YAML, values files). */
  readonly unreadable: readonly { readonly path: string; readonly why: string }[];
}

const NOT_YAML = "is not YAML, so what it installs cannot be judged: fix its syntax";
/** A helm.v3 Release's or helm.v4 Chart's values files (pulumi-kubernetes sdk/nodejs/helm/v3/release.ts, v4/chart.ts). */
const VALUE_FILES = "valueYamlFiles";
const FILES_OFFLINE =
  "are files the provider reads at deploy time, so what it installs cannot be judged offline: put those values in `values`";
/** HelmChart/HelmChartConfig spec.valuesSecrets (k3s-io/helm-controller pkg/apis/helm.cattle.io/v1/types.go). */
const SECRETS_OFFLINE =
  "are read from cluster Secrets at install time, so what it installs cannot be judged offline: put those values in spec.valuesContent or spec.values";

/** Whether an input is set to something other than nothing (an unknown at preview counts). */
const present = (value: unknown) =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** k3s's HelmChartConfig, which overrides a packaged chart's values (Traefik's among them). */
export const K3S_HELM_CHART_CONFIG_TYPE = `${K8S_PACKAGE}:helm.cattle.io/v1:HelmChartConfig`;

/** The values a chart resource (or a k3s HelmChartConfig) installs with. */
export function chartValuesOf(resource: { readonly type: string; readonly props: Inputs }): ChartValues {
  if (resource.type !== K3S_HELM_CHART_TYPE && resource.type !== K3S_HELM_CHART_CONFIG_TYPE) {
    const files = present(resource.props[VALUE_FILES]) ? [{ path: VALUE_FILES, why: FILES_OFFLINE }] : [];
    return { sources: [{ path: "values", values: resource.props.values }], unreadable: files };
  }
  const spec = asRecord(resource.props.spec) ?? {};
  const sources: { path: string; values: unknown }[] = [{ path: "spec.values", values: spec.values }];
  const unreadable: { path: string; why: string }[] = [];
  const content = knownString(spec.valuesContent);
  if (content !== undefined) {
    try {
      sources.push({
        path: "spec.valuesContent",
        values: yaml.load(content, { schema: K8S_DEFAULT_SCHEMA }),
      });
    } catch {
      unreadable.push({ path: "spec.valuesContent", why: NOT_YAML });
    }
  }
  if (present(spec.valuesSecrets)) unreadable.push({ path: "spec.valuesSecrets", why: SECRETS_OFFLINE });
  const set = asRecord(spec.set);
  if (set) sources.push({ path: "spec.set", values: setValues(set) });
  return { sources, unreadable };
}

/** The namespace a chart installs into, when its inputs say. */
export function chartNamespaceOf(resource: {
  readonly type: string;
  readonly props: Inputs;
}): string | undefined {
  if (resource.type === K3S_HELM_CHART_TYPE)
    return knownString(asRecord(resource.props.spec)?.targetNamespace);
  if (resource.type === K3S_HELM_CHART_CONFIG_TYPE)
    return knownString(asRecord(resource.props.metadata)?.namespace);
  return knownString(resource.props.namespace);
}

/** `Helm release keycloak (chart keycloakx)`, for messages. */
export function chartLabel(resource: {
  readonly type: string;
  readonly name: string;
  readonly props: Inputs;
}): string {
  const spec = asRecord(resource.props.spec);
  const chart = knownString(resource.props.chart) ?? knownString(spec?.chart) ?? "?";
  const name =
    knownString(resource.props.name) ?? knownString(asRecord(resource.props.metadata)?.name) ?? resource.name;
  const what =
    resource.type === K3S_HELM_CHART_TYPE
      ? "k3s HelmChart"
      : resource.type === K3S_HELM_CHART_CONFIG_TYPE
        ? "k3s HelmChartConfig"
        : resource.type === SDK_TYPES.helmChartV4
          ? "Helm v4 Chart"
          : "Helm release";
  return `${what} ${name} (chart ${chart})`;
}

/** A resource as both the plan and the policy SDK give it: its URN, type and parent's URN. */
export interface ResourceNode {
  readonly urn: string;
  readonly type: string;
  readonly parentUrn: string | undefined;
}

export const policyNode = (resource: PolicyResource): ResourceNode => ({
  urn: resource.urn,
  type: resource.type,
  parentUrn: resource.parent?.urn,
});

/**
 * The URNs of the charts whose rendered objects are not in the plan (no Kubernetes object has the chart
 * as an ancestor): these the pack can judge only by their values.
 */
export function chartsWithoutRenderedObjects(resources: readonly ResourceNode[]): Set<string> {
  const charts = new Set(
    resources.filter((resource) => CHART_TYPES.has(resource.type)).map((resource) => resource.urn),
  );
  if (charts.size === 0) return charts;
  const parentOf = new Map(resources.map((resource) => [resource.urn, resource.parentUrn]));
  const rendered = new Set<string>();
  for (const resource of resources) {
    if (!resource.type.startsWith(`${K8S_PACKAGE}:`) || CHART_TYPES.has(resource.type)) continue;
    let parent = resource.parentUrn;
    for (let depth = 0; parent !== undefined && depth < 100; depth++) {
      if (charts.has(parent)) rendered.add(parent);
      parent = parentOf.get(parent);
    }
  }
  return new Set([...charts].filter((urn) => !rendered.has(urn)));
}

/** The charts of a captured plan that only their values could judge, as messages name them (plan.json). */
export function chartsJudgedByValues(
  resources: readonly {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly inputs: Inputs;
  }[],
): string[] {
  const byValues = chartsWithoutRenderedObjects(
    resources.map((resource) => ({
      urn: resource.urn,
      type: resource.type,
      parentUrn: resource.parent ?? undefined,
    })),
  );
  return resources
    .filter((resource) => byValues.has(resource.urn))
    .map((resource) => chartLabel({ type: resource.type, name: resource.name, props: resource.inputs }));
}
