import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { opnsenseRuleScope } from "./opnsense-rule-scope";
import { network, rule } from "./opnsense-no-pass-into-management.fixtures";

describe("opnsense-rule-scope", () => {
  it("names the foreign interface, the WAN by what it faces, and skips disabled rules", async () => {
    const wan = rule({ interface: "wan,opt3", description: "open" });
    const [violation, ...rest] = await evaluatePolicies(
      [opnsenseRuleScope],
      [network, wan, rule({ interface: "wan", enabled: "0" })],
    );
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, wan.urn);
    assert.match(
      violation?.message ?? "",
      /^filter rule "open" sits on wan, which no Fortress network uses \(the WAN faces the internet\): name only the interfaces of Fortress's networks \(lan, opt1, opt3, opt4, opt5, opt6\)/,
    );
  });

  it("reports an inverted rule even on a managed interface", async () => {
    const [violation] = await evaluatePolicies(
      [opnsenseRuleScope],
      [network, rule({ interface: "lan", interfacenot: "1" })],
    );
    assert.match(
      violation?.message ?? "",
      /is inverted \(interfacenot\) on lan, so it sits on every other interface/,
    );
  });
});
