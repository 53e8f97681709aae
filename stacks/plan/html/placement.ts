/** Placement per node as bars: what the VMs use of each resource, VM by VM, and the headroom left. */
import type { NodePlacement, PlacedVmRow } from "../document";
import { METRIC_LABEL, type Metric } from "../summary";
import { html, type Html, num } from "./escape";

const UNIT: Record<Metric, string> = { cores: "", memoryGb: " GB", diskGb: " GB" };
const VM_FIELD: Record<Metric, keyof Pick<PlacedVmRow, "cores" | "memoryGb" | "diskGb">> = {
  cores: "cores",
  memoryGb: "memoryGb",
  diskGb: "diskGb",
};

/** ok: 20 % or more left; low: 10 to 20 %; tight: under 10 %. */
export function headroomClass(pct: number): "ok" | "low" | "tight" {
  return pct >= 20 ? "ok" : pct >= 10 ? "low" : "tight";
}

const width = (part: number, whole: number) => (whole <= 0 ? 0 : Math.min(100, (part / whole) * 100)).toFixed(2);

function metricRow(node: NodePlacement, metric: Metric): Html {
  const capacity = node.capacity[metric];
  const segments = node.vms.map(
    (vm) =>
      html`<span class="seg" style="width:${width(vm[VM_FIELD[metric]], capacity)}%" title="${vm.name}: ${num(vm[VM_FIELD[metric]])}${UNIT[metric]}"></span>`,
  );
  return html`<div class="metric ${headroomClass(node.headroomPct[metric])}" data-metric="${metric}">
  <span class="label">${METRIC_LABEL[metric]}</span>
  <div class="bar" role="img" aria-label="${METRIC_LABEL[metric]} ${num(node.used[metric])} of ${num(capacity)}">${segments}</div>
  <span class="figures"><b class="used">${num(node.used[metric])}</b> / <span class="capacity">${num(capacity)}</span>${UNIT[metric]}</span>
  <span class="headroom"><span class="pct">${num(node.headroomPct[metric])}</span>% free</span>
</div>`;
}

function vmTable(node: NodePlacement): Html {
  if (node.vms.length === 0) return html`<p class="sub">No VM on this node.</p>`;
  const rows = node.vms.map(
    (vm) =>
      html`<tr data-vm="${vm.name}"><td>${vm.name}</td><td class="n">${vm.cores}</td><td class="n">${num(vm.memoryGb)}</td><td class="n">${num(vm.diskGb)}</td><td class="mono">${vm.address ?? "—"}</td><td class="n">${vm.vlan ?? "—"}</td></tr>`,
  );
  return html`<table class="vms"><thead><tr><th>VM</th><th class="n">vCPU</th><th class="n">RAM GB</th><th class="n">disk GB</th><th>address</th><th class="n">VLAN</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function placementSection(placement: readonly NodePlacement[]): Html {
  const nodes = placement.map(
    (node) => html`<div class="node" data-node="${node.node}">
  <h3>${node.node} <span class="sub">· Proxmox node <code>${node.proxmoxNode}</code> · ${node.vms.length} VM${node.vms.length === 1 ? "" : "s"}</span></h3>
  ${(["memoryGb", "cores", "diskGb"] as const).map((metric) => metricRow(node, metric))}
  ${vmTable(node)}
</div>`,
  );
  return html`<section class="card" id="placement">
<h2>Placement <span class="sub">— used / capacity after the Proxmox reserve; one segment per VM</span></h2>
<div class="nodes">${nodes}</div>
<p class="legend">headroom <i style="background:#58a97c"></i>20 % or more <i style="background:#dfa235"></i>10–20 % <i style="background:#d4604d"></i>under 10 %</p>
</section>`;
}
