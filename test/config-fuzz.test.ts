/**
 * The door under a fuzzer: mutants of the home lab and of the invalid-config corpus
 * (test/support/configMutations.ts) go through the door as a stack file does. Whatever the mutant,
 * the door answers with either a lab model or issues each carrying a path, a message and a hint, never
 * an exception; an edit the schema must refuse is refused at its path; no issue prints a secret; and
 * the real CLI exits 0, 1 or 2, never 3 or 4, without a stack trace. Mutants the door accepts are
 * planned, and must plan policy-clean.
 *
 * Reproducible: the seed is fixed, FORTRESS_FUZZ_SEED overrides it (a failure prints the seed and
 * the counterexample's path for fast-check's `path` option). The time is bounded by numRuns.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import type { ConfigIssue } from "../stacks/config/errors";
import { validateConfig } from "../stacks/config/load";
import { EXIT, plan } from "../stacks/plan/cli";
import { parseStackConfig, stackConfigSource } from "../stacks/plan/stackConfig";
import {
  type Applied,
  describeApplied,
  editsArbitrary,
  issuePath,
  loadSeeds,
  mutate,
  type Seed,
  toStackFile,
} from "./support/configMutations";

const ROOT = join(__dirname, "..");
const DEFAULT_SEED = 20261130;
const SEED = process.env.FORTRESS_FUZZ_SEED ? Number(process.env.FORTRESS_FUZZ_SEED) : DEFAULT_SEED;
/** Mutants through validateConfig alone: milliseconds each. */
const VALIDATE_RUNS = 1000;
/** Accepted mutants planned in-process: seconds each. */
const PLAN_RUNS = 4;
/** Mutants through the real CLI, a process each. */
const CLI_RUNS = 3;

const seeds = loadSeeds();
const home = seeds.find((seed) => seed.name === "Pulumi.home.yaml") as Seed;
const scratch = mkdtempSync(join(tmpdir(), "fortress-fuzz-"));

const mutantArbitrary = (maybeEdits: number, refused: boolean) =>
  fc.tuple(fc.constantFrom(...seeds), editsArbitrary(maybeEdits, refused)).map(([seed, edits]) => ({
    seed,
    ...mutate(seed, edits),
  }));

function validate(text: string) {
  return validateConfig(stackConfigSource(parseStackConfig(text, "fuzz")));
}

/** Every secret the stack file holds: the ciphertext of each `secure:` leaf, and a secret key's plaintext. */
function secretsOf(text: string): string[] {
  const config = parseStackConfig(text, "fuzz");
  const secretKeys = ["proxmoxApiToken", "sshPrivateKey", "opnsenseApiKey", "opnsenseApiSecret", "kubeconfig"];
  return Object.entries(config.values)
    .filter(([key]) => config.secretKeys.includes(key) || secretKeys.includes(key.replace(/^fortress:/, "")))
    .map(([, value]) => value)
    .filter((value) => value.trim().length >= 8);
}

/** What must hold of the door's answer for one mutant (throws an AssertionError naming the mutant otherwise). */
function checkAnswer(text: string, applied: readonly Applied[], seed: Seed): readonly ConfigIssue[] {
  const where = `mutant of ${seed.name}: ${describeApplied(applied) || "no edit"}`;
  const { issues, model } = validate(text);
  assert.equal(issues.length === 0, model !== undefined, `a model and issues at once, or neither (${where})`);
  for (const issue of issues) {
    for (const field of ["path", "message", "hint"] as const) {
      assert.ok(
        typeof issue[field] === "string" && issue[field].trim().length > 0,
        `an issue without a ${field}: ${JSON.stringify(issue)} (${where})`,
      );
    }
    for (const secret of secretsOf(text)) {
      assert.ok(
        !`${issue.message} ${issue.hint}`.includes(secret),
        `fortress:${issue.path} prints a secret value (${where})`,
      );
    }
  }
  for (const edit of applied.filter((candidate) => candidate.mustRefuse)) {
    const path = issuePath(edit.path);
    assert.ok(model === undefined, `accepted, though the schema must refuse it (${where})`);
    if (!path) continue;
    // The issue is at the edited place or at a place that holds it (`nodes[0]` for `nodes[0].cores`).
    const holds = (issue: ConfigIssue) =>
      path === issue.path || path.startsWith(`${issue.path}.`) || path.startsWith(`${issue.path}[`);
    assert.ok(
      issues.some(holds),
      `no issue at fortress:${path} or above it (${where}); issues: ${issues.map((i) => i.path).join(", ")}`,
    );
  }
  return issues;
}

