/**
 * The door: reads every `fortress:` key from the stack config, checks shape and meaning, and gives
 * back the lab model and its secrets, or throws one ConfigError naming every problem. Nothing is
 * registered before this returns.
 */
import { NOTIFY_SECRET_UNUSED, notifySecretNeeded } from "./monitoring";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { type LabModel, resolveLab } from "../lab";
import { ConfigError, type ConfigIssue, formatPath } from "./errors";
import { SALVAGEABLE_KEYS, salvageEntries, salvageFields } from "./salvage";
import { PLAIN_KEYS, type PlainConfig, type PlainKey, SECRET_KEYS, type SecretKey } from "./schema";
import { type ReadKeys, semanticIssues } from "./semantic";
import { type ProfileDecision, profileOf, withProfileDefaults } from "./profile";

export const NAMESPACE = "fortress";

/** Where config comes from: the Pulumi runtime in a real run and in the offline plan alike. */
export interface ConfigSource {
  /** Keys set under the namespace, without the `fortress:` prefix. */
  keys(): string[];
  raw(key: string): string | undefined;
  isSecret(key: string): boolean;
  secret(key: SecretKey): pulumi.Output<string>;
  /**
   * Problems the source found in the stack file itself, which the Pulumi CLI would have refused before
   * the program ran (the offline plan's `secure:` values that are not ciphertext).
   */
  problems?(): ConfigIssue[];
}

export function pulumiConfigSource(): ConfigSource {
  const config = new pulumi.Config(NAMESPACE);
  // Not in the SDK's typings, but what Config itself uses to tell secret keys apart.
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  const prefix = `${NAMESPACE}:`;
  return {
    keys: () =>
      Object.keys(pulumi.runtime.allConfig())
        .filter((key) => key.startsWith(prefix))
        .map((key) => key.slice(prefix.length)),
    raw: (key) => pulumi.runtime.getConfig(`${prefix}${key}`),
    isSecret: (key) => runtime.isConfigSecret?.(`${prefix}${key}`) ?? false,
    secret: (key) => config.requireSecret(key),
  };
}

export interface LabSecrets {
  readonly proxmoxApiToken: pulumi.Output<string>;
  readonly sshPrivateKey: pulumi.Output<string>;
  /** Absent only while the network layer is disabled. */
  readonly opnsenseApiKey?: pulumi.Output<string>;
  readonly opnsenseApiSecret?: pulumi.Output<string>;
  /** Only with platform.mode: existing. */
  readonly kubeconfig?: pulumi.Output<string>;
  /**
   * The containment key (a user with "Diagnostics: PF Table IP addresses" and "Diagnostics: Show
   * States" only, made by hand: components/response/containment/README.md); required while the
   * response layer contains (the `quarantine` service).
   */
  readonly containmentApiKey?: pulumi.Output<string>;
  readonly containmentApiSecret?: pulumi.Output<string>;
  /** The SMTP relay's password (fortress:monitoring.notify.email.username's). */
  readonly smtpPassword?: pulumi.Output<string>;
  /** A bearer token for the notification webhook (fortress:monitoring.notify.webhook). */
  readonly notifyWebhookToken?: pulumi.Output<string>;
  /** The S3-compatible storage's access key, with fortress:backup.s3. */
  readonly s3AccessKeyId?: pulumi.Output<string>;
  readonly s3SecretAccessKey?: pulumi.Output<string>;
}

export interface LoadedLab {
  readonly model: LabModel;
  readonly secrets: LabSecrets;
}

/** Structured config reaches the program as JSON text; anything else is taken as the string it is. */
function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function zodHint(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return "remove the key or fix its spelling";
    case "invalid_value":
      return `use one of: ${issue.values.map((value) => String(value)).join(", ")}`;
    case "invalid_type":
      return issue.input === undefined ? "set this value" : `give a ${issue.expected}`;
    case "invalid_key":
      return "rename the key";
    case "too_small":
      return issue.origin === "array" ? "add the missing entries" : "bring the value into range";
    case "too_big":
      return "bring the value into range";
    case "custom":
      return typeof issue.params?.hint === "string" ? issue.params.hint : "fix the value";
    default:
      return "fix the value";
  }
}

