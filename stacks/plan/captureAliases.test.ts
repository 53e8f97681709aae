import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { captureUnderMocks } from "../../test/support/mockRuntime";

describe("captureRegistrations: aliases", () => {
  it("records the URN each alias names, worked out from the resource's own URN and parent", async () => {
    const resources = await captureUnderMocks("aliases");
    const parent = new pulumi.ComponentResource("fortress:test:Parent", "parent");
    const child = new pulumi.ComponentResource("fortress:test:Child", "new-name", {}, {
      parent,
      aliases: [{ name: "old-name" }, { name: "top-level", parent: undefined }, { type: "fortress:test:OldChild" }],
    });
    const plain = new pulumi.ComponentResource("fortress:test:Child", "plain", {}, { parent });
    await new Promise<void>((resolve) => pulumi.all([child.urn, plain.urn]).apply(() => resolve()));
    await pulumi.runtime.disconnect();
    const captured = resources.find((resource) => resource.name === "new-name");
    assert.equal(captured?.urn, "urn:pulumi:aliases::fortress::fortress:test:Parent$fortress:test:Child::new-name");
    assert.deepEqual(captured?.aliases, [
      "urn:pulumi:aliases::fortress::fortress:test:Parent$fortress:test:Child::old-name",
      "urn:pulumi:aliases::fortress::fortress:test:Child::top-level",
      "urn:pulumi:aliases::fortress::fortress:test:Parent$fortress:test:OldChild::new-name",
    ]);
    const unaliased = resources.find((resource) => resource.name === "plain");
    assert.ok(unaliased && !("aliases" in unaliased), "a resource without aliases records none");
  });
});
