/**
 * Mutations of a stack config for the door's fuzzer (test/config-fuzz.test.ts). A mutant is a seed
 * config (the home lab, or a case of the invalid-config corpus) with a few edits applied in order:
 * edits that may or may not leave the config valid (a string with odd characters, an odd number, a key
 * removed, a list entry duplicated or dropped), then at most one edit the schema must refuse (a value of
 * another JSON type, an unknown or misspelt key, a secret in plaintext, a plain key made secret, an
 * empty list of nodes or networks). Each edit is drawn as a small seed (kind, which place, which
 * value) so that fast-check can shrink a failure to the one edit that matters.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import * as yaml from "js-yaml";
import { formatPath } from "../../stacks/config/errors";
import { SECRET_KEYS } from "../../stacks/config/schema";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Tree = Record<string, Json>;
export type Segment = string | number;

const ROOT = join(__dirname, "..", "..");
const CORPUS = join(ROOT, "test", "config-corpus");
const PREFIX = "fortress:";

export interface Seed {
  readonly name: string;
  readonly config: Tree;
}

const isObject = (value: unknown): value is { [key: string]: Json } =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isSecure = (value: unknown): boolean =>
  isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";

/** The `config:` mapping of a stack file, or undefined when the file is not a YAML mapping with one. */
function configOf(text: string): Tree | undefined {
  try {
    const document = yaml.load(text) as unknown;
    return isObject(document) && isObject(document.config) ? document.config : undefined;
  } catch {
    return undefined;
  }
}

/** The home lab and every corpus case that reads as a stack config (a case about broken YAML does not). */
export function loadSeeds(): Seed[] {
  const files = [
    join(ROOT, "Pulumi.home.yaml"),
    ...readdirSync(CORPUS)
      .filter((file) => file.endsWith(".yaml"))
      .sort()
      .map((file) => join(CORPUS, file)),
  ];
  return files.flatMap((file) => {
    const config = configOf(readFileSync(file, "utf8"));
    return config ? [{ name: file.slice(ROOT.length + 1), config }] : [];
  });
}

export function toStackFile(config: Tree): string {
  return yaml.dump({ config }, { lineWidth: -1, noRefs: true });
}

/** The JSON type of a value as the program receives it (YAML's .nan and .inf become null in JSON). */
function jsonType(value: Json): string {
  if (value === null || (typeof value === "number" && !Number.isFinite(value))) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/** Every place in the config: top-level keys first; a `secure:` leaf is one place, its inside none. */
function places(tree: Json, path: Segment[] = []): Segment[][] {
  const found: Segment[][] = path.length > 0 ? [path] : [];
  if (isSecure(tree)) return found;
  if (Array.isArray(tree)) tree.forEach((item, index) => found.push(...places(item, [...path, index])));
  else if (isObject(tree)) for (const [key, item] of Object.entries(tree)) found.push(...places(item, [...path, key]));
  return found;
}

function get(tree: Json, path: readonly Segment[]): Json {
  return path.reduce<Json>((node, segment) => (node as Record<Segment, Json>)[segment] as Json, tree);
}

function set(tree: Json, path: readonly Segment[], value: Json | undefined): void {
  const parent = get(tree, path.slice(0, -1)) as Record<Segment, Json> & Json[];
  const last = path[path.length - 1] as Segment;
  if (value !== undefined) parent[last] = value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
}

/** The `fortress:` path of a place, as issues name it (`nodes[0].cores`), or undefined outside the namespace. */
export function issuePath(path: readonly Segment[]): string | undefined {
  const [top, ...rest] = path;
  if (typeof top !== "string" || !top.startsWith(PREFIX)) return undefined;
  return formatPath([top.slice(PREFIX.length), ...rest]);
}

// ---- the edits ----------------------------------------------------------------------------------

const MAYBE_KINDS = ["string", "number", "delete", "duplicateEntry", "removeEntry", "emptyList"] as const;
const REFUSED_KINDS = ["changeType", "unknownKey", "renameKey", "plaintextSecret", "secretPlainKey", "noNodes"] as const;
type Kind = (typeof MAYBE_KINDS)[number] | (typeof REFUSED_KINDS)[number];

export interface Edit {
  readonly kind: Kind;
  /** Which of the eligible places (modulo their number). */
  readonly pick: number;
  /** The new value, by the kind of edit that uses it. */
  readonly text: string;
  readonly number: number;
  readonly other: Json;
}

/** What an applied edit did: where, and whether the schema must refuse the result. */
export interface Applied {
  readonly kind: Kind;
  readonly path: readonly Segment[];
  readonly mustRefuse: boolean;
}

const WEIRD_STRINGS = [
  "",
  " ",
  "\t",
  "\n",
  "\u0000",
  "\u200b",
  "\u202e",
  "ü",
  "😀",
  "日本",
  "a".repeat(5000),
  "-1",
  "null",
  "~",
  "yes",
  "'",
  '"',
  "${HOME}",
  "../../etc/passwd",
];

const stringValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...WEIRD_STRINGS),
  fc.string({ unit: "grapheme", maxLength: 24 }),
  // Whitespace or unicode around the original value: a marker the edit replaces with it.
  fc
    .tuple(fc.constantFrom(" ", "\t", "\n", " ", "\u00a0", "é", "😀", "\u0000"), fc.boolean())
    .map(([affix, before]) => `\u0001${before ? "before" : "after"}\u0001${affix}`),
);

const numberValue: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1e-9, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Infinity, -Infinity, NaN, 4095, 4096),
  fc.integer(),
  fc.double(),
);

