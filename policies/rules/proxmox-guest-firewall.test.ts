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

  it("reads an IP set's nomatch entries as exclusions from the set, not as negations", () => {
    const ipSet = (name: string, cidrs: Record<string, unknown>[]) =>
      planResource(PROXMOX_FIREWALL_TYPES.ipSet, name, { name, cidrs });
    const sets = sourceSets(
      toPolicyResources([
        ipSet("users-but-printer", [{ name: "10.10.40.0/24" }, { name: "10.10.40.9", nomatch: true }]),
        ipSet("world-but-lab", [
          { name: "0.0.0.0/1" },
          { name: "128.0.0.0/1" },
          { name: "10.0.0.0/8", nomatch: true },
        ]),
      ]),
    );
    assert.ok(!isEverySource("+users-but-printer", sets));
    assert.ok(!isEverySource("+world-but-lab", sets));
    assert.ok(isEverySource("+world-but-lab, 10.0.0.0/8", sets));
  });

  it("takes an unset inputPolicy for DROP, Proxmox's default, and names ACCEPT", async () => {
    const vm = guestVm();
    for (const inputPolicy of [undefined, "", "drop", "REJECT"]) {
      const options = guestOptions(vm, { inputPolicy });
      assert.deepEqual(
        await evaluatePolicies([proxmoxGuestFirewall], [datacenter(), vm, options]),
        [],
        String(inputPolicy),
      );
    }
    const [violation] = await evaluatePolicies(
      [proxmoxGuestFirewall],
      [datacenter(), vm, guestOptions(vm, { inputPolicy: "ACCEPT" })],
    );
    assert.match(violation?.message ?? "", /inputPolicy is "ACCEPT", so traffic/);
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
    const options = guestOptions(vm, { enabled: false, inputPolicy: "ACCEPT" });
    const violations = await evaluatePolicies(
      [proxmoxGuestFirewall],
      [datacenter(), vm, options, groupRule({ source: "", action: "accept" })],
    );
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [options.urn, groupRule({}).urn],
    );
    assert.match(violations[0]?.message ?? "", /enabled is false, inputPolicy is "ACCEPT"/);
  });
});
