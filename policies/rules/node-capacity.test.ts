import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { HYPERVISOR_TYPE, VM_TYPE } from "../lib/resources";
import { nodeCapacity } from "./node-capacity";

const hypervisor = planResource(HYPERVISOR_TYPE, "hypervisor", {
  nodes: [
    { name: "pve1", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
    { name: "pve2", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
  ],
});
const vm = (name: string, inputs: Record<string, unknown>) =>
  planResource(VM_TYPE, name, { name, ...inputs }, { parent: hypervisor });
const sized = (name: string, nodeName: string, cores: number, memoryMb: number, diskGb: number) =>
  vm(name, { nodeName, cpu: { cores }, memory: { dedicated: memoryMb }, disks: [{ size: diskGb }] });

describe("node-capacity", () => {
  it("names the node, what it exceeds, its VMs, and what to do; once per node, on the Hypervisor", async () => {
    const violations = await evaluatePolicies(
      [nodeCapacity],
      [
        hypervisor,
        sized("k3s-agent-1", "pve1", 6, 8192, 112),
        sized("greenbone-1", "pve1", 4, 8192, 96),
        sized("misp-1", "pve2", 2, 5120, 96),
      ],
    );
    assert.equal(violations.length, 1);
    const [violation] = violations;
    assert.equal(violation?.urn, hypervisor.urn);
    assert.equal(violation?.level, "mandatory");
    assert.match(violation?.message ?? "", /^node pve1 is over its capacity/);
    assert.match(violation?.message ?? "", /vCPUs 10 of 8, RAM 16 GB of 14 GB/);
    assert.doesNotMatch(violation?.message ?? "", /disk/);
    assert.match(violation?.message ?? "", /VMs: k3s-agent-1, greenbone-1/);
    assert.match(violation?.message ?? "", /move a VM to another node/);
  });

  it("counts vCPUs as cores × sockets and disk over every disk", async () => {
    const resources = [
      hypervisor,
      vm("wide", { nodeName: "pve1", cpu: { cores: 2, sockets: 4 }, memory: { dedicated: 1024 } }),
      vm("disks", { nodeName: "pve2", cpu: { cores: 1 }, disks: [{ size: 200 }, { size: 30 }] }),
    ];
    const messages = (await evaluatePolicies([nodeCapacity], resources)).map(
      (violation) => violation.message,
    );
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? "", /node pve2 .*disk 230 GB of 224 GB/);
    const onPve1 = [hypervisor, vm("wide", { nodeName: "pve1", cpu: { cores: 3, sockets: 3 } })];
    assert.match((await evaluatePolicies([nodeCapacity], onPve1))[0]?.message ?? "", /vCPUs 9 of 8/);
  });

  it("counts Proxmox's defaults for what a VM leaves out (1 core, 512 MB, 8 GB a disk)", async () => {
    const tiny = Array.from({ length: 29 }, (_, index) =>
      vm(`tiny-${index}`, { nodeName: "pve1", disks: [{}] }),
    );
    const messages = (await evaluatePolicies([nodeCapacity], [hypervisor, ...tiny])).map(
      (violation) => violation.message,
    );
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? "", /vCPUs 29 of 8, RAM 14.5 GB of 14 GB, disk 232 GB of 224 GB/);
  });

  it("flags a VM on an undeclared node, or on none, on the VM itself", async () => {
    const stray = sized("zeek-1", "pve9", 2, 4096, 96);
    const nowhere = vm("floating", { cpu: { cores: 1 } });
    const violations = await evaluatePolicies([nodeCapacity], [hypervisor, stray, nowhere]);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [stray.urn, nowhere.urn],
    );
    assert.match(
      violations[0]?.message ?? "",
      /VM zeek-1 is on node "pve9", which is not declared .*pve1, pve2/,
    );
    assert.match(violations[1]?.message ?? "", /VM floating has no nodeName/);
  });

  it("takes the guest name from inputs.name", async () => {
    const renamed = planResource(VM_TYPE, "resource-name", { name: "guest-name", nodeName: "pve7" });
    const [violation] = await evaluatePolicies([nodeCapacity], [hypervisor, renamed]);
    assert.match(violation?.message ?? "", /^VM guest-name /);
  });

  it("is not applicable without a Hypervisor component", async () => {
    assert.deepEqual(await evaluatePolicies([nodeCapacity], [sized("a", "pve9", 99, 999_999, 9999)]), []);
  });
});
