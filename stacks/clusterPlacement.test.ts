/** The k3s workloads on an existing cluster's declared nodes (issue 16, the smb profile). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterCapacityIssues, placeOnCluster } from "./clusterPlacement";
import { serviceDemand } from "./demand";
import { PROFILES } from "./profiles";
import type { PlainConfig } from "./config/schema";

const smb = (nodes: { name: string; memoryGb: number }[], workloads = PROFILES.smb.workloads) =>
  ({
    services: PROFILES.smb.services,
    lab: { profile: "smb", k3sServers: 3, k3sWorkloadsOn: "agents", minK3sAgents: 0 },
    platform: { mode: "existing", cluster: { nodes } },
    workloads,
  }) as unknown as Pick<PlainConfig, "services" | "lab" | "platform" | "workloads">;

const THREE = [
  { name: "k1", memoryGb: 32 },
  { name: "k2", memoryGb: 32 },
  { name: "k3", memoryGb: 32 },
];

describe("serviceDemand", () => {
  it("counts one pod per replica, sized by the profile's budget and the workload's memory", () => {
    const twoGrafanas = { ...PROFILES.smb.workloads, grafana: { replicas: 2, memoryGb: 0.3125 } };
    const demand = new Map(
      serviceDemand(smb(THREE, twoGrafanas)).map((entry) => [entry.service, entry.pods]),
    );
    assert.deepEqual(
      demand.get("wazuh-indexer"),
      [5, 5, 5],
      "the catalog's 4 GB budget + 1 GB more memory than home",
    );
    assert.deepEqual(demand.get("keycloak"), [2, 2]);
    // Grafana's second replica beside the stack, and Prometheus's 2 GB (home 1.125): 2.75 + 0.875 = 3.625 → 3.75.
    // and Grafana's PostgreSQL (0.5 GB) once Grafana runs replicas.
    assert.deepEqual(demand.get("prometheus"), [3.75, 0.5, 0.5]);
  });
});

describe("placeOnCluster", () => {
  it("puts replicas of one service on distinct nodes, and fits smb on three 32 GB nodes with 10 % headroom", () => {
    const placement = placeOnCluster(smb(THREE));
    assert.ok(placement);
    assert.deepEqual(placement.unplaced, []);
    for (const node of placement.usage) {
      assert.ok(node.usedGb <= node.memoryGb * 0.9, `${node.node}: ${node.usedGb}/${node.memoryGb}`);
      const indexers = node.pods.filter((pod) => pod.startsWith("wazuh-indexer-"));
      assert.equal(indexers.length, 1, `${node.node}: ${node.pods.join(", ")}`);
    }
    assert.deepEqual(clusterCapacityIssues(placement), []);
  });

  it("says what does not fit, by how much, with each node's free memory", () => {
    const two = placeOnCluster(smb(THREE.slice(0, 2)));
    const [issue] = clusterCapacityIssues(two);
    assert.equal(issue?.path, "platform.cluster.nodes");
    assert.match(
      issue?.message ?? "",
      /cannot hold wazuh-indexer-3 \(5 GB\).*replicas of one service go to distinct nodes/,
    );
    assert.match(issue?.hint ?? "", /workloads\.<name>\.replicas/);
  });

  it("plans nothing for a k3s lab or an existing cluster without declared nodes", () => {
    assert.equal(placeOnCluster({ ...smb(THREE), platform: { mode: "k3s" } } as never), undefined);
    assert.equal(placeOnCluster({ ...smb(THREE), platform: { mode: "existing" } } as never), undefined);
  });
});
