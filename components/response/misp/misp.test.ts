import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { type CapturedResource, captureRegistrations } from "../../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { DATA_DIR } from "./compose";
import { FEED_CATALOG } from "./feeds";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { responseNoDefaultCredential } from "../../../policies/rules/response-no-default-credential";
import { MISP_ROLE_IDS, MISP_TYPE, Misp, OIDC_ROLE_MAPPING } from "./misp";

const CANARY = {
  mysql: "MysqlCanary0000000000000000000a1",
  mysqlRoot: "MysqlRootCanary00000000000000a02",
  redis: "RedisCanary0000000000000000000a3",
  admin: "AdminPasswordCanary00000000000a4",
  adminKey: "AdminKeyCanary00000000000000000000000a05",
  encryption: "EncryptionCanary00000000000000a6",
  gpg: "GpgPassphraseCanary00000000000a12",
  supervisor: "SupervisorCanary000000000000a13",
  oidc: "OidcClientSecretCanary000000000000000000000000a7",
  tlsKey: "-----BEGIN EC PRIVATE KEY-----\nTLS-KEY-CANARY-0008\n-----END EC PRIVATE KEY-----\n",
  caKey: "-----BEGIN EC PRIVATE KEY-----\nCA-KEY-CANARY-0009\n-----END EC PRIVATE KEY-----\n",
  ssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-CANARY-0010\n-----END OPENSSH PRIVATE KEY-----\n",
  integrationKey: "IntegrationKeyCanary0000000000000000a011",
};
const RESULTS: Record<string, string> = {
  "mi-mysql-password": CANARY.mysql,
  "mi-mysql-root-password": CANARY.mysqlRoot,
  "mi-redis-password": CANARY.redis,
  "mi-admin-password": CANARY.admin,
  "mi-admin-key": CANARY.adminKey,
  "mi-encryption-key": CANARY.encryption,
  "mi-gpg-passphrase": CANARY.gpg,
  "mi-supervisor-password": CANARY.supervisor,
};
const CERT = "-----BEGIN CERTIFICATE-----\nMISP-CERT\n-----END CERTIFICATE-----\n";
const CA_CERT = "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n";

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let misp: Misp;
const seen = new Map<
  string,
  { stdin?: { value: string; secret: boolean }; create: string; connection: Inputs }
>();

const settle = <T>(output: pulumi.Output<T>) =>
  new Promise<{ value: T; secret: boolean }>((resolve) =>
    pulumi
      .all([output, pulumi.isSecret(output)])
      .apply(([value, secret]) => resolve({ value: value as T, secret })),
  );
const named = (suffix: string) => {
  const found = resources.find((resource) => resource.name === `mi-${suffix}`);
  assert.ok(found, `no resource mi-${suffix}`);
  return found;
};
const host = {
  name: "misp-1",
  address: "10.0.30.20",
  fqdn: "misp-1.lab.example",
  hostKey: "ssh-ed25519 AAAAmisp-1",
  user: "ops",
  privateKey: pulumi.secret(CANARY.ssh),
};
const ca = { certificatePem: pulumi.output(CA_CERT), privateKeyPem: pulumi.secret(CANARY.caKey) };

