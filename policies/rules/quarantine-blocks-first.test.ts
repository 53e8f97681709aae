import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import type { PlanResource } from "../lib/types";
import { opnsenseAntiLockoutFirst } from "./opnsense-anti-lockout-first";
import { opnsenseFirewallUi } from "./opnsense-firewall-ui";
import { opnsenseZoneMatrix } from "./opnsense-zone-matrix";
import { quarantineBlocksFirst } from "./quarantine-blocks-first";
import {
  everyInterface,
  lab,
  labWithScanner,
  MANAGER,
  quarantineAlias,
  SCANNER,
  scannerPass,
} from "./quarantine-blocks-first.fixtures";
import { rule } from "./opnsense-no-pass-into-management.fixtures";

const check = async (...resources: PlanResource[]) =>
  (await evaluatePolicies([quarantineBlocksFirst], lab(quarantineAlias(), ...resources))).map(
    (violation) => `${(violation.urn ?? "").split("::").at(-1)}: ${violation.message}`,
  );

describe("quarantine-blocks-first", () => {
  it("accepts the blocks first on every interface, with the anti-lockout before them, and so does the anti-lockout policy", async () => {
    const resources = lab(quarantineAlias(), ...everyInterface());
    assert.deepEqual(await evaluatePolicies([quarantineBlocksFirst], resources), []);
    const antiLockout = rule({
      interface: "lan",
      protocol: "TCP",
      source_net: "fz_net_mgmt",
      destination_net: "(self)",
      destination_port: "443",
      sequence: "1",
    });
    const ssh = rule({
      ...(antiLockout.inputs.fields as Record<string, string>),
      destination_port: "22",
      sequence: "2",
    });
    assert.deepEqual(
      await evaluatePolicies(
        [quarantineBlocksFirst, opnsenseAntiLockoutFirst],
        [...resources, antiLockout, ssh],
      ),
      [],
    );
  });

  it("names a rule evaluated before the blocks, and one that ties with them", async () => {
    const early = rule(
      { interface: "opt3", description: "early", sequence: "8001", destination_net: "any" },
      "early",
    );
    const tied = rule({ interface: "opt3", description: "tied", sequence: "8003" }, "tied");
    const messages = await check(...everyInterface(), early, tied);
    assert.equal(messages.length, 2);
    assert.match(
      messages.find((message) => message.startsWith("early")) ?? "",
      /"early" on network users \(interface opt3\) is evaluated before \(or ties with\) the quarantine block "fortress quarantine: opt3 any → fz_quarantine blocked", so it can let a contained host \(fz_quarantine\) through/,
    );
    assert.ok(messages.some((message) => message.startsWith("tied")));
    const earlyBlock = rule(
      {
        interface: "opt3",
        action: "block",
        description: "early block",
        sequence: "8001",
        destination_net: "any",
      },
      "early-block",
    );
    assert.deepEqual(
      await check(...everyInterface(), earlyBlock),
      [],
      "a block ahead of them only drops more",
    );
  });

  it("takes the pass to the manager only on 1514/TCP to its address", async () => {
    const widened = rule({
      interface: "opt3",
      protocol: "TCP",
      source_net: "fz_quarantine",
      destination_net: MANAGER,
      destination_port: "1514:1515",
      sequence: "8000",
      description: "wider",
    });
    const [message, ...rest] = await check(...everyInterface(), widened);
    assert.deepEqual(rest, []);
    assert.match(message ?? "", /"wider" on network users .* is evaluated before/);
  });

  it("takes the rescan's pass only from a recorded scanner's address, on its own interface, to the quarantine alias", async () => {
    const withScanner = async (...resources: PlanResource[]) =>
      (await evaluatePolicies([quarantineBlocksFirst], labWithScanner(quarantineAlias(), ...resources))).map(
        (violation) => `${(violation.urn ?? "").split("::").at(-1)}: ${violation.message}`,
      );
    assert.deepEqual(await withScanner(...everyInterface(), scannerPass()), []);
    assert.deepEqual(
      await withScanner(...everyInterface(), scannerPass({ source_net: `${SCANNER}/32` })),
      [],
    );
    for (const [what, fields] of [
      ["another address", { source_net: "10.10.20.10" }],
      ["the scanner's network", { source_net: "fz_net_servers" }],
      ["to anything", { destination_net: "any" }],
      ["negated", { destination_not: "1" }],
      ["another interface", { interface: "opt3", sequence: "8000" }],
    ] as const) {
      const messages = await withScanner(...everyInterface(), scannerPass({ ...fields, description: what }));
      assert.equal(messages.length, 1, `${what}: ${messages.join("; ")}`);
      assert.match(messages[0] ?? "", /is evaluated before \(or ties with\) the quarantine block/);
    }
    assert.equal(
      (await check(...everyInterface(), scannerPass())).length,
      1,
      "no scanner recorded: a violation",
    );
  });

  it("and the zone matrix and the firewall-UI policy grant that pass, and no other pass to the contained hosts", async () => {
    const judge = async (...resources: PlanResource[]) =>
      (
        await evaluatePolicies(
          [quarantineBlocksFirst, opnsenseZoneMatrix, opnsenseFirewallUi],
          labWithScanner(quarantineAlias(), ...everyInterface(), ...resources),
        )
      ).map((violation) => violation.policy);
    assert.deepEqual(await judge(scannerPass()), []);
    const other = scannerPass({
      source_net: "10.10.20.10",
      sequence: "4050",
      description: "not the scanner",
    });
    assert.deepEqual((await judge(other)).sort(), ["opnsense-firewall-ui", "opnsense-zone-matrix"]);
  });

  it("says what keeps a block from counting, and that the alias must be external", async () => {
    const unlogged = everyInterface().map((resource) =>
      resource.name.includes("opt4") ||
      (resource.inputs.fields as Record<string, string>).interface === "opt4"
        ? {
            ...resource,
            inputs: {
              ...resource.inputs,
              fields: { ...(resource.inputs.fields as object), log: "0", ipprotocol: "inet" },
            },
          }
        : resource,
    );
    const messages = await check(...unlogged);
    assert.equal(messages.length, 2);
    assert.match(
      messages[0] ?? "",
      /network iot \(interface opt4\) has no quarantine block from fz_quarantine to any \(closest: .*it covers inet only, not inet46, it is not logged/,
    );
    const host = await evaluatePolicies(
      [quarantineBlocksFirst],
      lab(quarantineAlias("host"), ...everyInterface()),
    );
    assert.equal(host.length, 1);
    assert.match(
      host[0]?.message ?? "",
      /the quarantine alias fz_quarantine is of type host: declare it of type external/,
    );
  });

  it("does not apply without a recorded quarantine", async () => {
    assert.deepEqual(await evaluatePolicies([quarantineBlocksFirst], everyInterface()), []);
  });
});
