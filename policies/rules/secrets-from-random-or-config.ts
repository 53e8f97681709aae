import type { StackValidationPolicy } from "@pulumi/policy";
import { withEmbeddedResources } from "../lib/embedded";
import * as yaml from "js-yaml";
import {
  containsKnownDefaultHash,
  KNOWN_DEFAULT_CREDENTIALS,
  SECRET_KNOWN_DEFAULT,
} from "../../vocabulary/credentials";
import { RANDOM_PACKAGE, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { isRedactedPlan, REDACTED } from "../lib/resources";

const K8S_CORE_OBJECTS = new Map([
  [SDK_TYPES.k8sSecret, "Secret"],
  [SDK_TYPES.k8sConfigMap, "ConfigMap"],
]);

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
/** Last words of a key that hold a credential: `DB_PASS`, `mysqlRootPwd`, `ADMIN_PW`, `wifi-psk`. */
const CREDENTIAL_LAST_WORDS = new Set(["pass", "pwd", "pw", "psk", "otp", "passwd"]);
/**
 * Keys that name a credential elsewhere rather than hold it: a chart's `existingSecret…` settings and the
 * `…PasswordKey` / `…TokenKey` names of the keys inside that Secret (bitnami's `existingSecretPasswordKey`,
 * `secretKeys.adminPasswordKey`), `…KeyRef`. A bare `secretKey` (S3, MinIO) stays a credential.
 */
const REFERENCE_KEY = /^existingsecret|(password|passwd|pass|pwd|token|secret)keys?$|keyref$|secretkeys$/;
const NOT_REFERENCES = new Set(["secretkey"]);

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
  // An endpoint where a credential is fetched (OAuth's `token_url`), not the credential; a password in
  // its userinfo is still one (URL_PASSWORD).
  "url",
  "uri",
];
/** Credentials products ship with (vocabulary/credentials.ts), none of which may survive a deployment. */
export const DEFAULT_KNOWN_DEFAULTS: readonly string[] = KNOWN_DEFAULT_CREDENTIALS;

const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");

interface Settings {
  readonly allowedKeys: ReadonlySet<string>;
  readonly allowedSuffixes: readonly string[];
  readonly knownDefaults: ReadonlySet<string>;
  /** looksLikeCredential's answers by key: a plan repeats the same few hundred keys thousands of times. */
  readonly verdicts?: Map<string, boolean>;
}

/** The words of a key: `DB_PASS` → db, pass; `mysqlRootPwd` → mysql, root, pwd. */
const wordsOf = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");

export function looksLikeCredential(
  key: string,
  settings: Pick<Settings, "allowedKeys" | "allowedSuffixes" | "verdicts">,
): boolean {
  const known = settings.verdicts?.get(key);
  if (known !== undefined) return known;
  const verdict = judgeKey(key, settings);
  settings.verdicts?.set(key, verdict);
  return verdict;
}

