import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { AGENT_OVERHEAD_GB, K3S_POOL_ROLES, type K3sPool, ROLES, SERVICES, type ServiceId } from "./catalog";
import { labSchema, PLAIN_KEYS, type PlainConfig } from "./config/schema";
import { deriveVms, type VmRequest } from "./inventory";

type InventoryConfig = Pick<PlainConfig, "services" | "vms" | "lab">;

const home = (
  yaml.load(readFileSync(join(__dirname, "..", "Pulumi.home.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  }
).config;

const HOME: InventoryConfig = {
  lab: labSchema.parse(home["fortress:lab"]),
  services: PLAIN_KEYS.services.parse(home["fortress:services"]),
  // The catalog's own shapes: the seed's disk overrides (for the M710q thin pools) are placement's business.
  vms: {},
};

const withLab = (lab: Partial<PlainConfig["lab"]>, base: InventoryConfig = HOME): InventoryConfig => ({
  ...base,
  lab: { ...base.lab, ...lab },
});

const withoutServices = (...removed: ServiceId[]): InventoryConfig => ({
  ...HOME,
  services: HOME.services.filter((service) => !removed.includes(service)),
});

const ofRole = (vms: readonly VmRequest[], role: string) => vms.filter((vm) => vm.role.name === role);
const names = (vms: readonly VmRequest[]) => vms.map((vm) => vm.name);

/** The number of agents a pool needs for the enabled services, worked out from the catalog. */
function expectedAgents(pool: K3sPool, services: readonly ServiceId[]): number {
  const budget = SERVICES.filter((service) => services.includes(service.id)).reduce(
    (sum, service) =>
      service.placement.kind === "k3s" && service.placement.pool === pool
        ? sum + service.placement.memoryGb
        : sum,
    0,
  );
  const role = ROLES[K3S_POOL_ROLES[pool]];
  assert.ok(role);
  return Math.ceil(budget / (role.shape.memoryGb - AGENT_OVERHEAD_GB));
}

describe("deriveVms", () => {
  it("reads the home stack with every service enabled", () => {
    assert.equal(HOME.services.length, SERVICES.length);
    assert.equal(HOME.lab.k3sServers, 3);
    assert.equal(HOME.lab.minK3sAgents, 0);
  });

  it("gives three k3s servers for the home stack, and one or five when lab.k3sServers says so", () => {
    assert.deepEqual(names(ofRole(deriveVms(HOME), "k3s-server")), [
      "k3s-server-1",
      "k3s-server-2",
      "k3s-server-3",
    ]);
    assert.deepEqual(names(ofRole(deriveVms(withLab({ k3sServers: 1 })), "k3s-server")), ["k3s-server-1"]);
    assert.deepEqual(names(ofRole(deriveVms(withLab({ k3sServers: 5 })), "k3s-server")), [
      "k3s-server-1",
      "k3s-server-2",
      "k3s-server-3",
      "k3s-server-4",
      "k3s-server-5",
    ]);
  });

  it("sizes the general agent pool from the catalog's budgets", () => {
    const expected = expectedAgents("general", HOME.services);
    // The catalog's general budgets are not a multiple of an agent's room: the count rounds up.
    assert.ok(expected >= 2);
    const agents = ofRole(deriveVms(HOME), "k3s-agent");
    assert.equal(agents.length, expected);
    assert.deepEqual(
      names(agents),
      Array.from({ length: expected }, (_, index) => `k3s-agent-${index + 1}`),
    );
    const general = SERVICES.filter(
      (service) => service.placement.kind === "k3s" && service.placement.pool === "general",
    ).map((service) => service.id);
    for (const agent of agents) assert.deepEqual([...agent.services].sort(), [...general].sort());
  });

  it("shrinks the general pool when general services are disabled", () => {
    const lighter = withoutServices("thehive", "cortex");
    const expected = expectedAgents("general", lighter.services);
    assert.ok(expected < expectedAgents("general", HOME.services));
    assert.equal(ofRole(deriveVms(lighter), "k3s-agent").length, expected);
  });

  it("sizes the indexer pool from the catalog's budgets", () => {
    const indexers = ofRole(deriveVms(HOME), "k3s-indexer");
    assert.equal(indexers.length, expectedAgents("indexer", HOME.services));
    assert.deepEqual(indexers[0]?.services, ["wazuh-indexer"]);
  });

  it("gives the home stack one VM each for the gpu worker, Zeek, Greenbone and MISP", () => {
    const vms = deriveVms(HOME);
    for (const role of ["k3s-gpu", "zeek", "greenbone", "misp"]) {
      assert.deepEqual(names(ofRole(vms, role)), [`${role}-1`], role);
    }
    assert.equal(new Set(names(vms)).size, vms.length, "VM names are unique");
  });

  it("creates the indexer, gpu, zeek, greenbone and misp VMs only when their services are enabled", () => {
    const cases: [ServiceId, string][] = [
      ["wazuh-indexer", "k3s-indexer"],
      ["gpu-worker", "k3s-gpu"],
      ["zeek", "zeek"],
      ["greenbone", "greenbone"],
      ["misp", "misp"],
    ];
    for (const [service, role] of cases) {
      const vms = deriveVms(withoutServices(service));
      assert.equal(ofRole(vms, role).length, 0, `${role} without ${service}`);
      // and nothing else disappears
      const others = new Set(deriveVms(HOME).map((vm) => vm.name));
      for (const vm of ofRole(deriveVms(HOME), role)) others.delete(vm.name);
      assert.deepEqual(names(vms).sort(), [...others].sort(), `removing ${service}`);
    }
  });

  it("gives only the servers for k3s alone, and nothing for no services", () => {
    assert.deepEqual(names(deriveVms({ ...HOME, services: ["k3s"] })), [
      "k3s-server-1",
      "k3s-server-2",
      "k3s-server-3",
    ]);
    assert.deepEqual(deriveVms({ ...HOME, services: [] }), []);
    assert.deepEqual(deriveVms({ ...HOME, services: ["suricata", "quarantine", "wazuh-agent"] }), []);
  });

  it("counts a service listed twice once", () => {
    const doubled = { ...HOME, services: [...HOME.services, "thehive", "cortex", "misp"] as ServiceId[] };
    assert.deepEqual(names(deriveVms(doubled)), names(deriveVms(HOME)));
  });

  it("raises the general agent count to lab.minK3sAgents, and never lowers it", () => {
    const derived = expectedAgents("general", HOME.services);
    assert.equal(ofRole(deriveVms(withLab({ minK3sAgents: derived + 3 })), "k3s-agent").length, derived + 3);
    assert.equal(ofRole(deriveVms(withLab({ minK3sAgents: 1 })), "k3s-agent").length, derived);
    // It is a floor on the general pool only.
    assert.equal(
      ofRole(deriveVms(withLab({ minK3sAgents: derived + 3 })), "k3s-indexer").length,
      expectedAgents("indexer", HOME.services),
    );
  });

  it("gives lab.minK3sAgents general agents even when no general-pool service is enabled", () => {
    const vms = deriveVms(withLab({ minK3sAgents: 2 }, { ...HOME, services: ["k3s"] }));
    assert.equal(ofRole(vms, "k3s-agent").length, 2);
    assert.equal(
      ofRole(deriveVms(withLab({ minK3sAgents: 2 }, { ...HOME, services: ["misp"] })), "k3s-agent").length,
      0,
    );
  });

  it("gives each VM its role's shape and network", () => {
    for (const vm of deriveVms(HOME)) {
      const role = ROLES[vm.role.name];
      assert.ok(role);
      assert.deepEqual(vm.shape, role.shape, vm.name);
      assert.equal(vm.network, role.network);
      assert.equal(vm.pinnedNode, undefined);
      assert.equal(vm.pinnedIp, undefined);
    }
  });

  it("resizes and pins a VM by name and leaves the others alone", () => {
    const plain = deriveVms(HOME);
    const overridden = deriveVms({
      ...HOME,
      vms: {
        "k3s-agent-2": { memoryGb: 10, cores: 3, node: "pve4", ip: "10.10.20.40" },
        "misp-1": { dataDiskGb: 0 },
        "nonexistent-9": { memoryGb: 64 },
      },
    });
    assert.deepEqual(names(overridden), names(plain), "an override does not add or remove VMs");
    const agent = overridden.find((vm) => vm.name === "k3s-agent-2");
    const agentRole = ROLES["k3s-agent"];
    assert.ok(agent && agentRole);
    assert.deepEqual(agent.shape, { ...agentRole.shape, memoryGb: 10, cores: 3 });
    assert.equal(agent.pinnedNode, "pve4");
    assert.equal(agent.pinnedIp, "10.10.20.40");

    const misp = overridden.find((vm) => vm.name === "misp-1");
    assert.ok(misp);
    assert.equal(misp.shape.dataDiskGb, 0);
    assert.equal(misp.shape.memoryGb, ROLES.misp?.shape.memoryGb);
    assert.equal(misp.pinnedNode, undefined);

    for (const vm of overridden.filter((candidate) => !["k3s-agent-2", "misp-1"].includes(candidate.name))) {
      const before = plain.find((candidate) => candidate.name === vm.name);
      assert.deepEqual(vm, before, vm.name);
    }
  });

  it("is deterministic and independent of the order of the services", () => {
    const shuffled = { ...HOME, services: [...HOME.services].reverse() };
    assert.deepEqual(names(deriveVms(shuffled)), names(deriveVms(HOME)));
    assert.deepEqual(
      deriveVms(HOME).map((vm) => vm.shape),
      deriveVms(shuffled).map((vm) => vm.shape),
    );
  });
});
