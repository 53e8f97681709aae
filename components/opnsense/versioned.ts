/**
 * Settings whose fields differ between OPNsense releases, and settings with nested nodes. The program
 * writes a model's fields as the newest release names them; `forVersion` turns them into what the
 * firewall's own release has (a field it lacks is never sent), `fromVersion` turns what it answers
 * back. Dotted field names (`detect.Profile`, `capture.targets`) are nodes below the section: `nest`
 * builds the body a `set` takes, `pick` reads them from a `get`.
 */
import { OpnsenseError } from "./errors";
import type { Fields } from "./items";
import type { VersionedField } from "./models";
import { compareVersions } from "./version";

interface Versioned {
  readonly label: string;
  readonly versioned?: readonly VersionedField[];
}

const older = (version: string, since: string) => compareVersions(version, since) < 0;

/** The fields to send to a firewall running `version`: never one its model lacks. */
export function forVersion(model: Versioned, fields: Fields, version: string): Fields {
  const out: Record<string, string> = { ...fields };
  for (const entry of model.versioned ?? []) {
    if (!(entry.field in out) || !older(version, entry.since)) continue;
    const value = out[entry.field] ?? "";
    delete out[entry.field];
    if (!entry.before) continue;
    const mapped = entry.before.values[value];
    if (mapped === undefined) {
      throw new OpnsenseError(
        `the ${model.label}: ${entry.field} "${value}" needs OPNsense ${entry.since} or later; this firewall runs ` +
          `${version}, whose ${entry.before.field} can only say ${Object.keys(entry.before.values)
            .map((key) => `"${key}"`)
            .join(" or ")}. Upgrade the firewall or choose one of those`,
      );
    }
    out[entry.before.field] = mapped;
  }
  return out;
}

/** What a firewall running `version` answered (flat, see pick), in the newest release's field names. */
export function fromVersion(
  model: Versioned,
  values: Readonly<Record<string, unknown>>,
  version: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const entry of model.versioned ?? []) {
    if (!older(version, entry.since) || !entry.before) continue;
    const live = values[entry.before.field];
    const found = Object.entries(entry.before.values).find(([, value]) => value === String(live ?? ""));
    out[entry.field] = found ? found[0] : "";
    delete out[entry.before.field];
  }
  return out;
}

/** `{"detect.Profile": "x", enabled: "1"}` → `{detect: {Profile: "x"}, enabled: "1"}`. */
export function nest(fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const path = name.split(".");
    let node = out;
    for (const step of path.slice(0, -1)) {
      const next = node[step];
      node[step] = next !== null && typeof next === "object" ? next : {};
      node = node[step] as Record<string, unknown>;
    }
    node[path[path.length - 1] ?? name] = value;
  }
  return out;
}

/** The values of `names` (dotted for nested nodes) in a `get` answer, flat. */
export function pick(
  values: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    names.map((name) => {
      let node: unknown = values;
      for (const step of name.split(".")) {
        node =
          node !== null && typeof node === "object" ? (node as Record<string, unknown>)[step] : undefined;
      }
      return [name, node];
    }),
  );
}
