/** The plan as an admin reads it in the terminal. */
import type { ConfigIssue } from "../config/errors";
import { renderIssues } from "../config/errors";
import type { PlanDocument } from "./document";
import { table } from "./table";

const num = (value: number) => String(Math.round(value * 100) / 100);

function resourcesByLayer(plan: PlanDocument): string {
  const sections = plan.layers.map((layer) => {
    if (layer.status !== "built") return `${layer.name}: ${layer.status}`;
    const members = plan.resources.filter((resource) => resource.layer === layer.name);
    const byType = new Map<string, string[]>();
    for (const resource of members)
      byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource.name]);
    const rows = [...byType].map(([type, names]) => `    ${type} ×${names.length}: ${names.join(", ")}`);
    return [`${layer.name}: ${members.length} resources`, ...rows].join("\n");
  });
  const outside = plan.resources.filter((resource) => resource.layer === null).length;
  return [...sections, ...(outside > 0 ? [`(outside any layer: ${outside})`] : [])].join("\n");
}

function placementTable(plan: PlanDocument): string {
  const rows = plan.placement.map((node) => [
    node.node,
    `${num(node.used.cores)}/${num(node.capacity.cores)}`,
    `${num(node.used.memoryGb)}/${num(node.capacity.memoryGb)}`,
    `${num(node.used.diskGb)}/${num(node.capacity.diskGb)}`,
    `${node.headroomPct.cores}/${node.headroomPct.memoryGb}/${node.headroomPct.diskGb}`,
    node.vms.map((vm) => vm.name).join(", "),
  ]);
  return table(["node", "vCPU", "RAM GB", "disk GB", "headroom % (cpu/ram/disk)", "VMs"], rows);
}

function vlanTable(plan: PlanDocument): string {
  const vmsOn = (vlan: number) =>
    plan.placement.flatMap((node) => node.vms).filter((vm) => vm.vlan === vlan).length;
  const rows = plan.networks.map((network) => [
    network.name,
    String(network.vlan),
    network.cidr,
    network.gateway,
    network.purpose,
    `${network.dhcp.start}–${network.dhcp.end}`,
    String(vmsOn(network.vlan)),
  ]);
  return table(["network", "VLAN", "CIDR", "gateway", "purpose", "DHCP range", "VMs"], rows);
}

/** Rows are sources, columns destinations; a cell lists what the row may open to the column. */
function zoneMatrix(plan: PlanDocument): string {
  const names = plan.networks.map((network) => network.name);
  const purposeOf = (name: string) => plan.networks.find((network) => network.name === name)?.purpose;
  const columns = [...names, "firewall", "internet", "any"].filter(
    (column) => names.includes(column) || plan.zones.some((cell) => cell.to === column),
  );
  const rows = names.map((from) => [
    from,
    ...columns.map((to) => {
      if (to === from) return "·";
      const cell = plan.zones.find((entry) => entry.from === from && entry.to === to);
      if (cell) return cell.services.join(",");
      const viaAny = plan.zones.find((entry) => entry.from === from && entry.to === "any");
      const reachableByAny = to !== "firewall" && to !== "any" && purposeOf(to) !== "quarantine";
      return viaAny && reachableByAny ? `${viaAny.services.join(",")} (any)` : "—";
    }),
  ]);
  return `${table(["from \\ to", ...columns], rows)}\n(· same VLAN, not filtered; — denied; everything not listed is dropped and logged)`;
}

function dagText(plan: PlanDocument): string {
  return plan.layers
    .map((layer) => {
      const upstream = layer.dependsOn.length > 0 ? ` ← ${layer.dependsOn.join(", ")}` : " (root)";
      return `  ${layer.name}${upstream}  [${layer.status}]`;
    })
    .join("\n");
}

function violationsText(plan: PlanDocument): string {
  if (plan.violations.length === 0)
    return "none: every policy of the pack holds, and every URN is unique";
  const byPolicy = new Map<string, typeof plan.violations>();
  for (const violation of plan.violations)
    byPolicy.set(violation.policy, [...(byPolicy.get(violation.policy) ?? []), violation]);
  return [...byPolicy]
    .map(([policy, list]) =>
      [
        `${policy} (${list[0]?.level}): ${list.length}`,
        ...list.map((v) => `    ${v.message}${v.urn ? `\n      at ${v.urn}` : ""}`),
      ].join("\n"),
    )
    .join("\n");
}

export function renderPlan(plan: PlanDocument): string {
  return [
    `Fortress plan for stack "${plan.stack}": ${plan.resources.length} resources`,
    "",
    "== Resources per layer",
    resourcesByLayer(plan),
    "",
    "== Placement (used/capacity after the Proxmox reserve)",
    placementTable(plan),
    "",
    "== VLANs",
    vlanTable(plan),
    "",
    "== Firewall matrix (zone × zone → allowed services)",
    zoneMatrix(plan),
    "",
    "== Layer DAG (layer ← what it depends on)",
    dagText(plan),
    "",
    "== Violations",
    violationsText(plan),
    "",
  ].join("\n");
}

export function renderConfigIssues(issues: readonly ConfigIssue[]): string {
  return `${renderIssues(issues)}\n`;
}
