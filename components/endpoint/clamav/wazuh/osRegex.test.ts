import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { compileOsMatch, compileOsRegex, execOsMatch, execOsRegex, OS_RETURN_SUBSTRING } from "./osRegex";

/**
 * Wazuh's own test vectors for OSRegex_Execute_ex, verbatim from wazuh/wazuh@v4.14.6 (44c2925b46bd058d2426bd44ed1b3e5d7b7b03b4):
 * src/unit_tests/os_regex/test_os_regex_execute.json (format: test_os_regex_execute.md). Its harness
 * (test_os_regex_execute.c) compiles with OS_RETURN_SUBSTRING and compares the returned pointer's
 * string (end_match) and the groups; cases marked skip_test or ignore_result are known C bugs the
 * harness does not hold the code to, and neither does this one.
 */
interface Vector {
  readonly description?: string;
  readonly pattern: string;
  readonly log: string;
  readonly end_match: string | null;
  readonly captured_groups: readonly string[];
  readonly skip_test?: boolean;
  readonly ignore_result?: boolean;
}
const suites = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "wazuh-v4.14.6-test_os_regex_execute.json"), "utf8"),
) as { description: string; batch_test: Vector[] }[];

describe("OS_Regex port (wazuh/wazuh@v4.14.6 src/os_regex)", () => {
  const held = suites.flatMap((suite) =>
    suite.batch_test
      .filter((vector) => !vector.skip_test && !vector.ignore_result)
      .map((vector) => ({ suite: suite.description, vector })),
  );

  it("runs every vector Wazuh's harness holds the C code to", () => {
    assert.ok(held.length > 250, `only ${held.length} vectors`);
  });

  it("returns what OSRegex_Execute_ex returns for each of them: the end of the match and the groups", () => {
    const failures: string[] = [];
    for (const { suite, vector } of held) {
      let result;
      try {
        result = execOsRegex(compileOsRegex(vector.pattern, OS_RETURN_SUBSTRING), vector.log);
      } catch (error) {
        failures.push(`${suite} / ${vector.description ?? vector.pattern}: threw ${String(error)}`);
        continue;
      }
      const rest = result === undefined ? null : result.rest;
      const groups = result === undefined ? [] : result.groups;
      const expectedGroups = vector.end_match === null ? [] : vector.captured_groups;
      if (rest !== vector.end_match || JSON.stringify(groups) !== JSON.stringify(expectedGroups)) {
        failures.push(
          `${suite} / ${vector.description ?? ""}: ${JSON.stringify(vector.pattern)} on ${JSON.stringify(vector.log)}: got ${JSON.stringify(rest)} ${JSON.stringify(groups)}, want ${JSON.stringify(vector.end_match)} ${JSON.stringify(expectedGroups)}`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });

  it("refuses what OSRegex_Compile refuses: unknown escapes, nested or unbalanced parentheses", () => {
    assert.throws(() => compileOsRegex("\\q"), /BADREGEX/);
    assert.throws(() => compileOsRegex("((a))"), /BADPARENTHESIS/);
    assert.throws(() => compileOsRegex("(a"), /BADPARENTHESIS/);
    assert.throws(() => compileOsRegex("(a|b)"), /BADPARENTHESIS/);
  });
});

describe("OS_Match port (os_match_compile.c, os_match_execute.c)", () => {
  it("anchors with ^ and $, splits on |, negates with !, and ignores case", () => {
    assert.equal(execOsMatch(compileOsMatch("^clamd"), "clamd"), true);
    assert.equal(execOsMatch(compileOsMatch("^clamd"), "ClamD-extra"), true);
    assert.equal(execOsMatch(compileOsMatch("^clamd"), "freshclam"), false);
    assert.equal(execOsMatch(compileOsMatch("FOUND"), "x: y(z:1) found"), true);
    assert.equal(execOsMatch(compileOsMatch("^ERROR: "), "WARNING: ERROR: x"), false);
    assert.equal(execOsMatch(compileOsMatch("stop|Stop"), "daemon stopped"), true);
    assert.equal(execOsMatch(compileOsMatch("^a$"), "A"), true);
    assert.equal(execOsMatch(compileOsMatch("^a$"), "ab"), false);
    assert.equal(execOsMatch(compileOsMatch("b$"), "ab"), true);
    assert.equal(execOsMatch(compileOsMatch("!x"), "abc"), true);
  });
});
