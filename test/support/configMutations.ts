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
  else if (isObject(tree))
    for (const [key, item] of Object.entries(tree)) found.push(...places(item, [...path, key]));
  return found;
}

/** The value at a path (undefined, typed as Json for brevity, where the path leads nowhere). */
function get(tree: Json, path: readonly Segment[]): Json {
  return path.reduce<Json>(
    (node, segment) =>
      (typeof node === "object" && node !== null
        ? (node as Record<Segment, Json>)[segment]
        : undefined) as Json,
    tree,
  );
}

function set(tree: Json, path: readonly Segment[], value: Json | undefined): void {
  const parent = get(tree, path.slice(0, -1)) as Record<Segment, Json> & Json[];
  const last = path[path.length - 1] as Segment;
  // defineProperty: a key named __proto__ is then a key, as it is in a YAML mapping, not the prototype.
  if (value !== undefined && !Array.isArray(parent))
    Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  else if (value !== undefined) parent[last as number] = value;
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
const REFUSED_KINDS = [
  "changeType",
  "unknownKey",
  "renameKey",
  "plaintextSecret",
  "secretPlainKey",
  "noNodes",
  "badValue",
] as const;
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
  /** For a badValue edit: which one (BadValue.label). */
  readonly badValue?: string;
}

/** A value issue 10 names as one the door must refuse, at a place the seeds have. */
export interface BadValue {
  readonly label: string;
  readonly path: readonly Segment[];
  readonly value: Json;
}

const TOKEN = "root@pam!fortress=0b7d7c7e-1111-2222-3333-444455556666";

/** The classes of issue 10's door items 2–4, a few spellings each. */
export const BAD_VALUES: readonly BadValue[] = [
  {
    label: "item 2: Proxmox endpoint with user:password@",
    path: ["fortress:proxmox", "endpoint"],
    value: "https://root:hunter2@10.10.10.11:8006/",
  },
  {
    label: "item 2: Proxmox endpoint with a path",
    path: ["fortress:proxmox", "endpoint"],
    value: "https://10.10.10.11:8006/api2/json",
  },
  {
    label: "item 2: Proxmox endpoint with a query",
    path: ["fortress:proxmox", "endpoint"],
    value: "https://10.10.10.11:8006/?user=root",
  },
  {
    label: "item 2: Proxmox endpoint over http",
    path: ["fortress:proxmox", "endpoint"],
    value: "http://10.10.10.11:8006/",
  },
  {
    label: "item 2: OPNsense URL with key:secret@",
    path: ["fortress:opnsense", "url"],
    value: "https://apikey:apisecret@10.10.10.1",
  },
  {
    label: "item 2: OPNsense URL with a path",
    path: ["fortress:opnsense", "url"],
    value: "https://10.10.10.1/api/core",
  },
  { label: "item 3: secure value empty", path: ["fortress:proxmoxApiToken"], value: { secure: "" } },
  { label: "item 3: secure value null", path: ["fortress:sshPrivateKey"], value: { secure: null } },
  { label: "item 3: secure value a number", path: ["fortress:opnsenseApiKey"], value: { secure: 12345 } },
  {
    label: "item 3: secure value a Proxmox token",
    path: ["fortress:proxmoxApiToken"],
    value: { secure: TOKEN },
  },
  {
    label: "item 3: secure value a PEM key",
    path: ["fortress:sshPrivateKey"],
    value: {
      secure:
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    },
  },
  {
    label: "item 3: secure value an ssh- key",
    path: ["fortress:sshPrivateKey"],
    value: { secure: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzzFuzzFuzz admin@laptop" },
  },
  { label: "item 4: time zone misspelt", path: ["fortress:lab", "timezone"], value: "Europe/Berln" },
  {
    label: "item 4: time zone that does not exist",
    path: ["fortress:lab", "timezone"],
    value: "Mars/Olympus_Mons",
  },
  {
    label: "item 4: domain label over 63 characters",
    path: ["fortress:lab", "domain"],
    value: `${"a".repeat(64)}.arpa`,
  },
  {
    label: "item 4: domain over 253 characters",
    path: ["fortress:lab", "domain"],
    value: `${"abcdefghi.".repeat(26)}arpa`,
  },
  { label: "item 4: Linux user name too long", path: ["fortress:lab", "adminUser"], value: "a".repeat(33) },
  // Found by the fuzzer beyond the issue's list: names Proxmox checks but the door takes as any string.
  // Storage ids: pve-common src/PVE/JSONSchema.pm parse_storage_id, /^[a-z][a-z0-9\-\_\.]*[a-z0-9]$/i.
  {
    label: "item 4: datastore name with a space",
    path: ["fortress:proxmox", "vmDatastore"],
    value: "local lvm",
  },
  {
    label: "item 4: backup storage with a NUL",
    path: ["fortress:proxmox", "backup", "storage"],
    value: "local\u0000",
  },
  {
    label: "item 4: Proxmox SSH user with a space",
    path: ["fortress:proxmox", "sshUser"],
    value: "root admin",
  },
  {
    label: "item 2: OPNsense URL ending in a NUL",
    path: ["fortress:opnsense", "url"],
    value: "https://10.10.10.1\u0000",
  },
  {
    label: "item 4: OPNsense trunk with a shell character",
    path: ["fortress:opnsense", "trunk"],
    value: "igb1;reboot",
  },
];

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

/** Markers (private-use characters) for "put this before / after the original string". */
const BEFORE = "\uE000before\uE000";
const AFTER = "\uE000after\uE000";

const stringValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...WEIRD_STRINGS),
  fc.string({ unit: "grapheme", maxLength: 24 }),
  // Whitespace or unicode around the original value: a marker the edit replaces with it.
  fc
    .tuple(fc.constantFrom(" ", "\t", "\n", " ", "\u00a0", "é", "😀", "\u0000"), fc.boolean())
    .map(([affix, before]) => `${before ? BEFORE : AFTER}${affix}`),
);

