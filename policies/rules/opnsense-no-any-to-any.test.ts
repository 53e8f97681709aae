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

  it("reads IPv6 everything however it is written: ::/0, ::0/0, and a v6 alias whose halves add up to it", async () => {
    const halves = planResource(OPNSENSE("alias"), "alias-v6-halves", {
      fields: { name: "v6_halves", type: "network", content: "::/1\n8000::/1" },
    });
    const third = planResource(OPNSENSE("alias"), "alias-v6-three-quarters", {
      fields: { name: "v6_most", type: "network", content: "::/1\n8000::/2" },
    });
    const flagged = async (source: string, destination: string) =>
      (
        await evaluatePolicies(
          [opnsenseNoAnyToAny],
          [halves, third, rule("r", { action: "pass", source_net: source, destination_net: destination })],
        )
      ).length;
    assert.equal(await flagged("::/0", "any"), 1);
    assert.equal(await flagged("::0/0", "::/0"), 1);
    assert.equal(await flagged("v6_halves", "any"), 1);
    assert.equal(await flagged("any", "v6_halves"), 1);
    assert.equal(await flagged("v6_most", "any"), 0, "three quarters of the IPv6 space is not everything");
    assert.equal(await flagged("fd00:10::/48", "any"), 0);
  });
  it("reads comma lists and alias exclusions as OPNsense does", async () => {
    const exclusion = planResource(OPNSENSE("alias"), "alias", {
      fields: { name: "most", type: "network", content: "0.0.0.0/0\n!10.10.10.0/24" },
    });
    const judged = async (source_net: string) =>
      (
        await evaluatePolicies(
          [opnsenseNoAnyToAny],
          [exclusion, rule("r", { action: "pass", source_net, destination_net: "any" })],
        )
      ).length;
    assert.equal(await judged("0.0.0.0/1,128.0.0.0/1"), 1);
    assert.equal(await judged("::/1, 8000::/1"), 1);
    assert.equal(await judged("0.0.0.0/1,10.0.0.0/8"), 0);
    assert.equal(await judged("most"), 0, "everything but management is not everything");
  });
});
