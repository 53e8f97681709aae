/**
 * Stack files that are not YAML, or not stack files: each file in test/config-corpus/stack-files/ is
 * planned through the CLI's path, and must exit 2 (ConfigError.EXIT_CODE) with the file, line and
 * column of the problem and a hint, never a stack trace. Leading comments hold the expectation:
 *
 *   # file-error: 7:1 :: holds a merge-conflict marker      (`-` for a problem without a position)
 *   # file-hint: resolve the conflict                         (optional)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { EXIT, plan } from "../stacks/plan/cli";

const ROOT = join(__dirname, "..");
const FOLDER = join("test", "config-corpus", "stack-files");
const scratch = mkdtempSync(join(tmpdir(), "fortress-stack-files-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface FileCase {
  readonly file: string;
  readonly position: string;
  readonly problem: string;
  readonly hint?: string;
}

function parseCase(name: string): FileCase {
  const file = join(FOLDER, name);
  const header = readFileSync(join(ROOT, file), "utf8").split("\n");
  const expected = header.map((line) => /^# file-error: (\S+) :: (.+)$/.exec(line)).find(Boolean);
  assert.ok(expected?.[1] && expected[2], `${name} has no "# file-error: LINE:COLUMN :: text" line`);
  const hint = header.map((line) => /^# file-hint: (.+)$/.exec(line)?.[1]).find(Boolean);
  return { file, position: expected[1], problem: expected[2].trim(), ...(hint ? { hint } : {}) };
}

const cases = readdirSync(join(ROOT, FOLDER))
  .filter((name) => name.endsWith(".yaml"))
  .sort()
  .map(parseCase);

/** What plan() says about `file`: exit 2, the located problem, a hint, no stack trace, nothing written. */
async function assertRefused(file: string, where: string, problem: string, hint?: string): Promise<void> {
  const out = join(scratch, "plan");
  const outcome = await plan({ configFile: file, outDir: out });
  assert.equal(outcome.exitCode, EXIT.invalidConfig, outcome.text);
  assert.ok(outcome.text.includes(`${where}: ${problem}`), `no "${where}: ${problem}" in:\n${outcome.text}`);
  assert.match(outcome.text, /\n {6}hint: \S/, "no hint");
  if (hint) assert.ok(outcome.text.includes(`hint: ${hint}`), `no hint "${hint}" in:\n${outcome.text}`);
  assert.doesNotMatch(outcome.text, /^\s+at /m, "a stack trace was printed");
  assert.equal(existsSync(out), false, "the output directory was created");
}

describe("stack files that are not YAML or not stack files", () => {
  it("holds a case for each kind: tabs, conflict markers, duplicated keys, empty, no config:, config: not a mapping", () => {
    const problems = cases.map((testCase) => testCase.problem).join("\n");
    for (const kind of [
      "tab characters",
      "merge-conflict marker",
      "duplicated mapping key",
      "is empty",
      "has no top-level `config:` mapping",
      "not a mapping of keys",
    ]) {
      assert.ok(problems.includes(kind), `no case for "${kind}"`);
    }
  });

  for (const testCase of cases) {
    it(`${testCase.file.split("/").pop()}: exit 2 at ${testCase.position}`, async () => {
      const where = testCase.position === "-" ? testCase.file : `${testCase.file}:${testCase.position}`;
      await assertRefused(testCase.file, where, testCase.problem, testCase.hint);
    });
  }

  for (const [name, text] of [
    ["zero bytes", ""],
    ["whitespace and newlines", "  \n\n   \n"],
  ] as const) {
    it(`an empty file (${name}) is refused as empty`, async () => {
      const file = join(scratch, `Pulumi.${name.replace(/\W+/g, "-")}.yaml`);
      writeFileSync(file, text);
      await assertRefused(file, file, "is empty");
    });
  }
});

describe("npm run plan with a stack file that is not YAML", () => {
  it("exits 2 with file:line:column and a hint on stderr, and no stack trace", () => {
    const testCase = cases.find((candidate) => candidate.file.endsWith("merge-conflict.yaml"));
    assert.ok(testCase, "the merge-conflict case is missing");
    const out = join(scratch, "cli-plan");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "stacks/plan/cli.ts", "--config", testCase.file, "--out", out],
      { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(run.status, 2, `exit ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.ok(run.stderr.includes(`${testCase.file}:${testCase.position}: ${testCase.problem}`), run.stderr);
    assert.match(run.stderr, /hint: resolve the conflict/);
    assert.doesNotMatch(run.stderr, /^\s+at /m, "a stack trace was printed");
    assert.equal(existsSync(out), false, "the output directory was created");
  });
});
