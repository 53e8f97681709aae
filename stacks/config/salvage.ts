/**
 * A list or map key with one malformed entry still has sound siblings: the entries that parse on their
 * own are handed to the semantic checks, so that a bad CIDR in networks[2] does not hide a duplicated
 * VLAN between networks[0] and networks[1]. The checks see the salvaged list, so their paths are
 * mapped back to the entries' places in the stack file.
 */
import { z } from "zod";
import type { ConfigIssue } from "./errors";
import type { PlainKey } from "./schema";

/** Keys whose entries are checked one by one. `layers` is not: a malformed switch leaves a layer's state unknown. */
export const SALVAGEABLE_KEYS: ReadonlySet<PlainKey> = new Set([
  "nodes",
  "networks",
  "services",
  "zones",
  "vms",
]);

export interface Salvaged {
  readonly value: unknown;
  /** For a list: the stack-file index of each salvaged entry. */
  readonly indexes?: readonly number[];
}

function unwrapDefault(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return schema.unwrap() as z.ZodType;
  return schema;
}

/**
 * The fields of an object key that parse on their own (an absent field gets its default), or
 * undefined when `input` is not an object: a bad endpoint does not hide a backup on the VM disk.
 */
export function salvageFields(
  schema: z.ZodType,
  input: unknown,
): Readonly<Record<string, unknown>> | undefined {
  const inner = unwrapDefault(schema);
  if (
    !(inner instanceof z.ZodObject) ||
    typeof input !== "object" ||
    input === null ||
    Array.isArray(input)
  ) {
    return undefined;
  }
  const fields = input as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([field, fieldSchema]) => {
      const parsed = fieldSchema.safeParse(fields[field]);
      return parsed.success && parsed.data !== undefined ? [[field, parsed.data]] : [];
    }),
  );
}

/** The entries of `input` that parse on their own, or undefined when `input` is not a list or map. */
export function salvageEntries(schema: z.ZodType, input: unknown): Salvaged | undefined {
  const inner = unwrapDefault(schema);
  if (inner instanceof z.ZodArray && Array.isArray(input)) {
    const value: unknown[] = [];
    const indexes: number[] = [];
    input.forEach((entry, index) => {
      const parsed = (inner.element as z.ZodType).safeParse(entry);
      if (!parsed.success) return;
      value.push(parsed.data);
      indexes.push(index);
    });
    return { value, indexes };
  }
  if (inner instanceof z.ZodRecord && typeof input === "object" && input !== null && !Array.isArray(input)) {
    const entries = Object.entries(input).flatMap(([key, entry]) => {
      const parsed = inner.safeParse({ [key]: entry });
      return parsed.success ? Object.entries(parsed.data as Record<string, unknown>) : [];
    });
    return { value: Object.fromEntries(entries) };
  }
  return undefined;
}

/** Rewrites `key[i]` (salvaged index) to `key[indexes[i]]` (stack-file index) in paths and messages. */
export function remapIndexes(
  issues: readonly ConfigIssue[],
  key: string,
  indexes: readonly number[],
): ConfigIssue[] {
  const pattern = new RegExp(`\\b${key}\\[(\\d+)\\]`, "g");
  const remap = (text: string) =>
    text.replace(pattern, (whole, index: string) => {
      const original = indexes[Number(index)];
      return original === undefined ? whole : `${key}[${original}]`;
    });
  return issues.map((issue) => ({ ...issue, path: remap(issue.path), message: remap(issue.message) }));
}
