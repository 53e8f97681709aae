/**
 * Reads a pack config (`--policy-config FILE`) as `pulumi preview --policy-pack-config` does, and
 * refuses what it would refuse, in one line. The rules follow the Pulumi CLI's parser
 * (pulumi/pulumi pkg/resource/analyzer/config.go, parsePolicyPackConfig, extractEnforcementLevel,
 * validatePolicyConfig; levels from sdk/go/common/apitype/policy.go EnforcementLevel.IsValid):
 * empty text is no config; otherwise a JSON object whose values are an enforcement level or an
 * object with an optional `enforcementLevel` and the policy's properties, checked against its
 * configSchema. Offline the pack is known, so a policy or property it does not have is refused too:
 * the CLI would pass a misspelt name silently, and the setting would do nothing.
 */
import type { PackConfig } from "../../policies/lib/types";
import type { FortressPolicy } from "../../policies/lib/types";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

export class PackConfigError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The JSON type of a value as a JSON schema names it. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matches(value: unknown, type: unknown): boolean {
  if (typeof type !== "string") return true;
  const actual = jsonType(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** Why a property's value does not fit the policy's schema (type, and items' type for a list), or undefined. */
function propertyProblem(value: unknown, schema: Record<string, unknown>): string | undefined {
  if (!matches(value, schema.type)) return `must be of type ${String(schema.type)}, not ${jsonType(value)}`;
  const items = isObject(schema.items) ? schema.items : undefined;
  if (!Array.isArray(value) || !items) return undefined;
  const bad = value.findIndex((item) => !matches(item, items.type));
  return bad < 0 ? undefined : `[${bad}] must be of type ${String(items.type)}, not ${jsonType(value[bad])}`;
}

function checkLevel(level: unknown, where: string): void {
  if (typeof level !== "string" || !LEVELS.includes(level)) {
    throw new PackConfigError(
      `${where}: ${JSON.stringify(level)} is not an enforcement level; use one of ${LEVELS.join(", ")}`,
    );
  }
}

function checkEntry(policy: FortressPolicy, entry: unknown, source: string): void {
  const where = `${source}: "${policy.name}"`;
  if (typeof entry === "string") return checkLevel(entry, where);
  if (!isObject(entry)) {
    throw new PackConfigError(`${where} is ${jsonType(entry)}; give an enforcement level or an object`);
  }
  const properties = (policy.configSchema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(entry)) {
    if (key === "enforcementLevel") {
      checkLevel(value, `${where}.enforcementLevel`);
      continue;
    }
    const schema = properties[key];
    if (!schema) {
      const known = Object.keys(properties);
      throw new PackConfigError(
        `${where} has no property "${key}"; ${known.length > 0 ? `it has ${known.join(", ")}` : "it takes only enforcementLevel"}`,
      );
    }
    const problem = propertyProblem(value, schema);
    if (problem) throw new PackConfigError(`${where}.${key}${problem.startsWith("[") ? "" : " "}${problem}`);
  }
}

/** The pack config in `text` (read from `source`), or a PackConfigError that says in one line what is wrong. */
export function parsePackConfig(
  text: string,
  source: string,
  policies: readonly FortressPolicy[],
): PackConfig {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PackConfigError(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) {
    throw new PackConfigError(
      `${source} holds ${jsonType(value)}; a pack config is a JSON object from policy name to level or settings`,
    );
  }
  if ("environments" in value) {
    throw new PackConfigError(
      `${source}: "environments" (Pulumi ESC) cannot be read offline; remove it for npm run plan`,
    );
  }
  for (const [name, entry] of Object.entries(value)) {
    const policy = policies.find((candidate) => candidate.name === name);
    if (!policy) {
      throw new PackConfigError(
        `${source}: the pack has no policy "${name}"; its policies are ${policies.map((p) => p.name).join(", ")}`,
      );
    }
    checkEntry(policy, entry, source);
  }
  return value as PackConfig;
}