/** zod's message, except where it leaves out the value at fault. */
function zodMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_key":
      return issue.issues.map((inner) => inner.message).join("; ");
    case "invalid_value":
      return issue.input === undefined
        ? issue.message
        : `${JSON.stringify(issue.input)} is not a known value`;
    default:
      return issue.message;
  }
}

/**
 * Paths of keys named `__proto__`, which YAML and JSON.parse keep as keys. zod's records (`vms`,
 * `layers`) skip such a key without an issue (zod v4 core/schemas.js, $ZodRecord: "if (key ===
 * "__proto__") continue"), so the door reports it itself.
 */
function prototypeKeys(value: unknown, path: readonly PropertyKey[] = []): PropertyKey[][] {
  if (typeof value !== "object" || value === null) return [];
  const own = Object.prototype.hasOwnProperty.call(value, "__proto__") ? [[...path, "__proto__"]] : [];
  return [
    ...own,
    ...Object.entries(value).flatMap(([key, inner]) =>
      prototypeKeys(inner, [...path, Array.isArray(value) ? Number(key) : key]),
    ),
  ];
}

/** Keys an older Fortress took, by `<top-level key>.<field>` (list indexes left out), with what replaced them. */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
  "nodes.diskGb":
    "diskGb was the whole disk; give vmStorageGb, the size of the VM datastore on the node (local-lvm on a default install: `lvs pve/data`), see the README's Proxmox prerequisites",
  "lab.reserve.diskGb":
    "remove it: nodes[].vmStorageGb is the VM datastore alone, so nothing is reserved from it for Proxmox",
};

/** Hints for fields whose right value is read somewhere else, by `<top-level key>.<field>` (list indexes left out). */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  "proxmox.sshUser":
    "the Linux account Fortress logs in as over SSH on the nodes, e.g. root; not a Proxmox user such as root@pam",
  "nodes.sshHostKey":
    "copy the node's host key line: on the node, `cat /etc/ssh/ssh_host_ed25519_key.pub` (compare its fingerprint, `ssh-keygen -lf` on that file, with what your first ssh to the node showed)",
};

/** One issue per problem, at the path of the offending value: an unknown key is reported at the key itself. */
function fromZod(key: PlainKey, problem: z.core.$ZodIssue): ConfigIssue[] {
  const field = [key, ...problem.path.filter((part) => typeof part === "string")].join(".");
  const hint = FIELD_HINTS[field] ?? zodHint(problem);
  if (problem.code === "unrecognized_keys") {
    const parent = [key, ...problem.path.filter((part) => typeof part === "string")].join(".");
    return problem.keys.map((unknown) => ({
      path: formatPath([key, ...problem.path, unknown]),
      message: `unknown key ${JSON.stringify(unknown)}`,
      hint: RETIRED_KEYS[`${parent}.${unknown}`] ?? hint,
    }));
  }
  return [{ path: formatPath([key, ...problem.path]), message: zodMessage(problem), hint }];
}

const REQUIRED_KEYS: readonly PlainKey[] = ["lab", "proxmox", "nodes", "networks"];

