import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { helmRelease } from "./k8s-chart-values.fixtures";
import { k8sReplicasResilient, spreadsOverNodes } from "./k8s-replicas-resilient";
import {
  budget,
  keycloakxValues,
  preferredSpread,
  requiredSpread,
  spreadTerm,
  statefulSet,
} from "./k8s-replicas-resilient.fixtures";

const run = (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies([k8sReplicasResilient], resources);
const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await run(...resources)).map((violation) => violation.message);

describe("k8s-replicas-resilient", () => {
  it("passes one replica, and two with a budget over their pods and spreading on the hostname", async () => {
    assert.deepEqual(await run(statefulSet(1)), []);
    assert.deepEqual(await run(statefulSet(2, requiredSpread()), budget()), []);
    assert.deepEqual(await run(statefulSet(2, preferredSpread()), budget({ minAvailable: 1 })), []);
  });

  it("reports a missing PodDisruptionBudget and a missing spread, each once, at the workload", async () => {
    const lone = statefulSet(2);
    const violations = await run(lone);
    assert.equal(violations.length, 2);
    assert.ok(violations.every((violation) => violation.urn === lone.urn));
    assert.match(
      violations[0]?.message ?? "",
      /^StatefulSet keycloak \(2 replicas\) has no PodDisruptionBudget/,
    );
    assert.match(violations[1]?.message ?? "", /does not spread its pods over nodes/);
  });

  it("counts only a budget in the same namespace, with a bound, whose selector matches the pods", async () => {
    const spread = statefulSet(2, requiredSpread());
    const noBudget = /has no PodDisruptionBudget/;
    for (const other of [
      budget({ maxUnavailable: 1 }, "fortress-monitoring"),
      budget({}),
      budget({ maxUnavailable: 1 }, "fortress-identity", { "app.kubernetes.io/name": "grafana" }),
      budget({ maxUnavailable: 1 }, "fortress-identity", {}),
    ]) {
      const found = await messages(spread, other);
      assert.equal(found.length, 1, JSON.stringify(other.inputs));
      assert.match(found[0] ?? "", noBudget);
    }
  });

  it("counts only anti-affinity on kubernetes.io/hostname selecting the workload's own pods", () => {
    const pods = { "app.kubernetes.io/name": "keycloak", "app.kubernetes.io/instance": "keycloak" };
    assert.equal(spreadsOverNodes(requiredSpread(), pods), true);
    assert.equal(spreadsOverNodes(preferredSpread(), pods), true);
    const zone = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { ...spreadTerm(), topologyKey: "topology.kubernetes.io/zone" },
        ],
      },
    };
    assert.equal(spreadsOverNodes(zone, pods), false);
    assert.equal(spreadsOverNodes(requiredSpread({ app: "other" }), pods), false);
    assert.equal(spreadsOverNodes({ podAffinity: requiredSpread().podAntiAffinity }, pods), false);
  });

  it("judges a chart by its values: replicas above 1 need podDisruptionBudget and affinity beside them", async () => {
    assert.deepEqual(await run(helmRelease("keycloakx", "fortress-identity", keycloakxValues())), []);
    const bare = await messages(
      helmRelease(
        "keycloakx",
        "fortress-identity",
        keycloakxValues({ podDisruptionBudget: {}, affinity: "" }),
      ),
    );
    assert.equal(bare.length, 2);
    assert.match(bare[0] ?? "", /runs replicas: 2 without podDisruptionBudget/);
    assert.match(bare[1] ?? "", /without affinity\.podAntiAffinity on kubernetes\.io\/hostname/);
    const nested = await messages(helmRelease("kps", "fortress-monitoring", { grafana: { replicas: 2 } }));
    assert.match(nested[0] ?? "", /runs grafana\.replicas: 2 without grafana\.podDisruptionBudget/);
    assert.deepEqual(
      await messages(helmRelease("loki", "fortress-monitoring", { singleBinary: { replicas: 1 } })),
      [],
    );
  });
});
