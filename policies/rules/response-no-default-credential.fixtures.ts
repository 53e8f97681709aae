/**
 * The response layer as its components register it, built from their own pure renderers
 * (components/response/values.ts theHiveValues/cortexValues, misp/compose.ts renderCompose,
 * misp/install.ts installScript) and resource names, so the fixtures follow the components.
 */
import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";
import { cortexValues, theHiveValues } from "../../components/response/values";
import { renderCompose } from "../../components/response/misp/compose";
import { installScript } from "../../components/response/misp/install";
import { MISP_PROGRAM } from "../../components/response/misp/mispProgram";
import { PRODUCT_CREDENTIALS } from "./response-no-default-credential";

export const response = layerComponent("response");
const JOB_TYPE = "kubernetes:batch/v1:Job";
const indexer = { host: "wazuh-indexer.fortress-siem.svc", port: 9200, username: "fortress-thehive" };

type Values = Record<string, any>;
export const realTheHiveValues = (): Values =>
  theHiveValues({
    storageClass: "fortress-local",
    indexer,
    truststoreSecret: "thehive-tls",
    filesClaim: "thehive-files",
  }) as Values;
export const realCortexValues = (): Values =>
  cortexValues({
    indexer: { ...indexer, username: "fortress-cortex" },
    truststoreSecret: "cortex-tls",
  }) as Values;

export const realMispScript = (compose?: string) =>
  installScript({
    compose:
      compose ??
      renderCompose({
        bindAddress: "10.10.30.20",
        fqdn: "misp.lab.example",
        adminEmail: "admin@lab.example",
        adminOrg: "Fortress",
      }),
    certificatePem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
    caCertificatePem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----",
    program: MISP_PROGRAM,
  });

export interface ProductOptions {
  /** Password ids to leave out. */
  readonly without?: readonly string[];
  readonly length?: number;
  readonly values?: Values;
  readonly script?: string;
  readonly installTakes?: "all" | "none";
  readonly secretData?: Record<string, unknown>;
  readonly credentialSource?: string;
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
    type === COMPONENT_TYPES.misp
      ? { host: "misp-1", credentialSource: options.credentialSource ?? "random" }
      : { hostname: `${name}.lab.example` },
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
        { create: options.script ?? realMispScript(), stdin: "[secret]", logging: "none" },
        { parent: component, dependsOn: options.installTakes === "none" ? [] : passwords },
      ),
    );
    return resources;
  }
  const values =
    options.values ?? (type === COMPONENT_TYPES.theHive ? realTheHiveValues() : realCortexValues());
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

export const withValues = (values: Values, change: (values: Values) => void): Values => {
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
        ...hive({ values: withValues(realTheHiveValues(), (v) => delete v.thehive.k8sSecretName) }),
      ],
    },
    {
      name: "Cortex's chart with the scenario's index password inline",
      resources: [
        response,
        ...cortex({
          values: withValues(realCortexValues(), (v) => (v.cortex.index.password = "C0rt3xOpenS3arch#2025")),
        }),
      ],
    },
    {
      name: "TheHive's chart with the Cassandra subchart keeping its password",
      resources: [
        response,
        ...hive({ values: withValues(realTheHiveValues(), (v) => delete v.cassandra.dbUser.existingSecret) }),
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
          script: realMispScript().replace(
            "MYSQL_USER: misp",
            "MYSQL_USER: misp\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD:-example}",
          ),
        }),
      ],
    },
  ],
};
