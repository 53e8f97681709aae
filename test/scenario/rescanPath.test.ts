/**
 * The offline rescan path (scenario/offline/rescanPath.ts): the manager's ssh argv, an ssh stand-in that
 * hands the request to the Greenbone VM's forced-command wrapper in SSH_ORIGINAL_COMMAND, the sudo
 * stand-in holding the sudoers rule, and the vuln layer's fortress-rescan, here running a recorder
 * instead of the GMP client.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { rescanArgv, rescanSudoers } from "../../components/response/containment/rescanAccess";
import { RESCAN_EXIT_CODES } from "../../components/vuln/gvmProgram";
import { runProcess } from "../../scenario/offline/proc";
import {
  installRescanPath,
  type RescanPath,
  sshStandIn,
  sudoStandIn,
} from "../../scenario/offline/rescanPath";
import { shellcheck } from "../support/debianTools";

const TARGETS = ["management", "servers", "users"];

describe("the offline rescan path", () => {
  let dir: string;
  let path: RescanPath;
  let record: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fortress-rescan-path-"));
    record = join(dir, "record.jsonl");
    const program = join(dir, "recorder.py");
    // Stands in for fortress_gvm.py: records its argv, who it runs as and the environment it got.
    writeFileSync(
      program,
      [
        "import json, os, sys",
        `with open(${JSON.stringify(record)}, "a") as f:`,
        "    f.write(json.dumps({'argv': sys.argv[1:], 'env': dict(os.environ)}) + '\\n')",
        "",
      ].join("\n"),
    );
    path = installRescanPath(join(dir, "vm"), {
      managerArgv: rescanArgv("10.10.20.70"),
      managerAddress: "10.10.20.64",
      targets: TARGETS,
      program,
      rootEnv: { FORTRESS_GVMD_SOCKET: join(dir, "gvmd.sock") },
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const recorded = () =>
    readFileSync(record, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { argv: string[]; env: Record<string, string> });
  const request = (words: readonly string[]) =>
    runProcess(path.argv[0]!, [...path.argv.slice(1), ...words], { env: { FORTRESS_CALLER_SECRET: "leak" } });

  it("keeps the manager's ssh argv (rescanArgv) after the stand-in, and both stand-ins pass shellcheck", () => {
    assert.deepEqual(path.argv.slice(1), rescanArgv("10.10.20.70").slice(1));
    const paths = { wrapper: "/w", sudoDir: "/b", home: "/h", log: "/l", from: "10.10.20.64" };
    for (const script of [sshStandIn(paths), sudoStandIn(rescanSudoers(TARGETS, "/r"), { A: "b" })]) {
      const result = shellcheck(script, "sh");
      assert.equal(result.status, 0, result.stdout + result.stderr);
    }
  });

  it("runs fortress-rescan <target> for the request the active response sends, in root's environment only", async () => {
    const result = await request(["users"]);
    assert.equal(result.code, RESCAN_EXIT_CODES.started, result.stderr);
    assert.equal(readFileSync(path.log, "utf8"), "10.10.20.70 fortress-rescan users\n");
    const runs = recorded();
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]!.argv, ["rescan", "users"]);
    assert.equal(runs[0]!.env.FORTRESS_GVMD_SOCKET, join(dir, "gvmd.sock"));
    assert.equal(runs[0]!.env.USER, "root");
    assert.equal(
      runs[0]!.env.FORTRESS_CALLER_SECRET,
      undefined,
      "nothing of the caller's crosses ssh and sudo",
    );
    assert.equal(runs[0]!.env.SSH_ORIGINAL_COMMAND, undefined, "sudo resets the environment");
  });

  it("refuses an unknown target and any other command with the wrapper's usage code, running nothing", async () => {
    const before = recorded().length;
    for (const words of [["guest"], ["users;id"], ["users", "users"]]) {
      const result = await request(words);
      assert.equal(result.code, RESCAN_EXIT_CODES.usage, `${words.join(" ")}: ${result.stderr}`);
    }
    const shell = await runProcess(path.argv[0]!, [...path.argv.slice(1, -1), "sh", "-c", "id"]);
    assert.equal(shell.code, RESCAN_EXIT_CODES.usage);
    assert.doesNotMatch(shell.stdout, /uid=/);
    assert.equal(recorded().length, before);
  });

  it("the sudo stand-in allows only the sudoers rule's commands", async () => {
    const sudo = join(dir, "vm", "bin", "sudo");
    const rescan = join(dir, "vm", "fortress-rescan");
    const before = recorded().length;
    for (const args of [
      ["-n", rescan, "guest"],
      ["-n", "/bin/sh", "-c", "id"],
      [rescan, "users"],
    ]) {
      const result = await runProcess(sudo, args);
      assert.equal(result.code, 1, args.join(" "));
    }
    assert.equal((await runProcess(sudo, ["-n", rescan, "servers"])).code, 0);
    assert.deepEqual(
      recorded()
        .slice(before)
        .map((run) => run.argv),
      [["rescan", "servers"]],
    );
  });
});
