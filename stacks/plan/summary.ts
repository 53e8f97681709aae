/** The plan's headline figures, shared by the text report and report.html. */
import type { PlanDocument } from "./document";

export type Metric = "cores" | "memoryGb" | "diskGb";

export const METRIC_LABEL: Record<Metric, string> = { cores: "vCPU", memoryGb: "RAM", diskGb: "disk" };

export interface PlanSummary {
  readonly resources: number;
  readonly builtLayers: number;
  readonly otherLayers: number;
  /** Resources outside any layer (the record of enabled services, the shared provider). */
  readonly outside: number;
  readonly vms: number;
  readonly nodes: number;
  /** The tightest node and resource, or null when there is no node. */
  readonly minHeadroom: { readonly node: string; readonly metric: Metric; readonly pct: number } | null;
  readonly violations: number;
  readonly mandatory: number;
  /** What `npm run plan` exits with for this plan: 1 on a mandatory violation, else 0. */
  readonly exitCode: 0 | 1;
}

export function summarize(plan: PlanDocument): PlanSummary {
  const metrics: Metric[] = ["memoryGb", "cores", "diskGb"];
  let minHeadroom: PlanSummary["minHeadroom"] = null;
  for (const node of plan.placement)
    for (const metric of metrics)
      if (!minHeadroom || node.headroomPct[metric] < minHeadroom.pct)
        minHeadroom = { node: node.node, metric, pct: node.headroomPct[metric] };
  const mandatory = plan.violations.filter((violation) => violation.level === "mandatory").length;
  return {
    resources: plan.resources.length,
    builtLayers: plan.layers.filter((layer) => layer.status === "built").length,
    otherLayers: plan.layers.filter((layer) => layer.status !== "built").length,
    outside: plan.resources.filter((resource) => resource.layer === null).length,
    vms: plan.placement.reduce((sum, node) => sum + node.vms.length, 0),
    nodes: plan.placement.length,
    minHeadroom,
    violations: plan.violations.length,
    mandatory,
    exitCode: mandatory > 0 ? 1 : 0,
  };
}

export function exitMeaning(summary: PlanSummary): string {
  return summary.exitCode === 0
    ? "the plan is clean"
    : summary.mandatory === 1
      ? "1 mandatory violation (fix it or set the policy advisory)"
      : `${summary.mandatory} mandatory violations (fix them or set the policies advisory)`;
}
