/** The whole pack over a realistic hand-built cluster: the Kubernetes policies and every other policy agree. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { POLICIES } from "../registry";
import { homeCluster, K8S, workload, zeekSensorPodSpec } from "./k8s-no-privileged.fixtures";

describe("the pack over a Kubernetes cluster", () => {
  it("accepts namespaces with default deny, a restricted Deployment and a host-network sensor in fortress-sensors", async () => {
    const cluster = homeCluster();
    assert.ok(cluster.some((resource) => resource.type === K8S.daemonSet));
    assert.deepEqual(await evaluatePolicies(POLICIES, cluster), []);
  });

  it("rejects the same sensor moved out of fortress-sensors, under both pod policies", async () => {
    const violations = await evaluatePolicies(POLICIES, [
      ...homeCluster(),
      workload(K8S.daemonSet, "zeek-soc", "fortress-observability", zeekSensorPodSpec()),
    ]);
    assert.deepEqual([...new Set(violations.map((violation) => violation.policy))].sort(), [
      "k8s-no-privileged",
      "k8s-run-as-non-root-with-limits",
    ]);
  });
});
