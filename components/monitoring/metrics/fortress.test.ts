/**
 * The catalogue of Fortress's own textfile metrics against the programs that write them: the names
 * each program spells are the catalogue's, and the containment's renderer, run for real, writes only
 * catalogued series with their labels and types (the Wazuh program's output is checked the same way in
 * components/monitoring/wazuh/metrics.test.ts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CONTAINMENT_PROGRAM, FORTRESS_TEXTFILES, textfileProblems, WAZUH_METRICS_PROGRAM } from "./fortress";

const ROOT = join(__dirname, "..", "..", "..");
const namesIn = (path: string, prefix: string) =>
  new Set(
    [...readFileSync(join(ROOT, path), "utf8").matchAll(new RegExp(`\\b(${prefix}[a-z_]+)`, "g"))].map(
      (match) => match[1],
    ),
  );

describe("Fortress's textfile metrics", () => {
  it("lists exactly the names the two programs write", () => {
    const catalogued = new Set(FORTRESS_TEXTFILES.metrics.map((spec) => spec.name));
    const written = new Set([
      ...namesIn(WAZUH_METRICS_PROGRAM, "fortress_wazuh_"),
      // The containment program builds the two timestamps' names from a loop variable.
      ...[...namesIn(CONTAINMENT_PROGRAM, "fortress_containment_")].filter((name) => !name?.endsWith("_")),
      "fortress_containment_last_failure_timestamp_seconds",
      "fortress_containment_last_success_timestamp_seconds",
    ]);
    assert.deepEqual([...written].sort(), [...catalogued].sort());
    assert.equal(FORTRESS_TEXTFILES.job, "node");
  });

  it("matches what the containment's renderer writes, labels and types included", () => {
    const script = [
      "import importlib.machinery, sys",
      "module = importlib.machinery.SourceFileLoader('contain', sys.argv[1]).load_module()",
      "state = {'actions': {'add|contained': 3, 'add|failed': 1}, 'last_failure': 1700000000.5, 'last_success': 1700000100.0}",
      "sys.stdout.write(module.Metrics(None, None).render(state, 2))",
    ].join("\n");
    const ran = spawnSync("python3", ["-c", script, join(ROOT, CONTAINMENT_PROGRAM)], { encoding: "utf8" });
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stdout, /^fortress_containment_actions_total\{action="add",result="failed"\} 1$/m);
    assert.deepEqual(textfileProblems(ran.stdout), []);
    assert.deepEqual(textfileProblems('fortress_containment_actions_total{action="add"} 1\n'), [
      "fortress_containment_actions_total has labels action, the catalogue says action,result",
    ]);
    assert.deepEqual(textfileProblems("# TYPE fortress_wazuh_agents counter\n"), [
      "fortress_wazuh_agents is a counter, the catalogue says gauge",
    ]);
  });
});
