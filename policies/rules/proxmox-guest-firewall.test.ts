import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { toPolicyResources } from "../lib/offline";
import { PROXMOX_FIREWALL_TYPES } from "../../vocabulary/proxmoxTypes";
import { isEverySource, proxmoxGuestFirewall, sourceSets } from "./proxmox-guest-firewall";
import { datacenter, groupRule, guestOptions, guestVm } from "./proxmox-guest-firewall.fixtures";

describe("proxmox-guest-firewall", () => {
  it("reads every spelling of every source", () => {
    for (const source of [
      "",
      " ",
      "0.0.0.0/0",
      "::/0",
      "0.0.0.0/1,128.0.0.0/1",
      "::/1, 8000::/1",
      "!10.0.0.0/8",
    ]) {
      assert.ok(isEverySource(source), JSON.stringify(source));
    }
    for (const source of ["+fz-users", "10.10.40.0/24", "0.0.0.0/1"])
      assert.ok(!isEverySource(source), source);
    const ipSet = planResource(PROXMOX_FIREWALL_TYPES.ipSet, "open", {
      name: "open",
      cidrs: [{ name: "0.0.0.0/1" }, { name: "128.0.0.0/1" }],
    });
    assert.ok(isEverySource("+open", sourceSets(toPolicyResources([ipSet]))));
    assert.ok(isEverySource("+dc/open", sourceSets(toPolicyResources([ipSet]))));
  });

  it("matches options to guests by dependency or by id and node", async () => {
    const vm = guestVm("wazuh-1", 110);
    const byId = planResource(PROXMOX_FIREWALL_TYPES.guestOptions, "fw", {
      nodeName: "pve1",
      vmId: 110,
      enabled: true,
      inputPolicy: "DROP",
    });
    assert.deepEqual(await evaluatePolicies([proxmoxGuestFirewall], [datacenter(), vm, byId]), []);
    const otherNode = { ...byId, inputs: { ...byId.inputs, nodeName: "pve2" } };
    const [violation] = await evaluatePolicies([proxmoxGuestFirewall], [datacenter(), vm, otherNode]);
    assert.match(violation?.message ?? "", /VM wazuh-1 has no firewall options/);
  });

  it("names what is off, on the resource that has it", async () => {
    const vm = guestVm();
    const options = guestOptions(vm, { enabled: false, inputPolicy: undefined });
    const violations = await evaluatePolicies(
      [proxmoxGuestFirewall],
      [datacenter(), vm, options, groupRule({ source: "", action: "accept" })],
    );
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [options.urn, groupRule({}).urn],
    );
    assert.match(violations[0]?.message ?? "", /enabled is false, inputPolicy is "unset \(ACCEPT\)"/);
  });
});
