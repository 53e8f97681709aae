/**
 * fortress-contain (the Python program) against the loopback OPNsense: the real program, the real
 * HTTP, the controller's answers and failures as opnsense/core writes them (test/opnsense/pf.ts).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aclFor } from "../../../test/opnsense/acl";
import { containmentPrivileges } from "../../opnsense/privileges";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  ADMIN_USER,
  type Harness,
  hasSyslogEvent,
  PROGRAM,
  requestsTo,
  runPython,
  startHarness,
  TABLES_ONLY_USER,
} from "../../../test/opnsense/containHarness";
import { auditRuleFor } from "../../../test/support/auditRules";

const HOST = "10.10.40.23";

describe("fortress-contain's privileges", () => {
  it("names the two privileges as OPNsense 25.7, 26.1 and 26.7 do, and the loopback ACL grants exactly its calls with them", () => {
    const source = readFileSync(PROGRAM, "utf8");
    const named = [...source.matchAll(/^\s+"(tables|states)": "([^"]+)",$/gm)].map((match) => match[2]);
    for (const version of ["25.7.11", "26.1.11", "26.7.2"]) {
      assert.deepEqual(named, containmentPrivileges(version), version);
      const acl = aclFor(version);
      for (const [path, privilege] of [
        ["api/firewall/alias_util/add/fz_quarantine", named[0]],
        ["api/firewall/alias_util/list/fz_quarantine", named[0]],
        ["api/diagnostics/firewall/kill_states", named[1]],
      ] as const) {
        assert.ok(acl.granting(path).includes(privilege ?? ""), `${version} ${path}`);
      }
    }
  });
});

describe("fortress-contain against the loopback OPNsense", () => {
  let lab: Harness;
  const contain = (...args: string[]) =>
    runPython(PROGRAM, ["--by", "test", "--reason", "case 42", ...args], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config },
    });
  const result = (stdout: string) =>
    JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;

  before(async () => {
    lab = await startHarness();
  });
  after(async () => lab.close());
  beforeEach(() => {
    lab.api.faults.clear();
    lab.writeConfig();
    lab.api.state.requests.length = 0;
    lab.syslog.length = 0;
  });

  const record = (ip: string) =>
    JSON.parse(readFileSync(join(lab.stateDir, `${ip}.json`), "utf8")) as {
      expires: number | null;
      contained_at: number;
      by: string;
    };
  /** Moves a record's expiry into the past, as time would. */
  const age = (ip: string) => {
    const path = join(lab.stateDir, `${ip}.json`);
    writeFileSync(path, JSON.stringify({ ...record(ip), expires: Date.now() / 1000 - 5 }));
  };

  it("contains a host: adds it to fz_quarantine, kills its states, logs it to the SIEM", async () => {
    lab.api.state.addPfState({
      proto: "tcp",
      src_addr: HOST,
      src_port: "50123",
      dst_addr: "203.0.113.9",
      dst_port: "443",
    });
    lab.api.state.addPfState({
      proto: "tcp",
      src_addr: "10.10.40.24",
      src_port: "50124",
      dst_addr: "203.0.113.9",
      dst_port: "443",
    });
    const ran = await contain("add", HOST);
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(result(ran.stdout), {
      action: "add",
      ip: HOST,
      result: "contained",
      retries: 0,
      expires: "never",
    });
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [HOST]);
    assert.deepEqual(
      lab.api.state.pfStates().map((state) => state.src_addr),
      ["10.10.40.24"],
      "the host's states are gone, the others stay",
    );
    const alias = lab.api.state.items("firewall/alias").find((item) => item.name === "fz_quarantine");
    assert.equal(alias?.content ?? "", "", "config is untouched: the next pulumi up reverts nothing");
    assert.ok(
      hasSyslogEvent(lab.syslog, {
        action: "add",
        address: HOST,
        alias: "fz_quarantine",
        result: "contained",
        by: "test",
        reason: "case 42",
      }),
      lab.syslog.join("\n"),
    );
    assert.ok(
      hasSyslogEvent(lab.syslog, { action: "kill_states", address: HOST, detail: "dropped 1 states" }),
    );
  });

  it("adds nothing twice: a second add finds the host in the table and only kills states again", async () => {
    await contain("add", HOST);
    lab.api.state.requests.length = 0;
    const ran = await contain("add", HOST);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(result(ran.stdout).result, "already contained");
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 0);
    assert.equal(requestsTo(lab.api, "diagnostics/firewall/kill_states").length, 1);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [HOST]);
  });

  it("refuses an allow-listed address, logs the refusal and calls nothing", async () => {
    for (const [ip, why] of [
      ["10.10.10.5", "the management network mgmt"],
      ["10.10.20.64", "wazuh-manager-1: the Wazuh manager"],
      ["10.10.40.1", "the firewall (its address on users)"],
    ] as const) {
      const ran = await contain("add", ip);
      assert.equal(ran.code, 2, ran.stdout);
      assert.equal(result(ran.stdout).result, "refused");
      assert.match(
        String(result(ran.stdout).error),
        new RegExp(`allow-listed \\(${why.replace(/[()]/g, "\\$&")}\\)`),
      );
      assert.ok(
        hasSyslogEvent(lab.syslog, { action: "add", address: ip, alias: "fz_quarantine", result: "refused" }),
      );
    }
    for (const bad of ["10.10.40.0/24", "workstation-1", "127.0.0.1", "0.0.0.0"]) {
      assert.equal((await contain("add", bad)).code, 2, bad);
    }
    assert.equal(lab.api.state.requests.length, 0, "a refusal never reaches the firewall");
  });

  it("retries transient failures with backoff: 503, 504 and a reset connection", async () => {
    await contain("delete", HOST);
    lab.api.faults.inject({ path: "firewall/alias_util/add", kind: "5xx", status: 503, times: 1 });
    lab.api.faults.inject({ path: "firewall/alias_util/add", kind: "5xx", status: 504, times: 1 });
    lab.api.faults.inject({ path: "diagnostics/firewall/kill_states", kind: "reset", times: 1 });
    lab.api.state.requests.length = 0;
    const ran = await contain("add", HOST);
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.equal(result(ran.stdout).retries, 3);
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 3);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [HOST]);
  });

  it("does not retry a 500 with an errorMessage, and says what OPNsense said", async () => {
    await contain("delete", HOST);
    lab.api.faults.inject({
      path: "firewall/alias_util/add",
      kind: "userException",
      message: "Config lock timeout",
      times: 5,
    });
    lab.api.state.requests.length = 0;
    const ran = await contain("add", HOST);
    assert.equal(ran.code, 3);
    assert.match(
      String(result(ran.stdout).error),
      /alias_util\/add\/fz_quarantine: HTTP 500: Config lock timeout/,
    );
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 1, "not retried");
    assert.ok(hasSyslogEvent(lab.syslog, { action: "add", address: HOST, result: "failed" }));
  });

  it("explains a missing privilege, a wrong key and an alias that does not exist, without retrying", async () => {
    lab.writeConfig({ key: "nobody", secret: "wrong" });
    assert.match(
      String(result((await contain("add", HOST)).stdout).error),
      /HTTP 401, the API key or secret is wrong/,
    );
    lab.writeConfig(TABLES_ONLY_USER);
    const forbidden = await contain("add", "10.10.40.98");
    assert.equal(forbidden.code, 3);
    assert.match(
      String(result(forbidden.stdout).error),
      /diagnostics\/firewall\/kill_states: HTTP 403, the key's user lacks the privilege "Diagnostics: Show States"/,
    );
    // The table took it before kill_states was refused: the host is contained, its open states not killed.
    assert.ok(lab.api.state.liveTable("fz_quarantine").includes("10.10.40.98"));
    lab.writeConfig();
    assert.equal((await contain("delete", "10.10.40.98")).code, 0);
    lab.writeConfig({ extra: { alias: "fz_missing" } });
    const missing = await contain("add", "10.10.40.99");
    assert.equal(missing.code, 3);
    assert.match(String(result(missing.stdout).error), /nonexistent alias fz_missing/);
  });

  it("gives up on a firewall that does not answer, as a transient failure", async () => {
    lab.writeConfig({ url: "http://127.0.0.1:9", extra: { attempts: 3 } });
    const ran = await contain("add", HOST);
    assert.equal(ran.code, 4, ran.stdout);
    assert.match(String(result(ran.stdout).error), /gave up after 3 attempts/);
  });

  it("checks and releases, and a second release finds nothing to do", async () => {
    await contain("add", HOST);
    assert.equal((await contain("check", HOST)).code, 0);
    const released = await contain("delete", HOST);
    assert.equal(released.code, 0, released.stderr);
    assert.equal(result(released.stdout).result, "released");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), []);
    assert.equal((await contain("check", HOST)).code, 1);
    assert.equal(result((await contain("delete", HOST)).stdout).result, "not contained");
    assert.ok(hasSyslogEvent(lab.syslog, { action: "delete", address: HOST, result: "released" }));
  });

  it("passes its preflight with exactly the two privileges, and fails it with a wider key", async () => {
    const narrow = await runPython(PROGRAM, ["preflight"], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } });
    assert.equal(narrow.code, 0, narrow.stdout + narrow.stderr);
    lab.writeConfig(ADMIN_USER);
    const wide = await runPython(PROGRAM, ["preflight"], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } });
    assert.equal(wide.code, 3);
    assert.match(String(result(wide.stdout).error), /the key also reaches firewall\/alias\/search_item/);
  });
  it("records each containment with its expiry (--for), none without; the records are root-only", async () => {
    await contain("delete", HOST);
    const held = await contain("--for", "3600", "add", HOST);
    assert.equal(held.code, 0, held.stdout + held.stderr);
    const expires = record(HOST).expires;
    assert.ok(expires !== null && Math.abs(expires - (Date.now() / 1000 + 3600)) < 60, String(expires));
    assert.match(String(result(held.stdout).expires), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(statSync(join(lab.stateDir, `${HOST}.json`)).mode & 0o777, 0o600);
    await contain("add", "10.10.40.50");
    assert.equal(record("10.10.40.50").expires, null);
    assert.equal((await contain("--for", "60", "delete", HOST)).code, 2, "--for is an add's alone");
    await contain("delete", HOST);
    await contain("delete", "10.10.40.50");
    assert.ok(!existsSync(join(lab.stateDir, `${HOST}.json`)), "a release drops the record");
  });

  it("keeps a contained host contained on a second add: nothing added twice, the expiry pushed later, never earlier", async () => {
    await contain("--for", "600", "add", HOST);
    const first = record(HOST);
    lab.api.state.requests.length = 0;
    const again = await contain("--for", "7200", "add", HOST);
    assert.equal(result(again.stdout).result, "already contained");
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 0);
    const refreshed = record(HOST);
    assert.ok((refreshed.expires ?? 0) > (first.expires ?? 0) + 6000, "pushed to now + 7200");
    assert.equal(refreshed.contained_at, first.contained_at);
    await contain("--for", "60", "add", HOST);
    assert.equal(record(HOST).expires, refreshed.expires, "a shorter hold never shortens it");
    await contain("add", HOST);
    assert.equal(record(HOST).expires, null, "an add without --for holds it until a person releases it");
    await contain("--for", "60", "add", HOST);
    assert.equal(record(HOST).expires, null, "and an alert never gives it an expiry again");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [HOST]);
    await contain("delete", HOST);
  });

  it("never gives an expiry to a host someone else put in the table (the playbook, by hand)", async () => {
    // In the table with no record of fortress-contain's, as after the playbook's alias_util/add.
    assert.equal((await contain("add", "10.10.40.60")).code, 0);
    rmSync(join(lab.stateDir, "10.10.40.60.json"));
    const again = await contain("--for", "60", "add", "10.10.40.60");
    assert.equal(result(again.stdout).result, "already contained");
    assert.equal(result(again.stdout).expires, "never");
    assert.ok(!existsSync(join(lab.stateDir, "10.10.40.60.json")));
    await contain("delete", "10.10.40.60");
  });

  it("expire releases, through delete, the hosts whose expiry passed, and keeps the others and a failing one", async () => {
    await contain("--for", "3600", "add", "10.10.40.71");
    await contain("--for", "3600", "add", "10.10.40.72");
    await contain("add", "10.10.40.73");
    age("10.10.40.71");
    lab.syslog.length = 0;
    const ran = await runPython(PROGRAM, ["expire"], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } });
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.equal(result(ran.stdout).result, "released 1 expired, restored 0 lost from the table");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine").sort(), ["10.10.40.72", "10.10.40.73"]);
    assert.ok(!existsSync(join(lab.stateDir, "10.10.40.71.json")));
    assert.ok(
      hasSyslogEvent(lab.syslog, {
        action: "delete",
        address: "10.10.40.71",
        result: "released",
        reason: /^expired at /,
      }),
      lab.syslog.join("\n"),
    );
    age("10.10.40.72");
    lab.api.faults.inject({
      path: "firewall/alias_util/delete",
      kind: "userException",
      message: "locked",
      times: 5,
    });
    const failing = await runPython(PROGRAM, ["expire"], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } });
    assert.equal(failing.code, 3);
    assert.ok(existsSync(join(lab.stateDir, "10.10.40.72.json")), "kept for the next run");
    lab.api.faults.clear();
    assert.equal(
      (await runPython(PROGRAM, ["expire"], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } })).code,
      0,
    );
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), ["10.10.40.73"]);
    const listed = await runPython(PROGRAM, ["list"], { env: { FORTRESS_CONTAIN_CONFIG: lab.config } });
    assert.deepEqual(
      (result(listed.stdout).records as { address: string; expires: string | null }[]).map((entry) => [
        entry.address,
        entry.expires,
      ]),
      [["10.10.40.73", null]],
    );
    await contain("delete", "10.10.40.73");
  });

  it("writes every action as the line Wazuh's ar_log_json decoder reads, with Fortress's JSON", async () => {
    writeFileSync(lab.auditLog, "");
    await contain("add", HOST);
    await contain("add", "10.10.10.5");
    await contain("delete", HOST);
    const lines = readFileSync(lab.auditLog, "utf8").trim().split("\n");
    // ruleset/decoders/0010-active-response_decoders.xml (wazuh/wazuh@v4.14.6) ar_log_json's prematch,
    // `^\d\d\d\d/\d\d/\d\d \d\d:\d\d:\d\d active-response/bin/\S+: `, then JSON_Decoder after it.
    const prematch = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d active-response\/bin\/\S+: /;
    const decoded = lines.map((line) => {
      const match = prematch.exec(line);
      assert.ok(match, line);
      return (JSON.parse(line.slice(match[0].length)) as { fortress: Record<string, string> }).fortress;
    });
    const summary = decoded
      .filter((fields) => fields.action !== "kill_states")
      .map((fields) => [fields.action, fields.address, fields.result]);
    assert.deepEqual(summary, [
      ["add", HOST, "contained"],
      ["add", "10.10.10.5", "refused"],
      ["delete", HOST, "released"],
    ]);
    assert.equal(decoded[0]?.by, "test");
    assert.equal(decoded[0]?.reason, "case 42");
    // Each is an alert of Fortress's local rules: contained 100210, refused 100212, released 100213.
    assert.deepEqual(
      lines.filter((line) => !line.includes('"action":"kill_states"')).map(auditRuleFor),
      [100210, 100212, 100213],
    );
  });
});