function runCli(configFile: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "stacks/plan/cli.ts", "--config", configFile, "--out", join(scratch, "out")],
      { cwd: ROOT },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe(`the config door under a fuzzer (seed ${SEED}; FORTRESS_FUZZ_SEED overrides it)`, () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("reads the seeds: the home lab and the corpus", () => {
    assert.ok(home, "Pulumi.home.yaml is not among the seeds");
    assert.ok(seeds.length > 30, `only ${seeds.length} seeds`);
    assert.deepEqual(validate(toStackFile(home.config)).issues, [], "the home lab, written back, is refused");
  });

  it(`answers ${VALIDATE_RUNS} mutants with a model or issues (path, message, hint), refusing what it must`, () => {
    fc.assert(
      fc.property(mutantArbitrary(3, true), ({ seed, config, applied }) => {
        checkAnswer(toStackFile(config), applied, seed);
      }),
      { seed: SEED, numRuns: VALIDATE_RUNS },
    );
  });

  it(`plans ${PLAN_RUNS} accepted mutants of the home lab policy-clean`, async () => {
    const accepted = fc
      .tuple(fc.constant(home), editsArbitrary(2, false).filter((edits) => edits.length > 0))
      .map(([seed, edits]) => ({ seed, ...mutate(seed, edits) }))
      .map((mutant) => ({ ...mutant, text: toStackFile(mutant.config) }))
      .filter((mutant) => validate(mutant.text).model !== undefined);
    await fc.assert(
      fc.asyncProperty(accepted, async ({ text, applied }) => {
        const configFile = join(scratch, "Pulumi.fuzz.yaml");
        writeFileSync(configFile, text);
        const outcome = await plan({ configFile, outDir: null });
        const violations = outcome.plan?.violations ?? [];
        assert.deepEqual(
          violations.map((violation) => `${violation.policy}: ${violation.message}`),
          [],
          `accepted, then planned with violations: ${describeApplied(applied)}`,
        );
        assert.equal(outcome.exitCode, EXIT.ok, `${describeApplied(applied)}\n${outcome.text}`);
      }),
      { seed: SEED, numRuns: PLAN_RUNS },
    );
  });

  it(`runs ${CLI_RUNS} mutants through the real CLI: exit 0 or 2 as the door says, never 3 or 4, no stack trace`, async () => {
    await fc.assert(
      fc.asyncProperty(mutantArbitrary(2, true), async ({ seed, config, applied }) => {
        const text = toStackFile(config);
        const issues = checkAnswer(text, applied, seed);
        const configFile = join(scratch, "Pulumi.fuzz.yaml");
        writeFileSync(configFile, text);
        const run = await runCli(configFile);
        const shown = `${describeApplied(applied)} (${seed.name})\nexit ${run.status}\nstderr:\n${run.stderr}`;
        assert.doesNotMatch(run.stderr, /^ {4}at /m, `a stack trace: ${shown}`);
        assert.equal(run.status, issues.length > 0 ? EXIT.invalidConfig : EXIT.ok, shown);
        for (const issue of issues) assert.ok(run.stderr.includes(`fortress:${issue.path}: `), shown);
      }),
      { seed: SEED, numRuns: CLI_RUNS },
    );
  });
});
