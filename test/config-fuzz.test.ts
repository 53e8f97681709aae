/**
 * The door under a fuzzer: mutants of the home lab and of the invalid-config corpus
 * (test/support/configMutations.ts) go through the door as a stack file does. Whatever the mutant,
 * the door answers with either a lab model or issues each carrying a path, a message and a hint, never
 * an exception; an edit the schema must refuse is refused at its path; no issue prints a secret; and
 * the real CLI exits 0 or 2 as the door says, never 3 or 4, without a stack trace. Mutants the door accepts are
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
import { SECRET_KEYS } from "../stacks/config/schema";
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
const SEED = Number(process.env.FORTRESS_FUZZ_SEED || DEFAULT_SEED);
if (!Number.isSafeInteger(SEED))
  throw new Error(`FORTRESS_FUZZ_SEED must be an integer, not ${process.env.FORTRESS_FUZZ_SEED}`);
/** Mutants through validateConfig alone: milliseconds each. */
const VALIDATE_RUNS = 1000;
/** Accepted mutants planned in-process: seconds each. */
const PLAN_RUNS = 3;
/** Mutants through the real CLI, a process each. */
const CLI_RUNS = 3;

const seeds = loadSeeds();
const home = seeds.find((seed) => seed.name === "Pulumi.home.yaml") as Seed;
const scratch = mkdtempSync(join(tmpdir(), "fortress-fuzz-"));

/** Mutants of any seed; fast-check prints one as its seed and edits, not as the whole config. */
const mutantArbitrary = (maybeEdits: number, refused: boolean) =>
  fc.tuple(fc.constantFrom(...seeds), editsArbitrary(maybeEdits, refused)).map(([seed, edits]) => {
    const mutant = mutate(seed, edits);
    return { seed, ...mutant, [fc.toStringMethod]: () => `${seed.name}: ${describeApplied(mutant.applied)}` };
  });

function validate(text: string) {
  return validateConfig(stackConfigSource(parseStackConfig(text, "fuzz")));
}

/** Every secret the stack file holds: the ciphertext of each `secure:` leaf, and a secret key's plaintext. */
function secretsOf(text: string): string[] {
  const config = parseStackConfig(text, "fuzz");
  const secretKeys: readonly string[] = SECRET_KEYS;
  return Object.entries(config.values)
    .filter(([key]) => config.secretKeys.includes(key) || secretKeys.includes(key.replace(/^fortress:/, "")))
    .map(([, value]) => value)
    .filter((value) => value.trim().length >= 8);
}

/** What must hold of the door's answer for one mutant (throws an AssertionError naming the mutant otherwise). */
function checkAnswer(
  config: Record<string, unknown>,
  applied: readonly Applied[],
  seed: Seed,
): readonly ConfigIssue[] {
  const text = toStackFile(config as Parameters<typeof toStackFile>[0]);
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
  for (const issue of issues.filter((candidate) => candidate.message.startsWith("is not set"))) {
    assert.ok(
      !(`fortress:${issue.path}` in config),
      `fortress:${issue.path} is set, yet "is not set" (${where})`,
    );
  }
  const refused = applied.filter((edit) => edit.mustRefuse);
  for (const edit of refused) {
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

/** Two entries of one list made to clash (a problem of meaning), and a third entry broken in shape. */
interface SiblingCase {
  readonly list: "fortress:networks" | "fortress:nodes";
  readonly clash: string;
  readonly shape: readonly [string, unknown];
}

const SIBLINGS: readonly SiblingCase[] = [
  { list: "fortress:networks", clash: "vlan", shape: ["cidr", 5] },
  { list: "fortress:networks", clash: "name", shape: ["gateway", null] },
  { list: "fortress:nodes", clash: "name", shape: ["cores", "four"] },
  { list: "fortress:nodes", clash: "address", shape: ["memoryGb", [16]] },
];

/** The home lab with entry `later` of the case's list given the `clash` field of entry `earlier`, and entry `broken` (if any) broken in shape. */
function siblings(sibling: SiblingCase, earlier: number, later: number, broken?: number) {
  const config = structuredClone(home.config) as Record<string, Record<string, unknown>[]>;
  const entries = config[sibling.list] as Record<string, unknown>[];
  (entries[later] as Record<string, unknown>)[sibling.clash] = (entries[earlier] as Record<string, unknown>)[
    sibling.clash
  ];
  if (broken !== undefined) (entries[broken] as Record<string, unknown>)[sibling.shape[0]] = sibling.shape[1];
  const issues = validate(toStackFile(config as Parameters<typeof toStackFile>[0])).issues;
  const clashPath = `${sibling.list.slice("fortress:".length)}[${later}].${sibling.clash}`;
  return {
    issues,
    clashReported: issues.some((issue) => issue.path === clashPath && /already/.test(issue.message)),
  };
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
        checkAnswer(config, applied, seed);
      }),
      { seed: SEED, numRuns: VALIDATE_RUNS },
    );
  });

  it("reports a clash between two list entries beside a shape error in a third", () => {
    const cases = fc.constantFrom(...SIBLINGS).chain((sibling) =>
      fc.tuple(
        fc.constant(sibling),
        fc.uniqueArray(fc.nat({ max: (home.config[sibling.list] as unknown[]).length - 1 }), {
          minLength: 3,
          maxLength: 3,
        }),
      ),
    );
    fc.assert(
      fc.property(cases, ([sibling, [first, second, broken]]) => {
        const [earlier, later] = [Math.min(first!, second!), Math.max(first!, second!)];
        const where = `${sibling.list}[${later}].${sibling.clash} = [${earlier}]'s, ${sibling.list}[${broken}].${sibling.shape[0]} broken`;
        assert.ok(
          siblings(sibling, earlier, later).clashReported,
          `the clash alone is not reported: ${where}`,
        );
        assert.ok(
          siblings(sibling, earlier, later, broken).clashReported,
          `the shape error hides the clash: ${where}`,
        );
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it(`plans ${PLAN_RUNS} accepted mutants of the home lab policy-clean`, async () => {
    const accepted = fc
      .tuple(
        fc.constant(home),
        editsArbitrary(2, false).filter((edits) => edits.length > 0),
      )
      .map(([seed, edits]) => {
        const mutant = mutate(seed, edits);
        const text = toStackFile(mutant.config);
        return {
          ...mutant,
          text,
          [fc.toStringMethod]: () => `${seed.name}: ${describeApplied(mutant.applied)}`,
        };
      })
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
        const issues = checkAnswer(config, applied, seed);
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