/** A value of some JSON type, nested a little; never a string that JSON-parses (a top-level string is parsed as JSON). */
const otherValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom("fuzz ☃ text", "not json: {", " \t "),
    fc.array(fc.oneof(fc.integer(), fc.constant(null), tie("value")), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "name", "x y", "ü"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

export const editArbitrary = (kinds: readonly Kind[]): fc.Arbitrary<Edit> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    pick: fc.nat(),
    text: stringValue,
    number: numberValue,
    other: otherValue,
  });

/** A mutant's edits: up to `maybe` edits that may leave it valid, then (if `refused`) one it must not. */
export const editsArbitrary = (maybe: number, refused: boolean): fc.Arbitrary<Edit[]> =>
  fc
    .tuple(
      fc.array(editArbitrary(MAYBE_KINDS), { maxLength: maybe }),
      refused ? fc.option(editArbitrary(REFUSED_KINDS), { nil: undefined }) : fc.constant(undefined),
    )
    .map(([edits, last]) => (last ? [...edits, last] : edits));

function pickFrom<T>(candidates: readonly T[], pick: number): T | undefined {
  return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
}

/** Another value of a different JSON type than `original` (the drawn one, or a fixed one of each type). */
function differentType(original: Json, drawn: Json): Json {
  const pool: Json[] = [drawn, null, true, 7, "fuzz ☃ text", [1, null], { a: { b: [] } }];
  return pool.find((value) => jsonType(value) !== jsonType(original)) as Json;
}

function stringEdit(original: string, value: string): string {
  const marker = /^\u0001(before|after)\u0001(.*)$/su.exec(value);
  if (!marker) return value;
  return marker[1] === "before" ? `${marker[2]}${original}` : `${original}${marker[2]}`;
}

const SECURE = "v1:RlVaWg==:ZnV6eiBjaXBoZXJ0ZXh0IGZvciBhIHBsYWluIGtleQ==";

/** Applies one edit in place, or does nothing (undefined) when the config has no place it fits. */
export function applyEdit(tree: Tree, edit: Edit): Applied | undefined {
  const all = places(tree);
  const at = (path: Segment[] | undefined, mustRefuse: boolean, value: Json | undefined) => {
    if (!path) return undefined;
    set(tree, path, value);
    return { kind: edit.kind, path, mustRefuse };
  };
  const lists = all.filter((path) => Array.isArray(get(tree, path)));
  const entries = all.filter((path) => typeof path[path.length - 1] === "number");
  const secret = (path: Segment[]) => isSecure(get(tree, path));
  switch (edit.kind) {
    case "string": {
      const path = pickFrom(all.filter((p) => typeof get(tree, p) === "string"), edit.pick);
      return at(path, false, path ? stringEdit(get(tree, path) as string, edit.text) : undefined);
    }
    case "number":
      return at(pickFrom(all.filter((p) => typeof get(tree, p) === "number"), edit.pick), false, edit.number);
    case "delete":
      return at(pickFrom(all, edit.pick), false, undefined);
    case "duplicateEntry": {
      const path = pickFrom(entries, edit.pick);
      if (!path) return undefined;
      const list = get(tree, path.slice(0, -1)) as Json[];
      list.push(structuredClone(get(tree, path)));
      return { kind: edit.kind, path, mustRefuse: false };
    }
    case "removeEntry":
      return at(pickFrom(entries, edit.pick), false, undefined);
    case "emptyList":
      return at(pickFrom(lists, edit.pick), false, []);
    case "changeType": {
      const path = pickFrom(all.filter((p) => !secret(p)), edit.pick);
      return at(path, true, path ? differentType(get(tree, path), edit.other) : undefined);
    }
    case "unknownKey": {
      const path = pickFrom([[], ...all.filter((p) => isObject(get(tree, p)) && !secret(p))], edit.pick);
      if (!path) return undefined;
      const key = path.length === 0 ? `${PREFIX}fuzzUnknownKey` : "fuzzUnknownKey";
      return at([...path, key], true, edit.other);
    }
    case "renameKey": {
      const path = pickFrom(all.filter((p) => typeof p[p.length - 1] === "string"), edit.pick);
      if (!path) return undefined;
      const value = get(tree, path);
      set(tree, path, undefined);
      const renamed = [...path.slice(0, -1), `${String(path[path.length - 1])}X`];
      set(tree, renamed, value);
      return { kind: edit.kind, path: renamed, mustRefuse: true };
    }
    case "plaintextSecret": {
      const path = pickFrom(all.filter((p) => p.length === 1 && secret(p)), edit.pick);
      return at(path, true, path ? ((get(tree, path) as { secure: string }).secure as Json) : undefined);
    }
    case "secretPlainKey": {
      // Not a secret key stored in plaintext (a corpus case): making it secret would mend it.
      const secretKey = (p: Segment[]) => SECRET_KEYS.some((key) => p[0] === `${PREFIX}${key}`);
      const path = pickFrom(all.filter((p) => !secretKey(p) && !secret(p.slice(0, 1))), edit.pick);
      return at(path, true, { secure: SECURE });
    }
    case "noNodes":
      return at(pickFrom([`${PREFIX}nodes`, `${PREFIX}networks`].filter((key) => key in tree).map((key) => [key]), edit.pick), true, []);
  }
}

/** The seed with the edits applied, and what each did. */
export function mutate(seed: Seed, edits: readonly Edit[]): { config: Tree; applied: Applied[] } {
  const config = structuredClone(seed.config);
  const applied = edits.flatMap((edit) => applyEdit(config, edit) ?? []);
  return { config, applied };
}

export const describeApplied = (applied: readonly Applied[]): string =>
  applied.map((edit) => `${edit.kind} at ${edit.path.join(".")}${edit.mustRefuse ? " (must be refused)" : ""}`).join("; ");
