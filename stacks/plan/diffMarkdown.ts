/**
 * A PlanDiff (diff.ts) as Markdown, written to read well as a pull-request comment: security-relevant
 * changes first, then everything else. Pure.
 */
import {
  type ChangeKind,
  type FieldChange,
  isSecurityField,
  type NetworkChange,
  type NodeChange,
  type PlanDiff,
  PREFLIGHT_TYPE,
  type ResourceChange,
  securityPart,
  sequenceOnly,
  type SetChange,
} from "./diff";
import {
  cell,
  code,
  fieldText,
  KIND_WORD,
  limited,
  mdTable,
  resourceLines,
  ruleText,
  value,
} from "./diffMarkdownText";
import { abbreviateChain, type CriticalStep } from "./criticalPath";
import type { Violation } from "./graph";

export interface MarkdownOptions {
  /** Rows per list or table before "… and N more" (default 60). */
  readonly maxRows?: number;
  /** The whole text's limit (default 60 000: GitHub refuses comments over 65 536 characters). */
  readonly maxChars?: number;
}

function rulesSection(diff: PlanDiff, max: number): string[] {
  const { filterRules, aliases } = diff.security;
  const shown = filterRules.filter((rule) => !rule.sequenceOnly);
  const renumbered = filterRules.filter((rule) => rule.sequenceOnly);
  if (shown.length + renumbered.length + aliases.length === 0) return [];
  const anyChanged = shown.some((rule) => rule.kind === "changed");
  const rows = shown.map((rule) => [
    KIND_WORD[rule.kind],
    code(rule.rule.interface),
    String(rule.rule.sequence),
    cell(ruleText(rule.rule)),
    cell(rule.rule.description),
    ...(!anyChanged
      ? []
      : [
    cell(
      rule.kind === "changed"
        ? rule.fields
            .filter((field) => field.path !== "fields.sequence")
            .map((field) => `${field.path.replace(/^fields\./, "")}: ${value(field.before)} → ${value(field.after)}`)
            .join("<br>")
        : "",
    ),
        ]),
  ]);
  const perInterface = new Map<string, number>();
  for (const rule of renumbered)
    perInterface.set(rule.rule.interface, (perInterface.get(rule.rule.interface) ?? 0) + 1);
  return [
    "#### Filter rules (OPNsense)",
    "",
    ...(rows.length > 0 ? mdTable(["", "interface", "#", "rule", "description", ...(anyChanged ? ["what changed"] : [])], rows, max) : []),
    ...(renumbered.length > 0
      ? [
          "",
          `_${renumbered.length} rule${renumbered.length === 1 ? "" : "s"} only renumbered (same rule, new position): ${[...perInterface].map(([name, count]) => `${code(name)} ×${count}`).join(", ")}._`,
        ]
      : []),
    ...(aliases.length > 0
      ? ["", "Aliases the rules use:", "", ...limited(aliases, max, (change) => resourceLines(change, max).join("\n"))]
      : []),
    "",
  ];
}

function exposureSection(diff: PlanDiff, max: number): string[] {
  const { exposure } = diff.security;
  if (exposure.length === 0) return [];
  return [
    "#### Exposed ports (Proxmox firewall)",
    "",
    ...limited(exposure, max, (change) => resourceLines(change, max).join("\n")),
    "",
  ];
}

const services = (list: readonly string[]) => (list.length > 0 ? list.join(", ") : "—");

function vlanSection(diff: PlanDiff, max: number): string[] {
  const { networks, zones, vlans } = diff.security;
  if (networks.length + zones.length + vlans.length === 0) return [];
  const zoneRows = zones.map((zone) => [
    KIND_WORD[zone.kind],
    code(zone.from),
    code(zone.to),
    cell(services(zone.before)),
    cell(services(zone.after)),
  ]);
  const networkLine = (change: NetworkChange) => {
    const network = (change.after ?? change.before ?? {}) as Record<string, unknown>;
    const what = `VLAN ${network.vlan}, ${code(String(network.cidr))}, ${network.purpose}, on ${code(String(network.interface ?? "?"))}`;
    if (change.kind !== "changed") return `- **${change.kind}** network ${code(change.name)}: ${what}`;
    return [`- **changed** network ${code(change.name)}:`, ...change.fields.map((field) => `  - ${fieldText(field)}`)].join(
      "\n",
    );
  };
  return [
    "#### VLANs and zones",
    "",
    ...(zoneRows.length > 0
      ? ["Zone matrix (who may open connections to whom):", "", ...mdTable(["", "from", "to", "before", "after"], zoneRows, max), ""]
      : []),
    ...(networks.length > 0 ? ["Networks:", "", ...limited(networks, max, networkLine), ""] : []),
    ...(vlans.length > 0
      ? ["VLAN devices and records:", "", ...limited(vlans, max, (change) => resourceLines(change, max).join("\n")), ""]
      : []),
  ];
}

