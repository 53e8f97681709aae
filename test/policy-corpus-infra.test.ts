/**
 * The adversarial corpus of issue 11's classes 1–4 (policies/corpus/*.fixtures.ts), run against the
 * whole pack over the real home plan: every violation case must be reported by the policy it names,
 * every twin by no policy at all. Prints caught/total and false positives per class.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { guestsCorpus } from "../policies/corpus/guests.fixtures";
import { type Corpus, type CorpusClass, Lab } from "../policies/corpus/lab.fixtures";
import { opnsenseCorpus } from "../policies/corpus/opnsense.fixtures";
import { passwordsCorpus } from "../policies/corpus/passwords.fixtures";
import { privilegesCorpus } from "../policies/corpus/privileges.fixtures";
import { evaluatePolicies } from "../policies/lib/offline";
import type { PlanResource } from "../policies/lib/types";
import { POLICIES } from "../policies/registry";
import { EXIT, plan } from "../stacks/plan/cli";

const CORPUS: Readonly<Record<CorpusClass, Corpus>> = {
  opnsense: opnsenseCorpus,
  guests: guestsCorpus,
  passwords: passwordsCorpus,
  privileges: privilegesCorpus,
};

let home: Lab;

describe("the infrastructure corpus (issue 11, classes 1–4)", () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "fortress-corpus-"));
    const outcome = await plan({ configFile: join(__dirname, "..", "Pulumi.home.yaml"), outDir: out });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    const document = JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as {
      resources: PlanResource[];
    };
    home = new Lab(document.resources);
  });

  it("has at least 45 violation cases, at most a third of them variants of fixtures, and 12 twins", () => {
    const cases = Object.values(CORPUS);
    const violations = cases.flatMap((corpus) => corpus.violations);
    const variants = violations.filter((entry) => entry.variantOf !== undefined);
    assert.ok(violations.length >= 45, `${violations.length} violation cases`);
    assert.ok(
      variants.length * 3 <= violations.length,
      `${variants.length} variants of ${violations.length}`,
    );
    assert.ok(cases.flatMap((corpus) => corpus.twins).length >= 12);
    const names = [...violations, ...cases.flatMap((corpus) => corpus.twins)].map((entry) => entry.name);
    assert.equal(new Set(names).size, names.length, "case names are unique");
  });

  it("catches every violation with the policy it names, and flags no twin", async () => {
    const rows: string[] = [];
    const failures: string[] = [];
    for (const [name, corpus] of Object.entries(CORPUS)) {
      let caught = 0;
      let falsePositives = 0;
      for (const entry of corpus.violations) {
        const violations = await evaluatePolicies(POLICIES, entry.build(home).resources);
        if (violations.some((violation) => violation.policy === entry.policy)) caught++;
        else
          failures.push(
            `missed (${name}): ${entry.name} — ${entry.policy}; got ${violations.map((v) => v.policy).join(", ") || "nothing"}`,
          );
      }
      for (const entry of corpus.twins) {
        const violations = await evaluatePolicies(POLICIES, entry.build(home).resources);
        if (violations.length > 0) {
          falsePositives++;
          failures.push(
            `false positive (${name}): ${entry.name} — ${violations.map((v) => `${v.policy}: ${v.message}`).join(" | ")}`,
          );
        }
      }
      rows.push(
        `${name.padEnd(11)} caught ${caught}/${corpus.violations.length}, false positives ${falsePositives}/${corpus.twins.length}`,
      );
    }
    console.log(`infrastructure corpus:\n  ${rows.join("\n  ")}`);
    assert.deepEqual(failures, []);
  });

  it("starts from a home plan the whole pack accepts", async () => {
    assert.deepEqual(await evaluatePolicies(POLICIES, home.resources), []);
  });
});
