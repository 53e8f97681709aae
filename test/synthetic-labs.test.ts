/**
 * The bench's synthetic labs (bench/synthetic.ts) are labs a user could write: their stack files pass
 * the door, ×4 plans with no violation, and the larger ones are at least valid (planning them is the
 * bench's job). Without this, a stricter door breaks `npm run bench` and nothing says so.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertValid, syntheticLab, syntheticSmbLab, toStackYaml } from "../bench/synthetic";
import { EXIT, plan } from "../stacks/plan/cli";

const dir = mkdtempSync(join(tmpdir(), "fortress-synthetic-"));

describe("the bench's synthetic labs", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const k of [4, 16, 64]) {
    it(`×${k} passes the door as a stack file`, () => {
      const { vms } = assertValid(syntheticLab(k));
      assert.equal(vms, 13 * k);
    });
  }

  it("smb ×64 passes the door: the profile's three indexer nodes and Keycloak replicas on more agents", () => {
    const { vms } = assertValid(syntheticSmbLab(64));
    assert.ok(vms > 13 * 64, `${vms} VMs`);
  });

  it("×4 plans with no violation", async () => {
    const file = join(dir, "Pulumi.lab-x4.yaml");
    writeFileSync(file, toStackYaml(syntheticLab(4)));
    const outcome = await plan({ configFile: file, outDir: null, width: 100 });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    assert.deepEqual(outcome.plan?.violations, []);
  });
});
