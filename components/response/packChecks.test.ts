/**
 * The pack's response-layer checks run on the components' own renderings (the pack may not import the
 * program, so its fixtures are hand-built: these tests hold them to what the components render and show
 * that each check refuses the real thing once a protection is taken away).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../../policies/lib/offline";
import { containmentKeyLeastPrivilege } from "../../policies/rules/containment-key-least-privilege";
import { step } from "../../policies/rules/containment-key-least-privilege.fixtures";
import { responseNoDefaultCredential } from "../../policies/rules/response-no-default-credential";
import {
  plannedCortexValues,
  plannedTheHiveValues,
  product,
  response,
} from "../../policies/rules/response-no-default-credential.fixtures";
import { stateProtectedAndBackedUp } from "../../policies/rules/state-protected-and-backed-up";
import {
  CORTEX_JOBS_CLAIM as FIXTURE_JOBS_CLAIM,
  cortexChartValues,
  hiveValues,
  responseCharts,
} from "../../policies/rules/state-protected-and-backed-up.fixtures";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { renderContainConfig } from "./containment/program";
import { renderCompose } from "./misp/compose";
import { installScript } from "./misp/install";
import { MISP_PROGRAM } from "./misp/mispProgram";
import { CORTEX_JOBS_CLAIM, cortexValues, theHiveValues } from "./values";

type Values = Record<string, any>;
const indexer = { host: "wazuh-indexer.fortress-siem.svc", port: 9200, username: "fortress-thehive" };
const realHive = (): Values =>
  theHiveValues({
    storageClass: "fortress-local",
    indexer,
    truststoreSecret: "thehive-tls",
    filesClaim: "thehive-files",
  }) as Values;
const realCortex = (): Values =>
  cortexValues({
    indexer,
    truststoreSecret: "cortex-tls",
    catalogConfigMap: "cortex-neuron-catalog",
  }) as Values;
const realMispScript = (change: (compose: string) => string = (compose) => compose) =>
  installScript({
    compose: change(
      renderCompose({
        bindAddress: "10.10.30.20",
        fqdn: "misp.lab.example",
        adminEmail: "admin@lab.example",
        adminOrg: "Fortress",
      }),
    ),
    certificatePem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
    caCertificatePem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----",
    program: MISP_PROGRAM,
  });
const pick = (values: Values, paths: readonly string[]) =>
  Object.fromEntries(paths.map((path) => [path, path.split(".").reduce((node, key) => node?.[key], values)]));

const credentials = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([responseNoDefaultCredential], [response, ...resources])).map((v) => v.message);
const state = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([stateProtectedAndBackedUp], resources)).map((v) => v.message);

describe("the pack's response-layer checks on the components' own renderings", () => {
  it("hand-built fixtures carry what the components render, where the checks look", () => {
    const secretPaths = [
      "thehive.k8sSecretName",
      "thehive.database.k8sSecretName",
      "thehive.index.k8sSecretName",
      "thehive.storage.k8sSecretName",
      "cassandra.dbUser.existingSecret",
      "minio.enabled",
      "elasticsearch.enabled",
    ];
    assert.deepEqual(pick(plannedTheHiveValues(), secretPaths), pick(realHive(), secretPaths));
    const cortexPaths = ["cortex.k8sSecretName", "cortex.index.k8sSecretName", "elasticsearch.enabled"];
    assert.deepEqual(pick(plannedCortexValues(), cortexPaths), pick(realCortex(), cortexPaths));
    const claims = (values: Values) =>
      (values.thehive.volumes as Values[]).flatMap((volume) => volume.persistentVolumeClaim?.claimName ?? []);
    assert.deepEqual(claims(hiveValues()), claims(realHive()));
    assert.match(realHive().thehive.configFile, /provider = localfs/);
    const statePaths = ["cassandra.persistence.enabled", "minio.enabled", "elasticsearch.enabled"];
    assert.deepEqual(pick(hiveValues(), statePaths), pick(realHive(), statePaths));
    assert.deepEqual(
      pick(cortexChartValues(), ["cortex.persistentVolumeClaim"]),
      pick(realCortex(), ["cortex.persistentVolumeClaim"]),
    );
    assert.equal(FIXTURE_JOBS_CLAIM, CORTEX_JOBS_CLAIM);
  });

  it("no default credential: the real values and install pass, and fail once a Secret or env file is taken away", async () => {
    assert.deepEqual(
      await credentials(
        ...product(COMPONENT_TYPES.theHive, "t", { values: realHive() }),
        ...product(COMPONENT_TYPES.cortex, "c", { values: realCortex() }),
        ...product(COMPONENT_TYPES.misp, "m", { script: realMispScript() }),
      ),
      [],
    );
    const hive = realHive();
    delete hive.thehive.storage.k8sSecretName;
    assert.equal((await credentials(...product(COMPONENT_TYPES.theHive, "t", { values: hive }))).length, 1);
    const cortex = realCortex();
    delete cortex.cortex.k8sSecretName;
    assert.equal((await credentials(...product(COMPONENT_TYPES.cortex, "c", { values: cortex }))).length, 1);
    const noEnvFile = realMispScript((compose) =>
      compose.replace(/\n {4}env_file:\n {6}- \/opt\/misp\/core\.env/, ""),
    );
    const found = await credentials(...product(COMPONENT_TYPES.misp, "m", { script: noEnvFile }));
    assert.ok(
      found.some((m) => /misp-core .* has neither SUPERVISOR_PASSWORD nor an env_file/.test(m)),
      found.join("\n"),
    );
  });

  it("state: the real chart values pass, and fail once Cassandra's persistence or Cortex's claim is the chart's", async () => {
    assert.deepEqual(await state(...responseCharts({ hive: realHive(), cortex: realCortex() })), []);
    const hive = realHive();
    hive.cassandra.persistence.enabled = false;
    assert.equal((await state(...responseCharts({ hive, cortex: realCortex() }))).length, 1);
    const cortex = realCortex();
    cortex.cortex.persistentVolumeClaim.create = true;
    assert.equal((await state(...responseCharts({ hive: realHive(), cortex }))).length, 1);
  });

  it("containment: contain.json as program.ts renders it is refused anywhere but the secret stdin", async () => {
    const config = renderContainConfig({
      url: "https://10.10.10.1",
      key: "k".repeat(80),
      secret: "s".repeat(80),
      allow: [{ cidr: "10.10.10.0/24", why: "management" }],
      internal: ["10.10.0.0/16"],
      syslog: { socket: "/dev/log" },
    });
    const violations = await evaluatePolicies([containmentKeyLeastPrivilege], [step({ triggers: [config] })]);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /containment credential in plain text/);
  });
});
