import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { OPNSENSE } from "../lib/resources";
import { opnsenseNoAnyToAny } from "./opnsense-no-any-to-any";

const rule = (name: string, fields: Record<string, string>) =>
  planResource(OPNSENSE("rule"), name, { firewall: { url: "https://fw", insecure: false }, fields });

describe("opnsense-no-any-to-any", () => {
  it("names the rule and both ends, on the rule's URN", async () => {
    const open = rule("open", {
      action: "pass",
      source_net: "any",
      destination_net: "::/0",
      description: "oops",
    });
    const [violation, ...rest] = await evaluatePolicies([opnsenseNoAnyToAny], [open]);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, open.urn);
    assert.match(violation?.message ?? "", /"oops" passes any → any \(any → ::\/0\)/);
  });

  it("leaves disabled rules, blocks and a zone source alone", async () => {
    const resources = [
      rule("off", { action: "pass", enabled: "0", source_net: "any", destination_net: "any" }),
      rule("deny", { action: "block", source_net: "any", destination_net: "any" }),
      rule("zone", {
        action: "pass",
        source_net: "opt3",
        destination_net: "fz_private",
        destination_not: "1",
      }),
    ];
    assert.deepEqual(await evaluatePolicies([opnsenseNoAnyToAny], resources), []);
  });
});