function privilegeSection(diff: PlanDiff, max: number): string[] {
  const { privileges, opnsense } = diff.security;
  const lines: string[] = [];
  const set = (label: string, change: SetChange) => [
    ...change.added.map((item) => `- **new** ${label}: ${code(item)}`),
    ...change.removed.map((item) => `- **no longer** ${label}: ${code(item)}`),
  ];
  lines.push(...set("OPNsense privilege for the API key", opnsense.privileges));
  lines.push(...set("OPNsense plugin", opnsense.plugins));
  if (opnsense.minimumVersion)
    lines.push(
      `- OPNsense minimum version: ${value(opnsense.minimumVersion.before ?? undefined)} → ${value(opnsense.minimumVersion.after ?? undefined)}`,
    );
  lines.push(
    ...limited(
      privileges.filter((change) => change.type !== PREFLIGHT_TYPE),
      max,
      (change) => resourceLines(change, max).join("\n"),
    ),
  );
  // The probes, plugins and version are summed up above; what else a preflight checks is listed as is.
  const summed = (field: FieldChange) => /^needs\.(probes|plugins|minimumVersion)/.test(field.path);
  const preflight = privileges
    .filter((change) => change.type === PREFLIGHT_TYPE)
    .map((change) => ({ ...change, fields: change.fields.filter((field) => !summed(field)) }))
    .filter((change) => change.kind !== "changed" || change.fields.length > 0);
  lines.push(...preflight.flatMap((change) => resourceLines(change, max)));
  return lines.length > 0 ? ["#### Privileges", "", ...lines, ""] : [];
}

function violationSection(diff: PlanDiff, max: number): string[] {
  const { added, removed } = diff.security.violations;
  if (added.length + removed.length === 0) return [];
  const line = (word: string) => (violation: Violation) =>
    `- **${word}** ${code(violation.policy)} (${violation.level}): ${violation.message}${violation.urn ? ` — ${code(violation.urn)}` : ""}`;
  return [
    "#### Policy violations",
    "",
    ...limited(added, max, line("new")),
    ...limited(removed, max, line("fixed")),
    "",
  ];
}

const num = (value: number) => String(Math.round(value * 100) / 100);

function placementSection(diff: PlanDiff, max: number): string[] {
  const { placement, moves } = diff.other;
  if (placement.length + moves.length === 0) return [];
  const usage = (node: NodeChange, key: "cores" | "memoryGb" | "diskGb") => {
    const before = node.before ? num(node.before.used[key]) : "—";
    const after = node.after ? num(node.after.used[key]) : "—";
    const capacity = num((node.after ?? node.before)?.capacity[key] ?? 0);
    return before === after ? `${after}/${capacity}` : `${before} → **${after}**/${capacity}`;
  };
  const rows = placement.map((node) => [
    `${code(node.node)}${node.kind === "changed" ? "" : ` (${node.kind})`}`,
    cell([...node.vmsAdded.map((vm) => `+${vm}`), ...node.vmsRemoved.map((vm) => `−${vm}`)].join(", ") || "—"),
    usage(node, "cores"),
    usage(node, "memoryGb"),
    usage(node, "diskGb"),
  ]);
  return [
    "#### Placement",
    "",
    ...(rows.length > 0 ? mdTable(["node", "VMs", "vCPU used/capacity", "RAM GB", "disk GB"], rows, max) : []),
    ...(moves.length > 0
      ? ["", ...limited(moves, max, (move) => `- ${code(move.vm)} moves from ${code(move.from)} to ${code(move.to)}`)]
      : []),
    "",
  ];
}

