/**
 * The offline lab's execd (scenario/offline/manager.ts) against wazuh/wazuh@v4.14.6
 * src/os_execd/execd.c ExecdRun for a response with timeout 0: one run per alert, the message of
 * ar_json.c with command add and program, one line read back, `continue` for it every time (no
 * timeout list: never `abort`), and nothing answered to a script that writes no line.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CONTAIN_COMMAND } from "../../components/siem/manager/ossecConf";
import { ManagerDouble } from "../../scenario/offline/manager";
import { alertFromClamdLine } from "../../scenario/wazuh";

const AGENT = { id: "003", name: "workstation-1", ip: "10.10.40.23" };
const LINE = `Nov 30 14:20:00 workstation-1 clamd[812]: /home/user/Downloads/x.txt: Fortress.Test.WorkedExample.UNOFFICIAL(0123456789abcdef0123456789abcdef:202) FOUND`;

const alert = (counter: number) =>
  alertFromClamdLine(LINE, {
    agent: AGENT,
    manager: "wazuh-manager-1",
    time: new Date(),
    counter,
    firedtimes: 1,
  }).alert;

/** An active response that records what execd wrote; with KEYS set it sends check_keys and records the answer. */
const SCRIPT = [
  "#!/bin/sh",
  "set -eu",
  "IFS= read -r message",
  'printf "%s\\n" "$message" >> "$RECORD"',
  'if [ -n "${KEYS-}" ]; then',
  '  printf \'{"version":1,"origin":{"name":"x","module":"fortress"},"command":"check_keys","parameters":{"keys":["%s"]}}\\n\' "$KEYS"',
  "  IFS= read -r answer",
  '  printf "%s\\n" "$answer" >> "$RECORD"',
  "fi",
  "",
].join("\n");

describe("the offline execd (timeout 0)", () => {
  let dir: string;
  let script: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fortress-execd-"));
    script = join(dir, "ar.sh");
    writeFileSync(script, SCRIPT);
    chmodSync(script, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const manager = (record: string, keys?: string) =>
    new ManagerDouble({
      dir,
      name: "wazuh-manager-1",
      integrations: [],
      integration: { script: "/nonexistent", options: "/nonexistent" },
      activeResponse: { script, env: { RECORD: record, ...(keys ? { KEYS: keys } : {}) } },
    });
  const lines = (record: string) =>
    readFileSync(record, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it("answers continue to the same keys every time, with the message it sent (never abort)", async () => {
    const record = join(dir, "keys.jsonl");
    const execd = manager(record, "10.10.40.23");
    const runs = [
      await execd.respond(alert(1)),
      await execd.respond(alert(2)),
      await execd.respond(alert(3)),
    ];
    assert.deepEqual(
      runs.map((run) => [run.answer, run.result.code]),
      [
        ["continue", 0],
        ["continue", 0],
        ["continue", 0],
      ],
    );
    const seen = lines(record);
    assert.equal(seen.length, 6);
    for (const [index, run] of runs.entries()) {
      const [message, answer] = [seen[index * 2]!, seen[index * 2 + 1]!];
      assert.equal(message.command, "add");
      assert.deepEqual(message.origin, { name: "node01", module: "wazuh-execd" });
      const parameters = message.parameters as {
        alert: { id: string };
        program: string;
        extra_args: unknown[];
      };
      assert.equal(parameters.alert.id, run.alertId);
      assert.equal(parameters.program, `active-response/bin/${CONTAIN_COMMAND.executable}`);
      assert.deepEqual(parameters.extra_args, []);
      assert.deepEqual(answer, { ...message, command: "continue" });
    }
  });

  it("answers nothing to a stateless script (no keys line) and still runs it once per alert", async () => {
    const record = join(dir, "stateless.jsonl");
    const execd = manager(record);
    const runs = [await execd.respond(alert(4)), await execd.respond(alert(5))];
    assert.deepEqual(
      runs.map((run) => [run.keysLine, run.answer, run.result.code]),
      [
        [undefined, undefined, 0],
        [undefined, undefined, 0],
      ],
    );
    assert.deepEqual(
      lines(record).map((message) => message.command),
      ["add", "add"],
    );
  });
});
