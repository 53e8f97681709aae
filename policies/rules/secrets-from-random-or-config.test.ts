import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import {
  DEFAULT_ALLOWED_KEYS,
  DEFAULT_ALLOWED_SUFFIXES,
  looksLikeCredential,
  secretsFromRandomOrConfig,
} from "./secrets-from-random-or-config";
import { provider, release } from "./secrets-from-random-or-config.fixtures";
import { packageOf, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { opnsenseType } from "../../vocabulary/typeTokens";

const settings = {
  allowedKeys: new Set(DEFAULT_ALLOWED_KEYS.map((key) => key.toLowerCase().replace(/[^a-z0-9]/g, ""))),
  allowedSuffixes: DEFAULT_ALLOWED_SUFFIXES,
};
const check = (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies([secretsFromRandomOrConfig], resources);

describe("secrets-from-random-or-config", () => {
  it("tells credential keys from public keys, ids and references", () => {
    for (const key of [
      "password",
      "adminPassword",
      "api_token",
      "apiToken",
      "clientSecret",
      "privateKey",
      "passwd",
      "PASSPHRASE",
      "httpSecret",
      "pass",
      "DB_PASS",
      "mysqlRootPwd",
      "ADMIN_PW",
      "SECRET_KEY",
      "ApiKey",
      "Passwd",
      "wifi-psk",
    ]) {
      assert.ok(looksLikeCredential(key, settings), key);
    }
    for (const key of [
      "sshPublicKey",
      "ssh_authorized_keys",
      "keys",
      "tokenId",
      "tokenName",
      "checksum",
      "secretName",
      "existingSecret",
      "secretKeyRef",
      "lock_passwd",
      "ssh_pwauth",
      "passwordFile",
      "username",
      "key",
      "passwordAuthentication",
      "existingSecretPasswordKey",
      "adminPasswordKey",
      "secretKeys",
      "showPassHint",
      "bypass",
      "passThrough",
      "token_url",
      "tokenUri",
    ]) {
      assert.ok(!looksLikeCredential(key, settings), key);
    }
  });

  it("names the resource and the input path, without printing a plaintext value", async () => {
    const chart = release({ auth: { rootPassword: "correct-horse-battery" } });
    const [violation, ...rest] = await check(provider, chart);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, chart.urn);
    assert.equal(
      violation?.message,
      "opensearch sets values.auth.rootPassword in plaintext, so it lands unencrypted in the state: pass it as a secret, from random.RandomPassword or config.requireSecret",
    );
    assert.doesNotMatch(violation?.message ?? "", /correct-horse/);
  });

  it("takes Vector's SECRET[backend.key] as the reference it is, and nothing around it", async () => {
    const reference = release({
      customConfig: { sinks: { out: { auth: { password: "SECRET[fortress.pw]" } } } },
    });
    assert.deepEqual(await check(provider, reference), []);
    const padded = release({
      customConfig: { sinks: { out: { auth: { password: "x SECRET[fortress.pw]" } } } },
    });
    assert.equal((await check(provider, padded)).length, 1);
  });

  it("names a known default and where it sits, in any case", async () => {
    const [violation] = await check(
      provider,
      release({ extraEnvs: [{ name: "API_PASSWORD", value: "MyS3cr37P450r.*-" }] }),
    );
    assert.match(
      violation?.message ?? "",
      /sets values\.extraEnvs\[0\]\.value to "MyS3cr37P450r\.\*-", a known product default credential/,
    );
    assert.equal((await check(provider, release({ dashboards: { password: "KibanaServer" } }))).length, 1);
  });

  it("in preview, where secrets arrive unwrapped, flags only the known defaults", async () => {
    // No redacted value anywhere: the plan is what `pulumi preview` hands the pack.
    const unwrapped = planResource(`pulumi:providers:${packageOf(SDK_TYPES.proxmoxVm)}`, "p", {
      apiToken: "PVEAPIToken=fortress@pve!pulumi=uuid",
    });
    assert.deepEqual(await check(unwrapped, release({ adminPassword: "v3ry-l0ng-rand0m" })), []);
    const [violation] = await check(unwrapped, release({ adminPassword: "changeme" }));
    assert.match(violation?.message ?? "", /"changeme", a known product default credential/);
  });

  it("treats an offline plan as redacted when a dynamic provider is serialized, even without secrets", async () => {
    const dynamic = planResource(opnsenseType("rule"), "r", {
      __provider: "[dynamic provider abc, 10 bytes]",
      fields: {},
    });
    assert.equal((await check(dynamic, release({ adminPassword: "plain" }))).length, 1);
  });

  it("ignores random resources, non-string values and empty strings", async () => {
    const random = planResource(SDK_TYPES.randomPassword, "r", {
      overrideSpecial: "admin",
    });
    assert.deepEqual(
      await check(provider, random, release({ passwordLength: 32, password: "", token: { enabled: true } })),
      [],
    );
  });

  it("takes the allow-list and the defaults from the pack config", async () => {
    const config = {
      "secrets-from-random-or-config": { allowedKeys: ["adminPassword"], knownDefaults: ["hunter2"] },
    };
    const resources = [provider, release({ adminPassword: "not-a-secret", other: { password: "hunter2" } })];
    const violations = await evaluatePolicies([secretsFromRandomOrConfig], resources, config);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /values\.other\.password to "hunter2"/);
  });
});

describe("secrets-from-random-or-config inside a credential object", () => {
  it("leaves the settings that describe a key alone but still flags a key held in plaintext", async () => {
    const certificate = planResource("kubernetes:cert-manager.io/v1:Certificate", "ca", {
      spec: { privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Never", encoding: "PKCS8" } },
      marker: "[secret]",
    });
    assert.deepEqual(await evaluatePolicies([secretsFromRandomOrConfig], [certificate]), []);
    const leaked = planResource("x:index:Thing", "leak", {
      ssh: { privateKey: { pem: "-----BEGIN OPENSSH PRIVATE KEY-----" } },
      marker: "[secret]",
    });
    const violations = await evaluatePolicies([secretsFromRandomOrConfig], [leaked]);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /ssh\.privateKey\.pem in plaintext/);
  });
});