function readPlainKeys(source: ConfigSource): ReadKeys & {
  issues: ConfigIssue[];
  decisions: ProfileDecision[];
} {
  const labText = source.raw("lab");
  const profile = profileOf(labText === undefined ? undefined : decode(labText));
  const platformText = source.raw("platform");
  const rawPlatform = platformText === undefined ? undefined : decode(platformText);
  const decisions: ProfileDecision[] = [];
  const values: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  const set = new Set<PlainKey>();
  const broken = new Set<PlainKey>();
  const indexes: Partial<Record<PlainKey, readonly number[]>> = {};
  const fields: Partial<Record<PlainKey, Readonly<Record<string, unknown>>>> = {};
  for (const key of Object.keys(PLAIN_KEYS) as PlainKey[]) {
    const text = source.raw(key);
    if (text !== undefined) set.add(key);
    if (text === undefined && REQUIRED_KEYS.includes(key)) {
      issues.push({
        path: key,
        message: "is not set",
        hint: `add fortress:${key} to Pulumi.<stack>.yaml (see the README's config reference)`,
      });
      continue;
    }
    if (text !== undefined && source.isSecret(key)) {
      issues.push({
        path: key,
        message: "holds a secure: value, which makes the whole key secret",
        hint: `keep secrets in their own keys: ${SECRET_KEYS.join(", ")}`,
      });
      broken.add(key);
      continue;
    }
    const filled = withProfileDefaults(
      key,
      text === undefined ? undefined : decode(text),
      profile,
      rawPlatform,
    );
    const input = filled.input;
    decisions.push(...filled.decisions);
    // reportInput: zodHint tells a missing value from a wrong one by the input.
    const result = PLAIN_KEYS[key].safeParse(input, { reportInput: true });
    const skipped = prototypeKeys(input)
      .map((path) => formatPath([key, ...path]))
      .map((path) => ({
        path,
        message: 'unknown key "__proto__"',
        hint: "remove the key or fix its spelling",
      }));
    if (result.success) {
      values[key] = result.data;
      issues.push(...skipped);
      continue;
    }
    const found = result.error.issues.flatMap((problem) => fromZod(key, problem));
    issues.push(...found, ...skipped.filter((issue) => !found.some((known) => known.path === issue.path)));
    if (text === undefined) continue;
    broken.add(key);
    const salvaged = SALVAGEABLE_KEYS.has(key) ? salvageEntries(PLAIN_KEYS[key], input) : undefined;
    if (salvaged) values[key] = salvaged.value;
    if (salvaged?.indexes) indexes[key] = salvaged.indexes;
    const sound = salvaged ? undefined : salvageFields(PLAIN_KEYS[key], input);
    if (sound) fields[key] = sound;
  }
  return { values: values as Partial<PlainConfig>, issues, set, broken, indexes, fields, decisions };
}

/**
 * Which secrets a config needs: OPNsense's while the network layer is on, a kubeconfig only for an
 * existing cluster. While the key that decides is broken, the secret is optional: no knock-on.
 */
function secretNeeded(key: SecretKey, { values, broken }: ReadKeys): "required" | "optional" | "unused" {
  if (key.startsWith("opnsense")) {
    if (broken.has("layers")) return "optional";
    return (values.layers?.network ?? true) ? "required" : "optional";
  }
  if (key.startsWith("containment")) {
    if (broken.has("layers") || broken.has("services")) return "optional";
    const contains = (values.layers?.response ?? true) && (values.services ?? []).includes("quarantine");
    return contains ? "required" : "optional";
  }
  if (key === "smtpPassword" || key === "notifyWebhookToken") {
    if (broken.has("monitoring") || broken.has("layers")) return "optional";
    return notifySecretNeeded(key, values.monitoring, values.layers?.monitoring ?? true);
  }
  if (key === "s3AccessKeyId" || key === "s3SecretAccessKey") {
    if (broken.has("backup")) return "optional";
    return values.backup?.s3 ? "required" : "unused";
  }
  if (key === "kubeconfig") {
    if (broken.has("platform")) return "optional";
    return values.platform?.mode === "existing" ? "required" : "unused";
  }
  return "required";
}

function secretHint(key: SecretKey): string {
  const set = `pulumi config set --secret fortress:${key} <value>`;
  if (key === "smtpPassword")
    return `fortress:monitoring.notify.email.username logs in to the relay: ${set}, or remove username if the relay takes mail without a login`;
  if (key === "s3AccessKeyId" || key === "s3SecretAccessKey")
    return `the access key of a bucket user that may list, read, write and delete under backup.s3.prefix only: ${set}; or remove backup.s3`;
  return key.startsWith("containment")
    ? `in OPNsense, make the user fortress-contain with only "Diagnostics: PF Table IP addresses" and "Diagnostics: Show States" and an API key for it (README, "The containment key"), then ${set}; or take quarantine out of fortress:services`
    : set;
}

