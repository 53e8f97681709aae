/** Every policy has at least one passing and one failing fixture, and each fixture is judged as it says. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { PolicyFixtures } from "./lib/fixtures";
import { evaluatePolicies } from "./lib/offline";
import { POLICIES } from "./registry";

const rulesDir = join(__dirname, "rules");
const policyFiles = readdirSync(rulesDir).filter((file) => /^[a-z0-9-]+\.ts$/.test(file));

function fixturesOf(name: string): PolicyFixtures {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(rulesDir, `${name}.fixtures.ts`)) as { fixtures: PolicyFixtures }).fixtures;
}

describe("the policy registry", () => {
  it("lists every policy file under rules/ once, by the file's name", () => {
    const names = POLICIES.map((policy) => policy.name);
    assert.deepEqual([...names].sort(), policyFiles.map((file) => file.replace(/\.ts$/, "")).sort());
    assert.equal(new Set(names).size, names.length);
  });

  for (const policy of POLICIES) {
    describe(policy.name, () => {
      const fixtures = fixturesOf(policy.name);

      it("has at least one passing and one failing fixture", () => {
        assert.ok(fixtures.passing.length >= 1, "no passing fixture");
        assert.ok(fixtures.failing.length >= 1, "no failing fixture");
      });

      for (const fixture of fixtures.passing) {
        it(`accepts: ${fixture.name}`, async () => {
          const violations = await evaluatePolicies([policy], fixture.resources, fixture.config);
          assert.deepEqual(violations, []);
        });
      }

      for (const fixture of fixtures.failing) {
        it(`rejects: ${fixture.name}`, async () => {
          const violations = await evaluatePolicies([policy], fixture.resources, fixture.config);
          assert.ok(violations.length > 0, "no violation reported");
          assert.ok(violations.every((violation) => violation.policy === policy.name));
        });
      }
    });
  }
});
