import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { planResource } from "../lib/build";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";
import { everyVmHasAnAgent } from "./every-vm-has-an-agent";
import { endpoint, enrollment, hypervisor, vm } from "./every-vm-has-an-agent.fixtures";

const check = (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies([everyVmHasAnAgent], [hypervisor, endpoint, ...resources]);

describe("every-vm-has-an-agent", () => {
  it("names the VM that has no agent, on the VM", async () => {
    const misp = vm("misp-1", ["response", "misp"]);
    const violations = await check(misp);
    assert.equal(violations.length, 1);
    assert.equal(violations[0]?.urn, misp.urn);
    assert.match(violations[0]?.message ?? "", /^VM misp-1 has no Wazuh agent/);
  });

  it("an enrollment of another VM does not count", async () => {
    const a = vm("k3s-agent-1");
    const b = vm("k3s-agent-2");
    const violations = await check(a, b, enrollment(a));
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [b.urn],
    );
  });

  it("judges guests of every class the pack models, a clone too", async () => {
    const clone = planResource(
      pulumiTypeOf(proxmoxve.cloned.Vm),
      "clone-1",
      { nodeName: "pve1", tags: ["fortress"] },
      { parent: hypervisor },
    );
    assert.equal((await check(clone)).length, 1);
    assert.deepEqual(await check(clone, enrollment(clone)), []);
  });

  it("exempts the manager by tag, and the exempt tags come from the pack config", async () => {
    const manager = vm("wazuh-manager-1", ["wazuh-manager"]);
    assert.deepEqual(await check(manager), []);
    const violations = await evaluatePolicies([everyVmHasAnAgent], [hypervisor, endpoint, manager], {
      "every-vm-has-an-agent": { exemptTags: ["siem-manager"] },
    });
    assert.equal(violations.length, 1);
  });
});
