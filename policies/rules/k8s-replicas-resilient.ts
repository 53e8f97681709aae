import * as k8s from "@pulumi/kubernetes";
import type { StackValidationPolicy } from "@pulumi/policy";
import * as yaml from "js-yaml";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";
import {
  CHART_TYPES,
  chartLabel,
  chartValuesOf,
  chartsWithoutRenderedObjects,
  policyNode,
} from "../lib/charts";
import { withEmbeddedResources } from "../lib/embedded";
import { knownString } from "../lib/inputs";

type Inputs = Record<string, unknown>;
const asRecord = (value: unknown): Inputs | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Inputs) : undefined;

export const WORKLOAD_TYPES: ReadonlySet<string> = new Set([
  pulumiTypeOf(k8s.apps.v1.Deployment),
  pulumiTypeOf(k8s.apps.v1.StatefulSet),
]);
export const PDB_TYPE = pulumiTypeOf(k8s.policy.v1.PodDisruptionBudget);
/** The node label a spreading term must use: one pod per node (kubernetes.io/hostname, a well-known label). */
export const HOSTNAME_KEY = "kubernetes.io/hostname";

/** Whether every label a selector matches is one of the pod's (an empty selector matches nothing here). */
function selects(matchLabels: unknown, podLabels: Inputs): boolean {
  const wanted = asRecord(matchLabels);
  if (!wanted || Object.keys(wanted).length === 0) return false;
  return Object.entries(wanted).every(([key, value]) => podLabels[key] === value);
}

/** The podAntiAffinity terms of an affinity, required and preferred alike. */
function antiAffinityTerms(affinity: unknown): Inputs[] {
  const anti = asRecord(asRecord(affinity)?.podAntiAffinity);
  if (!anti) return [];
  const required = Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution)
    ? anti.requiredDuringSchedulingIgnoredDuringExecution
    : [];
  const preferred = Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution)
    ? anti.preferredDuringSchedulingIgnoredDuringExecution.map(
        (weighted) => asRecord(weighted)?.podAffinityTerm,
      )
    : [];
  return [...required, ...preferred].flatMap((term) => (asRecord(term) ? [term as Inputs] : []));
}

/** Whether an affinity keeps pods carrying these labels off one another's node. */
export function spreadsOverNodes(affinity: unknown, podLabels: Inputs): boolean {
  return antiAffinityTerms(affinity).some(
    (term) =>
      term.topologyKey === HOSTNAME_KEY && selects(asRecord(term.labelSelector)?.matchLabels, podLabels),
  );
}

const hasBudget = (spec: Inputs | undefined) =>
  spec !== undefined && (spec.minAvailable !== undefined || spec.maxUnavailable !== undefined);

type Report = (message: string, urn?: string) => void;
interface Judged {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Inputs;
}

/** Deployments and StatefulSets with more than one replica: a PDB over their pods and anti-affinity. */
function judgeWorkloads(workloads: readonly Judged[], budgets: readonly Judged[], report: Report) {
  for (const workload of workloads) {
    const spec = asRecord(workload.props.spec);
    const replicas = spec?.replicas;
    if (typeof replicas !== "number" || replicas <= 1) continue;
    const metadata = asRecord(workload.props.metadata);
    const namespace = knownString(metadata?.namespace);
    const template = asRecord(spec?.template);
    const labels = asRecord(asRecord(template?.metadata)?.labels) ?? {};
    const kind = workload.type.split(":").pop();
    const who = `${kind} ${knownString(metadata?.name) ?? workload.name} (${replicas} replicas)`;
    const covered = budgets.some((budget) => {
      const budgetSpec = asRecord(budget.props.spec);
      return (
        knownString(asRecord(budget.props.metadata)?.namespace) === namespace &&
        hasBudget(budgetSpec) &&
        selects(asRecord(budgetSpec?.selector)?.matchLabels, labels)
      );
    });
    if (!covered)
      report(
        `${who} has no PodDisruptionBudget: a node drain may evict every replica at once; add a policy/v1 PodDisruptionBudget in ${namespace ?? "its namespace"} whose selector.matchLabels are its pod labels, with maxUnavailable: 1 (or minAvailable: replicas - 1)`,
        workload.urn,
      );
    if (!spreadsOverNodes(asRecord(template?.spec)?.affinity, labels))
      report(
        `${who} does not spread its pods over nodes: one node's loss may take every replica; add spec.template.spec.affinity.podAntiAffinity with a term on topologyKey ${HOSTNAME_KEY} whose labelSelector matches its pod labels (required, or preferred where nodes are few)`,
        workload.urn,
      );
  }
}

/** An affinity given as a chart value: a map, or YAML text (charts that pass it through `tpl`). */
function affinityValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return yaml.load(value);
  } catch {
    return undefined;
  }
}

/** The matchLabels a chart value's anti-affinity term selects on, as the pod labels it must carry. */
function chartSpreads(affinity: unknown): boolean {
  return antiAffinityTerms(affinityValue(affinity)).some(
    (term) => term.topologyKey === HOSTNAME_KEY && asRecord(asRecord(term.labelSelector)?.matchLabels),
  );
}

/**
 * Charts only their values judge: each values map with `replicas` above 1 sets, beside it,
 * `podDisruptionBudget` (minAvailable or maxUnavailable) and an `affinity` with a podAntiAffinity term
 * on kubernetes.io/hostname, the keys charts conventionally give them (keycloakx, grafana, …).
 */
function judgeChartValues(chart: Judged, report: Report) {
  const visit = (node: unknown, path: string) => {
    const object = asRecord(node);
    if (!object) return;
    const replicas = object.replicas;
    if (typeof replicas === "number" && replicas > 1) {
      const at = path ? `${path}.` : "";
      if (!hasBudget(asRecord(object.podDisruptionBudget)))
        report(
          `${chartLabel(chart)} runs ${at}replicas: ${replicas} without ${at}podDisruptionBudget: set it to { maxUnavailable: 1 } so that a drain takes one pod at a time`,
          chart.urn,
        );
      if (!chartSpreads(object.affinity))
        report(
          `${chartLabel(chart)} runs ${at}replicas: ${replicas} without ${at}affinity.podAntiAffinity on ${HOSTNAME_KEY}: set a term on that topologyKey selecting the pods' labels`,
          chart.urn,
        );
    }
    for (const [key, value] of Object.entries(object)) visit(value, path ? `${path}.${key}` : key);
  };
  for (const source of chartValuesOf(chart).sources) visit(source.values, "");
}

export const k8sReplicasResilient: StackValidationPolicy = {
  name: "k8s-replicas-resilient",
  description:
    "Every Deployment or StatefulSet with more than one replica has a policy/v1 PodDisruptionBudget in its namespace (minAvailable or maxUnavailable) whose selector matches its pod labels, and a podAntiAffinity term (required or preferred) on kubernetes.io/hostname selecting its own pods, so that neither a drain nor one node's loss takes every replica; a chart judged by its values (its objects not in the plan) sets podDisruptionBudget and affinity beside each `replicas` above 1.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const resources = withEmbeddedResources(args.resources);
    const workloads = resources.filter((resource) => WORKLOAD_TYPES.has(resource.type));
    const budgets = resources.filter((resource) => resource.type === PDB_TYPE);
    judgeWorkloads(workloads, budgets, reportViolation);
    const byValues = chartsWithoutRenderedObjects(resources.map(policyNode));
    for (const chart of resources)
      if (CHART_TYPES.has(chart.type) && byValues.has(chart.urn)) judgeChartValues(chart, reportViolation);
  },
};
