/**
 * fortress-contain against what the firewall does on its own (opnsense/core@26.7.2): a reboot empties
 * the quarantine table (filter.inc declares an external alias `table <name> persist` without a file and
 * update_tables.py never refills it), configd that stops answering makes alias_util/list answer 200 with
 * no rows and alias_util/aliases answer nothing, and an answer that breaks off mid-way. None of these
 * may release a host, drop its record silently, or end in a traceback.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  type Harness,
  hasSyslogEvent,
  PROGRAM,
  requestsTo,
  runPython,
  startHarness,
} from "../../../test/opnsense/containHarness";
import { auditRuleFor } from "../../../test/support/auditRules";

const HOST = "10.10.40.23";
const OTHER = "10.10.40.81";

describe("fortress-contain when the firewall reboots, configd fails or an answer breaks off", () => {
  let lab: Harness;
  const run = (...args: string[]) =>
    runPython(PROGRAM, ["--by", "test", ...args], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } });
  const result = (stdout: string) =>
    JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
  const recorded = (ip: string) => existsSync(join(lab.stateDir, `${ip}.json`));
  const auditLines = () =>
    existsSync(lab.auditLog) ? readFileSync(lab.auditLog, "utf8").trim().split("\n") : [];

  before(async () => {
    lab = await startHarness();
  });
  after(async () => lab.close());
  beforeEach(async () => {
    lab.api.faults.clear();
    lab.api.state.setConfigd(true);
    lab.writeConfig();
    for (const ip of [HOST, OTHER]) await run("delete", ip);
    lab.api.state.requests.length = 0;
    lab.syslog.length = 0;
    writeFileSync(lab.auditLog, "");
  });

  it("expire puts back the recorded, unexpired hosts a reboot took out of the table, kills their states, and alerts", async () => {
    assert.equal((await run("--for", "3600", "add", HOST)).code, 0);
    assert.equal((await run("add", OTHER)).code, 0);
    lab.api.state.pfReboot();
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), []);
    lab.api.state.addPfState({
      proto: "tcp",
      src_addr: HOST,
      src_port: "5000",
      dst_addr: "203.0.113.9",
      dst_port: "443",
    });
    writeFileSync(lab.auditLog, "");
    const ran = await run("expire");
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.equal(result(ran.stdout).result, "released 0 expired, restored 2 lost from the table");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine").sort(), [HOST, OTHER]);
    assert.deepEqual(lab.api.state.pfStates(), [], "the states opened since the reboot are killed");
    assert.ok(recorded(HOST) && recorded(OTHER));
    const restored = auditLines().filter((line) => line.includes('"action":"reconcile"'));
    assert.equal(restored.length, 2, auditLines().join("\n"));
    assert.deepEqual(restored.map(auditRuleFor), [100218, 100218]);
    assert.ok(hasSyslogEvent(lab.syslog, { action: "reconcile", address: HOST, result: "restored" }));
    lab.api.state.requests.length = 0;
    const again = await run("expire");
    assert.equal(result(again.stdout).result, "released 0 expired, restored 0 lost from the table");
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 0, "nothing added twice");
  });

  it("never drops a record on an empty list when configd fails: delete is transient and the host stays held", async () => {
    assert.equal((await run("add", HOST)).code, 0);
    lab.api.state.setConfigd(false);
    const ran = await run("delete", HOST);
    assert.equal(ran.code, 4, ran.stdout + ran.stderr);
    assert.match(String(result(ran.stdout).error), /configd on the firewall did not answer/);
    assert.ok(recorded(HOST), "the record stays");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [HOST]);
    const expire = await run("expire");
    assert.equal(expire.code, 4, "the timer does not guess either");
    const add = await run("add", OTHER);
    assert.equal(add.code, 4, `an add that cannot be read back is transient: ${add.stdout}`);
    assert.ok(!recorded(OTHER));
    assert.ok(recorded(HOST));
    lab.api.state.setConfigd(true);
    const released = await run("delete", HOST);
    assert.equal(result(released.stdout).result, "released");
    assert.ok(!recorded(HOST));
  });

  it("always asks the firewall to delete, and drops a record only once the table is known to exist", async () => {
    assert.equal((await run("add", HOST)).code, 0);
    lab.api.state.pfReboot();
    lab.api.state.requests.length = 0;
    const ran = await run("delete", HOST);
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.equal(result(ran.stdout).result, "not contained");
    assert.equal(requestsTo(lab.api, "firewall/alias_util/delete").length, 1, "delete POSTed though absent");
    assert.ok(!recorded(HOST));
    writeFileSync(join(lab.stateDir, `${OTHER}.json`), JSON.stringify({ address: OTHER, expires: null }));
    lab.writeConfig({ extra: { alias: "fz_gone" } });
    const missing = await run("delete", OTHER);
    assert.equal(missing.code, 3);
    assert.match(String(result(missing.stdout).error), /pf has no table fz_gone/);
    assert.ok(recorded(OTHER), "kept: an absent table proves nothing");
  });

  it("retries an answer that breaks off (IncompleteRead, BadStatusLine) as transient", async () => {
    lab.api.faults.inject({ path: "firewall/alias_util/list", kind: "truncated" });
    lab.api.faults.inject({ path: "diagnostics/firewall/kill_states", kind: "badStatus" });
    const ran = await run("add", HOST);
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.equal(result(ran.stdout).retries, 2);
    assert.doesNotMatch(ran.stderr, /Traceback/);
    lab.api.faults.inject({ path: "firewall/alias_util/list", kind: "truncated", times: 10 });
    lab.writeConfig({ extra: { attempts: 2 } });
    const gaveUp = await run("check", HOST);
    assert.equal(gaveUp.code, 4, gaveUp.stdout + gaveUp.stderr);
    assert.match(String(result(gaveUp.stdout).error), /IncompleteRead.*gave up after 2 attempts/);
  });

  it("turns a records directory it cannot use into a logged failure (exit 3), never a traceback", async () => {
    const blocker = join(lab.dir, "not-a-directory");
    writeFileSync(blocker, "");
    lab.writeConfig({ stateDir: join(blocker, "state") });
    const ran = await run("add", HOST);
    assert.equal(ran.code, 3, ran.stdout + ran.stderr);
    assert.doesNotMatch(ran.stderr, /Traceback/);
    assert.match(String(result(ran.stdout).error), /the records directory .*not-a-directory\/state/);
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 0, "nothing done without a record");
    const line = auditLines().find((entry) => entry.includes('"result":"failed"'));
    assert.ok(line, auditLines().join("\n"));
    assert.equal(auditRuleFor(line), 100214);
    const expire = await run("expire");
    assert.equal(expire.code, 3);
    assert.doesNotMatch(expire.stderr, /Traceback/);
  });

  it("preflight proves the quarantine table exists, and says so when configd cannot tell", async () => {
    assert.equal((await run("preflight")).code, 0);
    lab.writeConfig({ extra: { alias: "fz_missing" } });
    const missing = await run("preflight");
    assert.equal(missing.code, 3, missing.stdout);
    assert.match(String(result(missing.stdout).error), /pf has no table fz_missing/);
    lab.writeConfig();
    lab.api.state.setConfigd(false);
    assert.equal((await run("preflight")).code, 4);
  });
});
