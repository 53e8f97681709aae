import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import type { PlanResource } from "../lib/types";
import { opnsenseDefaultDeny } from "./opnsense-default-deny";
import { defaultDeny, twoNetworks } from "./opnsense-default-deny.fixtures";
import { rule } from "./opnsense-no-pass-into-management.fixtures";

const check = (...resources: PlanResource[]) =>
  evaluatePolicies([opnsenseDefaultDeny], [twoNetworks, ...resources]);
const lanDeny = defaultDeny("lan", "2199");

describe("opnsense-default-deny", () => {
  it("reports a network without a deny on the Network component, with the fix", async () => {
    const [violation, ...rest] = await check(lanDeny);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, twoNetworks.urn);
    assert.match(violation?.message ?? "", /network users \(VLAN 40, interface opt3\) has no default deny/);
    assert.match(violation?.message ?? "", /add a logged block rule on opt3 from any to any/);
  });

  it("says what keeps the closest block rule from being a default deny", async () => {
    const [violation] = await check(
      lanDeny,
      defaultDeny("opt3", "8199", {
        destination_net: "fz_net_mgmt",
        ipprotocol: "inet",
        destination_port: "22",
      }),
    );
    assert.match(
      violation?.message ?? "",
      /closest: "fortress: opt3 default deny": destination is not any, it names ports, it covers inet only, not inet46/,
    );
  });

  it("reports each rule at or after the deny, on that rule", async () => {
    const late = rule({ interface: "opt3", description: "late pass", sequence: "8300" }, "late");
    const tie = rule({ interface: "opt3", description: "tie", sequence: "8199" }, "tie");
    const violations = await check(lanDeny, defaultDeny("opt3", "8199"), late, tie);
    assert.deepEqual(violations.map((violation) => violation.urn).sort(), [late.urn, tie.urn].sort());
    assert.match(
      violations.find((violation) => violation.urn === late.urn)?.message ?? "",
      /"late pass" on network users .* has sequence 8300, not below the default deny "fortress: opt3 default deny" \(8199\)/,
    );
  });

  it("accepts a later, second deny and counts negated any as not any", async () => {
    assert.deepEqual(await check(lanDeny, defaultDeny("opt3", "8199"), defaultDeny("opt3", "8250")), []);
    assert.equal(
      (await check(lanDeny, defaultDeny("opt3", "8199", { source_not: "1" }))).length,
      1,
      "not any is nothing",
    );
  });

  it("orders floating rules as OPNsense does (before interface rules, whatever their sequence), and ignores outbound ones", async () => {
    const floating = rule({ interface: "lan,opt3", sequence: "9000" });
    assert.deepEqual(await check(lanDeny, defaultDeny("opt3", "8199"), floating), []);
    const floatingDeny = defaultDeny("lan,opt3", "1");
    const afterIt = rule({ interface: "opt3", sequence: "5" });
    assert.equal((await check(floatingDeny, afterIt)).length, 1, "an interface rule after a floating deny");
    const outbound = rule({ interface: "opt3", direction: "out", sequence: "9000" });
    assert.deepEqual(await check(lanDeny, defaultDeny("opt3", "8199"), outbound), []);
    assert.equal((await check(lanDeny, defaultDeny("opt3", "8199", { direction: "out" }))).length, 1);
  });

  it("asks for a sequence on rules that lack one", async () => {
    const unordered = rule({ interface: "opt3", description: "no order" });
    const violations = await check(lanDeny, defaultDeny("opt3", "8199"), unordered);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /"no order" .* has no numeric sequence/);
  });
});
