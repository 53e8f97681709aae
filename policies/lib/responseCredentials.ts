/**
 * Reading the response layer's shipped credentials in what a plan carries: the values themselves in any
 * text, the variables misp-docker defaults when unset, the StrangeBee charts' secret settings, and the
 * compose files a command writes. Pure; the policy `response-no-default-credential` reports what these
 * find. Vendor facts are in vocabulary/credentials.ts (RESPONSE_DEFAULT_CREDENTIALS, each with its file).
 */
import * as yaml from "js-yaml";
import {
  MISP_DEFAULTED_VARIABLES,
  RESPONSE_DEFAULT_CREDENTIALS,
  type ShippedCredential,
} from "../../vocabulary/credentials";

type Values = Record<string, unknown>;
const asRecord = (value: unknown): Values | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Values) : undefined;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The shipped values long and odd enough to be the vendor's wherever they appear (`ChangeThis…`,
 * `redispassword`); the short ones (`admin`, `secret`, `example`) are judged only where a setting holds them.
 */
const DISTINCTIVE = RESPONSE_DEFAULT_CREDENTIALS.filter((entry) => entry.anywhere === true).map((entry) => ({
  entry,
  // A whole token: `redispassword`, not the word inside `redispasswordFile`.
  pattern: new RegExp(`(?<![A-Za-z0-9])${escape(entry.value)}(?![A-Za-z0-9])`),
}));

/** The distinctive shipped credentials `text` contains. */
export function distinctiveDefaultsIn(text: string): ShippedCredential[] {
  const seen = new Set<string>();
  return DISTINCTIVE.filter(
    ({ entry, pattern }) =>
      text.includes(entry.value) &&
      pattern.test(text) &&
      !seen.has(entry.value) &&
      seen.add(entry.value) !== undefined,
  ).map(({ entry }) => entry);
}

/**
 * The MISP variables `text` sets to their shipped value: `VAR=value` (env files, shell, compose lists),
 * `VAR: value` (compose maps), `${VAR:-value}` (compose and shell fallbacks), quoted or not.
 */
const ASSIGNMENTS = Object.entries(MISP_DEFAULTED_VARIABLES).map(([variable, value]) => ({
  variable,
  pattern: new RegExp(
    `(?:^|[^A-Za-z0-9_])${variable}(?:=|:-|:[ \\t]+)["']?${escape(value)}["']?(?=$|[\\s"'},;])`,
    "m",
  ),
}));

export function defaultedVariablesIn(text: string): string[] {
  return ASSIGNMENTS.filter(({ variable, pattern }) => text.includes(variable) && pattern.test(text)).map(
    ({ variable }) => variable,
  );
}

/** Deep merge of chart value sources, later ones winning (as Helm layers values). */
export function mergeValues(sources: readonly unknown[]): Values {
  const merge = (into: Values, from: Values): Values => {
    for (const [key, value] of Object.entries(from)) {
      const left = asRecord(into[key]);
      const right = asRecord(value);
      into[key] = left && right ? merge({ ...left }, right) : value;
    }
    return into;
  };
  return sources.reduce<Values>((all, source) => merge(all, asRecord(source) ?? {}), {});
}

const at = (values: Values, path: string): unknown =>
  path.split(".").reduce<unknown>((node, key) => asRecord(node)?.[key], values);
const named = (value: unknown) => typeof value === "string" && value.trim() !== "";
/** A subchart the chart enables unless told not to (`enabled: true` in both charts' values.yaml). */
const enabled = (values: Values, path: string) => at(values, `${path}.enabled`) !== false;

/**
 * What keeps a StrangeBee chart's shipped secrets: every `k8sSecretName` left empty makes the chart write
 * its own Secret from the inline value, whose default is the placeholder (thehive templates/secrets.yaml,
 * cortex templates/secrets.yaml at thehive-1.0.5 / cortex-1.2.0); an enabled subchart without
 * `existingSecret` keeps its own default (cassandra.dbUser.password, minio.rootPassword), and the
 * Elasticsearch subchart runs without any password unless its security is on.
 */
