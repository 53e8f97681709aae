/**
 * The invalid-config corpus: every file in test/config-corpus/ is a full stack config broken on
 * purpose, with the problems it must produce written in its leading comments:
 *
 *   # expect: networks[1].vlan :: is already used by networks[0]
 *   # count: 1
 *
 * `expect` means some issue has exactly that path (under `fortress:`) and a message containing the
 * text after `::`; `hint` (optional) likewise for the hint; `count` is the exact number of issues;
 * `# never: TEXT` (a secret in the case) means no path, message or hint contains TEXT.
 * Stack files that are not YAML or not stack files live in config-corpus/stack-files/
 * (test/stack-files.test.ts).
 * Every issue must carry a path, a message and a hint, and no lab model may come back.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../stacks/config/errors";
import { validateConfig } from "../stacks/config/load";
import { runProgram } from "../stacks/plan/run";
import { parseStackConfig, stackConfigSource } from "../stacks/plan/stackConfig";

const ROOT = join(__dirname, "..");
const CORPUS = join(__dirname, "config-corpus");
/** The case the end-to-end test runs through the CLI: problems in several keys at once. */
const CLI_CASE = "many-problems.yaml";

interface Expectation {
  readonly path: string;
  /** Text the issue's message (for `expect`) or hint (for `hint`) contains. */
  readonly text: string;
}

interface CorpusCase {
  readonly file: string;
  readonly text: string;
  readonly expectations: readonly Expectation[];
  readonly hints: readonly Expectation[];
  /** Text (a secret) that no issue may repeat. */
  readonly never: readonly string[];
  readonly count?: number;
}

function parseCase(file: string): CorpusCase {
  const text = readFileSync(join(CORPUS, file), "utf8");
  const expectations: Expectation[] = [];
  const hints: Expectation[] = [];
  const never: string[] = [];
  let count: number | undefined;
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    const expect = /^# (expect|hint): (\S+) :: (.+)$/.exec(line);
    if (expect?.[2] && expect[3]) {
      (expect[1] === "expect" ? expectations : hints).push({ path: expect[2], text: expect[3].trim() });
    }
    const secret = /^# never: (.+)$/.exec(line);
    if (secret?.[1]) never.push(secret[1].trim());
    const total = /^# count: (\d+)$/.exec(line);
    if (total?.[1]) count = Number(total[1]);
  }
  return { file, text, expectations, hints, never, ...(count === undefined ? {} : { count }) };
}

function validate(text: string, stack: string) {
  return validateConfig(stackConfigSource(parseStackConfig(text, stack)));
}

const describeIssues = (issues: readonly ConfigIssue[]) =>
  issues.map((issue) => `  ${issue.path}: ${issue.message} (hint: ${issue.hint})`).join("\n");

const corpus = readdirSync(CORPUS)
  .filter((file) => file.endsWith(".yaml"))
  .sort()
  .map(parseCase);

describe("invalid-config corpus", () => {
  it("holds at least 30 cases, each with at least one expectation", () => {
    assert.ok(corpus.length >= 30, `only ${corpus.length} cases in ${CORPUS}`);
    for (const testCase of corpus) {
      assert.ok(testCase.expectations.length > 0, `${testCase.file} has no "# expect:" line`);
    }
  });

  it("starts from a seed config that is valid", () => {
    const { issues, model } = validate(readFileSync(join(ROOT, "Pulumi.home.yaml"), "utf8"), "home");
    assert.deepEqual(issues, [], describeIssues(issues));
    assert.ok(model, "the seed config gives no lab model");
  });

  for (const testCase of corpus) {
    it(testCase.file, () => {
      const { issues, model } = validate(testCase.text, testCase.file.replace(/\.yaml$/, ""));
      const found = `issues found:\n${describeIssues(issues)}`;
      assert.ok(issues.length > 0, "the config was accepted");
      assert.equal(model, undefined, "a lab model came back despite the problems");
      for (const issue of issues) {
        assert.ok(issue.path.trim().length > 0, `an issue has no path: ${issue.message}`);
        assert.ok(issue.message.trim().length > 0, `${issue.path} has no message`);
        assert.ok(issue.hint.trim().length > 0, `${issue.path} has no hint`);
      }
      for (const expected of testCase.expectations) {
        assert.ok(
          issues.some((issue) => issue.path === expected.path && issue.message.includes(expected.text)),
          `no issue at ${expected.path} with a message containing "${expected.text}"; ${found}`,
        );
      }
      for (const expected of testCase.hints) {
        assert.ok(
          issues.some((issue) => issue.path === expected.path && issue.hint.includes(expected.text)),
          `no issue at ${expected.path} with a hint containing "${expected.text}"; ${found}`,
        );
      }
      for (const secret of testCase.never) {
        const body = testCase.text.replace(/^(#.*\n)+/, "");
        assert.ok(body.includes(secret), `${testCase.file}: "# never: ${secret}" is not in the case`);
        const leaked = issues.find((issue) =>
          `${issue.path} ${issue.message} ${issue.hint}`.includes(secret),
        );
        assert.equal(leaked, undefined, `an issue repeats the secret ${secret}`);
      }
      if (testCase.count !== undefined) assert.equal(issues.length, testCase.count, found);
    });
  }
});

describe("the program under mocks", () => {
  it("registers the seed lab's resources (so that an empty capture below means something)", async () => {
    const run = await runProgram(
      parseStackConfig(readFileSync(join(ROOT, "Pulumi.home.yaml"), "utf8"), "home"),
    );
    assert.ok(run.ok, "the seed config failed");
    assert.ok(run.resources.length > 0, "no resource was captured for the seed config");
  });

  for (const testCase of corpus) {
    it(`registers nothing for ${testCase.file} and reports the same problems`, async () => {
      const config = parseStackConfig(testCase.text, testCase.file.replace(/\.yaml$/, ""));
      const run = await runProgram(config);
      assert.equal(run.ok, false, "the program ran to the end");
      if (run.ok) return;
      assert.deepEqual(run.resources, [], "resources were registered before the config was rejected");
      assert.deepEqual(run.issues, validateConfig(stackConfigSource(config)).issues);
    });
  }
});

describe("npm run plan with an invalid config", () => {
  it("exits 2, names every bad path on stderr, and writes no plan", () => {
    const testCase = parseCase(CLI_CASE);
    const scratch = mkdtempSync(join(tmpdir(), "fortress-invalid-"));
    const out = join(scratch, "plan");
    try {
      const run = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "stacks/plan/cli.ts",
          "--config",
          join("test", "config-corpus", CLI_CASE),
          "--out",
          out,
        ],
        { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
      );
      assert.equal(run.status, 2, `exit ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      assert.ok(testCase.expectations.length > 1, `${CLI_CASE} should break several keys at once`);
      for (const expected of testCase.expectations) {
        assert.ok(
          run.stderr.includes(`fortress:${expected.path}: `),
          `stderr does not name fortress:${expected.path}:\n${run.stderr}`,
        );
      }
      assert.match(run.stderr, new RegExp(`has ${testCase.count} problems; nothing was deployed`));
      assert.equal(existsSync(join(out, "plan.json")), false, "plan.json was written");
      assert.equal(existsSync(out), false, "the output directory was created");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
