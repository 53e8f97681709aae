import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { proxmoxVmNic } from "./proxmox-vm-nic";
import { vmWithNics } from "./proxmox-vm-nic.fixtures";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

describe("proxmox-vm-nic", () => {
  it("names the VM, the NIC and the bridge, once per missing setting", async () => {
    const vm = vmWithNics("misp-1", [{ bridge: "vmbr0" }]);
    const violations = await evaluatePolicies([proxmoxVmNic], [vm]);
    assert.deepEqual(
      violations.map((violation) => violation.message),
      [
        "VM misp-1 net0 on vmbr0 has no vlanId, so it lands untagged on the bridge: set vlanId to its network's VLAN (1–4094)",
        "VM misp-1 net0 on vmbr0 has firewall unset, so the zone's security group never applies: set firewall: true",
      ],
    );
    assert.ok(violations.every((violation) => violation.urn === vm.urn));
  });

  it("rejects VLAN tags outside 1–4094 and firewall values that are not true", async () => {
    for (const vlanId of [0, 4095, "20", 1.5]) {
      const [violation] = await evaluatePolicies(
        [proxmoxVmNic],
        [vmWithNics("vm", [{ vlanId, firewall: true }])],
      );
      assert.match(violation?.message ?? "", /has vlanId/, String(vlanId));
    }
    const [violation] = await evaluatePolicies(
      [proxmoxVmNic],
      [vmWithNics("vm", [{ vlanId: 20, firewall: "true" }])],
    );
    assert.match(violation?.message ?? "", /VM vm net0 has firewall "true"/);
  });

  it("numbers NICs by position, and judges containers and clones by their own input names", async () => {
    const [violation] = await evaluatePolicies(
      [proxmoxVmNic],
      [vmWithNics("vm", [{ vlanId: 20, firewall: true }, { vlanId: 30 }])],
    );
    assert.match(violation?.message ?? "", /VM vm net1 has firewall unset/);
    const container = planResource(pulumiTypeOf(proxmoxve.ContainerLegacy), "ct", {
      networkInterfaces: [{ name: "eth0" }],
    });
    assert.deepEqual(
      (await evaluatePolicies([proxmoxVmNic], [container])).map(
        (violation) => violation.message.split(",")[0],
      ),
      ["container ct eth0 has no vlanId", "container ct eth0 has firewall unset"],
    );
    const clone = planResource(pulumiTypeOf(proxmoxve.cloned.Vm), "clone", {
      clone: { sourceVmId: 9000 },
      network: { net0: { bridge: "vmbr0", tag: 20, firewall: true }, net1: { bridge: "vmbr0", tag: 30 } },
    });
    const [cloneViolation, ...rest] = await evaluatePolicies([proxmoxVmNic], [clone]);
    assert.deepEqual(rest, []);
    assert.match(cloneViolation?.message ?? "", /^cloned VM clone net1 on vmbr0 has firewall unset/);
    const inheriting = planResource(pulumiTypeOf(proxmoxve.cloned.VmLegacy), "inherit", {
      clone: { sourceVmId: 9000 },
    });
    const [inherited] = await evaluatePolicies([proxmoxVmNic], [inheriting]);
    assert.match(
      inherited?.message ?? "",
      /declares no NICs, so it inherits those of the VM it is cloned from \(9000\)/,
    );
    const other = planResource(pulumiTypeOf(proxmoxve.PoolLegacy), "pool", { networkDevices: [{}] });
    assert.deepEqual(await evaluatePolicies([proxmoxVmNic], [other]), []);
  });
});
