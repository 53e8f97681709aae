/** Reads a `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: flat keys, JSON for structured values, `secure:` kept opaque. */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigIssue } from "../config/errors";
import { type ConfigSource, NAMESPACE } from "../config/load";
import { SECRET_KEYS } from "../config/schema";
import { OWN_KEY_HEADER, secureValueProblem } from "./ciphertext";
import { StackFileError, stackConfigMapping } from "./stackFile";

export interface StackConfig {
  readonly stack: string;
  readonly values: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** `fortress:` keys whose `secure:` value is not ciphertext, with what it is instead (never the value). */
  readonly secureProblems?: readonly { readonly key: string; readonly problem: string }[];
}

function isSecure(value: unknown): value is { secure: unknown } {
  return typeof value === "object" && value !== null && "secure" in value && Object.keys(value).length === 1;
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecure);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecure);
  return false;
}

/** Structured values travel as JSON with their secure leaves still ciphertext, as the CLI does when it cannot decrypt. */
function opaque(value: unknown): unknown {
  if (isSecure(value)) return value.secure;
  if (Array.isArray(value)) return value.map(opaque);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, opaque(inner)]));
  }
  return value;
}

const SECRET_KEY_NAMES: ReadonlySet<string> = new Set(SECRET_KEYS.map((key) => `${NAMESPACE}:${key}`));

export function stackNameOf(file: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file));
  return match?.[1] ?? "dev";
}

/** Throws a StackFileError for a file that is not YAML or has no `config:` mapping; `file` names it in the error. */
export function parseStackConfig(text: string, stack: string, file = `Pulumi.${stack}.yaml`): StackConfig {
  const config = stackConfigMapping(text, file);
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const secureProblems: { key: string; problem: string }[] = [];
  const ownKey = OWN_KEY_HEADER.test(text);
  for (const [key, value] of Object.entries(config)) {
    const plain = opaque(value);
    values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (containsSecure(value)) secretKeys.push(key);
    // A secure: leaf in a plain key is refused as such by the door (load.ts), whatever it holds.
    const problem = isSecure(value) && SECRET_KEY_NAMES.has(key) ? secureValueProblem(value.secure, ownKey) : undefined;
    if (problem) secureProblems.push({ key, problem });
  }
  return { stack, values, secretKeys, ...(secureProblems.length > 0 ? { secureProblems } : {}) };
}

export function readStackConfig(file: string): StackConfig {
  return parseStackConfig(readFileSync(file, "utf8"), stackNameOf(file), file);
}

/** readStackConfig for the CLI: a stack file that cannot be read as one comes back as its error. */
export function readStackFile(file: string): StackConfig | StackFileError {
  try {
    return readStackConfig(file);
  } catch (error) {
    if (error instanceof StackFileError) return error;
    throw error;
  }
}

/** The secure-value problems of a parsed stack file, as config issues at their keys. */
export function secureIssues(config: StackConfig): ConfigIssue[] {
  const prefix = `${NAMESPACE}:`;
  return (config.secureProblems ?? []).map(({ key, problem }) => ({
    path: key.slice(prefix.length),
    message: `holds a secure: value that is not ciphertext the Pulumi CLI wrote: it is ${problem}`,
    hint: `encrypt it: pulumi config set --secret ${key} <value> (it replaces the secure: line)`,
  }));
}

/** A ConfigSource over a parsed stack file, for checking a config without the Pulumi runtime. */
export function stackConfigSource(config: StackConfig): ConfigSource {
  const prefix = `${NAMESPACE}:`;
  const secret = new Set(config.secretKeys);
  return {
    keys: () =>
      Object.keys(config.values)
        .filter((key) => key.startsWith(prefix))
        .map((key) => key.slice(prefix.length)),
    raw: (key) => config.values[`${prefix}${key}`],
    isSecret: (key) => secret.has(`${prefix}${key}`),
    secret: (key) => pulumi.secret(config.values[`${prefix}${key}`] ?? ""),
    problems: () => secureIssues(config),
  };
}
