import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { RESPONSE_DEFAULT_CREDENTIALS, SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";
import { k8sWorkloadTypes, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { CHART_TYPES, chartLabel, chartValuesOf } from "../lib/charts";
import { strangeBeeChart } from "../lib/chartState";
import { walkInputs } from "../lib/inputs";
import {
  chartSecretProblems,
  composeFilesIn,
  composeProblems,
  defaultedVariablesIn,
  distinctiveDefaultsIn,
  mergeValues,
} from "../lib/responseCredentials";
import { dependsOnResource } from "../lib/stack";

/** batch/v1 Job as the installed SDK names it (no patch). */
export const JOB_TYPES: ReadonlySet<string> = new Set(
  [...k8sWorkloadTypes(["Job"])].filter(([, workload]) => !workload.patch).map(([type]) => type),
);
/** The shortest generated password the policy accepts for a product's own login. */
export const MIN_PASSWORD_LENGTH = 20;

/**
 * Each product component and the generated credentials it must hold as children (`<name>-<id>`), by the
 * vendor setting each replaces. TheHive's shipped admin@thehive.local/secret and Cortex's credential-less
 * first user are replaced by their accounts Jobs (`<name>-accounts`); MISP's by its install, which must
 * take every credential on its stdin (it depends on each).
 */
export const PRODUCT_CREDENTIALS: Readonly<
  Record<
    string,
    {
      readonly product: string;
      readonly passwords: Readonly<Record<string, string>>;
      readonly by: "job" | "install";
    }
  >
> = {
  [COMPONENT_TYPES.theHive]: {
    product: "TheHive",
    passwords: {
      "admin-password": "the administrator's shipped password (secret)",
      "http-secret": "httpSecret",
    },
    by: "job",
  },
  [COMPONENT_TYPES.cortex]: {
    product: "Cortex",
    passwords: { "superadmin-password": "the first user's password", "http-secret": "httpSecret" },
    by: "job",
  },
  [COMPONENT_TYPES.misp]: {
    product: "MISP",
    passwords: {
      "admin-password": "ADMIN_PASSWORD (shipped admin)",
      "admin-key": "ADMIN_KEY",
      "mysql-password": "MYSQL_PASSWORD (shipped example)",
      "mysql-root-password": "MYSQL_ROOT_PASSWORD (shipped password)",
      "redis-password": "REDIS_PASSWORD (shipped redispassword)",
      "gpg-passphrase": "GPG_PASSPHRASE (shipped passphrase)",
      "supervisor-password": "SUPERVISOR_PASSWORD (shipped supervisor)",
      "encryption-key": "ENCRYPTION_KEY (shipped empty)",
    },
    by: "install",
  },
};

function descendants(component: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((resource) => {
    for (let parent = resource.parent, depth = 0; parent && depth < 50; parent = parent.parent, depth++)
      if (parent.urn === component.urn) return true;
    return false;
  });
}

/** A product component whose generated credentials or replacing step are missing. */
function componentProblems(component: PolicyResource, children: readonly PolicyResource[]): string[] {
  const spec = PRODUCT_CREDENTIALS[component.type];
  if (!spec) return [];
  const problems: string[] = [];
  const step = children.find(
    (child) =>
      child.name === `${component.name}-${spec.by === "job" ? "accounts" : "install"}` &&
      (spec.by === "job" ? JOB_TYPES.has(child.type) : child.type === SDK_TYPES.commandRemote),
  );
  if (!step)
    problems.push(
      `${spec.product} ${component.name} has no ${spec.by === "job" ? `accounts Job (${component.name}-accounts)` : `install (${component.name}-install)`} to replace its shipped credentials`,
    );
  for (const [id, setting] of Object.entries(spec.passwords)) {
    const password = children.find(
      (child) => child.type === SDK_TYPES.randomPassword && child.name === `${component.name}-${id}`,
    );
    if (!password) {
      problems.push(`${spec.product} ${component.name} has no random ${setting} (${component.name}-${id})`);
      continue;
    }
    const length = Number(password.props.length);
    if (!(length >= MIN_PASSWORD_LENGTH))
      problems.push(
        `${spec.product} ${component.name}'s ${setting} is ${length} characters, under ${MIN_PASSWORD_LENGTH}`,
      );
    if (spec.by === "install" && step && !dependsOnResource(step, password))
      problems.push(
        `${spec.product} ${component.name}'s install does not take ${setting} (it must come on its stdin)`,
      );
  }
  return problems;
}

const decoded = (value: string) => {
  if (!/^[A-Za-z0-9+/]{12,}={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, "base64").toString("utf8");
};

/** Shipped values in any input text (and in a Secret's base64 `data`), and MISP variables set to them. */
function textProblems(resource: PolicyResource, insideProduct: boolean): string[] {
  const problems = new Set<string>();
  walkInputs(resource.props, (key, value, path) => {
    if (insideProduct && value === SECRET_KNOWN_DEFAULT)
      problems.add(`${resource.name}'s ${path.join(".")} is a product's known default credential`);
    if (typeof value !== "string") return;
    const texts = [value];
    const secretValue =
      resource.type === SDK_TYPES.k8sSecret && (path[0] === "data" || path[0] === "stringData");
    if (secretValue && path[0] === "data") texts.push(decoded(value) ?? "");
    // A Secret's whole value equal to a shipped one (`admin-password: secret`), under a key that names no login.
    if (secretValue && path.length === 2 && !/user|login|email|name/i.test(key))
      for (const text of texts)
        for (const shipped of RESPONSE_DEFAULT_CREDENTIALS.filter(
          (entry) => !entry.anywhere && entry.value === text.trim(),
        ))
          problems.add(
            `${resource.name}'s ${path.join(".")} is ${shipped.product}'s shipped ${shipped.setting} (${shipped.source})`,
          );
    for (const text of texts) {
      for (const shipped of distinctiveDefaultsIn(text))
        problems.add(
          `${resource.name} carries ${shipped.product}'s shipped ${shipped.setting} (${shipped.source})`,
        );
      for (const variable of defaultedVariablesIn(text))
        problems.add(`${resource.name} sets ${variable} to misp-docker's shipped value`);
      for (const file of composeFilesIn(text))
        for (const problem of composeProblems(file)) problems.add(`${resource.name}: ${problem}`);
    }
  });
  return [...problems];
}

export const responseNoDefaultCredential: StackValidationPolicy = {
  name: "response-no-default-credential",
  description:
    "No shipped credential of TheHive, Cortex, MISP, MariaDB, Valkey, Cassandra or MinIO anywhere in the plan (vocabulary/credentials.ts RESPONSE_DEFAULT_CREDENTIALS, each from the vendor's file): not in any input, rendered file or script, not as a MISP variable set to misp-docker's fallback; TheHive's and Cortex's charts name a Secret for every secret setting and enabled subchart (else the chart writes its placeholder); a compose file leaves no MISP or MariaDB password to its image's default and no Valkey without one; and each product component holds its generated credentials (at least 20 characters) and the step that replaces the shipped ones (TheHive's and Cortex's accounts Jobs, MISP's install taking every credential on stdin).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const products = args.resources.filter((resource) => PRODUCT_CREDENTIALS[resource.type] !== undefined);
    const insideProduct = new Set<string>();
    for (const product of products) {
      const children = descendants(product, args.resources);
      for (const child of children) insideProduct.add(child.urn);
      for (const problem of componentProblems(product, children)) reportViolation(problem, product.urn);
    }
    for (const resource of args.resources) {
      const chart = CHART_TYPES.has(resource.type) ? strangeBeeChart(resource.props) : undefined;
      if (chart) {
        const values = mergeValues(chartValuesOf(resource).sources.map((source) => source.values));
        for (const problem of chartSecretProblems(chart, values))
          reportViolation(`${chartLabel(resource)}: ${problem}`, resource.urn);
      }
      for (const problem of textProblems(resource, insideProduct.has(resource.urn)))
        reportViolation(problem, resource.urn);
    }
  },
};
