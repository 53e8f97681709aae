/**
 * OPNsense filter rules beyond their fields: the order OPNsense evaluates them in, the ports a
 * destination_port stands for, and the port the firewall's own web UI and API answer on.
 *
 * The order is OPNsense's: MVC filter rules sort by a priority group, then by sequence. Floating rules
 * (no interface, several, or an inverted interface) come at 200000, interface groups at 300000 + the
 * group's own sequence (0–9999, OPNsense/Firewall/Group.xml), single interfaces at 400000, and rules
 * whose interfaces do not exist at 600000, which pf never applies (opnsense/core
 * src/opnsense/mvc/app/models/OPNsense/Firewall/FieldTypes/FilterRuleField.php `getPriority` and
 * `sort_order`, tags 25.7–26.7; src/etc/inc/plugins.inc.d/pf.inc registers them in that order). Ties
 * go by the rule's UUID (ArrayField::sortedBy), which the plan cannot know.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type OpnsenseRule, opnsenseFields } from "./opnsense";
import { OPNSENSE } from "./typeNames";

/**
 * The priority group of a rule on one interface that is not lan, wan or optN: an interface group
 * (300000 + a sequence the plan does not hold) or a name the firewall does not have (600000, never
 * applied). NaN: `before` is false both ways, so every check takes such a rule as possibly first and
 * possibly last.
 */
export const UNKNOWN_GROUP = Number.NaN;

/** OPNsense's evaluation order of a rule: [priority group, sequence]; lower goes first. */
export function evaluationOrder(rule: OpnsenseRule): readonly [number, number] {
  const sequence = rule.sequence ?? Number.POSITIVE_INFINITY;
  if (rule.interfaces.length !== 1 || rule.inverted) return [200_000, sequence];
  // lan, wan and optN are the firewall's interfaces; any other name is a group or nothing.
  const single = /^(lan|wan|opt\d+)$/.test(rule.interfaces[0] ?? "");
  return [single ? 400_000 : UNKNOWN_GROUP, sequence];
}

export const before = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The port the firewall's API (and web UI) answers on, from the `firewall.url` a rule resource carries. */
export function apiPort(props: Record<string, unknown>): number {
  const firewall = props.firewall as { url?: unknown } | undefined;
  try {
    const url = new URL(typeof firewall?.url === "string" ? firewall.url : "https://firewall");
    return url.port !== "" ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
  } catch {
    return 443;
  }
}

/** The content of every port alias, by name. */
export function portAliasesOf(resources: readonly PolicyResource[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const resource of resources) {
    if (resource.type !== OPNSENSE("alias")) continue;
    const fields = opnsenseFields(resource.props);
    if (fields?.name && fields.type === "port") aliases.set(fields.name, String(fields.content ?? ""));
  }
  return aliases;
}

/**
 * Port ranges a destination_port field stands for: empty or `any` is every port; `80`, `80:90`,
 * `80-90`, comma lists and aliases of type port (nested) are read; a name that is no port alias
 * stands for no port here (hasUnknownPort tells them apart).
 */
export function portRanges(
  value: string | undefined,
  portAliases: ReadonlyMap<string, string>,
  depth = 0,
): [number, number][] {
  const text = (value ?? "").trim();
  if (text === "" || text === "any") return [[0, 65_535]];
  if (text.includes(",")) return text.split(",").flatMap((part) => portRanges(part, portAliases, depth));
  const range = /^(\d+)(?:[:-](\d+))?$/.exec(text);
  if (range) return [[Number(range[1]), Number(range[2] ?? range[1])]];
  const content = portAliases.get(text);
  if (content === undefined || depth > 8) return [];
  return content
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .flatMap((entry) => portRanges(entry, portAliases, depth + 1));
}

/** Whether a port field stands for something this cannot read (a name that is no port alias). */
export function hasUnknownPort(value: string | undefined, portAliases: ReadonlyMap<string, string>): boolean {
  const text = (value ?? "").trim();
  if (text === "" || text === "any") return false;
  return text
    .split(",")
    .map((part) => part.trim())
    .some((part) => !/^\d+(?:[:-]\d+)?$/.test(part) && !portAliases.has(part));
}

/** Whether `ranges` include every port of `wanted`. */
export const portsCover = (ranges: readonly [number, number][], port: number) =>
  ranges.some(([low, high]) => low <= port && port <= high);
