import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { ROLES, type RoleName, type VmRole, type VmShape } from "./catalog";
import { labSchema, type NodeConfig, PLAIN_KEYS } from "./config/schema";
import { deriveVms, type VmRequest } from "./inventory";
import { type CapacityPolicy, capacityOf, type Placement, placeVms, vmResources } from "./placement";
import { testHostKey } from "../test/support/fixtures";

const POLICY: CapacityPolicy = { cpuOvercommit: 2, reserve: { memoryGb: 2 } };

type Capability = NodeConfig["capabilities"][number];

function node(name: string, size: Partial<NodeConfig> = {}, capabilities: Capability[] = []): NodeConfig {
  return {
    name,
    proxmoxNode: name,
    address: "10.10.10.10",
    sshHostKey: testHostKey(name),
    cores: 8,
    memoryGb: 32,
    vmStorageGb: 1000,
    capabilities,
    ...size,
  };
}

function role(name: string, extra: Partial<VmRole> = {}, shape: Partial<VmShape> = {}): VmRole {
  return {
    // The placer only tells roles apart by name; these invented ones are not in the catalog.
    name: name as RoleName,
    layer: "platform",
    shape: { cores: 1, memoryGb: 2, diskGb: 10, dataDiskGb: 0, ...shape },
    network: "servers",
    stateful: false,
    tags: [],
    ...extra,
  };
}

function vm(name: string, vmRole: VmRole, extra: Partial<VmRequest> = {}): VmRequest {
  return { name, role: vmRole, services: [], shape: vmRole.shape, network: vmRole.network, ...extra };
}

const replicas = (vmRole: VmRole, count: number) =>
  Array.from({ length: count }, (_, index) => vm(`${vmRole.name}-${index + 1}`, vmRole));

const plain = role("plain");
const server = role("server", { avoids: ["gpu"] }, { cores: 2, memoryGb: 3 });
const gpuWorker = role("gpu-worker", { requires: "gpu" }, { cores: 4, memoryGb: 8 });
const indexer = role("indexer", { prefers: "bulk-storage" }, { cores: 4, memoryGb: 8, dataDiskGb: 100 });

/** A small seeded PRNG (mulberry32), so that the generated cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const sortedEntries = (placement: Placement) => [...placement.nodeOf].sort(([a], [b]) => a.localeCompare(b));

const usageByNode = (placement: Placement) =>
  Object.fromEntries(
    placement.usage.map((usage) => [usage.node, { used: usage.used, vms: [...usage.vms].sort() }]),
  );

/** Every invariant a placement must keep, whatever the input. */
function assertSound(vms: readonly VmRequest[], nodes: readonly NodeConfig[], placement: Placement) {
  const unplaced = new Set(placement.unplaced.map((entry) => entry.vm));
  for (const request of vms) {
    const placed = placement.nodeOf.has(request.name);
    assert.ok(
      placed !== unplaced.has(request.name),
      `${request.name} must be placed or unplaced, exactly once`,
    );
  }
  assert.equal(placement.nodeOf.size + placement.unplaced.length, vms.length);
  for (const entry of placement.unplaced) assert.ok(entry.reason.length > 0);

  for (const usage of placement.usage) {
    const onNode = vms.filter((request) => placement.nodeOf.get(request.name) === usage.node);
    assert.deepEqual([...usage.vms].sort(), onNode.map((request) => request.name).sort());
    const sum = onNode.map(vmResources).reduce(
      (total, need) => ({
        cores: total.cores + need.cores,
        memoryGb: total.memoryGb + need.memoryGb,
        diskGb: total.diskGb + need.diskGb,
      }),
      { cores: 0, memoryGb: 0, diskGb: 0 },
    );
    assert.equal(usage.used.cores, sum.cores);
    assert.ok(Math.abs(usage.used.memoryGb - sum.memoryGb) < 1e-9);
    assert.equal(usage.used.diskGb, sum.diskGb);
    const pinnedHere = onNode.some((request) => request.pinnedNode !== undefined);
    if (!pinnedHere) {
      assert.ok(usage.used.cores <= usage.capacity.cores, `${usage.node}: cores over capacity`);
      assert.ok(usage.used.memoryGb <= usage.capacity.memoryGb + 1e-9, `${usage.node}: memory over capacity`);
      assert.ok(usage.used.diskGb <= usage.capacity.diskGb + 1e-9, `${usage.node}: disk over capacity`);
    }
  }
  for (const request of vms) {
    const where = placement.nodeOf.get(request.name);
    if (where === undefined || request.role.requires === undefined || request.pinnedNode !== undefined)
      continue;
    const host = nodes.find((candidate) => candidate.name === where);
    assert.ok(
      host?.capabilities.includes(request.role.requires as Capability),
      `${request.name} on ${where}`,
    );
  }
}

