/**
 * The rendered rules through Debian's promtool 2.42 (package `prometheus`; .ci/run installs it):
 * `check rules` on the home lab's and a minimal lab's groups, and `test rules` with one case per alert
 * (ruleTests.fixtures.ts): the series that fire it, with the labels and annotations expected, and the
 * series that must not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import * as yaml from "js-yaml";
import { run } from "../../../test/support/debianTools";
import { alertRules, alertsOf, ruleFileYaml } from "./alertRules";
import { homeLabInput, MINIMAL_LAB } from "./labs.fixtures";
import { RULE_CASES, type RuleCase, TEST_LAB } from "./ruleTests.fixtures";

const dir = mkdtempSync(join(tmpdir(), "fortress-rules-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function promtool(args: readonly string[]): { status: number | null; output: string } {
  const result = run("promtool", args, { cwd: dir });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function writeRules(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function unitTests(ruleFile: string, cases: readonly RuleCase[]): string {
  const tests = cases.flatMap((ruleCase) => [
    {
      interval: "1m",
      input_series: ruleCase.fire.series,
      alert_rule_test: [
        {
          eval_time: ruleCase.fire.at,
          alertname: ruleCase.alert,
          exp_alerts: ruleCase.fire.alerts.map((alert) => ({
            exp_labels: alert.labels,
            exp_annotations: alert.annotations,
          })),
        },
      ],
    },
    {
      interval: "1m",
      input_series: ruleCase.quiet.series,
      alert_rule_test: [{ eval_time: ruleCase.quiet.at, alertname: ruleCase.alert, exp_alerts: [] }],
    },
  ]);
  return yaml.dump({ rule_files: [ruleFile], evaluation_interval: "1m", tests }, { lineWidth: -1 });
}

describe("promtool check rules", () => {
  for (const [lab, input] of [
    ["the home lab", homeLabInput()],
    ["a minimal lab", MINIMAL_LAB],
    ["the test lab", TEST_LAB],
  ] as const)
    it(`passes ${lab}'s rules`, () => {
      const file = writeRules(`${lab.replace(/\W+/g, "-")}.yml`, ruleFileYaml(alertRules(input)));
      const result = promtool(["check", "rules", "--lint=all", "--lint-fatal", file]);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /SUCCESS: \d+ rules found/);
    });

  it("refuses a rule file with a broken expression (the check can fail)", () => {
    const [group] = alertRules(MINIMAL_LAB);
    assert.ok(group);
    const broken = { ...group, rules: group.rules.map((rule) => ({ ...rule, expr: `${rule.expr} ==` })) };
    const result = promtool(["check", "rules", writeRules("broken.yml", ruleFileYaml([broken]))]);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /could not parse expression/);
  });
});

describe("promtool test rules", () => {
  it("has one case per alert the test lab and the home lab raise", () => {
    const cases = new Set(RULE_CASES.map((ruleCase) => ruleCase.alert));
    assert.equal(cases.size, RULE_CASES.length, "an alert has two cases");
    const alerts = new Set(alertsOf(alertRules(TEST_LAB)).map((rule) => rule.alert));
    assert.deepEqual([...cases].sort(), [...alerts].sort());
    for (const rule of alertsOf(alertRules(homeLabInput())))
      assert.ok(cases.has(rule.alert), `${rule.alert} has no promtool case`);
  });

  it("fires each alert on its series, with its labels and annotations, and not on the others", () => {
    const rules = writeRules("test-lab.yml", ruleFileYaml(alertRules(TEST_LAB)));
    const tests = join(dir, "tests.yml");
    writeFileSync(tests, unitTests(rules, RULE_CASES));
    const result = promtool(["test", "rules", tests]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  it("fails when an expected alert does not come (the unit test can fail)", () => {
    const rules = writeRules("test-lab-2.yml", ruleFileYaml(alertRules(TEST_LAB)));
    const [first] = RULE_CASES;
    assert.ok(first);
    const swapped: RuleCase = { ...first, fire: { ...first.fire, series: first.quiet.series } };
    const tests = join(dir, "tests-failing.yml");
    writeFileSync(tests, unitTests(rules, [swapped]));
    const result = promtool(["test", "rules", tests]);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`alertname: ${first.alert}`));
  });
});
