/**
 * The Cortex catalogs Fortress mounts and the containment responder, run the way Cortex 4.1.0's
 * process runner runs it (`<command> <job folder>`, input/input.json as JobRunnerSrv writes it) against
 * the loopback OPNsense, with fortress-contain beside it as the pod mounts it.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Harness, hasSyslogEvent, runPython, startHarness } from "../../test/opnsense/containHarness";
import { containProgram } from "./containment/program";
import {
  MISP_ANALYZER,
  mispAnalyzerConfiguration,
  NEURON_PATHS,
  neuronCatalogs,
  RESPONDER_LAUNCHER,
  RESPONDER_PROGRAM,
  responderFiles,
  workerDefinitionId,
} from "./neurons";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBfortresstestca\n-----END CERTIFICATE-----\n";

describe("the catalogs Cortex reads", () => {
  it("hold the MISP analyzer 2.1 (MISP_2_1) by image and no command, and the responder by command under the catalog's base", () => {
    const { analyzers, responders } = neuronCatalogs(true);
    const [misp] = JSON.parse(analyzers) as Record<string, unknown>[];
    assert.equal(workerDefinitionId(MISP_ANALYZER), "MISP_2_1");
    assert.equal(misp?.dockerImage, "ghcr.io/thehive-project/misp:2.1");
    assert.equal(misp?.command, undefined);
    for (const type of ["hash", "ip", "domain"]) assert.ok((misp?.dataTypeList as string[]).includes(type));
    const [responder] = JSON.parse(responders) as Record<string, unknown>[];
    assert.equal(responder?.dockerImage, undefined);
    // WorkerSrv.readFile: basePath = the catalog file's grandparent; the command must stay inside it.
    const base = posix.dirname(posix.dirname(NEURON_PATHS.responders));
    const command = posix.normalize(posix.join(base, String(responder?.command)));
    assert.equal(base, NEURON_PATHS.base);
    assert.ok(command.startsWith(`${base}/`));
    assert.equal(command, `${NEURON_PATHS.responderDir}/${RESPONDER_LAUNCHER}`);
    assert.deepEqual(JSON.parse(neuronCatalogs(false).responders), []);
  });

  it("mount fortress-contain as it is, not a copy", () => {
    assert.equal(responderFiles()["fortress-contain.py"], containProgram());
    assert.match(responderFiles()[RESPONDER_PROGRAM] ?? "", /^#!\/usr\/bin\/env python3\n/);
    // Cortex runs the launcher (its image has no Python: pythonRuntime.ts), which runs the adapter.
    assert.match(responderFiles()[RESPONDER_LAUNCHER] ?? "", /fortress-contain-responder\.py" "\$@"/);
  });

  it("configure MISP with the lab CA as Cortex's cacerts and refuse a plain-http MISP", () => {
    const config = mispAnalyzerConfiguration({
      url: "https://misp.lab.example/",
      key: "k",
      caCertificatePem: CA,
    });
    assert.deepEqual(config.url, ["https://misp.lab.example"]);
    assert.deepEqual(config.key, ["k"]);
    assert.equal(config.cert_check, true);
    assert.equal(config.cacerts, CA);
    assert.throws(
      () => mispAnalyzerConfiguration({ url: "http://misp", key: "k", caCertificatePem: CA }),
      /https/,
    );
  });
});

describe("the containment responder, run as Cortex's process runner runs it", () => {
  let lab: Harness;
  let pod: string;
  let jobs = 0;

  before(async () => {
    lab = await startHarness();
    // The pod's mount: the ConfigMap's two files side by side, executable.
    pod = mkdtempSync(join(tmpdir(), "fortress-responder-"));
    for (const [name, text] of Object.entries(responderFiles())) {
      writeFileSync(join(pod, name), text);
      chmodSync(join(pod, name), 0o555);
    }
  });
  after(async () => lab.close());
  beforeEach(() => {
    lab.writeConfig();
    lab.syslog.length = 0;
  });

  /** A job folder as JobRunnerSrv.prepareJobFolder writes it for a responder on a TheHive observable. */
  async function respond(observable: Record<string, unknown>) {
    jobs += 1;
    const job = join(pod, `cortex-job-${jobs}`);
    mkdirSync(join(job, "input"), { recursive: true });
    mkdirSync(join(job, "output"));
    writeFileSync(
      join(job, "input", "input.json"),
      JSON.stringify({
        data: observable,
        dataType: "thehive:case_artifact",
        tlp: 2,
        pap: 2,
        message: "",
        parameters: {},
        config: {},
      }),
    );
    const ran = await runPython(join(pod, RESPONDER_PROGRAM), [job], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config },
    });
    assert.equal(ran.code, 0, ran.stderr);
    return JSON.parse(readFileSync(join(job, "output", "output.json"), "utf8")) as Record<string, unknown>;
  }

  it("contains the host of an IP observable, tags the observable and the case, and logs who asked", async () => {
    const report = await respond({ _id: "~8392", dataType: "ip", data: "10.10.40.23", case: { number: 42 } });
    assert.equal(report.success, true, String(report.errorMessage));
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), ["10.10.40.23"]);
    assert.deepEqual(report.operations, [
      { type: "AddTagToArtifact", tag: "fortress:contained" },
      { type: "AddTagToCase", tag: "fortress:contained=10.10.40.23" },
    ]);
    assert.ok(
      hasSyslogEvent(lab.syslog, {
        action: "add",
        address: "10.10.40.23",
        by: "thehive",
        reason: /^TheHive case #42/,
      }),
      lab.syslog.join("\n"),
    );
    assert.doesNotMatch(JSON.stringify(report), /contain-secret/);
  });

  it("refuses an allow-listed address (the management network) and says so in the report", async () => {
    const report = await respond({ dataType: "ip", data: "10.10.10.5" });
    assert.equal(report.success, false);
    assert.match(String(report.errorMessage), /fortress-contain 10\.10\.10\.5: .*management network/);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), ["10.10.40.23"]);
  });

  it("refuses any observable but an IP before calling the firewall", async () => {
    const before = lab.api.state.requests.length;
    const report = await respond({ dataType: "domain", data: "evil.example" });
    assert.equal(report.success, false);
    assert.match(String(report.errorMessage), /IP observable, not domain/);
    assert.equal(lab.api.state.requests.length, before);
  });

  it("fails plainly, touching nothing, when its configuration is missing", async () => {
    const before = lab.api.state.requests.length;
    lab.writeConfig();
    const saved = lab.config;
    const report = await (async () => {
      Object.assign(lab, { config: join(pod, "absent.json") });
      try {
        return await respond({ dataType: "ip", data: "10.10.40.24" });
      } finally {
        Object.assign(lab, { config: saved });
      }
    })();
    assert.equal(report.success, false);
    assert.match(
      String(report.errorMessage),
      /fortress-contain 10\.10\.40\.24: fortress-contain: cannot read .*absent\.json/,
    );
    assert.equal(lab.api.state.requests.length, before);
  });
});
