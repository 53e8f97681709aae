/**
 * fortress-wazuh-metrics (the Python program) against the loopback Wazuh API double
 * (test/wazuh/metricsApi.ts), over TLS checked against a test CA, as the read-only user whose actions
 * are METRICS_ACCOUNT's policies; its output checked by Debian's `promtool check metrics`.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { testCa } from "../../../test/support/testCa";
import { tool } from "../../../test/support/installSandbox";
import { type DoubleAgent, WazuhMetricsApiDouble } from "../../../test/wazuh/metricsApi";
import { METRICS_ACCOUNT, METRICS_API_USER } from "../../siem/manager/apiUsers";
import { textfileProblems } from "../metrics/fortress";
import { renderWazuhMetricsConfig } from "./program";

const PROGRAM = join(__dirname, "fortress-wazuh-metrics.py");
const PASSWORD = "Metrics.CANARY-77";
const granted = new Set(METRICS_ACCOUNT.policies.flatMap((policy) => policy.policy.actions));

const agent = (id: number, status: DoubleAgent["status"], group?: string[]): DoubleAgent => ({
  id: String(id).padStart(3, "0"),
  status,
  ...(group ? { group } : {}),
});

describe("fortress-wazuh-metrics against the loopback Wazuh API", () => {
  const dir = mkdtempSync(join(tmpdir(), "fortress-wazuh-metrics-"));
  const textfiles = join(dir, "textfiles");
  const config = join(dir, "wazuh-metrics.json");
  let double: WazuhMetricsApiDouble;
  let url: string;
  let ca: string;
  let otherCa: string;

  before(async () => {
    tool("python3");
    tool("promtool", "prometheus");
    mkdirSync(textfiles);
    const made = testCa(dir, "lab", [
      { name: "api", subject: "/CN=localhost", extensions: "subjectAltName=DNS:localhost" },
    ]);
    ca = made.cert;
    otherCa = testCa(dir, "other", []).cert;
    double = new WazuhMetricsApiDouble();
    url = await double.start(made.leaves.api?.cert ?? "", made.leaves.api?.key ?? "");
  });
  after(() => double.close());
  beforeEach(() => {
    double.down = false;
    double.users = new Map([[METRICS_API_USER, { password: PASSWORD, actions: granted }]]);
    double.agents = [
      agent(0, "active"),
      agent(1, "active", ["default", "wazuh-manager"]),
      agent(2, "active", ["default", "zeek"]),
      agent(3, "disconnected", ["default", "zeek"]),
      agent(4, "never_connected"),
      agent(5, "pending", ["default"]),
    ];
    writeConfig();
  });

  function writeConfig(overrides: Partial<{ password: string; caFile: string; textfileDir: string }> = {}) {
    writeFileSync(
      config,
      renderWazuhMetricsConfig({
        url,
        username: METRICS_API_USER,
        password: overrides.password ?? PASSWORD,
        caFile: overrides.caFile ?? ca,
        timeout: 5,
        textfileDir: overrides.textfileDir ?? textfiles,
      }),
    );
  }
  // Asynchronous: the double answers from this process's event loop.
  const runProgram = () =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn("python3", [PROGRAM], {
        env: { ...process.env, FORTRESS_WAZUH_METRICS_CONFIG: config },
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (status) => resolve({ status, stderr }));
    });
  const textfile = () => readFileSync(join(textfiles, "fortress_wazuh.prom"), "utf8");
  const value = (text: string, series: string) =>
    text
      .split("\n")
      .find((line) => line.startsWith(`${series} `))
      ?.split(" ")[1];

  it("writes agents by status and group, connection counts and queue fill as a valid textfile", async () => {
    const result = await runProgram();
    assert.equal(result.status, 0, result.stderr);
    const text = textfile();
    assert.deepEqual(textfileProblems(text), []);
    const checked = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.equal(checked.status, 0, checked.stderr + checked.stdout);
    assert.equal(value(text, 'fortress_wazuh_agents{group="default",status="active"}'), "2");
    assert.equal(value(text, 'fortress_wazuh_agents{group="zeek",status="disconnected"}'), "1");
    assert.equal(value(text, 'fortress_wazuh_agents{group="",status="never_connected"}'), "1");
    assert.equal(value(text, 'fortress_wazuh_agents{group="wazuh-manager",status="active"}'), "1");
    // The manager itself (000) is no agent of any group.
    assert.equal(
      text
        .split("\n")
        .filter((line) => line.startsWith("fortress_wazuh_agents{") && line.includes('status="active"'))
        .length,
      3,
    );
    assert.equal(value(text, 'fortress_wazuh_agents_connection{status="active"}'), "2");
    assert.equal(value(text, 'fortress_wazuh_agents_connection{status="pending"}'), "1");
    // analysisd's usage is already a fraction; remoted's a count (32768 of 131072).
    assert.equal(
      value(text, 'fortress_wazuh_queue_usage_ratio{daemon="wazuh-analysisd",queue="alerts"}'),
      "0.25",
    );
    assert.equal(
      value(text, 'fortress_wazuh_queue_usage_ratio{daemon="wazuh-remoted",queue="received"}'),
      "0.25",
    );
    assert.equal(value(text, 'fortress_wazuh_queue_size{daemon="wazuh-remoted",queue="received"}'), "131072");
    // A queue analysisd does not have (-1) is left out.
    assert.doesNotMatch(text, /queue="archives"/);
    assert.equal(value(text, "fortress_wazuh_api_up"), "1");
    assert.ok(
      Math.abs(Number(value(text, "fortress_wazuh_last_success_timestamp_seconds")) - Date.now() / 1000) < 60,
    );
    assert.equal(statSync(join(textfiles, "fortress_wazuh.prom")).mode & 0o777, 0o644);
    assert.ok(!text.includes(PASSWORD));
    assert.ok(
      double.requests.some((request) =>
        request.startsWith("GET /manager/daemons/stats?daemons_list=wazuh-analysisd%2Cwazuh-remoted"),
      ),
    );
  });

  it("reads every page of agents", async () => {
    double.agents = [
      agent(0, "active"),
      ...Array.from({ length: 10_050 }, (_, index) => agent(index + 1, "active", ["bulk"])),
    ];
    const result = await runProgram();
    assert.equal(result.status, 0, result.stderr);
    assert.equal(value(textfile(), 'fortress_wazuh_agents{group="bulk",status="active"}'), "10050");
    assert.equal(double.requests.filter((request) => request.startsWith("GET /agents?")).length >= 2, true);
  });

  it("logs in again when its token expired between calls", async () => {
    assert.equal((await runProgram()).status, 0);
    double.expireTokens();
    double.requests.length = 0;
    const result = await runProgram();
    assert.equal(result.status, 0, result.stderr);
    assert.equal(value(textfile(), "fortress_wazuh_api_up"), "1");
  });

  it("says the API is down, keeps the last success time and drops the stale series, still exiting 0", async () => {
    assert.equal((await runProgram()).status, 0);
    const last = value(textfile(), "fortress_wazuh_last_success_timestamp_seconds");
    double.down = true;
    const result = await runProgram();
    assert.equal(result.status, 0, result.stderr);
    const text = textfile();
    assert.equal(value(text, "fortress_wazuh_api_up"), "0");
    assert.equal(value(text, "fortress_wazuh_last_success_timestamp_seconds"), last);
    assert.doesNotMatch(text, /fortress_wazuh_agents|fortress_wazuh_queue/);
    assert.equal(spawnSync("promtool", ["check", "metrics"], { input: text }).status, 0);
  });

  it("needs both of its role's actions: without manager:read the API refuses and the file says so", async () => {
    double.users = new Map([[METRICS_API_USER, { password: PASSWORD, actions: new Set(["agent:read"]) }]]);
    assert.equal((await runProgram()).status, 0);
    assert.equal(value(textfile(), "fortress_wazuh_api_up"), "0");
  });

  it("refuses an API certificate another CA signed, and a wrong password, without printing the password", async () => {
    writeConfig({ caFile: otherCa });
    let result = await runProgram();
    assert.equal(value(textfile(), "fortress_wazuh_api_up"), "0");
    assert.match(result.stderr, /CERTIFICATE_VERIFY_FAILED/);
    writeConfig({ password: "Wrong.Pass-1" });
    result = await runProgram();
    assert.equal(value(textfile(), "fortress_wazuh_api_up"), "0");
    assert.match(result.stderr, /login as fortress-metrics: HTTP 401/);
    assert.ok(!result.stderr.includes("Wrong.Pass-1") && !result.stderr.includes(PASSWORD));
  });

  it("replaces the file atomically, leaving no temporary file, and exits 74 when it cannot write", async () => {
    assert.equal((await runProgram()).status, 0);
    assert.deepEqual(readdirSync(textfiles), ["fortress_wazuh.prom"]);
    const before = textfile();
    // A textfile "directory" that is a file: no temporary file can be made there, not even by root.
    const notADirectory = join(dir, "not-a-directory");
    writeFileSync(notADirectory, "");
    writeConfig({ textfileDir: notADirectory });
    const result = await runProgram();
    assert.equal(result.status, 74, result.stderr);
    assert.match(result.stderr, /cannot write/);
    assert.equal(textfile(), before);
    writeFileSync(config, "{");
    assert.equal((await runProgram()).status, 64);
  });
});