describe("capacityOf", () => {
  it("takes the reserve off RAM, overcommits vCPUs, and gives the VM datastore's own size as disk", () => {
    // A default install on the M710q's 256 GB NVMe: a 141 GiB local-lvm thin pool, not 256 − a reserve.
    assert.deepEqual(capacityOf(node("m710q", { cores: 4, memoryGb: 16, vmStorageGb: 141 }), POLICY), {
      cores: 8,
      memoryGb: 14,
      diskGb: 141,
    });
    assert.deepEqual(
      capacityOf(node("x", { cores: 5, memoryGb: 32, vmStorageGb: 794 }), {
        cpuOvercommit: 1.5,
        reserve: { memoryGb: 4 },
      }),
      { cores: 7, memoryGb: 28, diskGb: 794 },
    );
    assert.deepEqual(
      capacityOf(node("y", { cores: 3 }), { cpuOvercommit: 1, reserve: { memoryGb: 1 } }).cores,
      3,
    );
  });
});

describe("placeVms", () => {
  it("is deterministic: the same input gives the same placement", () => {
    const nodes = [node("a"), node("b"), node("g", {}, ["gpu"]), node("s", {}, ["bulk-storage"])];
    const vms = [
      ...replicas(server, 3),
      ...replicas(plain, 5),
      ...replicas(gpuWorker, 1),
      ...replicas(indexer, 2),
    ];
    const first = placeVms(vms, nodes, POLICY);
    const second = placeVms(vms, nodes, POLICY);
    assert.deepEqual(sortedEntries(second), sortedEntries(first));
    assert.deepEqual(second.usage, first.usage);
    assert.deepEqual(second.unplaced, first.unplaced);
  });

  it("gives the same result whatever the order of the VMs and of the nodes", () => {
    const nodes = [
      node("a", { memoryGb: 16 }),
      node("b", { memoryGb: 16 }),
      node("c", { memoryGb: 24 }),
      node("g", {}, ["gpu", "bulk-storage"]),
    ];
    const vms = [
      ...replicas(server, 3),
      ...replicas(plain, 6),
      ...replicas(gpuWorker, 1),
      ...replicas(indexer, 1),
      vm("pinned-1", plain, { pinnedNode: "c" }),
      vm("pinned-2", plain, { pinnedNode: "a" }),
    ];
    const reference = placeVms(vms, nodes, POLICY);
    assertSound(vms, nodes, reference);
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const shuffledNodes = shuffle(nodes, next);
      const placement = placeVms(shuffle(vms, next), shuffledNodes, POLICY);
      assert.deepEqual(sortedEntries(placement), sortedEntries(reference), `round ${round}`);
      assert.deepEqual(usageByNode(placement), usageByNode(reference), `round ${round}`);
      assert.deepEqual(
        placement.usage.map((usage) => usage.node),
        shuffledNodes.map((candidate) => candidate.name),
        "usage follows the order of the nodes",
      );
    }
  });

  it("puts a pinned VM on its node, even when another node is emptier", () => {
    const nodes = [node("small", { memoryGb: 8 }), node("big", { memoryGb: 64 })];
    const vms = [vm("pinned", plain, { pinnedNode: "small" }), vm("free", plain)];
    const placement = placeVms(vms, nodes, POLICY);
    assert.equal(placement.nodeOf.get("pinned"), "small");
    assert.equal(placement.nodeOf.get("free"), "big");
    assert.deepEqual(placement.unplaced, []);
  });

  it("reports a VM pinned to an undeclared node", () => {
    const placement = placeVms([vm("lost", plain, { pinnedNode: "nowhere" })], [node("a")], POLICY);
    assert.equal(placement.nodeOf.has("lost"), false);
    assert.equal(placement.unplaced.length, 1);
    assert.equal(placement.unplaced[0]?.vm, "lost");
    assert.match(placement.unplaced[0]?.reason ?? "", /nowhere/);
  });

  it("reports a VM pinned to a node that lacks the capability its role requires", () => {
    const placement = placeVms(
      [vm("gpu-worker-1", gpuWorker, { pinnedNode: "a" })],
      [node("a"), node("g", {}, ["gpu"])],
      POLICY,
    );
    assert.equal(placement.nodeOf.has("gpu-worker-1"), false);
    assert.match(placement.unplaced[0]?.reason ?? "", /a lacks the gpu capability/);
  });

  it("spreads the replicas of one role over distinct nodes", () => {
    // One node could hold all three; spreading still wins.
    const nodes = [node("a", { memoryGb: 128 }), node("b"), node("c"), node("d")];
    const placement = placeVms(replicas(server, 3), nodes, POLICY);
    const used = replicas(server, 3).map((request) => placement.nodeOf.get(request.name));
    assert.equal(new Set(used).size, 3, `servers on ${used.join(", ")}`);
    assert.ok(!used.includes(undefined));

    // Five replicas over three nodes: at most two on any node.
    const five = placeVms(replicas(plain, 5), [node("x"), node("y"), node("z")], POLICY);
    for (const usage of five.usage) assert.ok(usage.vms.length <= 2 && usage.vms.length >= 1, usage.node);
  });

  it("puts a role that requires a capability only on a node that has it", () => {
    const nodes = [
      node("a", { memoryGb: 128 }),
      node("b", { memoryGb: 128 }),
      node("g", { memoryGb: 16 }, ["gpu"]),
    ];
    const placement = placeVms(replicas(gpuWorker, 1), nodes, POLICY);
    assert.equal(placement.nodeOf.get("gpu-worker-1"), "g");
  });

  it("leaves a role unplaced, naming the capability, when no node has it", () => {
    const placement = placeVms(
      [...replicas(gpuWorker, 1), vm("other", plain)],
      [node("a"), node("b")],
      POLICY,
    );
    assert.equal(placement.nodeOf.has("gpu-worker-1"), false);
    assert.equal(placement.nodeOf.get("other") !== undefined, true);
    assert.equal(placement.unplaced.length, 1);
    assert.equal(placement.unplaced[0]?.vm, "gpu-worker-1");
    assert.match(placement.unplaced[0]?.reason ?? "", /capability "gpu"/);
  });

  it("leaves a role unplaced for lack of room when its only capable node is full", () => {
    const placement = placeVms(
      replicas(gpuWorker, 2),
      [node("a"), node("g", { memoryGb: 12 }, ["gpu"])],
      POLICY,
    );
    assert.equal(placement.nodeOf.get("gpu-worker-1"), "g");
    assert.equal(placement.nodeOf.has("gpu-worker-2"), false);
    assert.match(placement.unplaced[0]?.reason ?? "", /no node has room/);
  });

  it("honours `prefers` when the preferred node has room, even if another is emptier", () => {
    const nodes = [node("a", { memoryGb: 128 }), node("bulk", { memoryGb: 16 }, ["bulk-storage"])];
    const placement = placeVms(replicas(indexer, 1), nodes, POLICY);
    assert.equal(placement.nodeOf.get("indexer-1"), "bulk");
  });

  it("places a preferring role elsewhere when the preferred node is full", () => {
    const nodes = [node("a", { memoryGb: 128 }), node("bulk", { memoryGb: 12 }, ["bulk-storage"])];
    const placement = placeVms(
      [vm("hog", plain, { pinnedNode: "bulk" }), ...replicas(indexer, 1)],
      nodes,
      POLICY,
    );
    // The pinned hog uses 2 of bulk's 10 GB: an 8 GB indexer still fits.
    assert.equal(placement.nodeOf.get("indexer-1"), "bulk");
    const full = placeVms(
      [vm("hog", role("hog", {}, { memoryGb: 5 }), { pinnedNode: "bulk" }), ...replicas(indexer, 1)],
      nodes,
      POLICY,
    );
    assert.equal(full.nodeOf.get("indexer-1"), "a");
  });

  it("keeps `avoids` roles off the gpu node while the other nodes have room", () => {
    const nodes = [node("g", { memoryGb: 128 }, ["gpu"]), node("a"), node("b"), node("c")];
    const placement = placeVms(replicas(server, 3), nodes, POLICY);
    for (const request of replicas(server, 3)) assert.notEqual(placement.nodeOf.get(request.name), "g");
  });

  it("still uses the avoided node when the others are full: `avoids` is a preference", () => {
    // Node a has 6 - 2 = 4 GB for VMs: room for one 3 GB server, so the second goes to the gpu node.
    const nodes = [node("g", { memoryGb: 64 }, ["gpu"]), node("a", { memoryGb: 6 })];
    const placement = placeVms(replicas(server, 2), nodes, POLICY);
    assert.deepEqual([placement.nodeOf.get("server-1"), placement.nodeOf.get("server-2")].sort(), ["a", "g"]);
    assert.deepEqual(placement.unplaced, []);
  });

  it("spreads replicas before it keeps `avoids` roles off the gpu node", () => {
    const nodes = [
      node("a", { memoryGb: 64 }),
      node("b", { memoryGb: 64 }),
      node("g", { memoryGb: 64 }, ["gpu"]),
    ];
    const placement = placeVms(replicas(server, 3), nodes, POLICY);
    const used = replicas(server, 3).map((request) => placement.nodeOf.get(request.name));
    assert.deepEqual([...used].sort(), ["a", "b", "g"]);
    assert.equal(placement.nodeOf.get("server-3"), "g", "the gpu node is taken last");
  });

  it("reports a VM unplaced, with what it needed, when nothing fits", () => {
    const huge = vm("huge", role("huge", {}, { cores: 2, memoryGb: 100, diskGb: 20, dataDiskGb: 30 }));
    const placement = placeVms([huge, vm("fine", plain)], [node("a"), node("b")], POLICY);
    assert.equal(placement.nodeOf.has("huge"), false);
    assert.equal(placement.nodeOf.has("fine"), true);
    assert.deepEqual(placement.unplaced, [
      { vm: "huge", reason: "no node has room for 2 vCPU, 100 GB RAM and 50 GB disk" },
    ]);
  });

  it("counts vCPUs and the data disk against capacity, not RAM alone", () => {
    const cpuBound = placeVms(
      replicas(role("busy", {}, { cores: 5, memoryGb: 1 }), 2),
      [node("a", { cores: 4 })],
      POLICY,
    );
    assert.equal(cpuBound.nodeOf.size, 1, "8 vCPUs hold one 5-vCPU VM");
    const diskBound = placeVms(
      replicas(role("fat", {}, { memoryGb: 1, diskGb: 40, dataDiskGb: 80 }), 2),
      [node("a", { vmStorageGb: 224 })],
      POLICY,
    );
    assert.equal(diskBound.nodeOf.size, 1, "a 224 GB datastore holds one 120 GB VM");
  });

  it("never exceeds a node's capacity (generated cases)", () => {
    const capabilities: Capability[][] = [[], [], ["gpu"], ["bulk-storage"], ["gpu", "bulk-storage"]];
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
      const nodes = Array.from({ length: 1 + Math.floor(next() * 5) }, (_, index) =>
        node(
          `n${index}`,
          { cores: pick([2, 4, 8]), memoryGb: pick([8, 16, 24, 32]), vmStorageGb: pick([128, 256, 512]) },
          pick(capabilities),
        ),
      );
      const roles = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, index) => {
        const kind = pick(["plain", "requires", "prefers", "avoids"] as const);
        return role(
          `r${index}`,
          kind === "requires"
            ? { requires: pick(["gpu", "bulk-storage"]) }
            : kind === "prefers"
              ? { prefers: pick(["gpu", "bulk-storage"]) }
              : kind === "avoids"
                ? { avoids: ["gpu"] }
                : {},
          {
            cores: pick([1, 2, 4]),
            memoryGb: pick([0.5, 1.5, 2, 3, 4.5, 6, 8]),
            diskGb: pick([16, 32]),
            dataDiskGb: pick([0, 0, 32, 80]),
          },
        );
      });
      const vms = roles.flatMap((vmRole) => replicas(vmRole, 1 + Math.floor(next() * 5)));
      const placement = placeVms(vms, nodes, POLICY);
      assertSound(vms, nodes, placement);
      for (const usage of placement.usage) {
        assert.ok(
          usage.used.memoryGb <= usage.capacity.memoryGb + 1e-9,
          `seed ${seed}: ${usage.node} memory`,
        );
        assert.ok(usage.used.cores <= usage.capacity.cores, `seed ${seed}: ${usage.node} cores`);
        assert.ok(usage.used.diskGb <= usage.capacity.diskGb + 1e-9, `seed ${seed}: ${usage.node} disk`);
      }
      // A VM is left out only when it fits on no capable node as the others were placed.
      for (const { vm: name } of placement.unplaced) {
        const request = vms.find((candidate) => candidate.name === name);
        assert.ok(request);
        const need = vmResources(request);
        for (const usage of placement.usage) {
          const host = nodes.find((candidate) => candidate.name === usage.node);
          if (request.role.requires && !host?.capabilities.includes(request.role.requires as Capability))
            continue;
          const fits =
            usage.used.cores + need.cores <= usage.capacity.cores &&
            usage.used.memoryGb + need.memoryGb <= usage.capacity.memoryGb + 1e-9 &&
            usage.used.diskGb + need.diskGb <= usage.capacity.diskGb + 1e-9;
          assert.ok(!fits, `seed ${seed}: ${name} was left out but fits on ${usage.node} as placed`);
        }
      }
    }
  });

  it("places the whole home lab, the gpu worker on the laptop and the servers on three M710qs", () => {
    const home = (
      yaml.load(readFileSync(join(__dirname, "..", "Pulumi.home.yaml"), "utf8")) as {
        config: Record<string, unknown>;
      }
    ).config;
    const lab = labSchema.parse(home["fortress:lab"]);
    const nodes = PLAIN_KEYS.nodes.parse(home["fortress:nodes"]);
    const vms = deriveVms({
      lab,
      services: PLAIN_KEYS.services.parse(home["fortress:services"]),
      vms: PLAIN_KEYS.vms.parse(home["fortress:vms"] ?? {}),
    });
    const placement = placeVms(vms, nodes, lab);
    assert.deepEqual(placement.unplaced, []);
    assertSound(vms, nodes, placement);
    assert.equal(placement.nodeOf.get("k3s-gpu-1"), "predator");
    const servers = vms
      .filter((request) => request.role === ROLES["k3s-server"])
      .map((r) => placement.nodeOf.get(r.name));
    assert.equal(servers.length, 3);
    assert.equal(new Set(servers).size, 3);
    assert.ok(!servers.includes("predator"));
    // The indexer prefers bulk storage, which only the laptop has.
    assert.equal(placement.nodeOf.get("k3s-indexer-1"), "predator");
  });
});
