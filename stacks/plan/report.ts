/**
 * The plan as an admin reads it in the terminal: a summary first, then placement, VLANs and zones, the
 * layer DAG and the violations; the resources last, one line per layer (every name with `--verbose`).
 */
import type { ConfigIssue } from "../config/errors";
import { renderIssues } from "../config/errors";
import type { PlanDocument } from "./document";
import { abbreviateChain } from "./criticalPath";
import { exitMeaning, METRIC_LABEL, summarize } from "./summary";
import { fitTable, table } from "./table";
import { zoneGrid, type ZoneGridCell } from "./zoneGrid";

export interface TextOptions {
  /** Every resource by name, per type. */
  readonly verbose?: boolean;
  /** The widest a line may be (long lists wrap; a single long name or URN keeps its line). */
  readonly width?: number;
}

/** The terminal's width when stdout is one, else 100. */
export function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 100;
}

const num = (value: number) => String(Math.round(value * 100) / 100);

/** Items joined by `separator` in lines of at most `width`, the first line led by `first`, the rest by `indent`. */
function wrapItems(items: readonly string[], width: number, first: string, indent: string, separator: string): string {
  const lines: string[] = [];
  let current = first;
  items.forEach((item, index) => {
    const piece = `${item}${index < items.length - 1 ? separator.trimEnd() : ""}`;
    const fresh = current === first || current === indent;
    if (current === first && first.trim() !== "" && `${first}${piece}`.length > width) {
      lines.push(first.trimEnd());
      current = `${indent}${piece}`;
    } else if (!fresh && `${current} ${piece}`.length > width) {
      lines.push(current);
      current = `${indent}${piece}`;
    } else current = fresh ? `${current}${piece}` : `${current}${separator.endsWith(" ") ? " " : ""}${piece}`;
  });
  return [...lines, current].join("\n");
}

/** Words in lines of at most `width` (a single longer word keeps its line). */
const wrap = (text: string, width: number, first: string, indent: string) =>
  wrapItems(text.split(" "), width, first, indent, " ");

/** Which layers are not built, and why: ": vuln (no service on)". */
function notBuiltText(plan: PlanDocument): string {
  const others = plan.layers.filter((layer) => layer.status !== "built");
  return others.length === 0 ? "" : `: ${others.map((layer) => `${layer.name} (${layer.status})`).join(", ")}`;
}

function summaryText(plan: PlanDocument, width: number): string {
  const summary = summarize(plan);
  const tight = summary.minHeadroom;
  const rows: [string, string][] = [
    [
      "resources",
      `${summary.resources} in ${summary.builtLayers} built layers (${summary.otherLayers} not built${notBuiltText(plan)}), ${summary.outside} outside any layer`,
    ],
    ["VMs", `${summary.vms} on ${summary.nodes} nodes`],
    ["headroom", tight ? `lowest ${num(tight.pct)} % (${METRIC_LABEL[tight.metric]} on ${tight.node})` : "no node"],
    ...(plan.criticalPath
      ? [
          [
            "deploy",
            `≈ ${Math.round(plan.criticalPath.estimatedSeconds / 60)} min on the critical path (${plan.criticalPath.resources.length} resources): ${abbreviateChain(plan.criticalPath)}`,
          ] as [string, string],
        ]
      : []),
    ["violations", `${summary.violations} (${summary.mandatory} mandatory)`],
    ["exit", `${summary.exitCode}: ${exitMeaning(summary)}`],
  ];
  return rows.map(([label, value]) => wrap(value, width, `  ${label.padEnd(11)}`, " ".repeat(13))).join("\n");
}

/** The short name of a type token: `proxmoxve:index/vmLegacy:VmLegacy` → `VmLegacy`. */
const shortType = (type: string) =>
  type.startsWith("pulumi:providers:") ? `provider ${type.slice(17)}` : (type.split(/[:/]/).pop() ?? type);

function resourcesByLayer(plan: PlanDocument, options: Required<TextOptions>): string {
  const sections = plan.layers.map((layer) => {
    if (layer.status !== "built") return `${layer.name}: ${layer.status}`;
    const members = plan.resources.filter((resource) => resource.layer === layer.name);
    const byType = new Map<string, string[]>();
    for (const resource of members) byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource.name]);
    const head = `${layer.name}: ${members.length} resources`;
    if (!options.verbose) {
      const counts = [...byType].map(([type, names]) => `${shortType(type)} ×${names.length}`);
      return wrapItems(counts, options.width, `${head} — `, "    ", ", ");
    }
    const rows = [...byType].map(([type, names]) =>
      wrapItems(names, options.width, `    ${type} ×${names.length}: `, "        ", ", "),
    );
    return [head, ...rows].join("\n");
  });
  const outside = plan.resources.filter((resource) => resource.layer === null).length;
  return [...sections, ...(outside > 0 ? [`(outside any layer: ${outside})`] : [])].join("\n");
}

