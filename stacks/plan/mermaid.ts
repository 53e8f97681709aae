/** The layer DAG as a Mermaid flowchart: deployment runs top to bottom, built layers solid, the rest dashed. */
import type { PlanDocument } from "./document";

export function renderMermaid(plan: Pick<PlanDocument, "layers" | "edges">): string {
  const id = (layer: string) => layer.replace(/-/g, "_");
  const lines = ["flowchart TD"];
  for (const layer of plan.layers) {
    const label =
      layer.status === "built"
        ? `${layer.name}<br/>${layer.resources} resources`
        : `${layer.name}<br/>${layer.status}`;
    lines.push(`  ${id(layer.name)}["${label}"]`);
  }
  for (const edge of plan.edges) lines.push(`  ${id(edge.to)} --> ${id(edge.from)}`);
  const pending = plan.layers.filter((layer) => layer.status !== "built").map((layer) => id(layer.name));
  lines.push("  classDef pending stroke-dasharray: 4 4,color:#777");
  if (pending.length > 0) lines.push(`  class ${pending.join(",")} pending`);
  return `${lines.join("\n")}\n`;
}