/** A changed resource in the URN list: what the security sections did not already show. */
function changedUrnLines(change: ResourceChange, max: number): string[] {
  const above = securityPart(change) !== undefined && !sequenceOnly(change);
  const fields = sequenceOnly(change) ? change.fields : change.fields.filter((field) => !isSecurityField(change, field));
  const lists = change.category === "other" ? change.lists : [];
  if (fields.length + lists.length === 0) return [`- ${code(change.urn)}: shown above`];
  const members = (items: readonly unknown[]) =>
    items.length <= 5 && items.every((item) => typeof item !== "object") ? items.map(value).join(", ") : String(items.length);
  return [
    `- ${code(change.urn)}`,
    ...limited(fields, max, (field) => `  - ${fieldText(field)}`),
    ...lists.map((list) =>
      [
        `  - ${code(list.list)}:`,
        list.added.length > 0 ? ` added ${members(list.added)}` : "",
        list.removed.length > 0 ? ` removed ${members(list.removed)}` : "",
      ].join(""),
    ),
    ...(above ? ["  - its security-relevant changes: shown above"] : []),
  ];
}

function resourcesSection(diff: PlanDiff, max: number): string[] {
  const { resources, providerOnly, renamed } = diff.other;
  if (resources.length + providerOnly.length + renamed.length === 0) return [];
  const byType = new Map<string, { layer: string; type: string; added: number; removed: number; changed: number }>();
  for (const change of resources) {
    const key = `${change.layer ?? ""}\u0000${change.type}`;
    const row = byType.get(key) ?? { layer: change.layer ?? "—", type: change.type, added: 0, removed: 0, changed: 0 };
    row[change.kind]++;
    byType.set(key, row);
  }
  const rows = [...byType.values()].map((row) => [
    row.layer,
    code(row.type),
    row.added ? `+${row.added}` : "",
    row.removed ? `−${row.removed}` : "",
    row.changed ? `~${row.changed}` : "",
  ]);
  const urnList = (kind: ChangeKind) => {
    const list = resources.filter((change) => change.kind === kind);
    if (list.length === 0) return [];
    const lines =
      kind === "changed"
        ? limited(list, max, (change) => changedUrnLines(change, max).join("\n"))
        : limited(list, max, (change) => `- ${code(change.urn)}`);
    return ["", `<details><summary>${list.length} ${kind} (by URN)</summary>`, "", ...lines, "", "</details>"];
  };
  return [
    "#### Resources",
    "",
    ...(rows.length > 0 ? mdTable(["layer", "type", "added", "removed", "changed"], rows, max) : []),
    ...urnList("added"),
    ...urnList("removed"),
    ...urnList("changed"),
    ...(renamed.length > 0
      ? [
          "",
          `<details><summary>${renamed.length} renamed with an alias (same resource, new URN: Pulumi moves its state)</summary>`,
          "",
          ...limited(renamed, max, (rename) => `- ${code(rename.from)} → ${code(rename.to)}`),
          "",
          "</details>",
        ]
      : []),
    ...(providerOnly.length > 0
      ? [
          "",
          `_The OPNsense provider's code changed: ${providerOnly.length} resource${providerOnly.length === 1 ? "" : "s"} with no other change will be checked against the firewall again._`,
        ]
      : []),
    "",
  ];
}

function layersSection(diff: PlanDiff): string[] {
  if (diff.other.layers.length === 0) return [];
  return [
    "#### Layers",
    "",
    ...diff.other.layers.map(
      (change) => `- ${code(change.layer)}: ${change.before ?? "(absent)"} → **${change.after ?? "(absent)"}**`,
    ),
    "",
  ];
}

const minutes = (seconds: number) => `${Math.round(seconds / 60)} min (${seconds} s)`;

