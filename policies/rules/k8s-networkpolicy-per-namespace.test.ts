import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { k8sNetworkpolicyPerNamespace } from "./k8s-networkpolicy-per-namespace";
import { defaultDeny, k8sNamespace } from "./k8s-no-privileged.fixtures";
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";

const run = (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies([k8sNetworkpolicyPerNamespace], resources);

describe("k8s-networkpolicy-per-namespace", () => {
  it("reports each namespace without a policy at the namespace, saying what to add", async () => {
    const soc = k8sNamespace("fortress-soc");
    const intel = k8sNamespace("fortress-intel");
    const violations = await run(soc, intel, defaultDeny("fortress-intel"));
    assert.deepEqual(violations, [
      {
        policy: "k8s-networkpolicy-per-namespace",
        level: "mandatory",
        urn: soc.urn,
        message:
          "Namespace fortress-soc has no NetworkPolicy, so every pod in it is open to and from the whole cluster: add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress]) with metadata.namespace: fortress-soc, then explicit allows",
      },
    ]);
  });

  it("asks auto-named namespaces for an explicit name", async () => {
    const unnamed = planResource(SDK_TYPES.k8sNamespace, "sensors", { metadata: { labels: {} } });
    const [violation] = await run(unnamed, defaultDeny("sensors"));
    assert.equal(violation?.urn, unnamed.urn);
    assert.match(
      violation?.message ?? "",
      /^Namespace sensors has no metadata\.name, so Kubernetes gets an auto-name \(sensors-<suffix>\).*: set metadata\.name explicitly$/,
    );
    assert.equal((await run(planResource(SDK_TYPES.k8sNamespace, "bare"))).length, 1);
  });

  it("does not count policies whose namespace is unset or unknown, nor other kinds", async () => {
    const soc = k8sNamespace("fortress-soc");
    const unset = planResource(SDK_TYPES.k8sNetworkPolicy, "deny", {
      metadata: { name: "deny" },
      spec: { podSelector: {} },
    });
    const unknown = planResource(SDK_TYPES.k8sNetworkPolicy, "deny-2", {
      metadata: { name: "deny", namespace: "[unknown]" },
    });
    const patch = planResource(pulumiTypeOf(k8s.networking.v1.NetworkPolicyPatch), "deny-3", {
      metadata: { name: "deny", namespace: "fortress-soc" },
    });
    assert.equal((await run(soc, unset, unknown, patch)).length, 1);
    assert.deepEqual(await run(soc, defaultDeny("fortress-soc")), []);
  });
});
