/**
 * The adversarial corpus of issue 11's classes 5-7, run through the whole pack: every violation case must
 * draw a mandatory violation, every legitimate twin none. Prints caught/total and false positives per class.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { POLICIES } from "../registry";
import { charts } from "./charts.fixtures";
import type { CorpusClass } from "./k8s-secrets-types";
import { secrets } from "./secrets.fixtures";
import { workloads } from "./workloads.fixtures";

const CLASSES: readonly CorpusClass[] = [workloads, charts, secrets];

const mandatory = async (resources: CorpusClass["violations"][number]["resources"]) =>
  (await evaluatePolicies(POLICIES, resources)).filter((violation) => violation.level === "mandatory");

describe("the adversarial corpus, classes 5-7", () => {
  it("has at least 40 violations (at most a third restating fixtures) and 10 twins", () => {
    const violations = CLASSES.flatMap((corpus) => corpus.violations);
    assert.ok(violations.length >= 40, `${violations.length} violations`);
    assert.ok(violations.filter((entry) => entry.variant).length * 3 <= violations.length);
    assert.ok(CLASSES.flatMap((corpus) => corpus.twins).length >= 10);
  });

  for (const corpus of CLASSES) {
    it(`catches every violation and flags no twin: ${corpus.title}`, async () => {
      const missed: string[] = [];
      for (const entry of corpus.violations) {
        const by = (await mandatory(entry.resources)).filter((violation) =>
          corpus.policies.includes(violation.policy),
        );
        if (by.length === 0) missed.push(entry.name);
      }
      const flagged: string[] = [];
      for (const entry of corpus.twins) {
        const violations = await mandatory(entry.resources);
        if (violations.length > 0)
          flagged.push(`${entry.name}: ${violations.map((violation) => violation.message).join(" | ")}`);
      }
      const caught = corpus.violations.length - missed.length;
      process.stdout.write(
        `# corpus ${corpus.title}: caught ${caught}/${corpus.violations.length}, false positives ${flagged.length}/${corpus.twins.length}\n`,
      );
      assert.deepEqual({ missed, flagged }, { missed: [], flagged: [] });
    });
  }
});
