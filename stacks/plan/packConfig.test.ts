import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { POLICIES } from "../../policies/registry";
import { EXIT, plan } from "./cli";
import { PackConfigError, parsePackConfig } from "./packConfig";

const parse = (text: string) => parsePackConfig(text, "pack.json", POLICIES);

function refused(text: string, message: RegExp): void {
  assert.throws(
    () => parse(text),
    (error: unknown) =>
      error instanceof PackConfigError && message.test(error.message) && !error.message.includes("\n"),
    `${text} was not refused with ${message}`,
  );
}

describe("the pack config (--policy-config)", () => {
  it("takes what pulumi preview --policy-pack-config takes: levels, objects with a level and properties, empty text", () => {
    const text = JSON.stringify({
      "pinned-versions": "advisory",
      "node-capacity": { enforcementLevel: "disabled" },
      "k8s-no-privileged": { enforcementLevel: "mandatory", allowedNamespaces: ["zeek"] },
      "k8s-no-exposed-management-ui": { uiPorts: [8006, 443] },
      "blueprint-dag": "remediate",
    });
    assert.deepEqual(parse(text), JSON.parse(text));
    assert.deepEqual(parse(""), {});
    assert.deepEqual(parse(" \n"), {});
  });

  it("refuses text that is not a JSON object", () => {
    refused("{\n  oops\n}", /^pack\.json is not JSON: /);
    refused('["pinned-versions"]', /^pack\.json holds array; a pack config is a JSON object/);
    refused("null", /^pack\.json holds null; /);
    refused('"advisory"', /^pack\.json holds string; /);
  });

  it("refuses a policy the pack lacks, naming the ones it has", () => {
    refused(
      '{"pinned-version": "disabled"}',
      /^pack\.json: the pack has no policy "pinned-version"; its policies are .*pinned-versions/,
    );
  });

  it("refuses levels Pulumi does not know, and entries that are neither a level nor an object", () => {
    refused(
      '{"pinned-versions": "warn"}',
      /^pack\.json: "pinned-versions": "warn" is not an enforcement level; use one of advisory, mandatory, remediate, disabled$/,
    );
    refused(
      '{"pinned-versions": {"enforcementLevel": 1}}',
      /"pinned-versions"\.enforcementLevel: 1 is not an enforcement level/,
    );
    refused(
      '{"pinned-versions": 3}',
      /^pack\.json: "pinned-versions" is integer; give an enforcement level or an object$/,
    );
    refused('{"pinned-versions": null}', /"pinned-versions" is null; /);
  });

  it("refuses properties the policy does not declare or of the wrong type", () => {
    refused(
      '{"k8s-no-privileged": {"allowedNamespace": ["zeek"]}}',
      /"k8s-no-privileged" has no property "allowedNamespace"; it has allowedNamespaces$/,
    );
    refused(
      '{"node-capacity": {"limit": 1}}',
      /"node-capacity" has no property "limit"; it takes only enforcementLevel$/,
    );
    refused(
      '{"k8s-no-privileged": {"allowedNamespaces": "zeek"}}',
      /"k8s-no-privileged"\.allowedNamespaces must be of type array, not string$/,
    );
    refused(
      '{"k8s-no-exposed-management-ui": {"uiPorts": [8006, 44.3]}}',
      /"k8s-no-exposed-management-ui"\.uiPorts\[1\] must be of type integer, not number$/,
    );
  });

  it("refuses Pulumi ESC environments, which an offline plan cannot resolve", () => {
    refused('{"environments": ["lab/policy"]}', /"environments" \(Pulumi ESC\) cannot be read offline/);
  });

  it("is applied by the plan: a tag it calls floating is reported, at the level it sets", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "fortress-pack-"));
    try {
      const configFile = join(__dirname, "..", "..", "Pulumi.home.yaml");
      const policyConfigFile = join(scratch, "pack.json");
      // The home lab's Postgres image is pinned to 17.6; a pack config may declare that tag floating.
      const pack = { "pinned-versions": { enforcementLevel: "advisory", floatingTags: ["latest", "17.6"] } };
      writeFileSync(policyConfigFile, JSON.stringify(pack));
      const outcome = await plan({ configFile, outDir: null, policyConfigFile });
      assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
      const reported =
        outcome.plan?.violations.filter((violation) => violation.policy === "pinned-versions") ?? [];
      assert.ok(
        reported.some((violation) => violation.message.includes("floating tag 17.6")),
        `no violation for the tag 17.6: ${JSON.stringify(reported)}`,
      );
      assert.ok(reported.every((violation) => violation.level === "advisory"));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