const numberValue: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e-9,
    2 ** 31,
    2 ** 53 + 1,
    1e308,
    -1e308,
    Infinity,
    -Infinity,
    NaN,
    4095,
    4096,
  ),
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
  if (value.startsWith(BEFORE)) return `${value.slice(BEFORE.length)}${original}`;
  if (value.startsWith(AFTER)) return `${original}${value.slice(AFTER.length)}`;
  return value;
}

/** Names no schema has: a plain one, the names of Object.prototype, blank and non-ASCII ones. */
const UNKNOWN_KEYS = [
  "fuzzUnknownKey",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "",
  " ",
  "Key With Spaces",
  "ü",
  "0",
];

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
      const path = pickFrom(
        all.filter((p) => typeof get(tree, p) === "string"),
        edit.pick,
      );
      return at(path, false, path ? stringEdit(get(tree, path) as string, edit.text) : undefined);
    }
    case "number":
      return at(
        pickFrom(
          all.filter((p) => typeof get(tree, p) === "number"),
          edit.pick,
        ),
        false,
        edit.number,
      );
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
      const path = pickFrom(
        all.filter((p) => !secret(p)),
        edit.pick,
      );
      return at(path, true, path ? differentType(get(tree, path), edit.other) : undefined);
    }
    case "unknownKey": {
      const objects = [[], ...all.filter((p) => isObject(get(tree, p)) && !secret(p))];
      const path = pickFrom(objects, edit.pick);
      if (!path) return undefined;
      const name = UNKNOWN_KEYS[Math.floor(edit.pick / objects.length) % UNKNOWN_KEYS.length] as string;
      const key = path.length === 0 ? `${PREFIX}${name}` : name;
      return at([...path, key], true, edit.other);
    }
    case "renameKey": {
      const path = pickFrom(
        all.filter((p) => typeof p[p.length - 1] === "string"),
        edit.pick,
      );
      if (!path) return undefined;
      const value = get(tree, path);
      set(tree, path, undefined);
      const renamed = [...path.slice(0, -1), `${String(path[path.length - 1])}X`];
      set(tree, renamed, value);
      return { kind: edit.kind, path: renamed, mustRefuse: true };
    }
    case "plaintextSecret": {
      const path = pickFrom(
        all.filter((p) => p.length === 1 && secret(p)),
        edit.pick,
      );
      return at(path, true, path ? ((get(tree, path) as { secure: string }).secure as Json) : undefined);
    }
    case "secretPlainKey": {
      // Not a secret key stored in plaintext (a corpus case): making it secret would mend it.
      const secretKey = (p: Segment[]) => SECRET_KEYS.some((key) => p[0] === `${PREFIX}${key}`);
      const path = pickFrom(
        all.filter((p) => !secretKey(p) && !secret(p.slice(0, 1))),
        edit.pick,
      );
      return at(path, true, { secure: SECURE });
    }
    case "badValue": {
      const bad = BAD_VALUES[edit.pick % BAD_VALUES.length] as BadValue;
      if (!isObject(get(tree, bad.path.slice(0, -1)))) return undefined;
      set(tree, bad.path, structuredClone(bad.value));
      return { kind: edit.kind, path: bad.path, mustRefuse: true, badValue: bad.label };
    }
    case "noNodes":
      return at(
        pickFrom(
          [`${PREFIX}nodes`, `${PREFIX}networks`].filter((key) => key in tree).map((key) => [key]),
          edit.pick,
        ),
        true,
        [],
      );
  }
}

/** The seed with the edits applied, and what each did. */
export function mutate(seed: Seed, edits: readonly Edit[]): { config: Tree; applied: Applied[] } {
  const config = structuredClone(seed.config);
  const applied = edits.flatMap((edit) => applyEdit(config, edit) ?? []);
  return { config, applied };
}

export const describeApplied = (applied: readonly Applied[]): string =>
  applied
    .map(
      (edit) =>
        `${edit.kind} at ${edit.path.join(".")}${edit.badValue ? ` (${edit.badValue})` : ""}${edit.mustRefuse ? " (must be refused)" : ""}`,
    )
    .join("; ");
