import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellcheck } from "../../../test/support/debianTools";
import { MISP_DEFAULTED_VARIABLES } from "../../../vocabulary/credentials";
import { CORE_ENV_PATH, DB_ENV_PATH, SECRET_ORDER, VALKEY_CONF_PATH, renderCompose } from "./compose";
import { desiredFeeds } from "./feeds";
import { configureScript, installScript, readSecrets } from "./install";
import { ADMIN_KEY_PATH, MISP_PROGRAM, MISP_PROGRAM_PATH } from "./mispProgram";
import { DOCKER_APT, DOCKER_PACKAGES } from "./pins";
import { OIDC, SAMPLE_SECRETS } from "./sample.fixtures";

const CERT = "-----BEGIN CERTIFICATE-----\nMISP-CERT\n-----END CERTIFICATE-----\n";
const CA = "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n";
const compose = renderCompose({
  bindAddress: "10.0.30.20",
  fqdn: "misp-1.lab.example",
  adminEmail: "admin@lab.example",
  adminOrg: "Fortress",
  oidc: OIDC,
});
const script = installScript({ compose, certificatePem: CERT, caCertificatePem: CA, program: MISP_PROGRAM });
const configure = configureScript(
  JSON.stringify(desiredFeeds(["circl-osint"])),
  "fortress-integrations@misp-1.lab.example",
  6,
);

function clean(text: string, shell: "sh" | "bash") {
  const result = shellcheck(text, shell);
  assert.equal(result.status, 0, result.stdout);
}

describe("MISP install script", () => {
  it("passes shellcheck, as do the configure step and nothing but a secret-free text", () => {
    clean(script, "sh");
    clean(configure, "sh");
    for (const value of Object.values(SAMPLE_SECRETS))
      assert.ok(!script.includes(value) && !configure.includes(value));
  });

  it("reads every secret from stdin in SECRET_ORDER with the shell's read, then the TLS key", () => {
    const reads = [...script.matchAll(/IFS= read -r (\w+)/g)].map((match) => match[1]);
    assert.deepEqual(reads, [...SECRET_ORDER]);
    assert.ok(script.indexOf('cat > "$work/key.pem"') > script.lastIndexOf("IFS= read -r"));
    // Only builtins (printf) see the values; no external command takes one as an argument.
    for (const name of SECRET_ORDER) {
      const uses = script.split("\n").filter((line) => line.includes(`"$${name}"`));
      for (const line of uses) assert.match(line, /^(printf |case |if \[ -n )/, line);
    }
  });

  it("gives misp-core and MariaDB every password misp-docker would otherwise default, from stdin", () => {
    const work = mkdtempSync(join(tmpdir(), "misp-secrets-"));
    try {
      const stdin = `${SECRET_ORDER.map((name) => SAMPLE_SECRETS[name]).join("\n")}\n-----BEGIN EC PRIVATE KEY-----\nk\n-----END EC PRIVATE KEY-----\n`;
      const run = spawnSync("sh", ["-c", ["set -eu", `work='${work}'`, ...readSecrets()].join("\n")], {
        input: stdin,
      });
      assert.equal(run.status, 0, run.stderr.toString());
      const env = (file: string) =>
        Object.fromEntries(
          readFileSync(join(work, file), "utf8")
            .trim()
            .split("\n")
            .map((line) => line.split("=") as [string, string]),
        );
      const core = env("core.env");
      const db = env("db.env");
      // misp-docker@6d915d5 core/files/entrypoint.sh: each of these falls back to a shipped value when unset.
      for (const variable of [
        "ADMIN_PASSWORD",
        "MYSQL_PASSWORD",
        "REDIS_PASSWORD",
        "GPG_PASSPHRASE",
        "SUPERVISOR_PASSWORD",
      ])
        assert.ok(
          core[variable] && core[variable] !== MISP_DEFAULTED_VARIABLES[variable],
          `core.env lacks ${variable}`,
        );
      assert.equal(core.GPG_PASSPHRASE, SAMPLE_SECRETS.gpgPassphrase);
      assert.equal(core.SUPERVISOR_PASSWORD, SAMPLE_SECRETS.supervisorPassword);
      assert.deepEqual(Object.keys(db).sort(), ["MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("writes the env files, Valkey's config and the admin key root-only", () => {
    assert.match(script, new RegExp(`place "\\$work/db.env" '${DB_ENV_PATH}' 600 root root`));
    assert.match(script, new RegExp(`place "\\$work/core.env" '${CORE_ENV_PATH}' 600 root root`));
    assert.match(script, new RegExp(`place "\\$work/admin.key" '${ADMIN_KEY_PATH}' 600 root root`));
    assert.match(script, new RegExp(`place "\\$work/valkey.conf" '${VALKEY_CONF_PATH}' 640 root `));
    assert.match(script, new RegExp(`place "\\$work/fortress_misp.py" '${MISP_PROGRAM_PATH}' 700 root root`));
  });

  it("trusts Docker's key only by its fingerprint and installs pinned, held packages", () => {
    assert.ok(script.includes(`if [ "$fprs" != '${DOCKER_APT.keyFingerprint}' ]; then`));
    for (const p of DOCKER_PACKAGES) assert.ok(script.includes(`${p.name}=${p.version}`), p.name);
    assert.match(script, /apt-mark hold docker-ce docker-ce-cli containerd.io docker-compose-plugin python3/);
  });

  it("refuses to put MISP's data anywhere but the mounted data disk, and waits for MISP to take the admin key", () => {
    assert.match(script, /if ! mountpoint -q \/srv\/data; then/);
    assert.match(script, /https:\/\/localhost\/users\/heartbeat/);
    assert.match(script, /-H @"\$work\/headers" .*\/users\/view\/me/);
  });

  it("refuses an e-mail or a role id the configure step could not quote", () => {
    assert.throws(() => configureScript("{}", "x'; rm -rf /; '@a", 6), /e-mail/);
    assert.throws(() => configureScript("{}", "a@b.example", 0), /role id/);
  });
});
