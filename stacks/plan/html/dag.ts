/**
 * The layer DAG as inline SVG: layers in topological columns (a layer's column is one more than its
 * deepest upstream layer's), arrows from each layer to the layers that depend on it, in deployment order.
 */
import type { PlanEdge, PlanLayer } from "../document";
import { html, type Html } from "./escape";

const BOX = { width: 118, height: 50 };
const GAP = { x: 30, y: 16 };
const PAD = 12;

export interface LaidOutLayer {
  readonly layer: PlanLayer;
  readonly column: number;
  readonly x: number;
  readonly y: number;
}

/** Columns by longest path from a root, rows in blueprint order within a column. */
export function layoutDag(layers: readonly PlanLayer[]): LaidOutLayer[] {
  const column = new Map<string, number>();
  const columnOf = (layer: PlanLayer, seen: readonly string[] = []): number => {
    const known = column.get(layer.name);
    if (known !== undefined) return known;
    if (seen.includes(layer.name)) throw new Error(`the layer DAG has a cycle through ${layer.name}`);
    const upstream = layer.dependsOn
      .map((name) => layers.find((other) => other.name === name))
      .filter((other): other is PlanLayer => other !== undefined);
    const value = Math.max(-1, ...upstream.map((other) => columnOf(other, [...seen, layer.name]))) + 1;
    column.set(layer.name, value);
    return value;
  };
  const rowsUsed = new Map<number, number>();
  return layers.map((layer) => {
    const col = columnOf(layer);
    const row = rowsUsed.get(col) ?? 0;
    rowsUsed.set(col, row + 1);
    return { layer, column: col, x: PAD + col * (BOX.width + GAP.x), y: PAD + row * (BOX.height + GAP.y) };
  });
}

function box(node: LaidOutLayer): Html {
  const { layer, x, y } = node;
  const built = layer.status === "built";
  const detail = built ? `${layer.resources} resources` : layer.status;
  return html`<g class="layer ${built ? "built" : "pending"}" data-layer="${layer.name}" data-status="${layer.status}">
  <rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="8" fill="${built ? "#e3f1e8" : "#f6f7f9"}" stroke="${built ? "#2f8f5b" : "#9aa5b1"}" stroke-width="1.5"${built ? "" : html` stroke-dasharray="5 4"`}/>
  <text x="${x + BOX.width / 2}" y="${y + 21}" text-anchor="middle" font-size="15" font-weight="600" fill="#1d2733" class="name">${layer.name}</text>
  <text x="${x + BOX.width / 2}" y="${y + 39}" text-anchor="middle" font-size="12.5" fill="#5d6b7a" class="detail">${detail}</text>
</g>`;
}

function arrow(from: LaidOutLayer, to: LaidOutLayer, observed: boolean): Html {
  const x1 = from.x + BOX.width;
  const y1 = from.y + BOX.height / 2;
  const x2 = to.x - 2;
  const y2 = to.y + BOX.height / 2;
  const bend = (x2 - x1) / 2;
  return html`<path class="edge" data-upstream="${from.layer.name}" data-downstream="${to.layer.name}" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" fill="none" stroke="${observed ? "#3d4b5c" : "#9aa5b1"}" stroke-width="1.5"${observed ? "" : html` stroke-dasharray="4 4"`} marker-end="url(#arrow)"/>`;
}

export function dagSection(layers: readonly PlanLayer[], edges: readonly PlanEdge[]): Html {
  const laidOut = layoutDag(layers);
  const at = (name: string) => laidOut.find((node) => node.layer.name === name);
  const arrows = edges.flatMap((edge) => {
    const upstream = at(edge.to);
    const downstream = at(edge.from);
    return upstream && downstream ? [arrow(upstream, downstream, edge.observed)] : [];
  });
  const width = Math.max(...laidOut.map((node) => node.x + BOX.width)) + PAD;
  const height = Math.max(...laidOut.map((node) => node.y + BOX.height)) + PAD;
  return html`<section class="card dag" id="dag">
<h2>Layer DAG <span class="sub">— deployment runs left to right; a layer waits for the layers its arrows come from</span></h2>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="layer dependency graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3d4b5c"/></marker></defs>
${arrows}
${laidOut.map(box)}
</svg>
<p class="legend">solid box: built · dashed box: not built yet or disabled · solid arrow: resources of the downstream layer depend on the upstream one in this plan · dashed arrow: a blueprint edge no resource uses yet</p>
</section>`;
}
