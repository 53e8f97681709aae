/** Small PromQL builders the rule files share: quoted matchers, anchored alternations. Pure. */

/** A PromQL string literal (double-quoted, backslash and quote escaped). */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** RE2 metacharacters escaped, so that a name matches only itself inside a `=~` alternation. */
function literal(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `label=~"a|b"` for a set of exact values (PromQL anchors regex matchers). Sorted and unique, so the
 * rule text does not change with input order. Refuses an empty set: a rule that matches nothing is a bug.
 */
export function oneOf(label: string, values: readonly string[]): string {
  const unique = [...new Set(values)].sort();
  if (unique.length === 0) throw new Error(`rules: no value for ${label}`);
  if (unique.length === 1) return `${label}=${quoted(unique[0] as string)}`;
  return `${label}=~${quoted(unique.map(literal).join("|"))}`;
}

/** Seconds in a Prometheus duration made of one unit (`15m`, `26h`, `14d`). */
export function seconds(duration: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`rules: ${duration} is not a one-unit duration`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

/** A fraction as a PromQL number with no float noise (0.75, not 0.7500000000000001). */
export function fraction(value: number): string {
  if (!(value > 0 && value < 1)) throw new Error(`rules: ${value} is not a fraction`);
  return String(Math.round(value * 10000) / 10000);
}
