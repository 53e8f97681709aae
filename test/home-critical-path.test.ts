/**
 * The home lab's critical path in plan.json: the longest chain of resources, by estimated create
 * time, runs from the network layer through every layer's barrier to an agent's enrollment in the
 * endpoint layer (the last layer built).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { EXIT, plan } from "../stacks/plan/cli";
import type { CriticalPath } from "../stacks/plan/criticalPath";
import type { PlanDocument } from "../stacks/plan/document";

const BARRIERS = [
  "network-ready",
  "time-ready",
  "dns-dhcp-ready",
  "hypervisor-ready",
  "platform-ready",
  "identity-ready",
  "siem-ready",
  "response-ready",
  "monitoring-ready",
];

describe("the home lab's critical path", () => {
  let document: PlanDocument;
  let path: CriticalPath;
  before(async () => {
    const outcome = await plan({ configFile: join(__dirname, "..", "Pulumi.home.yaml"), outDir: null });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    document = outcome.plan as PlanDocument;
    assert.ok(document.criticalPath, "plan.json has no criticalPath");
    path = document.criticalPath;
  });

  it("starts in the network layer, passes every layer's barrier in the blueprint's order, and ends at the monitoring layer's barrier", () => {
    const layerOf = new Map(document.resources.map((resource) => [resource.urn, resource.layer]));
    assert.equal(layerOf.get(path.resources[0]?.urn ?? ""), "network");
    const barriers = path.resources
      .filter((step) => step.type === "random:index/randomId:RandomId")
      .map((step) => step.name);
    assert.deepEqual(barriers, BARRIERS);
    const last = path.resources.at(-1);
    assert.equal(last && layerOf.get(last.urn), "monitoring");
    assert.equal(last?.name, "monitoring-ready");
  });

  it("is a chain: each resource waits for the one before it, and the estimate is the sum of their seconds", () => {
    const byUrn = new Map(document.resources.map((resource) => [resource.urn, resource]));
    path.resources.slice(1).forEach((step, index) => {
      const resource = byUrn.get(step.urn);
      const previous = path.resources[index]?.urn;
      assert.ok(resource && previous, step.urn);
      const waits = [...resource.dependencies, resource.parent, resource.provider];
      assert.ok(waits.includes(previous), `${step.name} does not wait for ${previous}`);
    });
    const sum = path.resources.reduce((total, step) => total + step.seconds, 0);
    assert.equal(path.estimatedSeconds, sum);
  });

  it("carries the k3s bootstrap chain: the three servers in order, then the agents one after another", () => {
    const installs = path.resources
      .filter((step) => step.name.endsWith("-k3s-install"))
      .map((step) => step.name);
    assert.deepEqual(installs.slice(0, 3), [
      "k3s-server-1-k3s-install",
      "k3s-server-2-k3s-install",
      "k3s-server-3-k3s-install",
    ]);
    assert.ok(installs.length > 3, "no agent join on the critical path");
    assert.ok(
      !installs.includes("k3s-gpu-1-k3s-install"),
      "the GPU worker joins outside the platform's barrier",
    );
  });
});
