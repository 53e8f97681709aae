import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { planResource } from "../lib/build";
import {
  composeFilesIn,
  composeProblems,
  defaultedVariablesIn,
  distinctiveDefaultsIn,
} from "../lib/responseCredentials";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { POLICIES } from "../registry";
import { responseNoDefaultCredential } from "./response-no-default-credential";
import {
  MISP_COMPOSE,
  product,
  plannedCortexValues,
  plannedMispScript,
  plannedTheHiveValues,
  response,
  withValues,
} from "./response-no-default-credential.fixtures";

const messages = async (resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([responseNoDefaultCredential], [response, ...resources])).map((v) => v.message);

describe("response-no-default-credential", () => {
  it("is registered, so the pack refuses what it finds", async () => {
    const bad = product(COMPONENT_TYPES.misp, "misp", { without: ["supervisor-password"] });
    const violations = await evaluatePolicies(POLICIES, [response, ...bad]);
    assert.ok(violations.some((v) => v.policy === "response-no-default-credential"));
  });

  it("accepts the components' own values, compose file and install script", async () => {
    assert.deepEqual(
      await messages([
        ...product(COMPONENT_TYPES.theHive, "t"),
        ...product(COMPONENT_TYPES.cortex, "c"),
        ...product(COMPONENT_TYPES.misp, "m"),
      ]),
      [],
    );
  });

  it("names every chart secret setting left to the chart, on the chart", async () => {
    const values = withValues(plannedTheHiveValues(), (v) => {
      delete v.thehive.storage.k8sSecretName;
      v.minio.enabled = true;
      v.elasticsearch.enabled = true;
    });
    const found = await messages(product(COMPONENT_TYPES.theHive, "t", { values }));
    assert.equal(found.length, 3, found.join("\n"));
    assert.match(found[0] ?? "", /thehive\.storage\.k8sSecretName is empty/);
    assert.match(found[1] ?? "", /MinIO subchart is enabled without existingSecret/);
    assert.match(found[2] ?? "", /Elasticsearch subchart is enabled without security/);
    const cortex = withValues(plannedCortexValues(), (v) => delete v.cortex.index.k8sSecretName);
    assert.match(
      (await messages(product(COMPONENT_TYPES.cortex, "c", { values: cortex })))[0] ?? "",
      /cortex\.index\.k8sSecretName/,
    );
  });

  it("finds a shipped value in any resource, a Secret's base64 data included, with its vendor file", async () => {
    const secret = planResource(SDK_TYPES.k8sSecret, "leftover", {
      data: { TH_SECRET: Buffer.from("ChangeThisSecretWithOneContainingAtLeast32Chars").toString("base64") },
    });
    const [message] = await messages([secret]);
    assert.match(
      message ?? "",
      /^leftover carries TheHive's shipped thehive\.httpSecret \(StrangeBeeCorp\/helm-charts@thehive-1\.0\.5/,
    );
    const admin = planResource(SDK_TYPES.k8sSecret, "accounts", {
      stringData: { "admin-password": "secret", username: "admin" },
    });
    const [shipped, ...more] = await messages([admin]);
    assert.deepEqual(more, []);
    assert.match(
      shipped ?? "",
      /^accounts's stringData\.admin-password is TheHive's shipped the administrator admin@thehive\.local \(TheHive-Project\/TheHive@b6649bb/,
    );
    assert.deepEqual(
      distinctiveDefaultsIn("x ChangeThisPasswordForMinIO y").map((d) => d.value),
      ["ChangeThisPasswordForMinIO"],
    );
    assert.deepEqual(
      distinctiveDefaultsIn('SHIPPED_ADMIN_PASSWORD = "secret"'),
      [],
      "short defaults only where a setting holds them",
    );
  });

  it("finds MISP's variables set to misp-docker's fallbacks in every form, and nothing else", () => {
    for (const text of [
      "MYSQL_ROOT_PASSWORD=password",
      '      - "REDIS_PASSWORD=${REDIS_PASSWORD:-redispassword}"',
      "    GPG_PASSPHRASE: 'passphrase'",
      "export SUPERVISOR_PASSWORD=supervisor\n",
      "ADMIN_PASSWORD=admin",
    ])
      assert.equal(defaultedVariablesIn(text).length, 1, text);
    for (const text of [
      "MYSQL_PASSWORD=examples",
      "ADMIN_PASSWORD=administrator",
      "MY_ADMIN_PASSWORD_FILE=admin",
      "MYSQL_PASSWORD=%s",
    ])
      assert.deepEqual(defaultedVariablesIn(text), [], text);
  });

  it("reads the compose file out of the install's heredoc and judges each service", () => {
    const [file] = composeFilesIn(plannedMispScript());
    assert.deepEqual(Object.keys(file ?? {}).sort(), ["db", "misp-core", "redis"]);
    assert.deepEqual(composeProblems(file!), []);
    const stripped = MISP_COMPOSE.replace(/\n {4}env_file:\n {6}- \/opt\/misp\/(core|db)\.env/g, "").replace(
      "      - /usr/local/etc/valkey/valkey.conf\n",
      "",
    );
    const problems = composeProblems(composeFilesIn(stripped)[0]!);
    assert.ok(
      problems.some((p) => /misp-core .* has neither GPG_PASSPHRASE nor an env_file/.test(p)),
      problems.join("\n"),
    );
    assert.ok(problems.some((p) => /db .* has neither MYSQL_ROOT_PASSWORD/.test(p)));
    assert.ok(problems.some((p) => /redis .* no requirepass/.test(p)));
    const empty = MISP_COMPOSE.replace(
      "MYSQL_USER: misp\n  misp-core",
      "MYSQL_ALLOW_EMPTY_PASSWORD: 'yes'\n  misp-core",
    );
    assert.ok(
      composeProblems(composeFilesIn(empty)[0]!).includes(
        "compose service db sets MYSQL_ALLOW_EMPTY_PASSWORD: no password at all",
      ),
    );
  });

  it("asks each product for its generated credentials and the step that replaces the shipped ones", async () => {
    const found = await messages([
      ...product(COMPONENT_TYPES.misp, "m", {
        without: ["gpg-passphrase"],
        length: 12,
      }),
    ]);
    assert.ok(found.includes("MISP m has no random GPG_PASSPHRASE (shipped passphrase) (m-gpg-passphrase)"));
    assert.ok(found.includes("MISP m's ADMIN_PASSWORD (shipped admin) is 12 characters, under 20"));
    const hive = product(COMPONENT_TYPES.theHive, "t").filter((r) => r.name !== "t-accounts");
    assert.deepEqual(await messages(hive), [
      "TheHive t has no accounts Job (t-accounts) to replace its shipped credentials",
    ]);
  });
});
