import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type CortexDouble, startCortex } from "../../test/cortex/server";
import { cortexNeuronsSpec } from "./cortexNeurons";
import { CONTAIN_RESPONDER, MISP_ANALYZER, mispAnalyzerConfiguration } from "./neurons";

const SCRIPT = join(__dirname, "accounts", "cortex-neurons.py");
const KEY = "generated-thehive-key-for-cortex-0123";
const CA = "-----BEGIN CERTIFICATE-----\nMIIBfortresstestca\n-----END CERTIFICATE-----\n";
const CATALOGS = { analyzers: [MISP_ANALYZER], responders: [CONTAIN_RESPONDER] };

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

/** A Cortex where the accounts Job has run: `fortress` and TheHive's orgadmin user with its key. */
async function cortexWithAccounts(options: Parameters<typeof startCortex>[0]): Promise<CortexDouble> {
  const cortex = await startCortex(options);
  cortex.organizations.add("fortress");
  cortex.users.set("thehive", {
    login: "thehive",
    name: "TheHive",
    roles: ["read", "analyze", "orgadmin"],
    organization: "fortress",
    key: KEY,
  });
  return cortex;
}

function environment(cortex: CortexDouble, mispKey: string, withResponder = true): NodeJS.ProcessEnv {
  const secrets = join(mkdtempSync(join(tmpdir(), "fortress-neurons-")), "secrets");
  mkdirSync(secrets);
  writeFileSync(join(secrets, "thehive-key"), `${KEY}\n`);
  writeFileSync(
    join(secrets, "misp.json"),
    JSON.stringify(
      mispAnalyzerConfiguration({ url: "https://misp.lab.example", key: mispKey, caCertificatePem: CA }),
    ),
  );
  return {
    PATH: process.env.PATH,
    NEURONS_SPEC: JSON.stringify(cortexNeuronsSpec(cortex.url, withResponder)),
    NEURONS_SECRETS_DIR: secrets,
    WAIT_ATTEMPTS: "5",
    WAIT_PAUSE: "0.01",
  };
}

describe("Cortex's neurons Job (the real script against a loopback Cortex)", () => {
  const opened: CortexDouble[] = [];
  after(async () => Promise.all(opened.map((cortex) => cortex.close())));
  const open = async (options: Parameters<typeof startCortex>[0] = { catalogs: CATALOGS }) => {
    const cortex = await cortexWithAccounts(options);
    opened.push(cortex);
    return cortex;
  };
  const worker = (cortex: CortexDouble, name: string) =>
    [...cortex.workers.values()].find((w) => w.name === name);

  it("enables MISP_2_1 in fortress with MISP's URL, the integration key and the lab CA, and the containment responder", async () => {
    const cortex = await open();
    const result = await runScript(environment(cortex, "misp-key-1"));
    assert.equal(result.status, 0, result.stderr);
    const misp = worker(cortex, "MISP_2_1");
    assert.equal(misp?.organization, "fortress");
    assert.equal(misp?.type, "analyzer");
    assert.equal(misp?.dockerImage, "ghcr.io/thehive-project/misp:2.1");
    assert.deepEqual(misp?.configuration.url, ["https://misp.lab.example"]);
    assert.deepEqual(misp?.configuration.key, ["misp-key-1"]);
    assert.equal(misp?.configuration.cert_check, true);
    assert.equal(misp?.configuration.cacerts, CA);
    const contain = worker(cortex, "FortressContain_1_0");
    assert.equal(contain?.type, "responder");
    assert.equal(contain?.command, "FortressContain/fortress-contain-responder");
    assert.doesNotMatch(result.stdout + result.stderr, /misp-key-1/, "the key is never printed");
  });

  it("changes nothing on a second run, and updates the key when it changes", async () => {
    const cortex = await open();
    assert.equal((await runScript(environment(cortex, "misp-key-1"))).status, 0);
    const again = await runScript(environment(cortex, "misp-key-1"));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /analyzer MISP_2_1: already configured/);
    assert.equal(cortex.workers.size, 2);
    const rotated = await runScript(environment(cortex, "misp-key-2"));
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(rotated.stdout, /analyzer MISP_2_1: configuration updated/);
    assert.deepEqual(worker(cortex, "MISP_2_1")?.configuration.key, ["misp-key-2"]);
    assert.equal(cortex.workers.size, 2);
  });

  it("asks a Cortex that has not read its catalogs yet to scan them, then enables", async () => {
    const cortex = await open({ catalogs: CATALOGS, catalogsLoaded: false });
    const result = await runScript(environment(cortex, "misp-key-1", false));
    assert.equal(result.status, 0, result.stderr);
    assert.ok(cortex.scans >= 1);
    assert.ok(worker(cortex, "MISP_2_1"));
    assert.equal(worker(cortex, "FortressContain_1_0"), undefined, "no responder without containment");
  });

  it("fails plainly when Cortex has no such definition (the catalog is not mounted)", async () => {
    const cortex = await open({ catalogs: { analyzers: [], responders: [] } });
    const result = await runScript({ ...environment(cortex, "misp-key-1"), WAIT_ATTEMPTS: "2" });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /no definition MISP_2_1: is Fortress's catalog mounted/);
  });
});
