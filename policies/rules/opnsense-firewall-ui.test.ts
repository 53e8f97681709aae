import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import type { PlanResource } from "../lib/types";
import { opnsenseFirewallUi } from "./opnsense-firewall-ui";
import { blockSelf } from "./opnsense-firewall-ui.fixtures";
import { rule } from "./opnsense-no-pass-into-management.fixtures";
import { apiPass, lab, labWithApiClients, widenedApiPasses } from "./opnsense-zone-matrix.fixtures";

const check = async (...rules: PlanResource[]) =>
  (await evaluatePolicies([opnsenseFirewallUi], lab(...rules))).map((violation) => violation.message);

describe("opnsense-firewall-ui", () => {
  it("finds the firewall behind every spelling of its addresses, on its UI, 80 and ssh", async () => {
    for (const [destination_net, port] of [
      ["opt1ip", "443"],
      ["10.10.20.1", "22"],
      ["any", "80"],
      ["10.10.0.0/16", "443"],
      ["wanip", "443"],
    ] as const) {
      const messages = await check(
        rule({ interface: "opt3", protocol: "TCP", destination_net, destination_port: port }),
      );
      assert.equal(messages.length, 1, `${destination_net}:${port}`);
      assert.match(messages[0] ?? "", /lets users \(users\) reach the firewall's own address/);
    }
    assert.deepEqual(
      await check(
        rule({ interface: "opt3", protocol: "UDP", destination_net: "(self)", destination_port: "443" }),
      ),
      [],
    );
    assert.deepEqual(
      await check(
        rule({ interface: "lan", protocol: "TCP", destination_net: "(self)", destination_port: "443" }),
      ),
      [],
    );
    assert.deepEqual(
      await check(
        rule({
          interface: "opt3",
          protocol: "TCP",
          destination_net: "fz_private",
          destination_not: "1",
          destination_port: "443",
        }),
      ),
      [],
    );
  });

  it("takes a block only when it comes first in OPNsense's order and covers the ports", async () => {
    const pass = rule({
      interface: "opt3",
      protocol: "TCP",
      destination_net: "fz_net_servers",
      destination_port: "443",
      sequence: "8004",
    });
    assert.deepEqual(await check(blockSelf("opt3", "8003"), pass), []);
    assert.deepEqual(await check(blockSelf("opt3,opt4", "9999"), pass), [], "a floating block comes first");
    assert.equal(
      (
        await check(
          {
            ...blockSelf("opt3", "8003"),
            inputs: {
              ...blockSelf("opt3", "8003").inputs,
              fields: { ...(blockSelf("opt3", "8003").inputs.fields as object), destination_port: "22" },
            },
          },
          pass,
        )
      ).length,
      1,
    );
    assert.equal((await check(blockSelf("opt4", "8003"), pass)).length, 1, "a block on another interface");
  });
});

describe("opnsense-firewall-ui: the firewall API's recorded clients (containment)", () => {
  const checkApi = async (...rules: PlanResource[]) =>
    (await evaluatePolicies([opnsenseFirewallUi], labWithApiClients(...rules))).map(
      (violation) => violation.message,
    );
  const at = (fields: Record<string, string>, url = "https://10.10.10.1") => {
    const made = rule({ ...apiPass, ...fields, sequence: "4003" });
    return { ...made, inputs: { ...made.inputs, firewall: { url, insecure: false } } };
  };

  it("grants the manager's one pass to the API's address and port, and nothing wider", async () => {
    assert.deepEqual(await checkApi(at({})), []);
    for (const [what, fields] of widenedApiPasses) {
      const messages = await checkApi(at(fields));
      assert.equal(messages.length, 1, what);
      assert.match(messages[0] ?? "", /lets servers \(servers\) reach the firewall's own address/, what);
    }
  });

  it("reads the API's address and port from the URL the rule is written to, not from the record", async () => {
    assert.deepEqual(await checkApi(at({ destination_port: "8443" }, "https://10.10.10.1:8443")), []);
    assert.equal(
      (await checkApi(at({ destination_port: "8443,22" }, "https://10.10.10.1:8443"))).length,
      1,
      "ssh beside the API's port",
    );
    assert.equal((await checkApi(at({}, "https://fw.home.arpa"))).length, 1, "no address in the URL");
    assert.equal(
      (await checkApi(at({ destination_net: "10.10.20.1" }))).length,
      1,
      "the servers gateway is not the API's address",
    );
  });
});
