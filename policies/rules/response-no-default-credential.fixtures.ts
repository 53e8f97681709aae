/**
 * The response layer as its components register it: the charts' secret settings as
 * components/response/values.ts renders them, MISP's compose file and install as misp/compose.ts and
 * misp/install.ts write them (the pack may not import the program: components/response/packChecks.test.ts
 * runs these builders with the components' own renderings and holds the two equal where it matters).
 */
import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";
import { JOB_TYPES, PRODUCT_CREDENTIALS } from "./response-no-default-credential";

const JOB_TYPE = [...JOB_TYPES].find((type) => type.includes("batch/v1:")) ?? [...JOB_TYPES][0]!;

export const response = layerComponent("response");

type Values = Record<string, unknown>;
const secretRef = (key: string) => ({ k8sSecretName: "thehive-secrets", k8sSecretKey: key });
/** TheHive's chart values that carry secrets, as theHiveValues renders them. */
export const plannedTheHiveValues = (): Values => ({
  thehive: {
    ...secretRef("http-secret"),
    database: { username: "thehive", ...secretRef("cassandra-password"), hostnames: ["thehive-cassandra"] },
    index: { username: "fortress-thehive", ...secretRef("index-password") },
    storage: { ...secretRef("s3-secret-key"), endpoint: "http://127.0.0.1:1" },
    cortex: { enabled: false },
    configFile: "storage {\n  provider = localfs\n}\n",
    volumes: [{ name: "files", persistentVolumeClaim: { claimName: "thehive-files" } }],
  },
  cassandra: {
    enabled: true,
    dbUser: { user: "thehive", existingSecret: "thehive-secrets" },
    persistence: { enabled: true },
  },
  elasticsearch: { enabled: false },
  minio: { enabled: false },
});
/** Cortex's, as cortexValues renders them. */
export const plannedCortexValues = (): Values => ({
  cortex: {
    index: { username: "fortress-cortex", k8sSecretName: "cortex-secrets", k8sSecretKey: "index-password" },
    k8sSecretName: "cortex-secrets",
    k8sSecretKey: "http-secret",
    persistentVolumeClaim: { create: false },
  },
  elasticsearch: { enabled: false },
});

/** MISP's install as install.ts writes it: the secrets into root-only env files, the compose file in a heredoc. */
export const plannedMispScript = (compose = MISP_COMPOSE) =>
  [
    "set -eu",
    "IFS= read -r mysqlPassword",
    'printf "MYSQL_PASSWORD=%s\\n" "$mysqlPassword" > "$work/core.env"',
    "cat > \"$work/compose.yaml\" <<'FORTRESS_COMPOSE'",
    compose.trimEnd(),
    "FORTRESS_COMPOSE",
  ].join("\n");
export const MISP_COMPOSE = `name: misp
services:
  redis:
    image: valkey/valkey:7.2.8
    command:
      - valkey-server
      - /usr/local/etc/valkey/valkey.conf
  db:
    image: mariadb:10.11.18
    env_file:
      - /opt/misp/db.env
    environment:
      MYSQL_USER: misp
  misp-core:
    image: ghcr.io/misp/misp-docker/misp-core:v2.5.42
    env_file:
      - /opt/misp/core.env
    environment:
      MYSQL_USER: misp
      DISABLE_PRINTING_PLAINTEXT_CREDENTIALS: 'true'
`;

export interface ProductOptions {
  /** Password ids to leave out. */
  readonly without?: readonly string[];
  readonly length?: number;
  readonly values?: Values;
  readonly script?: string;
  readonly installTakes?: "all" | "none";
  readonly secretData?: Record<string, unknown>;
}