function placementTable(plan: PlanDocument, width: number): string {
  const rows = plan.placement.map((node) => [
    node.node,
    `${num(node.used.cores)}/${num(node.capacity.cores)}`,
    `${num(node.used.memoryGb)}/${num(node.capacity.memoryGb)}`,
    `${num(node.used.diskGb)}/${num(node.capacity.diskGb)}`,
    `${node.headroomPct.cores}/${node.headroomPct.memoryGb}/${node.headroomPct.diskGb}`,
    node.vms.map((vm) => vm.name).join(", "),
  ]);
  return table(["node", "vCPU", "RAM GB", "disk GB", "headroom %", "VMs"], rows, width);
}

/** Which values the profile decided, so that the admin sees what to override (README, "Profiles"). */
function profileText(plan: PlanDocument, width: number): string[] {
  if (!plan.profile) return [];
  const show = (value: unknown) =>
    Array.isArray(value)
      ? value.join(", ")
      : typeof value === "object" && value !== null
        ? Object.entries(value)
            .map(([key, inner]) => `${key} ${String(inner)}`)
            .join(", ")
        : String(value);
  // One line per object: workloads.loki: replicas 1, memoryGb 1.25, storageGb 12.
  const groups = new Map<string, string[]>();
  for (const { path, value } of plan.profile.decisions) {
    const dot = path.lastIndexOf(".");
    const nested = dot > 0 && path.indexOf(".") !== dot;
    const key = nested ? path.slice(0, dot) : path;
    const text = nested ? `${path.slice(dot + 1)} ${show(value)}` : show(value);
    groups.set(key, [...(groups.get(key) ?? []), text]);
  }
  const rows = [...groups].map(([key, texts]) => wrap(`${key}: ${texts.join(", ")}`, width, "  ", "      "));
  return [
    "",
    `== Profile ${plan.profile.name}: what it decided (set the key to override it)`,
    ...(rows.length > 0 ? rows : ["  nothing: the config sets every value the profile would"]),
  ];
}

/** The existing cluster's nodes and the pods the plan expects on each. */
function clusterText(plan: PlanDocument, width: number): string[] {
  if (!plan.cluster) return [];
  return [
    "",
    "== Existing cluster (memory of Fortress's pods per node, by budget; replicas on distinct nodes)",
    ...plan.cluster.map((node) => {
      const headroom = Math.round(((node.memoryGb - node.usedGb) / node.memoryGb) * 1000) / 10;
      return wrap(`${node.node}: ${node.usedGb}/${node.memoryGb} GB (${headroom} % free): ${node.pods.join(", ")}`, width, "  ", "      ");
    }),
  ];
}

function vlanTable(plan: PlanDocument, width: number): string {
  const vmsOn = (vlan: number) => plan.placement.flatMap((node) => node.vms).filter((vm) => vm.vlan === vlan).length;
  const rows = plan.networks.map((network) => [
    network.name,
    String(network.vlan),
    network.cidr,
    network.gateway,
    network.purpose,
    `${network.dhcp.start}–${network.dhcp.end}`,
    String(vmsOn(network.vlan)),
  ]);
  return table(["network", "VLAN", "CIDR", "gateway", "purpose", "DHCP range", "VMs"], rows, width);
}

const ZONE_LEGEND =
  "(· same VLAN, not filtered; — denied; * through a zone to any; everything not listed is dropped and logged)";

/**
 * Rows are sources, columns destinations; a cell lists what the row may open to the column. When the
 * grid is wider than the terminal, one line per source instead.
 */
function zoneMatrix(plan: PlanDocument, width: number): string {
  const grid = zoneGrid(plan);
  const text = (cell: ZoneGridCell) =>
    cell.kind === "self" ? "·" : cell.kind === "denied" ? "—" : `${cell.services.join(",")}${cell.kind === "any" ? "*" : ""}`;
  const rows = grid.rows.map((row) => [row.from, ...row.cells.map(text)]);
  const matrix = fitTable(["from \\ to", ...grid.columns], rows, width, 1);
  const legend = wrap(ZONE_LEGEND, width, "", " ");
  if (!matrix.cut) return `${matrix.text}\n${legend}`;
  const lines = grid.rows.map((row) => {
    const open = row.cells.filter((cell) => cell.kind === "allowed" || cell.kind === "any");
    const targets = open.map((cell) => `${cell.to}: ${text(cell)}`);
    return wrapItems(targets.length > 0 ? targets : ["nothing"], width, `  ${row.from} → `, "      ", "; ");
  });
  return [...lines, wrap("(* through a zone to any; everything not listed is dropped and logged)", width, "", " ")].join(
    "\n",
  );
}

/** The flows Fortress derives beside the matrix, one line each: `users → wazuh-manager-1 10.10.20.64: wazuh-agent`. */
function hostFlowsText(plan: PlanDocument, width: number): string[] {
  const flows = plan.hostFlows ?? [];
  if (flows.length === 0) return [];
  return [
    wrap("Flows Fortress derives, to one host only (not rows of fortress:zones):", width, "", " "),
    ...flows.map((flow) =>
      wrap(`${flow.from} → ${flow.host} ${flow.address}: ${flow.services.join(",")}`, width, "  ", "    "),
    ),
  ];
}

