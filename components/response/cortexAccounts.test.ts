import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type CortexDouble, startCortex } from "../../test/cortex/server";
import { CORTEX_SUPERADMIN, cortexAccountsSpec } from "./cortexAccounts";
import { cortexConfig } from "./values";

const SCRIPT = join(__dirname, "accounts", "cortex-accounts.py");

function runScript(env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("python3", [SCRIPT], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code === "string")
        reject(
          new Error(
            `python3 is not installed (apt-get install python3; .ci/run installs it on CI): ${error.message}`,
          ),
        );
      else resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const renderedConfig = () =>
  cortexConfig({
    indexer: { host: "wazuh-indexer.fortress-siem.svc", port: 9200, username: "fortress-cortex" },
    truststoreSecret: "cortex-tls",
    catalogConfigMap: "cortex-neuron-catalog",
  });

describe("Cortex's accounts Job (the real script against a loopback Cortex)", () => {
  let cortex: CortexDouble;
  let env: NodeJS.ProcessEnv;
  const superadminPassword = "generated-superadmin-password-0123";
  const theHiveKey = "generated-thehive-key-for-cortex-0123";

  before(async () => {
    // As Fortress configures Cortex (values.ts cortexConfig: auth.method.basic = true).
    cortex = await startCortex({ basicAuth: /^auth\.method\.basic = true$/m.test(renderedConfig()) });
    const secrets = join(mkdtempSync(join(tmpdir(), "fortress-cortex-")), "secrets");
    mkdirSync(secrets);
    writeFileSync(join(secrets, "superadmin-password"), superadminPassword);
    writeFileSync(join(secrets, "thehive-key"), `${theHiveKey}\n`);
    env = {
      PATH: process.env.PATH,
      ACCOUNTS_SPEC: JSON.stringify(cortexAccountsSpec(cortex.url)),
      ACCOUNTS_SECRETS_DIR: secrets,
      WAIT_ATTEMPTS: "5",
      WAIT_PAUSE: "0.01",
    };
  });
  after(() => cortex.close());

  it("takes the new Cortex's initial-user window once: the superadmin, the organisation and TheHive's user with the generated key", async () => {
    const result = await runScript(env);
    assert.equal(result.status, 0, result.stderr);
    const admin = cortex.users.get(CORTEX_SUPERADMIN);
    assert.deepEqual(admin?.roles, ["superadmin"]);
    assert.equal(admin?.organization, "cortex");
    assert.equal(admin?.password, superadminPassword);
    assert.ok(cortex.organizations.has("fortress"));
    const thehive = cortex.users.get("thehive");
    assert.equal(thehive?.organization, "fortress");
    assert.deepEqual(thehive?.roles, ["read", "analyze", "orgadmin"]);
    assert.equal(thehive?.key, theHiveKey);
    assert.equal(cortex.migrations, 1);
    assert.ok(!(result.stdout + result.stderr).includes(superadminPassword));
  });

  it("runs again and changes nothing, and an anonymous caller is no longer anyone", async () => {
    const before = JSON.stringify([...cortex.users.values()]);
    const result = await runScript(env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /already has its generated password/);
    assert.equal(JSON.stringify([...cortex.users.values()]), before);
    const anonymous = await fetch(`${cortex.url}/api/user`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: "intruder", name: "x", roles: ["superadmin"], organization: "cortex" }),
    });
    assert.equal(anonymous.status, 401);
  });

  it("sets TheHive's key again when it was changed in Cortex", async () => {
    cortex.users.get("thehive")!.key = "changed-in-the-ui";
    const result = await runScript(env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(cortex.users.get("thehive")?.key, theHiveKey);
  });

  it("fails, saying why, when someone else made the first user", async () => {
    const taken = await startCortex({ basicAuth: true });
    taken.users.set("someone", {
      login: "someone",
      name: "x",
      roles: ["superadmin"],
      organization: "cortex",
      password: "p",
    });
    const result = await runScript({ ...env, ACCOUNTS_SPEC: JSON.stringify(cortexAccountsSpec(taken.url)) });
    await taken.close();
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /someone made the first user before Fortress did/);
  });

  it("stops, saying what Cortex answered, when Cortex refuses the superadmin's password (Basic off)", async () => {
    const strict = await startCortex({ basicAuth: false });
    const result = await runScript({ ...env, ACCOUNTS_SPEC: JSON.stringify(cortexAccountsSpec(strict.url)) });
    await strict.close();
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /reading the organization answered HTTP 401/);
  });
});
