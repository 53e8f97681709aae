import type { StackValidationPolicy } from "@pulumi/policy";
import {
  CHART_TYPES,
  chartLabel,
  chartNamespaceOf,
  chartsWithoutRenderedObjects,
  chartValuesOf,
  K3S_HELM_CHART_CONFIG_TYPE,
  policyNode,
} from "../lib/charts";
import { EXPOSURE_CONFIG_SCHEMA, type ExposureSettings, exposureSettings, portNumber } from "../lib/exposure";
import {
  allowedNamespacesOf,
  DEFAULT_PRIVILEGED_NAMESPACES,
  allowedNamespacesSetting,
} from "../lib/resources";
import { ALLOWED_CAPABILITIES, capabilityName, HOST_NAMESPACES } from "./k8s-no-privileged";

type Inputs = Record<string, unknown>;
const EXPOSED_SERVICE_TYPES = new Set(["NodePort", "LoadBalancer"]);

/** The numbers under port-like keys of one values object (`port`, `ports`, `nodePort`, `targetPort`, …). */
function portsIn(node: Inputs): number[] {
  return Object.entries(node).flatMap(([key, value]) => {
    if (!/port/i.test(key)) return [];
    const candidates = Array.isArray(value)
      ? value.flatMap((item) =>
          typeof item === "object" && item !== null ? Object.values(item as Inputs) : [item],
        )
      : typeof value === "object" && value !== null
        ? Object.values(value as Inputs)
        : [value];
    return candidates.flatMap((candidate) => {
      const port = portNumber(candidate);
      return port === undefined ? [] : [port];
    });
  });
}

/**
 * What the values ask for that k8s-no-privileged, k8s-run-as-non-root-with-limits and k8s-exposure refuse
 * in a rendered object: the same settings, under the keys charts conventionally give them.
 */
export function chartValueProblems(
  values: unknown,
  options: { readonly host: boolean; readonly exposure: ExposureSettings },
): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const object = node as Inputs;
    const at = (key: string) => (path ? `${path}.${key}` : key);
    if (options.host) {
      if (object.privileged === true) problems.push(`${at("privileged")}: true runs a privileged container`);
      for (const [field, shared] of Object.entries(HOST_NAMESPACES)) {
        if (object[field] === true) problems.push(`${at(field)}: true shares the node's ${shared} namespace`);
      }
      if (object.runAsUser === 0) problems.push(`${at("runAsUser")}: 0 runs as root`);
      if (object.runAsNonRoot === false) problems.push(`${at("runAsNonRoot")}: false lets it run as root`);
      if (object.allowPrivilegeEscalation === true)
        problems.push(`${at("allowPrivilegeEscalation")}: true lets a setuid binary make it root`);
      if ((object.windowsOptions as { hostProcess?: unknown } | undefined)?.hostProcess === true)
        problems.push(`${at("windowsOptions.hostProcess")}: true runs it on the node itself`);
      const add = (object.capabilities as { add?: unknown } | undefined)?.add;
      const extra = (Array.isArray(add) ? add : [])
        .map(capabilityName)
        .filter((cap) => !ALLOWED_CAPABILITIES.has(cap));
      if (extra.length > 0) problems.push(`${at("capabilities.add")} adds ${extra.join(", ")}`);
      const hostPath = object.hostPath;
      if (
        (typeof hostPath === "string" && hostPath !== "") ||
        (typeof hostPath === "object" && hostPath !== null)
      ) {
        problems.push(`${at("hostPath")} mounts a directory of the node`);
      }
    }
    const hostPort = portNumber(object.hostPort);
    if (hostPort !== undefined && hostPort !== 0 && !options.exposure.exposable.has(hostPort)) {
      problems.push(`${at("hostPort")}: ${hostPort} binds a port on the node`);
    }
    const type = typeof object.type === "string" ? object.type : undefined;
    const externalIps = Array.isArray(object.externalIPs) && object.externalIPs.length > 0;
    if ((type && EXPOSED_SERVICE_TYPES.has(type)) || externalIps) {
      const ports = portsIn(object);
      if (ports.length === 0 || ports.some((port) => !options.exposure.exposable.has(port))) {
        problems.push(
          `${type && EXPOSED_SERVICE_TYPES.has(type) ? `${at("type")}: ${type}` : at("externalIPs")} exposes ${ports.length > 0 ? `port ${ports.join(", ")}` : "the chart's service"} on the nodes`,
        );
      }
    }
    for (const [key, value] of Object.entries(object)) visit(value, at(key));
  };
  visit(values, "");
  return problems;
}