describe("Misp", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => ({
          id: `${mock.name}-id`,
          state: {
            ...mock.inputs,
            ...(RESULTS[mock.name] ? { result: RESULTS[mock.name] } : {}),
            ...(mock.name === "mi-tls-key" ? { privateKeyPem: CANARY.tlsKey } : {}),
            ...(mock.name === "mi-tls-certificate" ? { certPem: CERT } : {}),
            ...(mock.name === "mi-configure" ? { stdout: `${CANARY.integrationKey}\n` } : {}),
          },
        }),
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    misp = new Misp("mi", {
      host,
      ca,
      organisation: "Fortress",
      adminEmail: "admin@lab.example",
      oidc: {
        issuerUrl: "https://sso.lab.example/realms/fortress",
        clientSecret: pulumi.secret(CANARY.oidc),
      },
      feeds: ["circl-osint", "abusech-malwarebazaar"],
    });
    for (const command of [misp.install, misp.configure]) {
      const [urn, create, connection] = await Promise.all([
        settle(command.urn),
        settle(command.create as pulumi.Output<string>),
        settle(command.connection as pulumi.Output<Inputs>),
      ]);
      const stdin = command.stdin ? await settle(command.stdin as pulumi.Output<string>) : undefined;
      seen.set(urn.value.split("::").pop() as string, {
        stdin,
        create: create.value,
        connection: connection.value,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("registers under fortress:response:Misp with every resource its child", () => {
    assert.equal(MISP_TYPE, COMPONENT_TYPES.misp);
    assert.equal(MISP_TYPE, "fortress:response:Misp");
    const component = resources.find((resource) => resource.type === MISP_TYPE);
    assert.ok(component);
    const others = resources.filter((resource) => resource !== component);
    assert.ok(others.length >= 11);
    for (const resource of others) assert.equal(resource.parent, component.urn, resource.name);
  });

  it("generates every credential with random (letters and digits; the key 40 long), the stateful ones protected", () => {
    for (const name of Object.keys(RESULTS)) {
      const resource = named(name.slice(3));
      assert.equal(resource.type, "random:index/randomPassword:RandomPassword", name);
      assert.equal((resource.inputs as Inputs).special, false, name);
    }
    assert.equal((named("admin-key").inputs as Inputs).length, 40);
    for (const name of [
      "mysql-password",
      "mysql-root-password",
      "encryption-key",
      "gpg-passphrase",
      "tls-key",
    ])
      assert.ok(named(name).protect, `${name} is not protected`);
  });

  it("installs over SSH pinned to the host key, every secret only on secret stdin, in SECRET_ORDER", () => {
    const install = seen.get("mi-install");
    assert.ok(install);
    assert.equal(install.connection.host, "10.0.30.20");
    assert.equal(install.connection.hostKey, "ssh-ed25519 AAAAmisp-1");
    const order = [
      CANARY.mysql,
      CANARY.mysqlRoot,
      CANARY.redis,
      CANARY.admin,
      CANARY.adminKey,
      CANARY.encryption,
      CANARY.gpg,
      CANARY.supervisor,
      CANARY.oidc,
    ];
    assert.deepEqual(install.stdin, { value: `${order.join("\n")}\n${CANARY.tlsKey}`, secret: true });
    for (const value of Object.values(CANARY))
      assert.ok(!install.create.includes(value.trim()), "a secret in the script");
    assert.ok(install.create.includes(CERT.trim()) && install.create.includes(CA_CERT.trim()));
    for (const name of ["install", "configure"]) assert.equal((named(name).inputs as Inputs).logging, "none");
  });

  it("writes a compose file whose OIDC roles mapping is the realm's misp roles and whose data is on the data disk", () => {
    const install = seen.get("mi-install");
    const text = /cat > "\$work\/compose.yaml" <<'FORTRESS_COMPOSE'\n([\s\S]*?)\nFORTRESS_COMPOSE/.exec(
      install?.create ?? "",
    )?.[1];
    assert.ok(text);
    const compose = yaml.load(text) as {
      services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
    };
    const env = compose.services["misp-core"]?.environment ?? {};
    assert.deepEqual(JSON.parse(env.OIDC_ROLES_MAPPING ?? "{}"), OIDC_ROLE_MAPPING);
    assert.deepEqual(OIDC_ROLE_MAPPING, { admin: 1, user: 3, readonly: 6 });
    assert.equal(env.OIDC_DEFAULT_ORG, "Fortress");
    assert.equal(env.BASE_URL, "https://misp-1.lab.example");
    assert.ok(compose.services.db?.volumes?.every((volume) => volume.startsWith(`${DATA_DIR}/`)));
  });

  it("enables the configured feeds and creates the Read Only integration user after the install", () => {
    const configure = seen.get("mi-configure");
    assert.ok(configure?.create.includes(`"url": "${FEED_CATALOG["circl-osint"].url}"`));
    assert.ok(configure?.create.includes(`"url": "${FEED_CATALOG["abusech-malwarebazaar"].url}"`));
    assert.ok(
      configure?.create.includes(`user 'fortress-integrations@misp-1.lab.example' ${MISP_ROLE_IDS.readOnly}`),
    );
    assert.ok(named("configure").dependencies.includes(named("install").urn));
  });

  it("keeps every secret out of the recorded inputs", () => {
    const recorded = JSON.stringify(resources);
    for (const value of Object.values(CANARY))
      assert.ok(!recorded.includes(value.trim()), `${value} is recorded`);
  });

  it("exposes the base URL, the admin key and the integration key as secrets", async () => {
    assert.equal(misp.baseUrl, "https://misp-1.lab.example");
    assert.equal(misp.dataDir, DATA_DIR);
    assert.deepEqual(await settle(misp.adminKey), { value: CANARY.adminKey, secret: true });
    assert.deepEqual(await settle(misp.integrationKey), { value: CANARY.integrationKey, secret: true });
    assert.equal(misp.integrationEmail, "fortress-integrations@misp-1.lab.example");
  });

  it("leaves none of misp-docker's shipped credentials: the pack's response-no-default-credential holds", async () => {
    const violations = await evaluatePolicies([responseNoDefaultCredential], resources);
    assert.deepEqual(
      violations.map((violation) => violation.message),
      [],
    );
  });

  it("refuses an unknown feed, a bad digest or a bad e-mail before registering anything", () => {
    const base = { host, ca, organisation: "Fortress", adminEmail: "admin@lab.example" };
    assert.throws(() => new Misp("b1", { ...base, feeds: ["nope" as never] }), /unknown MISP feed nope/);
    assert.throws(() => new Misp("b2", { ...base, imageDigests: { valkey: "sha256:1" } }), /valkey/);
    assert.throws(() => new Misp("b3", { ...base, adminEmail: "admin" }), /adminEmail/);
  });
});
