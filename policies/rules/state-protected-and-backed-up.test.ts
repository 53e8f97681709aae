import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { stateProtectedAndBackedUp } from "./state-protected-and-backed-up";
import {
  backupJob,
  cortexChartValues,
  hiveValues,
  hypervisor,
  mispComponent,
  pvc,
  responseCharts,
  vm,
} from "./state-protected-and-backed-up.fixtures";

const check = (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies([stateProtectedAndBackedUp], [hypervisor, ...resources]);

describe("state-protected-and-backed-up", () => {
  it("says why a VM holds state and what it lacks, on the VM", async () => {
    const misp = vm("misp-1", { protect: false });
    const violations = await check(misp);
    assert.deepEqual(
      violations.map((violation) => [violation.urn, violation.message]),
      [
        [
          misp.urn,
          "VM misp-1 holds state (it has Proxmox protection on) but is not protected, so pulumi destroy or a replacement deletes it: create it with { protect: true }",
        ],
        [
          misp.urn,
          "VM misp-1 holds state (it has Proxmox protection on) but no enabled backup job takes it in: add its vmId to a proxmoxve.backup.Job's vmids",
        ],
      ],
    );
  });

  it("counts a data disk, a state tag and Proxmox protection as state", async () => {
    const disk = vm("zeek-1", { stateful: false, dataDisk: true });
    const tagged = vm("k3s-server-1", { stateful: false, tags: ["k3s-server"] });
    const indexer = vm("k3s-indexer-1", { stateful: false, tags: ["k3s-agent", "indexer"] });
    const violations = await check(disk, tagged, indexer);
    assert.equal(violations.length, 6);
    assert.match(violations[0]?.message ?? "", /zeek-1 holds state \(it has a data disk \(scsi1\)\)/);
    assert.match(violations[1]?.message ?? "", /or mark a scratch disk backup: false$/);
    assert.match(violations[2]?.message ?? "", /k3s-server-1 holds state \(it is tagged k3s-server\)/);
    assert.deepEqual(await check(vm("k3s-gpu-1", { stateful: false, tags: ["k3s-agent", "gpu"] })), []);
  });

  it("finds the data disk by slot, or by count when all disks sit in slot 0 of different buses", async () => {
    const twoBuses = vm("odd", {
      stateful: false,
      dataDisk: false,
      disks: [{ interface: "virtio0" }, { interface: "scsi0" }],
    });
    assert.equal((await check(twoBuses)).length, 2);
  });

  it("accepts backup jobs that take a VM in by dependency, vmId, pool or all guests", async () => {
    const misp = vm("misp-1");
    const withId = vm("misp-2", { vmId: 105 });
    assert.deepEqual(await check(misp, backupJob([misp])), []);
    assert.deepEqual(await check(withId, backupJob([], { vmids: ["105"] })), []);
    assert.deepEqual(await check(misp, backupJob([], { pool: "fortress" })), []);
    assert.deepEqual(await check(misp, backupJob([], { all: true })), []);
  });

  it("does not count disabled jobs or jobs bound to another node", async () => {
    const misp = vm("misp-1");
    assert.equal((await check(misp, backupJob([misp], { enabled: false }))).length, 1);
    assert.equal((await check(misp, backupJob([misp], { node: "pve2" }))).length, 1);
    assert.deepEqual(await check(misp, backupJob([misp], { node: "pve1" })), []);
  });

  it("asks every persistent volume claim to be protected", async () => {
    const claim = pvc("wazuh-indexer-data", false);
    const [violation] = await check(claim, pvc("kept", true));
    assert.equal(violation?.urn, claim.urn);
    assert.match(violation?.message ?? "", /^persistent volume claim wazuh-indexer-data is not protected/);
  });

  it("takes the state tags from the pack config", async () => {
    const agent = vm("k3s-agent-1", { stateful: false, tags: ["k3s-agent"] });
    const violations = await evaluatePolicies([stateProtectedAndBackedUp], [hypervisor, agent], {
      "state-protected-and-backed-up": { stateTags: ["k3s-agent"] },
    });
    assert.equal(violations.length, 2);
  });

  it("holds MISP's VM stateful because MISP runs on it, whatever its disks", async () => {
    const bare = vm("misp-1", { stateful: false, protect: false });
    const messages = (await check(mispComponent("misp-1"), bare)).map((v) => v.message);
    assert.deepEqual(messages.length, 2);
    assert.match(messages[0] ?? "", /^VM misp-1 holds state \(it runs MISP\) but is not protected/);
    assert.deepEqual(await check(mispComponent("misp-1"), vm("misp-1"), backupJob([vm("misp-1")])), []);
  });

  it("judges TheHive's and Cortex's chart volumes by the values the components render", async () => {
    assert.deepEqual(await check(...responseCharts()), []);
    const retained = hiveValues(
      (v) => (v.cassandra.persistentVolumeClaimRetentionPolicy = { enabled: true, whenDeleted: "Delete" }),
    );
    const [deleting] = await check(...responseCharts({ hive: retained }));
    assert.match(deleting?.message ?? "", /Cassandra .* claims are deleted with its StatefulSet/);
    const unprotected = (await check(...responseCharts({ protectFiles: false }))).map((v) => v.message);
    assert.ok(
      unprotected.some((m) => /TheHive mounts the claim thehive-files, which is not protected/.test(m)),
      unprotected.join("\n"),
    );
    const noVolume = hiveValues((v) => {
      v.thehive.volumes = v.thehive.volumes.slice(0, 1);
    });
    const [local] = await check(...responseCharts({ hive: noVolume }));
    assert.match(local?.message ?? "", /attachments on the local filesystem .* no claim mounted/);
    const renamed = cortexChartValues(
      (v) => (v.cortex.persistentVolumeClaim = { create: false, name: "elsewhere" }),
    );
    const [missing] = await check(...responseCharts({ cortex: renamed }));
    assert.match(
      missing?.message ?? "",
      /Cortex mounts the claim elsewhere, which is no persistent volume claim of the plan/,
    );
  });
});