function readSecretKeys(source: ConfigSource, keys: ReadKeys): ConfigIssue[] {
  return SECRET_KEYS.flatMap<ConfigIssue>((key) => {
    const need = secretNeeded(key, keys);
    if (source.raw(key) === undefined) {
      return need === "required" ? [{ path: key, message: "is not set", hint: secretHint(key) }] : [];
    }
    if (need === "unused") {
      return [
        key === "smtpPassword" || key === "notifyWebhookToken"
          ? { path: key, ...NOTIFY_SECRET_UNUSED[key] }
          : key === "s3AccessKeyId" || key === "s3SecretAccessKey"
            ? {
                path: key,
                message: "is set but not used: fortress:backup has no s3",
                hint: "add backup.s3 {endpoint, bucket}, or remove the key",
              }
            : {
                path: key,
                message: "is set but not used: Fortress builds its own k3s cluster",
                hint: "remove it, or set platform.mode: existing to use that cluster",
              },
      ];
    }
    return source.isSecret(key)
      ? []
      : [
          {
            path: key,
            message: "is stored in plaintext",
            hint: `store it encrypted: pulumi config set --secret fortress:${key} <value>`,
          },
        ];
  });
}

function unknownKeys(source: ConfigSource): ConfigIssue[] {
  const known = new Set<string>([...Object.keys(PLAIN_KEYS), ...SECRET_KEYS]);
  return source
    .keys()
    .filter((key) => !known.has(key))
    .map((key) => ({
      path: formatPath([key]),
      message: "is not a Fortress setting",
      hint: `known keys: ${[...known].join(", ")}`,
    }));
}

/** A stack with no `fortress:` key at all is one problem, not one per missing key. */
function noFortressKeys(source: ConfigSource): ConfigIssue[] | undefined {
  if (source.keys().length > 0) return undefined;
  return [
    {
      path: "*",
      message: "no fortress: key is set in this stack's config",
      hint: "select the stack that holds the lab (pulumi stack select), or start from Pulumi.home.yaml's config: block",
    },
  ];
}

/** Every problem of a config, without building anything. Empty means the lab can be built. */
export function validateConfig(source: ConfigSource): { issues: ConfigIssue[]; model?: LabModel } {
  const fileIssues = source.problems?.() ?? [];
  const empty = noFortressKeys(source);
  if (empty) return { issues: [...fileIssues, ...empty] };
  const keys = readPlainKeys(source);
  const labIssues = [...keys.issues, ...semanticIssues(keys)];
  // Placement and addresses need a sound lab description, but not the secrets or a clean key list:
  // those problems are reported beside capacity ones, in the same run.
  const otherIssues = [...fileIssues, ...unknownKeys(source), ...readSecretKeys(source, keys)];
  if (labIssues.length > 0) return { issues: [...labIssues, ...otherIssues] };
  const resolution = resolveLab(keys.values as PlainConfig);
  if (!resolution.ok) return { issues: [...resolution.issues, ...otherIssues] };
  const model = { ...resolution.lab, decisions: keys.decisions };
  return otherIssues.length > 0 ? { issues: otherIssues } : { issues: [], model };
}

export function loadLab(source: ConfigSource = pulumiConfigSource()): LoadedLab {
  const { issues, model } = validateConfig(source);
  if (!model) throw new ConfigError(issues);
  const present = SECRET_KEYS.filter((key) => source.raw(key) !== undefined);
  const secrets = Object.fromEntries(
    present.map((key) => [key, source.secret(key)]),
  ) as unknown as LabSecrets;
  return { model, secrets };
}
