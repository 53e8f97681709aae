import type { StackValidationPolicy } from "@pulumi/policy";
import { RANDOM_PACKAGE } from "../../vocabulary/sdkTypes";
import { isRedactedPlan, REDACTED } from "../lib/resources";

/** Fragments of a key (lowercased, separators dropped) that make it look like it holds a credential. */
const CREDENTIAL_FRAGMENTS = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "credential",
  "privatekey",
  "apikey",
  "accesskey",
  "authkey",
  "encryptionkey",
  "masterkey",
  "signingkey",
  "sharedkey",
];
const CREDENTIAL_KEYS = ["pass", "pwd", "psk", "otp"];

/** Keys that look like credentials but hold public or reference data. */
export const DEFAULT_ALLOWED_KEYS = [
  "sshPublicKey",
  "sshPublicKeys",
  "publicKey",
  "publicKeys",
  "ssh_authorized_keys",
  "authorizedKeys",
  "keys",
  "tokenId",
  "tokenName",
  "checksum",
  "checksumAlgorithm",
  "privilegesSeparation",
  "lock_passwd",
  "ssh_pwauth",
  "passwordAuthentication",
  "existingSecret",
  "secretName",
  "secretRef",
  "secretKeyRef",
  "secretRefs",
];
/** Endings of keys that name, point at or describe a credential rather than hold one. */
export const DEFAULT_ALLOWED_SUFFIXES = [
  "id",
  "name",
  "file",
  "path",
  "ref",
  "ttl",
  "length",
  "policy",
  "expiration",
  "expiry",
  "expires",
  "enabled",
  "algorithm",
  "encoding",
  "format",
  "size",
  "type",
  "auth",
  "authentication",
];
/** Credentials products ship with (DESIGN.md §4), none of which may survive a deployment. */
export const DEFAULT_KNOWN_DEFAULTS = [
  "SecretPassword",
  "kibanaserver",
  "MyS3cr37P450r.*-",
  "admin",
  "password",
  "changeme",
  "wazuh",
  "secret",
];

const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");

interface Settings {
  readonly allowedKeys: ReadonlySet<string>;
  readonly allowedSuffixes: readonly string[];
  readonly knownDefaults: ReadonlySet<string>;
}

export function looksLikeCredential(
  key: string,
  settings: Pick<Settings, "allowedKeys" | "allowedSuffixes">,
) {
  const normalized = normalize(key);
  if (settings.allowedKeys.has(normalized)) return false;
  if (
    !CREDENTIAL_KEYS.includes(normalized) &&
    !CREDENTIAL_FRAGMENTS.some((part) => normalized.includes(part))
  ) {
    return false;
  }
  return !settings.allowedSuffixes.some(
    (suffix) =>
      normalized.endsWith(suffix) && !CREDENTIAL_FRAGMENTS.some((part) => normalized.endsWith(part)),
  );
}

/** A key that names or describes a credential (its id, algorithm, policy …) rather than holding it. */
function describesCredential(
  key: string,
  settings: Pick<Settings, "allowedKeys" | "allowedSuffixes">,
): boolean {
  const normalized = normalize(key);
  return (
    settings.allowedKeys.has(normalized) ||
    settings.allowedSuffixes.some((suffix) => normalized.endsWith(suffix))
  );
}

interface Finding {
  readonly path: string;
  readonly problem: "default" | "plaintext";
  readonly value: string;
}

/** Credential-looking values under `value`: those equal to a known default, and (offline) those not redacted. */
function findings(value: unknown, settings: Settings, offline: boolean): Finding[] {
  const found: Finding[] = [];
  const judge = (text: string, path: string) => {
    if (text === "" || text === REDACTED) return;
    if (settings.knownDefaults.has(text.trim().toLowerCase()))
      found.push({ path, problem: "default", value: text });
    else if (offline) found.push({ path, problem: "plaintext", value: text });
  };
  const visit = (node: unknown, path: string, credential: boolean) => {
    if (typeof node === "string") {
      if (credential) judge(node, path);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`, credential));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const entries = Object.entries(node as Record<string, unknown>);
    // An environment variable as `{ name, value }`: the name says whether the value is a credential.
    const envName = (node as { name?: unknown }).name;
    const envCredential =
      typeof envName === "string" && "value" in node && looksLikeCredential(envName, settings);
    for (const [key, item] of entries) {
      if (key === "__provider") continue;
      const itemPath = path === "" ? key : `${path}.${key}`;
      // Inside a credential (`privateKey: { algorithm, rotationPolicy }`) a key that describes it is not one.
      const inherited = credential && !describesCredential(key, settings);
      visit(
        item,
        itemPath,
        inherited || looksLikeCredential(key, settings) || (envCredential && key === "value"),
      );
    }
  };
  visit(value, "", false);
  return found;
}

const stringList = (value: unknown, fallback: readonly string[]) =>
  Array.isArray(value) ? value.map(String) : [...fallback];

export const secretsFromRandomOrConfig: StackValidationPolicy = {
  name: "secrets-from-random-or-config",
  description:
    "Every credential-looking input is a secret (from a random:* resource or secret config), and none is a product's known default.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedKeys: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ALLOWED_KEYS,
        description:
          "Keys that look like credentials but hold public or reference data (case and _/- ignored).",
      },
      allowedKeySuffixes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ALLOWED_SUFFIXES,
        description:
          "Key endings that name or point at a credential rather than hold one (tokenId, secretName…).",
      },
      knownDefaults: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_KNOWN_DEFAULTS,
        description: "Product default credentials no credential input may equal (case ignored).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{
      allowedKeys?: unknown;
      allowedKeySuffixes?: unknown;
      knownDefaults?: unknown;
    }>();
    const settings: Settings = {
      allowedKeys: new Set(stringList(config.allowedKeys, DEFAULT_ALLOWED_KEYS).map(normalize)),
      allowedSuffixes: stringList(config.allowedKeySuffixes, DEFAULT_ALLOWED_SUFFIXES).map(normalize),
      knownDefaults: new Set(
        stringList(config.knownDefaults, DEFAULT_KNOWN_DEFAULTS).map((value) => value.toLowerCase()),
      ),
    };
    // Offline, secret values read "[secret]", so anything else is plaintext. `pulumi preview` hands policies
    // secrets unwrapped, so there only the known defaults can be told apart.
    const offline = isRedactedPlan(args.resources);
    for (const resource of args.resources) {
      if (resource.type.startsWith(`${RANDOM_PACKAGE}:`)) continue;
      for (const finding of findings(resource.props, settings, offline)) {
        reportViolation(
          finding.problem === "default"
            ? `${resource.name} sets ${finding.path} to "${finding.value}", a known product default credential: generate it with random.RandomPassword or set it with pulumi config set --secret`
            : `${resource.name} sets ${finding.path} in plaintext, so it lands unencrypted in the state: pass it as a secret, from random.RandomPassword or config.requireSecret`,
          resource.urn,
        );
      }
    }
  },
};
