/**
 * The plan diff (`--diff BASE_PLAN.json`) in the report: security-relevant changes first (filter rules,
 * aliases, exposed ports, VLANs and zones, privileges, policy violations), then everything else.
 */
import type { FieldChange, NodeChange, PlanDiff, ResourceChange, SetChange } from "../diff";
import type { Violation } from "../graph";
import { html, type Html, num } from "./escape";

const MAX_ROWS = 200;

function shown(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** A change's kind as a badge; `label` when the word differs from the kind (a violation is new or fixed). */
const kind = (word: string, label = word) => html`<span class="kind ${word}">${label}</span>`;
const field = (change: FieldChange) =>
  html`<li><code>${change.path}</code>: <code>${shown(change.before)}</code> → <code>${shown(change.after)}</code></li>`;

function limited<T>(items: readonly T[], render: (item: T) => Html): Html[] {
  const rest = items.length - MAX_ROWS;
  return [
    ...items.slice(0, MAX_ROWS).map(render),
    ...(rest > 0 ? [html`<li class="sub">… and ${rest} more (diff.md and plan.json have them all)</li>`] : []),
  ];
}

function resourceItem(change: ResourceChange): Html {
  const lists = change.lists.flatMap((list) => [
    ...list.added.map((item) => html`<li><code>${list.list}</code> + <code>${shown(item)}</code></li>`),
    ...list.removed.map((item) => html`<li><code>${list.list}</code> − <code>${shown(item)}</code></li>`),
  ]);
  const details = change.kind === "changed" ? [...change.fields.map(field), ...lists] : [];
  return html`<li data-change="${change.urn}">${kind(change.kind)} <code>${change.name}</code> <span class="sub">${change.type.split(":").pop()}${change.layer ? ` · ${change.layer}` : ""}</span>${details.length > 0 ? html`<ul>${details}</ul>` : ""}</li>`;
}

const part = (title: string, items: readonly Html[]) =>
  items.length === 0 ? [] : [html`<h3>${title}</h3><ul class="changes">${items}</ul>`];

function rulesPart(diff: PlanDiff): Html[] {
  const rules = diff.security.filterRules.filter((rule) => !rule.sequenceOnly);
  const renumbered = diff.security.filterRules.length - rules.length;
  const note =
    renumbered > 0
      ? html`<p class="sub">${renumbered} rule${renumbered === 1 ? "" : "s"} only renumbered (same rule, new position).</p>`
      : "";
  if (rules.length === 0) return renumbered > 0 ? [html`<h3>Filter rules (OPNsense)</h3>${note}`] : [];
  const rows = rules.slice(0, MAX_ROWS).map(
    ({ kind: what, rule }) =>
      html`<tr>${html`<td>${kind(what)}</td>`}<td class="mono">${rule.interface}</td><td class="n">${rule.sequence}</td><td><b>${rule.action}</b> ${rule.direction}</td><td class="mono">${rule.source} → ${rule.destination}</td><td class="mono">${rule.port} ${rule.protocol}</td><td>${rule.description}</td></tr>`,
  );
  return [
    html`<h3>Filter rules (OPNsense)</h3><table><thead><tr><th></th><th>interface</th><th class="n">#</th><th>action</th><th>source → destination</th><th>port</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>${note}`,
  ];
}

function zonesPart(diff: PlanDiff): Html[] {
  const { zones, networks } = diff.security;
  const services = (list: readonly string[]) => (list.length > 0 ? list.join(", ") : "—");
  const zoneItems = zones.map(
    (zone) => html`<li>${kind(zone.kind)} <code>${zone.from}</code> → <code>${zone.to}</code>: ${services(zone.before)} → <b>${services(zone.after)}</b></li>`,
  );
  const networkItems = networks.map(
    (network) =>
      html`<li>${kind(network.kind)} network <code>${network.name}</code>${network.fields.length > 0 ? html`<ul>${network.fields.map(field)}</ul>` : ""}</li>`,
  );
  return [...part("Zone matrix", zoneItems), ...part("Networks", networkItems)];
}

function privilegesPart(diff: PlanDiff): Html[] {
  const { opnsense, privileges } = diff.security;
  const set = (label: string, change: SetChange) => [
    ...change.added.map((item) => html`<li>${kind("added")} ${label} <code>${item}</code></li>`),
    ...change.removed.map((item) => html`<li>${kind("removed")} ${label} <code>${item}</code></li>`),
  ];
  return part("Privileges", [
    ...set("OPNsense privilege for the API key", opnsense.privileges),
    ...set("OPNsense plugin", opnsense.plugins),
    ...limited(privileges, resourceItem),
  ]);
}

function violationsPart(diff: PlanDiff): Html[] {
  const item = (word: string, label: string) => (violation: Violation) =>
    html`<li>${kind(word, label)} <code>${violation.policy}</code> (${violation.level}): ${violation.message}</li>`;
  const { added, removed } = diff.security.violations;
  return part("Policy violations", [...added.map(item("removed", "new")), ...removed.map(item("added", "fixed"))]);
}

function placementItem(node: NodeChange): Html {
  const usage = (key: "cores" | "memoryGb" | "diskGb") =>
    `${node.before ? num(node.before.used[key]) : "—"} → ${node.after ? num(node.after.used[key]) : "—"}`;
  const vms = [...node.vmsAdded.map((vm) => `+${vm}`), ...node.vmsRemoved.map((vm) => `−${vm}`)].join(", ");
  return html`<li>${kind(node.kind)} <code>${node.node}</code>: vCPU ${usage("cores")}, RAM GB ${usage("memoryGb")}, disk GB ${usage("diskGb")}${vms ? ` (${vms})` : ""}</li>`;
}

export function diffSection(diff: PlanDiff, baseName: string): Html {
  const { security, other, counts } = diff;
  const securityParts = [
    ...rulesPart(diff),
    ...part("Aliases the rules use", limited(security.aliases, resourceItem)),
    ...part("Exposed ports (Proxmox firewall)", limited(security.exposure, resourceItem)),
    ...zonesPart(diff),
    ...part("VLAN devices and records", limited(security.vlans, resourceItem)),
    ...privilegesPart(diff),
    ...violationsPart(diff),
  ];
  const otherParts = [
    ...part("Resources", limited(other.resources, resourceItem)),
    ...part("Placement", other.placement.map(placementItem)),
    ...part("VM moves", other.moves.map((move) => html`<li><code>${move.vm}</code>: ${move.from} → ${move.to}</li>`)),
    ...part("Layers", other.layers.map((layer) => html`<li><code>${layer.layer}</code>: ${layer.before ?? "(absent)"} → <b>${layer.after ?? "(absent)"}</b></li>`)),
  ];
  return html`<section class="card security" id="diff">
<h2>Changes against <code>${baseName}</code></h2>
<p><b class="security-count">${counts.security}</b> security-relevant change${counts.security === 1 ? "" : "s"} · resources <b>+${counts.added} −${counts.removed} ~${counts.changed}</b> (${diff.base.resources} → ${diff.head.resources})</p>
<h2>Security-relevant changes</h2>
${securityParts.length > 0 ? securityParts : html`<p class="none">None.</p>`}
<h2>Everything else</h2>
${otherParts.length > 0 ? otherParts : html`<p class="sub">None.</p>`}
</section>`;
}
