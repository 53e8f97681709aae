import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies, toPolicyResources } from "../lib/offline";
import { before } from "../lib/opnsenseOrder";
import { OPNSENSE, opnsenseRules } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { evaluationOrder, opnsenseAntiLockoutFirst } from "./opnsense-anti-lockout-first";
import { antiLockout, laterRules, portAliases } from "./opnsense-anti-lockout-first.fixtures";
import { aliases, network, rule } from "./opnsense-no-pass-into-management.fixtures";

const check = (...resources: PlanResource[]) =>
  evaluatePolicies([opnsenseAntiLockoutFirst], [network, ...aliases, ...portAliases, ...resources]);

describe("opnsense-anti-lockout-first", () => {
  it("accepts the zone compiler's order: anti-lockout at sequences 1 and 2, everything else later", async () => {
    assert.deepEqual(await check(...antiLockout(), ...laterRules), []);
  });

  it("reports a missing anti-lockout on the Network component, with the ports and the fix", async () => {
    const [violation, ...rest] = await check(...laterRules);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, network.urn);
    assert.match(
      violation?.message ?? "",
      /management network mgmt \(interface lan\) has no anti-lockout pass for port 443 and 22/,
    );
    assert.match(
      violation?.message ?? "",
      /add a pass rule on lan from the whole network \(fz_net_mgmt\) to \(self\)/,
    );
  });

  it("reports, on that rule, any rule on any interface with a lower sequence", async () => {
    const early = rule({ interface: "opt3", description: "users early", sequence: "1" }, "early");
    const violations = await check(...antiLockout(["5", "6"]), early, ...laterRules);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [early.urn],
    );
    assert.match(
      violations[0]?.message ?? "",
      /"users early" on opt3 comes before the anti-lockout of management network mgmt \(interface lan\): its sequence 1 is below the anti-lockout's 6/,
    );
  });

  it("reports a rule that ties with the anti-lockout: OPNsense breaks ties by UUID", async () => {
    const tied = rule({ interface: "opt3", description: "users tied", sequence: "2" }, "tied");
    const violations = await check(...antiLockout(), tied, ...laterRules);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [tied.urn],
    );
    assert.match(
      violations[0]?.message ?? "",
      /"users tied" on opt3 may come before the anti-lockout .*: its sequence 2 ties with the anti-lockout's, and OPNsense breaks ties by UUID/,
    );
  });

  it("orders as OPNsense does: floating and interface-group rules before single-interface ones", async () => {
    const floating = rule({ interface: "", description: "floating", sequence: "9000" }, "floating");
    const group = rule({ interface: "lab_group", description: "group", sequence: "9001" }, "group");
    const inverted = rule(
      { interface: "opt1", interfacenot: "1", description: "inverted", sequence: "9002" },
      "inv",
    );
    const violations = await check(...antiLockout(), floating, group, inverted, ...laterRules);
    assert.deepEqual(
      violations.map((violation) => violation.urn).sort(),
      [floating.urn, group.urn, inverted.urn].sort(),
    );
    assert.match(
      violations.find((v) => v.urn === group.urn)?.message ?? "",
      /"group" on lab_group may come before the anti-lockout .*: lab_group is not lan, wan or optN, so it is an interface group, .* or an interface the firewall does not have .*: the plan cannot tell which/,
    );
    assert.match(
      violations.find((v) => v.urn === floating.urn)?.message ?? "",
      /comes before .*a floating rule/,
    );
  });

  it("leaves the order of a rule on an interface that is not lan, wan or optN unknown, both ways", () => {
    const [single, grouped] = opnsenseRules(
      toPolicyResources([
        rule({ interface: "opt2", sequence: "5" }, "s"),
        rule({ interface: "lab_group", sequence: "5" }, "g"),
      ]),
    ).map(evaluationOrder);
    assert.ok(single && grouped);
    assert.ok(Number.isNaN(grouped[0]));
    assert.equal(before(grouped, single), false);
    assert.equal(before(single, grouped), false);
  });

  it("needs the port the API is reached on, from the firewall URL", async () => {
    const behind8443 = (resource: PlanResource): PlanResource => ({
      ...resource,
      inputs: { ...resource.inputs, firewall: { url: "https://10.10.10.1:8443", insecure: false } },
    });
    const violations = await check(...antiLockout().map(behind8443), ...laterRules.map(behind8443));
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /no anti-lockout pass for port 8443\b/);
    const wide = planResource(OPNSENSE("alias"), "network-alias-api", {
      fields: { name: "fz_svc_api", type: "port", content: "443\n8443" },
    });
    const covered = antiLockout(["1", "2"], { destination_port: "fz_svc_api" }).map(behind8443);
    assert.deepEqual(await check(wide, ...covered, ...laterRules.map(behind8443)), []);
  });

  it("does not count a pass that is not to the firewall, is negated, or lets only part of the network in", async () => {
    for (const fields of <Record<string, string>[]>[
      { destination_net: "fz_net_servers" },
      { destination_not: "1" },
      { source_net: "10.10.10.0/25" },
      { action: "block" },
      { quick: "0" },
      { protocol: "UDP" },
    ]) {
      const violations = await check(...antiLockout(["1", "2"], fields), ...laterRules);
      assert.ok(
        violations.some((violation) => /no anti-lockout pass for port 443\b/.test(violation.message)),
        JSON.stringify(fields),
      );
    }
  });
});
