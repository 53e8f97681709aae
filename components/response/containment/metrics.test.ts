/**
 * fortress-contain's counters (issue 15): with metrics_dir, every action counts into the node
 * exporter's textfile (checked by Debian's `promtool check metrics`), a failing containment moves the
 * failure counter and time, and the metrics change nothing in what the action does or answers.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Harness, PROGRAM, runPython, startHarness } from "../../../test/opnsense/containHarness";
import { tool } from "../../../test/support/installSandbox";

const HOST = "10.10.40.31";

describe("fortress-contain's metrics textfile", () => {
  let lab: Harness;
  let textfiles: string;
  const contain = (...args: string[]) =>
    runPython(PROGRAM, ["--by", "test", "--reason", "metrics", ...args], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config },
    });
  const prom = () => readFileSync(join(textfiles, "fortress_containment.prom"), "utf8");
  const value = (series: string) =>
    Number(
      prom()
        .split("\n")
        .find((line) => line.startsWith(`${series} `))
        ?.split(" ")[1] ?? "0",
    );
  const answer = (stdout: string) =>
    JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;

  before(async () => {
    tool("promtool", "prometheus");
    lab = await startHarness();
  });
  after(async () => lab.close());
  beforeEach(() => {
    lab.api.faults.clear();
    textfiles = mkdtempSync(join(tmpdir(), "fortress-textfiles-"));
    lab.writeConfig({ metricsDir: textfiles });
  });

  it("counts a containment and its release by action and result, as a valid textfile, atomically", async () => {
    assert.equal((await contain("add", HOST)).code, 0);
    assert.equal((await contain("delete", HOST)).code, 0);
    assert.equal(value('fortress_containment_actions_total{action="add",result="contained"}') >= 1, true);
    assert.equal(value('fortress_containment_actions_total{action="delete",result="released"}') >= 1, true);
    assert.ok(
      Math.abs(value("fortress_containment_last_success_timestamp_seconds") - Date.now() / 1000) < 60,
    );
    const checked = spawnSync("promtool", ["check", "metrics"], { input: prom(), encoding: "utf8" });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.deepEqual(readdirSync(textfiles), ["fortress_containment.prom"]);
    assert.equal(statSync(join(textfiles, "fortress_containment.prom")).mode & 0o777, 0o644);
    // The counts live in the root-only state directory, which holds no textfile.
    assert.equal(statSync(join(lab.stateDir, ".metrics.json")).mode & 0o777, 0o600);
  });

  it("moves the failure counter and its time when a containment fails, and again on the next failure", async () => {
    await contain("delete", HOST);
    const failedBefore = existsSync(join(textfiles, "fortress_containment.prom"))
      ? value('fortress_containment_actions_total{action="add",result="failed"}')
      : 0;
    lab.api.faults.inject({
      path: "firewall/alias_util/add",
      kind: "userException",
      message: "Config lock timeout",
      times: 2,
    });
    const first = await contain("add", HOST);
    assert.equal(first.code, 3);
    assert.equal(value('fortress_containment_actions_total{action="add",result="failed"}'), failedBefore + 1);
    const failedAt = value("fortress_containment_last_failure_timestamp_seconds");
    assert.ok(Math.abs(failedAt - Date.now() / 1000) < 60);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await contain("add", HOST)).code, 3);
    assert.equal(value('fortress_containment_actions_total{action="add",result="failed"}'), failedBefore + 2);
    assert.ok(value("fortress_containment_last_failure_timestamp_seconds") > failedAt);
    // A transient failure (no firewall) counts as one too.
    lab.writeConfig({ url: "http://127.0.0.1:9", metricsDir: textfiles, extra: { attempts: 2 } });
    assert.equal((await contain("add", HOST)).code, 4);
    assert.equal(value('fortress_containment_actions_total{action="add",result="transient"}') >= 1, true);
  });

  it("counts the hosts its records hold", async () => {
    await contain("--for", "600", "add", HOST);
    const held = value("fortress_containment_recorded_hosts");
    assert.ok(held >= 1);
    await contain("delete", HOST);
    assert.equal(value("fortress_containment_recorded_hosts"), held - 1);
  });

  it("answers the same with and without metrics, also when the directory is missing or cannot be written", async () => {
    await contain("delete", HOST);
    lab.writeConfig();
    const without = await contain("add", HOST);
    await contain("delete", HOST);
    rmSync(textfiles, { recursive: true });
    lab.writeConfig({ metricsDir: textfiles });
    const missing = await contain("add", HOST);
    await contain("delete", HOST);
    assert.ok(!existsSync(textfiles), "a missing textfile directory is not made");
    assert.doesNotMatch(missing.stderr, /metrics not written/);
    // The textfile's name taken by a directory: the rename fails, even for root.
    const blocked = mkdtempSync(join(tmpdir(), "fortress-textfiles-"));
    mkdirSync(join(blocked, "fortress_containment.prom"));
    lab.writeConfig({ metricsDir: blocked });
    const broken = await contain("add", HOST);
    assert.match(broken.stderr, /metrics not written/);
    assert.deepEqual(readdirSync(blocked), ["fortress_containment.prom"], "no temporary file left");
    for (const ran of [missing, broken]) {
      assert.equal(ran.code, without.code);
      assert.deepEqual(answer(ran.stdout), answer(without.stdout));
    }
    await contain("delete", HOST);
  });
});
