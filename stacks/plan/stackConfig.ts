/** Reads a `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: flat keys, JSON for structured values, `secure:` kept opaque. */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { type ConfigSource, NAMESPACE } from "../config/load";

export interface StackConfig {
  readonly stack: string;
  readonly values: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

function isSecure(value: unknown): value is { secure: string } {
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

export function stackNameOf(file: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file));
  return match?.[1] ?? "dev";
}

export function parseStackConfig(text: string, stack: string): StackConfig {
  const document = yaml.load(text) as { config?: Record<string, unknown> } | null;
  const config = document?.config ?? {};
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const plain = opaque(value);
    values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (containsSecure(value)) secretKeys.push(key);
  }
  return { stack, values, secretKeys };
}

export function readStackConfig(file: string): StackConfig {
  return parseStackConfig(readFileSync(file, "utf8"), stackNameOf(file));
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
  };
}