/** The scanner's flows, one line each: `greenbone-1 10.10.20.70 → users: every protocol`. */
function scanFlowsText(plan: PlanDocument, width: number): string[] {
  const flows = plan.scanFlows ?? [];
  if (flows.length === 0) return [];
  return [
    wrap("The scanner's flows Fortress derives, from one host only (stacks/scanTargets.ts):", width, "", " "),
    ...flows.map((flow) =>
      wrap(`${flow.host} ${flow.address} (${flow.from}) → ${flow.to}: every protocol`, width, "  ", "    "),
    ),
  ];
}

/** The firewall API's clients, one line each: `servers: wazuh-manager-1 10.10.20.64 → firewall API 10.10.10.1:443/TCP (containment)`. */
function firewallApiClientsText(plan: PlanDocument, width: number): string[] {
  const clients = plan.firewallApiClients ?? [];
  if (clients.length === 0) return [];
  return [
    wrap("Hosts Fortress lets call the firewall's API, from one address, to its address and port alone:", width, "", " "),
    ...clients.map((client) =>
      wrap(
        `${client.from}: ${client.host} ${client.address} → firewall API ${client.api}:${client.port}/TCP (${client.why})`,
        width,
        "  ",
        "    ",
      ),
    ),
  ];
}

/**
 * What configures a hop, by name; firewall rules, whose names carry their whole description, counted
 * instead (--verbose and plan.json name them).
 */
function configuredByText(names: readonly string[]): string {
  const rules = names.filter((name) => name.startsWith("network-rule-")).length;
  const others = names.filter((name) => !name.startsWith("network-rule-"));
  return [...others, ...(rules > 0 ? [`${rules} firewall rule${rules === 1 ? "" : "s"}`] : [])].join(", ");
}

/** Each hop of the worked example: what configures it, or what the plan lacks for it. */
function workedExampleText(plan: PlanDocument, width: number): string[] {
  const hops = plan.workedExample ?? [];
  if (hops.length === 0) return [];
  return [
    "",
    "== The worked example, hop by hop (what configures each; npm run scenario runs it)",
    ...hops.map((hop) =>
      hop.skipped !== undefined
        ? wrap(`  – ${hop.hop}: skipped, ${hop.skipped}`, width, "", "      ")
        : hop.missing.length === 0
          ? wrap(`  ✓ ${hop.hop}: ${configuredByText(hop.configuredBy)}`, width, "", "      ")
          : wrap(`  ✗ ${hop.hop}: missing ${hop.missing.join("; ")}`, width, "", "      "),
    ),
  ];
}

function dagText(plan: PlanDocument): string {
  return plan.layers
    .map((layer) => {
      const upstream = layer.dependsOn.length > 0 ? ` ← ${layer.dependsOn.join(", ")}` : " (root)";
      return `  ${layer.name}${upstream}  [${layer.status}]`;
    })
    .join("\n");
}

function violationsText(plan: PlanDocument, width: number): string {
  if (plan.violations.length === 0) return "none: every policy of the pack holds, and every URN is unique";
  const byPolicy = new Map<string, typeof plan.violations>();
  for (const violation of plan.violations)
    byPolicy.set(violation.policy, [...(byPolicy.get(violation.policy) ?? []), violation]);
  return [...byPolicy]
    .map(([policy, list]) =>
      [
        `${policy} (${list[0]?.level}): ${list.length}`,
        ...list.map((v) => `${wrap(v.message, width, "    ", "      ")}${v.urn ? `\n      at ${v.urn}` : ""}`),
      ].join("\n"),
    )
    .join("\n");
}

export function renderPlan(plan: PlanDocument, options: TextOptions = {}): string {
  const resolved = { verbose: options.verbose ?? false, width: options.width ?? 100 };
  const { width } = resolved;
  const lines = [
    `Fortress plan for stack "${plan.stack}": ${plan.resources.length} resources`,
    summaryText(plan, width),
    "",
    "== Placement (used/capacity after the Proxmox reserve; headroom % cpu/ram/disk)",
    placementTable(plan, width),
    ...clusterText(plan, width),
    ...profileText(plan, width),
    "",
    "== VLANs",
    vlanTable(plan, width),
    "",
    "== Firewall matrix (zone × zone → allowed services)",
    zoneMatrix(plan, width),
    ...hostFlowsText(plan, width),
    ...scanFlowsText(plan, width),
    ...firewallApiClientsText(plan, width),
    ...workedExampleText(plan, width),
    "",
    "== Layer DAG (layer ← what it depends on)",
    dagText(plan),
    "",
    "== Violations",
    violationsText(plan, width),
    "",
    `== Resources per layer${resolved.verbose ? "" : " (every name with --verbose)"}`,
    resourcesByLayer(plan, resolved),
    "",
  ];
  return lines.map((line) => (line.startsWith("== ") ? wrap(line, width, "", "   ") : line)).join("\n");
}

export function renderConfigIssues(issues: readonly ConfigIssue[]): string {
  return `${renderIssues(issues)}\n`;
}