/**
 * Values that may run as root, by namespace, and only those two settings (runAsUser 0, runAsNonRoot
 * false) under that exact path: Cortex's neuron Jobs in the response namespace, whose published images
 * run as root and which Cortex starts with a pod-level securityContext only
 * (TheHive-Project/Cortex@4.1.0 K8sJobRunnerSrv; components/response/values.ts NEURON_POD_SECURITY).
 */
export const DEFAULT_ROOT_VALUE_PATHS: Readonly<Record<string, readonly string[]>> = {
  "fortress-response": ["cortex.k8sJobs.securityContext"],
};

const ROOT_SETTINGS = ["runAsUser: 0 runs as root", "runAsNonRoot: false lets it run as root"];

const rootAllowed = (problem: string, paths: readonly string[]) =>
  paths.some((path) => ROOT_SETTINGS.some((setting) => problem === `${path}.${setting}`));

export const k8sChartValues: StackValidationPolicy = {
  name: "k8s-chart-values",
  description:
    "A chart whose rendered objects are not in the plan (a helm.v3 Release, k3s's helm.cattle.io/v1 HelmChart, a helm.v4 Chart whose inputs were unknown at preview, or any chart offline), and a k3s HelmChartConfig (the values of a chart k3s installs by itself, Traefik's among them), is judged by its values, under the pod and exposure rules of k8s-no-privileged, k8s-run-as-non-root-with-limits and k8s-exposure: no privileged, hostNetwork/hostPID/hostIPC, runAsUser: 0, runAsNonRoot: false, added capabilities or hostPath (outside allowedNamespaces), no hostPort and no NodePort/LoadBalancer/externalIPs service but on agent ports; a HelmChart's valuesContent must be YAML, and Cortex's neuron Jobs in fortress-response may run as root (cortex.k8sJobs.securityContext: runAsUser 0, runAsNonRoot false, nothing else: their published images run as root); values the pack cannot read offline (a Release's or v4 Chart's valueYamlFiles, a HelmChart's or HelmChartConfig's valuesSecrets) are refused. Image tags in values are pinned-versions'. A chart whose objects are rendered in the plan (a helm.v4 or helm.v3 Chart in `pulumi preview`, which registers each as its child) is judged by those objects instead.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNamespaces: allowedNamespacesSetting(
        "Namespaces whose charts may use the host (network sensors).",
      ),
      ...EXPOSURE_CONFIG_SCHEMA,
    },
  },
  validateStack: (args, reportViolation) => {
    // A k3s HelmChartConfig overrides the values of a chart k3s installs by itself (Traefik among them).
    const charts = args.resources.filter(
      (resource) => CHART_TYPES.has(resource.type) || resource.type === K3S_HELM_CHART_CONFIG_TYPE,
    );
    if (charts.length === 0) return;
    const config = args.getConfig<{
      allowedNamespaces?: unknown;
      exposableServices?: unknown;
      managementOnlyServices?: unknown;
    }>();
    const allowed = allowedNamespacesOf(config, DEFAULT_PRIVILEGED_NAMESPACES);
    const exposure = exposureSettings(config);
    const byValues = chartsWithoutRenderedObjects(args.resources.map(policyNode));
    for (const chart of charts) {
      if (!byValues.has(chart.urn) && chart.type !== K3S_HELM_CHART_CONFIG_TYPE) continue;
      const props = chart.props as Inputs;
      const namespace = chartNamespaceOf(chart);
      const host = namespace === undefined || !allowed.has(namespace);
      const label = chartLabel({ type: chart.type, name: chart.name, props });
      const { sources, unreadable } = chartValuesOf({ type: chart.type, props });
      for (const { path, why } of unreadable) reportViolation(`${label}: ${path} ${why}`, chart.urn);
      for (const source of sources) {
        const rootPaths = (namespace && DEFAULT_ROOT_VALUE_PATHS[namespace]) || [];
        for (const problem of chartValueProblems(source.values, { host, exposure })) {
          if (rootAllowed(problem, rootPaths)) continue;
          reportViolation(
            `${label} sets ${source.path}.${problem}, which the pack refuses in a rendered object: change the value${host ? `, or install the chart into an allow-listed namespace (${[...allowed].join(", ") || "none"}) if it is a sensor` : ""}`,
            chart.urn,
          );
        }
      }
    }
  },
};