function criticalPathSection(diff: PlanDiff, max: number): string[] {
  const change = diff.other.criticalPath;
  if (!change) return [];
  const { before, after } = change;
  const estimate =
    before && after
      ? `${minutes(before.estimatedSeconds)} → **${minutes(after.estimatedSeconds)}** (${after.estimatedSeconds >= before.estimatedSeconds ? "+" : "−"}${Math.abs(after.estimatedSeconds - before.estimatedSeconds)} s)`
      : `${before ? minutes(before.estimatedSeconds) : "(not in the base plan)"} → **${after ? minutes(after.estimatedSeconds) : "(none)"}**`;
  const step = (item: CriticalStep) => `${code(item.name)} (${item.seconds} s)`;
  return [
    "#### Critical path",
    "",
    `Estimated deployment time of a new lab (the longest chain of resources, stacks/plan/durations.ts): ${estimate}`,
    ...(after ? ["", `Chain: ${abbreviateChain(after)}`] : []),
    ...(change.joined.length > 0 ? ["", "Now on the chain:", ...limited(change.joined, max, (item) => `- ${step(item)}`)] : []),
    ...(change.left.length > 0 ? ["", "No longer on it:", ...limited(change.left, max, (item) => `- ${step(item)}`)] : []),
    "",
  ];
}

function summaryLine(diff: PlanDiff): string {
  const { security, counts } = diff;
  const sections = counts.sections;
  const named = [
    ["filter rules", sections.filterRules],
    ["exposed ports", sections.exposure],
    ["VLANs/zones", sections.vlans],
    ["privileges", sections.privileges],
    ["policy violations", sections.violations],
  ] as const;
  const details = named.filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return [
    `**${plural(counts.security, "security-relevant change")}**${details.length > 0 ? ` (${details.join(", ")})` : ""}`,
    `resources **+${counts.added} −${counts.removed} ~${counts.changed}** (${diff.base.resources} → ${diff.head.resources})`,
    `violations +${security.violations.added.length} −${security.violations.removed.length}`,
    ...(diff.other.placement.length > 0 ? [`placement: ${plural(diff.other.placement.length, "node")} changed`] : []),
    ...(diff.other.criticalPath?.before && diff.other.criticalPath.after
      ? [`critical path ${diff.other.criticalPath.before.estimatedSeconds} s → ${diff.other.criticalPath.after.estimatedSeconds} s`]
      : []),
  ].join(" · ");
}

export function renderDiffMarkdown(diff: PlanDiff, options: MarkdownOptions = {}): string {
  const max = options.maxRows ?? 60;
  const maxChars = options.maxChars ?? 60_000;
  const stacks =
    diff.base.stack === diff.head.stack ? `stack ${code(diff.head.stack)}` : `${code(diff.base.stack)} → ${code(diff.head.stack)}`;
  const nothing =
    diff.counts.security + diff.counts.added + diff.counts.removed + diff.counts.changed === 0 &&
    diff.other.placement.length +
      diff.other.layers.length +
      diff.other.providerOnly.length +
      diff.other.renamed.length ===
      0 &&
    !diff.other.criticalPath;
  const title = `## Fortress plan diff (${stacks})`;
  if (nothing) return `${title}\n\nNo changes: the new plan builds exactly what the base plan builds.\n`;
  const securityParts: [string, string[]][] = [
    ["filter rules", rulesSection(diff, max)],
    ["exposed ports", exposureSection(diff, max)],
    ["VLANs and zones", vlanSection(diff, max)],
    ["privileges", privilegeSection(diff, max)],
    ["policy violations", violationSection(diff, max)],
  ];
  const unchanged = securityParts.filter(([, lines]) => lines.length === 0).map(([name]) => name);
  const otherLines = [
    ...resourcesSection(diff, max),
    ...placementSection(diff, max),
    ...layersSection(diff),
    ...criticalPathSection(diff, max),
  ];
  const lines = [
    title,
    "",
    summaryLine(diff),
    "",
    "### Security-relevant changes",
    "",
    ...(diff.counts.security === 0 && securityParts.every(([, part]) => part.length === 0)
      ? ["None.", ""]
      : securityParts.flatMap(([, part]) => part)),
    ...(unchanged.length > 0 && unchanged.length < securityParts.length
      ? [`_No change to ${unchanged.join(", ")}._`, ""]
      : []),
    "### Everything else",
    "",
    ...(otherLines.length > 0 ? otherLines : ["None.", ""]),
  ];
  const text = `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf("\n", maxChars - 200);
  return `${text.slice(0, cut)}\n\n_… cut at ${maxChars} characters: the full diff is in diff.md next to plan.json._\n`;
}