export function chartSecretProblems(chart: "thehive" | "cortex", values: Values): string[] {
  const problems: string[] = [];
  const secretNamed = (path: string, what: string) => {
    if (!named(at(values, `${path}.k8sSecretName`)))
      problems.push(`${path}.k8sSecretName is empty, so the chart writes ${what} from its inline value`);
  };
  if (chart === "thehive") {
    secretNamed("thehive", "TheHive's httpSecret (shipped ChangeThisSecretWithOneContainingAtLeast32Chars)");
    secretNamed("thehive.database", "Cassandra's password (shipped ChangeThisPasswordForCassandra)");
    secretNamed("thehive.index", "the index's password");
    secretNamed("thehive.storage", "the object storage's secret key (shipped ChangeThisPasswordForMinIO)");
    if (at(values, "thehive.cortex.enabled") === true) secretNamed("thehive.cortex", "the Cortex API keys");
    if (enabled(values, "cassandra") && !named(at(values, "cassandra.dbUser.existingSecret")))
      problems.push(
        "the Cassandra subchart is enabled without dbUser.existingSecret, so it keeps dbUser.password (shipped ChangeThisPasswordForCassandra)",
      );
    if (enabled(values, "minio") && !named(at(values, "minio.existingSecret")))
      problems.push(
        "the MinIO subchart is enabled without existingSecret, so it keeps rootPassword (shipped ChangeThisPasswordForMinIO)",
      );
  } else {
    secretNamed("cortex", "Cortex's httpSecret (shipped ChangeThisSecretWithOneContainingAtLeast32Chars)");
    secretNamed("cortex.index", "the index's password");
  }
  if (
    enabled(values, "elasticsearch") &&
    (at(values, "elasticsearch.security.enabled") !== true ||
      !named(at(values, "elasticsearch.security.existingSecret")))
  )
    problems.push(
      "the Elasticsearch subchart is enabled without security.enabled and security.existingSecret (the chart ships it with security off: no password at all)",
    );
  return problems;
}

/** The texts a plan string may carry a compose file in: itself, and each quoted heredoc of a script. */
function candidateDocuments(text: string): string[] {
  const documents = [text];
  for (const match of text.matchAll(/<<-?\s*'?"?([A-Za-z_][A-Za-z0-9_]*)'?"?\n([\s\S]*?)\n\1$/gm))
    if (match[2]) documents.push(match[2]);
  return documents;
}

interface ComposeService {
  readonly image: string;
  readonly environment: Values;
  readonly envFiles: number;
  readonly command: string;
}

function serviceOf(raw: unknown): ComposeService | undefined {
  const service = asRecord(raw);
  if (!service || typeof service.image !== "string") return undefined;
  const environment: Values = {};
  if (Array.isArray(service.environment))
    for (const entry of service.environment) {
      const [key, ...rest] = String(entry).split("=");
      if (key) environment[key] = rest.length > 0 ? rest.join("=") : undefined;
    }
  else Object.assign(environment, asRecord(service.environment) ?? {});
  const envFile = service.env_file;
  return {
    image: service.image,
    environment,
    envFiles: Array.isArray(envFile) ? envFile.length : envFile ? 1 : 0,
    command: Array.isArray(service.command) ? service.command.join(" ") : String(service.command ?? ""),
  };
}

/** The compose files (YAML with `services:`) in a plan string. */
export function composeFilesIn(text: string): Record<string, ComposeService>[] {
  if (!text.includes("services:")) return [];
  const files: Record<string, ComposeService>[] = [];
  for (const document of candidateDocuments(text)) {
    let parsed: unknown;
    try {
      parsed = yaml.load(document, { schema: yaml.JSON_SCHEMA });
    } catch {
      continue;
    }
    const services = asRecord(asRecord(parsed)?.services);
    if (!services) continue;
    const file: Record<string, ComposeService> = {};
    for (const [name, raw] of Object.entries(services)) {
      const service = serviceOf(raw);
      if (service) file[name] = service;
    }
    files.push(file);
  }
  return files;
}

/** The variables a service needs set (from an env file or to a value that is not the shipped one). */
const NEEDED: readonly { readonly image: RegExp; readonly variables: readonly string[] }[] = [
  {
    image: /misp-core/,
    variables: [
      "ADMIN_PASSWORD",
      "MYSQL_PASSWORD",
      "REDIS_PASSWORD",
      "GPG_PASSPHRASE",
      "SUPERVISOR_PASSWORD",
    ],
  },
  { image: /(^|\/)(mariadb|mysql)[:@]/, variables: ["MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"] },
];
const EMPTY_ALLOWED =
  /^(MYSQL_ALLOW_EMPTY_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD|ENABLE_REDIS_EMPTY_PASSWORD)$/;
const yes = (value: unknown) => /^(1|yes|true)$/i.test(String(value ?? "").trim());

/**
 * A compose service that leaves a password to its image's default: a MISP or MariaDB variable neither
 * given inline nor possibly in an env file, an empty-password switch on, a Valkey/Redis with no
 * `requirepass` on its command line and no config file to hold one.
 */
export function composeProblems(file: Record<string, ComposeService>): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(file)) {
    for (const [variable, value] of Object.entries(service.environment))
      if (EMPTY_ALLOWED.test(variable) && yes(value))
        problems.push(`compose service ${name} sets ${variable}: no password at all`);
    for (const rule of NEEDED.filter((entry) => entry.image.test(service.image)))
      for (const variable of rule.variables)
        if (!(variable in service.environment) && service.envFiles === 0)
          problems.push(
            `compose service ${name} (${service.image}) has neither ${variable} nor an env_file, so the image's shipped ${variable} applies`,
          );
    if (/(^|\/)(valkey|redis)[:@]/.test(service.image) && !/--requirepass\s|\.conf\b/.test(service.command))
      problems.push(
        `compose service ${name} (${service.image}) starts with no requirepass and no config file: Valkey without a password`,
      );
  }
  return problems;
}
