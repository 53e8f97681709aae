/**
 * The pack's monitoring-config-validated and the real validators agree: each sample of its fixtures
 * (good and bad rule files and Alertmanager configurations) through Debian's promtool 2.42 and amtool
 * 0.25 gets the verdict the fixture records, and the pack the one it records — the same, save where the
 * pack is stricter by Fortress's own rules. And what Fortress renders passes both.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import * as yaml from "js-yaml";
import { run } from "../../test/support/debianTools";
import { evaluatePolicies } from "../../policies/lib/offline";
import { monitoringConfigValidated } from "../../policies/rules/monitoring-config-validated";
import {
  ALERTMANAGER_SAMPLES,
  alertmanagerPlan,
  RULE_SAMPLES,
  rulePlan,
  type Sample,
} from "../../policies/rules/monitoring-config-validated.fixtures";
import { alertmanagerConfig } from "./alertmanager/config";
import { INPUTS } from "./alertmanager/configs.fixtures";
import { alertRules, ruleFileYaml } from "./rules/alertRules";
import { homeLabInput, MINIMAL_LAB } from "./rules/labs.fixtures";
import { TEST_LAB } from "./rules/ruleTests.fixtures";

const dir = mkdtempSync(join(tmpdir(), "fortress-validators-"));
after(() => rmSync(dir, { recursive: true, force: true }));

type Kind = "rules" | "alertmanager";

function tool(kind: Kind, doc: unknown, name: string): { verdict: "pass" | "fail"; output: string } {
  const path = join(dir, `${kind}-${name.replace(/\W+/g, "-")}.yml`);
  writeFileSync(path, yaml.dump(doc));
  const result =
    kind === "rules"
      ? run("promtool", ["check", "rules", "--lint=duplicate-rules", "--lint-fatal", path])
      : run("amtool", ["check-config", path]);
  return { verdict: result.status === 0 ? "pass" : "fail", output: `${result.stdout}${result.stderr}` };
}

async function pack(kind: Kind, doc: Record<string, unknown>): Promise<string[]> {
  const resources = kind === "rules" ? rulePlan(doc) : alertmanagerPlan(doc);
  return (await evaluatePolicies([monitoringConfigValidated], resources)).map((v) => v.message);
}

describe("monitoring-config-validated agrees with promtool 2.42 and amtool 0.25", () => {
  const samples: [Kind, Sample][] = [
    ...RULE_SAMPLES.map((sample): [Kind, Sample] => ["rules", sample]),
    ...ALERTMANAGER_SAMPLES.map((sample): [Kind, Sample] => ["alertmanager", sample]),
  ];
  for (const [kind, sample] of samples)
    it(`${kind}: ${sample.name} — tool ${sample.tool}, pack ${sample.pack}`, async () => {
      const result = tool(kind, sample.doc, sample.name);
      assert.equal(result.verdict, sample.tool, result.output);
      const found = await pack(kind, sample.doc);
      assert.equal(found.length === 0 ? "pass" : "fail", sample.pack, found.join("\n"));
    });

  it("records the pack as stricter only for Fortress's own rules", () => {
    for (const [, sample] of samples)
      if (sample.tool !== sample.pack) {
        assert.equal(sample.tool, "pass", sample.name);
        assert.match(sample.name, /\(Fortress\)$/, sample.name);
      }
  });
});

describe("what Fortress renders passes both", () => {
  for (const [lab, input] of [
    ["the home lab", homeLabInput()],
    ["a minimal lab", MINIMAL_LAB],
    ["the test lab", TEST_LAB],
  ] as const)
    it(`${lab}'s rules`, async () => {
      const doc = yaml.load(ruleFileYaml(alertRules(input))) as Record<string, unknown>;
      const result = tool("rules", doc, lab);
      assert.equal(result.verdict, "pass", result.output);
      assert.deepEqual(await pack("rules", doc), []);
    });
  for (const [name, input] of Object.entries(INPUTS))
    it(`the Alertmanager config with ${name}`, async () => {
      const doc = yaml.load(alertmanagerConfig(input).yaml) as Record<string, unknown>;
      const result = tool("alertmanager", doc, name);
      assert.equal(result.verdict, "pass", result.output);
      assert.deepEqual(await pack("alertmanager", doc), []);
    });
});
