import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import {
  CORE_ENV_PATH,
  DATA_DIR,
  DB_ENV_PATH,
  SECRET_ORDER,
  coreEnvironment,
  renderCompose,
  secretProblems,
} from "./compose";
import { EXACT_TAG, MISP_IMAGES } from "./pins";
import { OIDC, SAMPLE_DIGEST, SAMPLE_SECRETS } from "./sample.fixtures";

const args = {
  bindAddress: "10.0.30.20",
  fqdn: "misp-1.lab.example",
  adminEmail: "admin@lab.example",
  adminOrg: "Fortress",
  oidc: OIDC,
};
type Service = {
  image: string;
  environment?: Record<string, string>;
  env_file?: string[];
  command?: string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
};
const parse = (text: string) => yaml.load(text) as { name: string; services: Record<string, Service> };
const text = renderCompose(args);
const compose = parse(text);
const service = (name: string) => {
  const found = compose.services[name];
  assert.ok(found, `no service ${name}`);
  return found;
};

/** misp-docker's shipped defaults (template.env, docker-compose.yml) and other well-known ones. */
const DEFAULT_SECRETS = ["example", "password", "redispassword", "admin", "changeme"];

describe("MISP compose file", () => {
  it("holds misp-core, misp-modules, db and redis, each image at an exact version", () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ["db", "misp-core", "misp-modules", "redis"]);
    for (const [name, entry] of Object.entries(compose.services)) {
      const match = /^(.+):([^:@]+)$/.exec(entry.image);
      assert.ok(match, `${name}: ${entry.image}`);
      assert.match(match[2] ?? "", EXACT_TAG, `${name} floats: ${entry.image}`);
    }
    assert.equal(service("misp-core").image, "ghcr.io/misp/misp-docker/misp-core:v2.5.42");
    assert.equal(service("misp-modules").image, "ghcr.io/misp/misp-docker/misp-modules:v3.0.8");
    for (const image of Object.values(MISP_IMAGES)) assert.doesNotMatch(image.tag, /latest/);
  });

  it("names an image by tag and digest when the stack gives one, and refuses a bad digest", () => {
    const pinned = parse(renderCompose({ ...args, digests: { "misp-core": SAMPLE_DIGEST } }));
    assert.equal(
      pinned.services["misp-core"]?.image,
      `ghcr.io/misp/misp-docker/misp-core:v2.5.42@${SAMPLE_DIGEST}`,
    );
    assert.equal(pinned.services.db?.image, "mariadb:10.11.18");
    assert.throws(() => renderCompose({ ...args, digests: { "misp-core": "sha256:abc" } }), /misp-core/);
    assert.throws(() => renderCompose({ ...args, digests: { mail: SAMPLE_DIGEST } as never }), /mail/);
  });

  it("carries no secret and no shipped default credential; secrets come from root-only env files", () => {
    for (const value of Object.values(SAMPLE_SECRETS)) assert.ok(!text.includes(value));
    const values = Object.values(compose.services).flatMap((entry) => Object.values(entry.environment ?? {}));
    for (const value of values)
      assert.ok(!DEFAULT_SECRETS.includes(value.toLowerCase()), `default value ${value}`);
    for (const key of [
      "MYSQL_PASSWORD",
      "MYSQL_ROOT_PASSWORD",
      "REDIS_PASSWORD",
      "ADMIN_PASSWORD",
      "ADMIN_KEY",
    ])
      for (const entry of Object.values(compose.services))
        assert.equal(entry.environment?.[key], undefined, key);
    assert.deepEqual(service("misp-core").env_file, [CORE_ENV_PATH]);
    assert.deepEqual(service("db").env_file, [DB_ENV_PATH]);
    assert.doesNotMatch(text, /--requirepass|--password|-cli -a|redispassword|:-example|:-password/);
  });

  it("keeps passwords off every command line (Valkey reads a config file; checks use the environment)", () => {
    assert.deepEqual(service("redis").command, ["valkey-server", "/usr/local/etc/valkey/valkey.conf"]);
    assert.match(service("redis").healthcheck?.test.join(" ") ?? "", /REDISCLI_AUTH=/);
    assert.match(service("db").healthcheck?.test.join(" ") ?? "", /MYSQL_PWD=/);
  });

  it("sets BASE_URL, hides credentials from the log, trusts only local CAs and publishes 443 on the VM's address and loopback only", () => {
    const env = service("misp-core").environment ?? {};
    assert.equal(env.BASE_URL, "https://misp-1.lab.example");
    assert.equal(env.DISABLE_PRINTING_PLAINTEXT_CREDENTIALS, "true");
    assert.equal(env.AUTOGEN_ADMIN_KEY, "false");
    assert.equal(env.DISABLE_CA_REFRESH, "true");
    assert.deepEqual(service("misp-core").ports, ["10.0.30.20:443:443", "127.0.0.1:443:443"]);
    for (const entry of Object.values(compose.services))
      assert.equal(entry.ports?.length ?? 0, entry === service("misp-core") ? 2 : 0);
  });

  it("keeps the state on the data disk and the lab CA in misp-core's trust store", () => {
    const volumes = [
      ...(service("misp-core").volumes ?? []),
      ...(service("db").volumes ?? []),
      ...(service("redis").volumes ?? []),
    ];
    for (const target of [
      "/var/lib/mysql",
      "/data",
      "/var/www/MISP/app/files/",
      "/var/www/MISP/app/Config/",
    ]) {
      const volume = volumes.find((entry) => entry.split(":")[1] === target);
      assert.ok(volume?.startsWith(`${DATA_DIR}/`), `${target} is not on the data disk: ${volume}`);
    }
    assert.ok(
      volumes.some((entry) => entry.includes(":/usr/local/share/ca-certificates/fortress-lab-ca.crt:ro")),
    );
    assert.ok(volumes.some((entry) => entry.endsWith(":/etc/nginx/certs:ro")));
  });

  it("configures OidcAuth for the realm's misp client as MISP requires", () => {
    const env = service("misp-core").environment ?? {};
    assert.equal(env.OIDC_ENABLE, "true");
    assert.equal(
      env.OIDC_PROVIDER_URL,
      "https://sso.lab.example/realms/fortress/.well-known/openid-configuration",
    );
    assert.equal(env.OIDC_CLIENT_ID, "misp");
    assert.equal(env.OIDC_CODE_CHALLENGE_METHOD, "S256");
    assert.equal(env.OIDC_ROLES_PROPERTY, "roles");
    assert.deepEqual(JSON.parse(env.OIDC_ROLES_MAPPING ?? "null"), { admin: 1, user: 3, readonly: 6 });
    assert.equal(env.OIDC_REDIRECT_URI, "https://misp-1.lab.example/users/login");
    assert.deepEqual(JSON.parse(env.OIDC_SCOPES ?? "null"), ["profile", "email"]);
    // configure_misp.sh writes these four into JSON unquoted: they must be JSON literals.
    for (const key of [
      "OIDC_MIXEDAUTH",
      "OIDC_SKIP_PROXY",
      "OIDC_ALLOW_EMAIL_LINKING",
      "OIDC_REQUIRE_EMAIL_VERIFIED",
    ])
      assert.match(env[key] ?? "", /^(true|false)$/, key);
    assert.equal(env.OIDC_CLIENT_SECRET, undefined, "the client secret is in the root-only env file");
    const local = coreEnvironment({ ...args, oidc: undefined });
    assert.ok(Object.keys(local).every((key) => !key.startsWith("OIDC_")));
  });

  it("escapes `$` so compose interpolates nothing, and yamllint accepts the file", () => {
    const dollar = parse(renderCompose({ ...args, adminOrg: "Fort$ress" }));
    assert.equal(dollar.services["misp-core"]?.environment?.ADMIN_ORG, "Fort$$ress");
    const lint = spawnSync("yamllint", ["-d", "{extends: relaxed, rules: {line-length: disable}}", "-"], {
      input: text,
      encoding: "utf8",
    });
    assert.ok(!lint.error, "yamllint is not installed (apt-get install yamllint)");
    assert.equal(lint.status, 0, lint.stdout);
  });
});

describe("MISP secrets", () => {
  it("accept the generated shape and refuse what MISP or an env file cannot take", () => {
    assert.deepEqual(secretProblems(SAMPLE_SECRETS), []);
    assert.deepEqual(secretProblems({ ...SAMPLE_SECRETS, oidcClientSecret: "" }), []);
    assert.match(secretProblems({ ...SAMPLE_SECRETS, adminKey: "A1".repeat(16) }).join(), /40/);
    assert.match(
      secretProblems({ ...SAMPLE_SECRETS, redisPassword: "with space and $ 0000000" }).join(),
      /redisPassword/,
    );
    assert.equal(SECRET_ORDER.length, Object.keys(SAMPLE_SECRETS).length);
  });
});
