/** How one change reads in the plan diff's Markdown (diffMarkdown.ts): cells, code, values, resources. */
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import {
  ALIAS_TYPE,
  type ChangeKind,
  type FieldChange,
  isRecord,
  NETWORK_COMPONENT_TYPE,
  OPNSENSE_VLAN_TYPE,
  type ResourceChange,
  type RuleView,
} from "./diff";

export const KIND_WORD: Record<ChangeKind, string> = { added: "added", removed: "removed", changed: "changed" };

/** Text for a Markdown table cell or inline code: no pipes, no line breaks, no backticks. */
export const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
export const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\r?\n/g, "⏎")}\``;

export function value(raw: unknown): string {
  if (raw === undefined) return "(none)";
  const text = typeof raw === "string" ? raw : JSON.stringify(raw);
  return code(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export const fieldText = (field: FieldChange) => `${code(field.path)} ${value(field.before)} → ${value(field.after)}`;

export function limited<T>(items: readonly T[], max: number, render: (item: T) => string): string[] {
  const shown = items.slice(0, max).map(render);
  return items.length > max ? [...shown, `… and ${items.length - max} more (plan.json has them all)`] : shown;
}

export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], max: number): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const shown = rows.slice(0, max);
  return [
    line(header),
    line(header.map(() => "---")),
    ...shown.map(line),
    ...(rows.length > max ? [`\n… and ${rows.length - max} more rows (plan.json has them all)`] : []),
  ];
}

export function ruleText(rule: RuleView): string {
  const flags = [rule.log ? "logged" : "", rule.enabled ? "" : "disabled"].filter(Boolean).join(", ");
  return `**${rule.action}** ${rule.direction} ${code(rule.source)} → ${code(rule.destination)} port ${code(rule.port)} ${rule.protocol}${flags ? ` (${flags})` : ""}`;
}

/** A Proxmox firewall rule (security group member or VM rule) on one line. */
export function proxmoxRuleText(raw: unknown): string {
  const rule = (isRecord(raw) ? raw : {}) as Record<string, unknown>;
  if (rule.securityGroup)
    return `security group ${code(String(rule.securityGroup))} on ${code(String(rule.iface ?? "all NICs"))}`;
  const ports = rule.dport ? ` ${rule.proto ?? "any"}/${rule.dport}` : rule.proto ? ` ${rule.proto}` : "";
  const log = rule.log && rule.log !== "nolog" ? `, log ${rule.log}` : "";
  const off = rule.enabled === false ? ", disabled" : "";
  return `${rule.action ?? "?"} ${rule.type ?? ""} ${code(String(rule.source ?? "any"))} → ${code(String(rule.dest ?? "any"))}${ports}${log}${off}${rule.comment ? ` — ${rule.comment}` : ""}`;
}

/** One line saying what a resource holds, for the types the security sections show. */
export function summary(change: ResourceChange): string {
  const inputs = (change.kind === "removed" ? change.before : change.after) ?? {};
  const fields = (isRecord(inputs.fields) ? inputs.fields : {}) as Record<string, unknown>;
  const type = change.type;
  if (type === ALIAS_TYPE) return `${fields.type} alias: ${code(String(fields.content ?? "").split("\n").join(", "))}`;
  if (type === OPNSENSE_VLAN_TYPE) return `VLAN ${fields.tag} on ${code(String(fields.if))}`;
  if (/\/acl(Legacy)?:/.test(type)) {
    const who = inputs.userId ?? inputs.groupId ?? inputs.tokenId ?? "?";
    return `role ${code(String(inputs.roleId))} on ${code(String(inputs.path))} for ${code(String(who))}${inputs.propagate === false ? "" : " (propagates)"}`;
  }
  if (/\/role(Legacy)?:/.test(type))
    return `role ${code(String(inputs.roleId))}: ${((inputs.privileges as string[]) ?? []).join(", ")}`;
  if (/\/token(Legacy)?:/.test(type))
    return `token ${code(`${inputs.userId}!${inputs.tokenName}`)}, privilege separation ${inputs.privilegesSeparation === false ? "**off**" : "on"}`;
  if (/firewall\/optionsLegacy:/.test(type))
    return `firewall ${inputs.enabled === false ? "**off**" : "on"}, input ${inputs.inputPolicy ?? "?"}, output ${inputs.outputPolicy ?? "?"}`;
  if (Array.isArray(inputs.rules))
    return inputs.rules.length <= 3
      ? inputs.rules.map(proxmoxRuleText).join("; ")
      : `${inputs.rules.length} rules`;
  if (Array.isArray(inputs.cidrs))
    return `${(inputs.cidrs as Record<string, unknown>[]).map((entry) => code(String(entry.name))).join(", ")}`;
  if (type === SDK_TYPES.proxmoxVnet) return `vnet ${code(String(inputs.resourceId))} tag ${inputs.tag} in zone ${code(String(inputs.zone))}`;
  return "";
}

export function resourceLines(change: ResourceChange, max: number): string[] {
  const head = `- **${KIND_WORD[change.kind]}** ${code(change.name)} (${change.type.split(":").pop()})`;
  if (change.kind !== "changed") {
    const text = summary(change);
    return [`${head}${text ? `: ${text}` : ""}`];
  }
  const sets = change.lists.flatMap((list) => [
    ...limited(list.added, max, (item) => `  - ➕ ${list.list === "rules" ? proxmoxRuleText(item) : value(item)}`),
    ...limited(list.removed, max, (item) => `  - ➖ ${list.list === "rules" ? proxmoxRuleText(item) : value(item)}`),
  ]);
  if (change.type === NETWORK_COMPONENT_TYPE) {
    const keys = [
      ...new Set([...change.fields.map((field) => field.path.split(/[.[]/)[0] ?? ""), ...change.lists.map((l) => l.list)]),
    ];
    return [`${head}: the layer's record of ${keys.map(code).join(", ")} changed as above`];
  }
  return [head, ...limited(change.fields, max, (field) => `  - ${fieldText(field)}`), ...sets];
}