function judgeKey(key: string, settings: Pick<Settings, "allowedKeys" | "allowedSuffixes">): boolean {
  const normalized = normalize(key);
  if (settings.allowedKeys.has(normalized)) return false;
  if (REFERENCE_KEY.test(normalized) && !NOT_REFERENCES.has(normalized)) return false;
  if (CREDENTIAL_LAST_WORDS.has(wordsOf(key).at(-1) ?? "")) return true;
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

/**
 * A key that names or describes a credential (its id, algorithm, policy …) rather than holding it, or
 * points at the Secret that holds it (`adminToken: { existingSecret, existingSecretKey }`).
 */
function describesCredential(
  key: string,
  settings: Pick<Settings, "allowedKeys" | "allowedSuffixes">,
): boolean {
  const normalized = normalize(key);
  return (
    settings.allowedKeys.has(normalized) ||
    (REFERENCE_KEY.test(normalized) && !NOT_REFERENCES.has(normalized)) ||
    settings.allowedSuffixes.some((suffix) => normalized.endsWith(suffix))
  );
}

/** A URL's userinfo password: `scheme://user:password@`. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/gi;
/** Keys that name a user, whose secret value may equal a product's user name (`admin`) without being its password. */
const USER_KEY = /^(user(name)?|login|account|email)$/i;

/** A string that carries YAML with `name:`/`value:` pairs: an env list a chart takes as text (`extraEnv: |`). */
const EMBEDDED_ENV = /\n[\s-]*value:/;
function embeddedYaml(text: string): unknown {
  try {
    return yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch {
    return undefined;
  }
}

interface Finding {
  readonly path: string;
  readonly problem: "default" | "plaintext" | "configmap";
  readonly value: string;
}

/** Keys of a Secret that hold public connection data, not a credential. */
const PUBLIC_SECRET_KEYS = new Set(
  [
    "username",
    "user",
    "host",
    "hostname",
    "port",
    "url",
    "uri",
    "database",
    "db",
    "email",
    "realm",
    "issuer",
    "endpoint",
    "ca.crt",
    "tls.crt",
    "ca.pem",
  ].map(normalize),
);
/** `password=…`, `db.password: …`, `export API_TOKEN=…` lines of a file a ConfigMap carries. */
const CONFIG_LINE = /^[ \t{]*(?:export[ \t]+)?["']?([\w.-]+)["']?[ \t]*[:=][ \t]*(.*?)[ \t,]*$/gm;
/**
 * A value that refers to something else: `${VAR}`, `$(VAR)`, `{{ template }}`, `%(name)s`, Grafana's
 * `$__env{VAR}`/`$__file{path}`/`$__vault{…}` (grafana/grafana pkg/setting expanders, also applied to
 * provisioning files: pkg/services/provisioning/values/values.go `interpolateValue`), empty.
 */
const REFERENCE_VALUE =
  /^["']?(\$\{.*\}|\$\(.*\)|\{\{.*\}\}|%\(.*\)s|<.*>|\$__(?:env|file|vault)\{[^}]+\})?["']?$/;

/**
 * Vector's reference to a secret backend, `SECRET[<backend>.<key>]`, resolved by Vector when it loads
 * its configuration (vectordotdev/vector@v0.57.0 src/config/loading/secret.rs `COLLECTOR`): the
 * credential is in the backend (a Secret's files), not in the value.
 */
const VECTOR_SECRET_REFERENCE = /^SECRET\[[\w.-]+\]$/;

const decodeBase64 = (text: string) => Buffer.from(text, "base64").toString("utf8");
/** The entries of a map input; none when it is a whole secret (`[secret]`) or not a map. */
const entriesOf = (value: unknown): [string, unknown][] =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : [];

/**
 * What ConfigMaps and Secrets add: a ConfigMap holds no credential at all (ConfigMaps are not encrypted at
 * rest and more roles read them), neither under a credential key nor as a line of a file it carries; a
 * Secret's stringData and data are credentials whatever their key, but for the public connection keys.
 */
function k8sObjectFindings(
  kind: string | undefined,
  props: Record<string, unknown>,
  settings: Settings,
  offline: boolean,
): Finding[] {
  const found: Finding[] = [];
  if (kind === "ConfigMap") {
    for (const field of ["data", "binaryData"]) {
      for (const [key, value] of entriesOf(props[field])) {
        if (looksLikeCredential(key, settings))
          found.push({ path: `${field}.${key}`, problem: "configmap", value: "" });
        else if (typeof value === "string") {
          for (const [, name = "", text = ""] of value.matchAll(CONFIG_LINE)) {
            if (looksLikeCredential(name, settings) && !REFERENCE_VALUE.test(text.trim()))
              found.push({ path: `${field}.${key} (line ${name})`, problem: "configmap", value: "" });
          }
        }
      }
    }
  }
  if (kind === "Secret") {
    for (const field of ["stringData", "data"]) {
      for (const [key, value] of entriesOf(props[field])) {
        if (typeof value !== "string" || value === "" || value === REDACTED || value === SECRET_KNOWN_DEFAULT)
          continue;
        if (
          looksLikeCredential(key, settings) ||
          PUBLIC_SECRET_KEYS.has(normalize(key)) ||
          USER_KEY.test(wordsOf(key).at(-1) ?? "")
        )
          continue;
        const text = field === "data" ? decodeBase64(value) : value;
        if (settings.knownDefaults.has(text.trim().toLowerCase()))
          found.push({ path: `${field}.${key}`, problem: "default", value: text });
        else if (offline) found.push({ path: `${field}.${key}`, problem: "plaintext", value: text });
      }
    }
  }
  return found;
}

/** `{ key, path }` with at most a `mode` beside: Kubernetes' KeyToPath. */
function isKeyToPath(node: object): boolean {
  const keys = Object.keys(node);
  const { key, path } = node as { key?: unknown; path?: unknown };
  return (
    typeof key === "string" &&
    typeof path === "string" &&
    keys.every((name) => name === "key" || name === "path" || name === "mode")
  );
}

/** Credential-looking values under `value`: those equal to a known default, and (offline) those not redacted. */
function findings(value: unknown, settings: Settings, offline: boolean): Finding[] {
  const found: Finding[] = [];
  const judge = (text: string, path: string) => {
    // A reference to where the credential is (an env variable, a file, a Vector secret backend) is not the credential.
    if (
      text === "" ||
      text === REDACTED ||
      REFERENCE_VALUE.test(text.trim()) ||
      VECTOR_SECRET_REFERENCE.test(text)
    )
      return;
    if (settings.knownDefaults.has(text.trim().toLowerCase()))
      found.push({ path, problem: "default", value: text });
    else if (offline) found.push({ path, problem: "plaintext", value: text });
  };
  const visit = (node: unknown, path: string, credential: boolean) => {
    if (typeof node === "string") {
      // A shipped demo user's bcrypt hash (internal_users.yml), under any key and inside any file.
      if (containsKnownDefaultHash(node)) {
        found.push({ path, problem: "default", value: "" });
        return;
      }
      // The capture checked this secret against the known defaults before it redacted it.
      if (node === SECRET_KNOWN_DEFAULT) {
        if (!USER_KEY.test(path.slice(path.lastIndexOf(".") + 1)))
          found.push({ path, problem: "default", value: "" });
      } else if (credential) judge(node, path);
      else if (node.includes("://")) {
        // `postgres://user:password@host/db`: the password in the URL's userinfo is a credential.
        for (const match of node.matchAll(URL_PASSWORD)) {
          const password = match[1] ?? "";
          if (!REFERENCE_VALUE.test(password))
            judge(decodeURIComponent(password), `${path} (password in a URL)`);
        }
      } else if (EMBEDDED_ENV.test(node)) visit(embeddedYaml(node), `${path} (embedded YAML)`, false);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`, credential));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    // A volume's key projection (`secret.items[]`, `projected.sources[].secret.items[]`: KeyToPath in
    // k8s.io/api core/v1) names a key of a Secret and the file it becomes: a reference, not a credential.
    if (isKeyToPath(node)) return;
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

function messageOf(name: string, finding: Finding): string {
  if (finding.problem === "configmap")
    return `${name} carries a credential in ConfigMap ${finding.path}, which is neither encrypted at rest nor kept from roles that read configuration: move it to a Secret fed from random.RandomPassword or secret config, and reference it (secretKeyRef, existingSecret)`;
  if (finding.problem === "plaintext")
    return `${name} sets ${finding.path} in plaintext, so it lands unencrypted in the state: pass it as a secret, from random.RandomPassword or config.requireSecret`;
  // A secret's value is never printed: the capture records only that it matched.
  const what = finding.value === "" ? "to a secret that equals" : `to "${finding.value}",`;
  return `${name} sets ${finding.path} ${what} a known product default credential: generate it with random.RandomPassword or set it with pulumi config set --secret`;
}

const stringList = (value: unknown, fallback: readonly string[]) =>
  Array.isArray(value) ? value.map(String) : [...fallback];

export const secretsFromRandomOrConfig: StackValidationPolicy = {
  name: "secrets-from-random-or-config",
  description:
    "Every credential-looking input is a secret (from a random:* resource or secret config), and none is a product's known default, not even a secret one (the offline capture checks secrets before it redacts them, `pulumi preview` hands them over). Credential keys in their usual spellings (password, passwd, *_PASS, *_PWD, token, apiKey, secretKey…, any case), env lists (also as embedded YAML), Helm values, a Secret's stringData and data (every key but the public connection ones), and no credential in a ConfigMap at all, neither as a key nor as a line of a file it carries. References are not credentials: existingSecret and its *PasswordKey names, secretKeyRef, secretName.",
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
      verdicts: new Map(),
    };
    // Offline, secret values read "[secret]", so anything else is plaintext. `pulumi preview` hands policies
    // secrets unwrapped, so there only the known defaults can be told apart.
    const offline = isRedactedPlan(args.resources);
    for (const resource of withEmbeddedResources(args.resources)) {
      if (resource.type.startsWith(`${RANDOM_PACKAGE}:`)) continue;
      const kind = K8S_CORE_OBJECTS.get(resource.type);
      for (const finding of [
        ...findings(resource.props, settings, offline),
        ...k8sObjectFindings(kind, resource.props, settings, offline),
      ]) {
        reportViolation(messageOf(resource.name, finding), resource.urn);
      }
    }
  },
};