/** A product component with its generated credentials, its replacing step and (TheHive, Cortex) its chart. */
export function product(
  type: typeof COMPONENT_TYPES.theHive | typeof COMPONENT_TYPES.cortex | typeof COMPONENT_TYPES.misp,
  name: string,
  options: ProductOptions = {},
): PlanResource[] {
  const spec = PRODUCT_CREDENTIALS[type]!;
  const component = planResource(
    type,
    name,
    type === COMPONENT_TYPES.misp ? { host: "misp-1" } : { hostname: `${name}.lab.example` },
    { parent: response },
  );
  const passwords = Object.keys(spec.passwords)
    .filter((id) => !(options.without ?? []).includes(id))
    .map((id) =>
      planResource(
        SDK_TYPES.randomPassword,
        `${name}-${id}`,
        { length: options.length ?? 32, special: false },
        { parent: component },
      ),
    );
  const resources = [component, ...passwords];
  if (type === COMPONENT_TYPES.misp) {
    resources.push(
      planResource(
        SDK_TYPES.commandRemote,
        `${name}-install`,
        { create: options.script ?? plannedMispScript(), stdin: "[secret]", logging: "none" },
        { parent: component, dependsOn: options.installTakes === "none" ? [] : passwords },
      ),
    );
    return resources;
  }
  const values =
    options.values ?? (type === COMPONENT_TYPES.theHive ? plannedTheHiveValues() : plannedCortexValues());
  resources.push(
    planResource(
      SDK_TYPES.k8sSecret,
      `${name}-secrets`,
      { stringData: options.secretData ?? { "http-secret": "[secret]" } },
      { parent: component },
    ),
    planResource(
      SDK_TYPES.helmChartV4,
      `${name}-chart`,
      { chart: type === COMPONENT_TYPES.theHive ? "thehive" : "cortex", version: "1.0.5", values },
      { parent: component },
    ),
    planResource(JOB_TYPE, `${name}-accounts`, { spec: {} }, { parent: component }),
  );
  return resources;
}

const hive = (options?: ProductOptions) => product(COMPONENT_TYPES.theHive, "response-thehive", options);
const cortex = (options?: ProductOptions) => product(COMPONENT_TYPES.cortex, "response-cortex", options);
const misp = (options?: ProductOptions) => product(COMPONENT_TYPES.misp, "misp", options);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures reach into nested values by path
export const withValues = (values: Values, change: (values: any) => void): Values => {
  const copy = JSON.parse(JSON.stringify(values)) as Values;
  change(copy);
  return copy;
};

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "TheHive, Cortex and MISP as the components register them",
      resources: [response, ...hive(), ...cortex(), ...misp()],
    },
    { name: "no response layer", resources: [response] },
  ],
  failing: [
    {
      name: "TheHive's chart without k8sSecretName: the chart writes its httpSecret placeholder",
      resources: [
        response,
        ...hive({ values: withValues(plannedTheHiveValues(), (v) => delete v.thehive.k8sSecretName) }),
      ],
    },
    {
      name: "Cortex's chart with the scenario's index password inline",
      resources: [
        response,
        ...cortex({
          values: withValues(
            plannedCortexValues(),
            (v) => (v.cortex.index.password = "C0rt3xOpenS3arch#2025"),
          ),
        }),
      ],
    },
    {
      name: "TheHive's chart with the Cassandra subchart keeping its password",
      resources: [
        response,
        ...hive({
          values: withValues(plannedTheHiveValues(), (v) => delete v.cassandra.dbUser.existingSecret),
        }),
      ],
    },
    {
      name: "a product Secret holding a known default (the capture's marker)",
      resources: [response, ...hive({ secretData: { "http-secret": SECRET_KNOWN_DEFAULT } })],
    },
    {
      name: "MISP without a random GPG passphrase",
      resources: [response, ...misp({ without: ["gpg-passphrase"] })],
    },
    { name: "MISP's install taking no credential", resources: [response, ...misp({ installTakes: "none" })] },
    {
      name: "MISP's compose file with misp-docker's MYSQL_PASSWORD fallback",
      resources: [
        response,
        ...misp({
          script: plannedMispScript().replace(
            "MYSQL_USER: misp",
            "MYSQL_USER: misp\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD:-example}",
          ),
        }),
      ],
    },
  ],
};
