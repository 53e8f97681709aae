/**
 * Profiles at the door (issue 16): what the stack config leaves out, the profile fills and records;
 * what it sets wins; the checks that span a profile's keys; and a lab that does not fit explains itself.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readStackConfig, type StackConfig, stackConfigSource } from "../plan/stackConfig";
import { PROFILES } from "../profiles";
import { validateConfig } from "./load";
import { NAMESPACE_MEMORY_GB } from "./profile";
import { NAMESPACE_QUOTA } from "../../components/platform/namespaces";

const ROOT = join(__dirname, "..", "..");
const MINIMAL = readStackConfig(join(ROOT, "Pulumi.minimal.yaml"));
const HOME = readStackConfig(join(ROOT, "Pulumi.home.yaml"));

/** The stack with some plain keys replaced (undefined removes one). */
function edited(stack: StackConfig, changes: Record<string, unknown>): StackConfig {
  const values = { ...stack.values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`fortress:${key}`];
    else values[`fortress:${key}`] = JSON.stringify(value);
  }
  return { ...stack, values };
}

const plain = (stack: StackConfig, key: string) =>
  JSON.parse(stack.values[`fortress:${key}`] ?? "null") as Record<string, unknown>;
const check = (stack: StackConfig) => validateConfig(stackConfigSource(stack));

describe("lab.profile at the door", () => {
  it("minimal: one M710q plans three VMs on it with at least 10 % RAM headroom, and says what it decided", () => {
    const { issues, model } = check(MINIMAL);
    assert.deepEqual(issues, []);
    assert.ok(model);
    assert.deepEqual(
      model.vms.map((vm) => vm.name),
      ["k3s-server-1", "wazuh-manager-1", "workstation-1"],
    );
    // The one server runs the indexer: it sets OpenSearch's vm.max_map_count as the indexer agent would.
    assert.equal(model.vms[0]?.role.sysctls?.["vm.max_map_count"], "262144");
    const [node] = model.placement.usage;
    assert.ok(
      node && (node.capacity.memoryGb - node.used.memoryGb) / node.capacity.memoryGb >= 0.1,
      JSON.stringify(node),
    );
    const decided = new Map(model.decisions?.map((decision) => [decision.path, decision.value]));
    assert.deepEqual(decided.get("services"), [...PROFILES.minimal.services]);
    assert.equal(decided.get("lab.k3sServers"), 1);
    assert.equal(decided.get("lab.k3sWorkloadsOn"), "servers");
    assert.equal(decided.get("monitoring.retention.metricsDays"), 7);
    assert.equal(decided.get("workloads.wazuh-indexer.heapGb"), 1);
    assert.equal(model.config.workloads?.["wazuh-indexer"].memoryGb, 2);
  });

  it("lets the config win, value by value, and records only what the profile filled", () => {
    const { issues, model } = check(
      edited(MINIMAL, {
        services: PROFILES.minimal.services.filter((id) => id !== "workstation"),
        workloads: { "wazuh-indexer": { memoryGb: 3, heapGb: 1.5 } },
      }),
    );
    assert.deepEqual(issues, []);
    assert.ok(model);
    assert.ok(!model.config.services.includes("workstation"));
    assert.ok(!model.decisions?.some((decision) => decision.path === "services"));
    assert.equal(model.config.workloads?.["wazuh-indexer"].memoryGb, 3);
    assert.equal(model.config.workloads?.["wazuh-indexer"].storageGb, 28, "the rest from the profile");
    assert.ok(model.decisions?.some((decision) => decision.path === "workloads.wazuh-indexer.storageGb"));
    assert.ok(!model.decisions?.some((decision) => decision.path === "workloads.wazuh-indexer.memoryGb"));
    // The indexer's extra GB lands on the one server.
    const server = model.vms.find((vm) => vm.name === "k3s-server-1");
    assert.equal(server?.shape.memoryGb, 8.75 + 1);
  });

  it("home is today's lab: the seed plans the same VMs, and the profile decides only the workload sizes", () => {
    const { issues, model } = check(HOME);
    assert.deepEqual(issues, []);
    assert.equal(model?.vms.length, 13);
    assert.ok(
      !model?.decisions?.some(
        (decision) => decision.path === "services" || decision.path === "lab.k3sServers",
      ),
    );
  });

  it("refuses the combinations a profile cannot build, each at its path", () => {
    const paths = (stack: StackConfig) => check(stack).issues.map((issue) => issue.path);
    const smb = edited(HOME, { lab: { ...plain(HOME, "lab"), profile: "smb" }, platform: { mode: "k3s" } });
    assert.ok(paths(smb).includes("backup.s3"), paths(smb).join(", "));
    const agents = edited(MINIMAL, { lab: { ...plain(MINIMAL, "lab"), minK3sAgents: 2 } });
    assert.ok(paths(agents).includes("lab.minK3sAgents"));
    const heap = edited(MINIMAL, { workloads: { "wazuh-indexer": { heapGb: 1.5 } } });
    assert.ok(paths(heap).includes("workloads.wazuh-indexer.heapGb"));
    const cluster = edited(MINIMAL, { platform: { cluster: { nodes: [{ name: "k1", memoryGb: 32 }] } } });
    assert.ok(paths(cluster).includes("platform.cluster"));
    const quota = edited(MINIMAL, {
      workloads: { "wazuh-indexer": { replicas: 5, memoryGb: 4, heapGb: 2 } },
    });
    assert.ok(paths(quota).includes("workloads.wazuh-indexer"), paths(quota).join(", "));
    const replicas = edited(MINIMAL, { workloads: { prometheus: { replicas: 2 } } });
    assert.ok(paths(replicas).includes("workloads.prometheus.replicas"));
  });
});

it("sizes the siem namespace's quota as the platform's namespaces have it", () => {
  assert.equal(NAMESPACE_QUOTA["requests.memory"], `${NAMESPACE_MEMORY_GB}Gi`);
});

describe("a lab that does not fit explains itself", () => {
  it("minimal with Keycloak added: 0.25 GB short on the one node, and what to drop", () => {
    const { issues } = check(edited(MINIMAL, { services: [...PROFILES.minimal.services, "keycloak"] }));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.match(
      issues[0]!.message,
      /0\.25 GB RAM short in all\). VM workstation-1 cannot be placed: .*\(short by: pve1 0\.25 GB RAM\)/,
    );
    assert.match(
      issues[0]!.hint,
      /^any of: \(1\) drop keycloak from fortress:services \(2 GB of k3s workloads\);.* drop workstation from fortress:services \(no workstation-1: 1 GB RAM, 16 GB disk\);.* drop vaultwarden/,
    );
  });

  it("one M710q with the home profile: one issue, by how much in all and per node, and one list of what to change", () => {
    const stack = edited(MINIMAL, {
      lab: { ...plain(MINIMAL, "lab"), profile: "home" },
      services: PROFILES.minimal.services.concat(["greenbone", "misp"]),
    });
    const { issues } = check(stack);
    const placement = issues.filter((issue) => issue.path === "nodes");
    assert.equal(placement.length, 1, JSON.stringify(issues));
    const [issue] = placement;
    assert.match(issue!.message, /GB RAM and \d+ GB disk short in all/);
    assert.match(issue!.message, /VM greenbone-1 cannot be placed: .*\(short by: pve1 \d+(\.\d+)? GB RAM/);
    assert.match(issue!.hint, /\(1\) drop greenbone from fortress:services \(no greenbone-1: 8 GB RAM/);
    assert.match(issue!.hint, /lab\.profile: minimal/);
  });
});
