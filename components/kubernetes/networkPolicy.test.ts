import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { allowFromNamespace, flowEgressPolicy, flowIngressPolicy, kubeDnsEgress } from "./networkPolicy";

const specOf = (resources: CapturedResource[], name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, name);
  assert.equal(found.type, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
  return found.inputs as Record<string, any>;
};

describe("NetworkPolicies", () => {
  let resources: CapturedResource[] = [];
  const ports = [{ port: 8443, protocol: "TCP" as const }];
  before(async () => {
    resources = await captureUnderMocks();
    allowFromNamespace(
      "grafana-from-ingress",
      {
        name: "grafana-from-ingress",
        namespace: "fortress-monitoring",
        podSelector: { "app.kubernetes.io/name": "grafana" },
        fromNamespace: "kube-system",
        ports: [{ port: 3000, protocol: "TCP" }],
      },
      {},
    );
    flowIngressPolicy("in", { from: "fortress-siem", ports }, "fortress-identity", {});
    flowEgressPolicy("out", { to: "fortress-identity", ports }, "fortress-siem", {});
    await pulumi.runtime.disconnect();
  });

  it("opens only the selected pods, only to the given namespace, only on the given ports", () => {
    const inputs = specOf(resources, "grafana-from-ingress");
    assert.deepEqual(inputs.metadata, { name: "grafana-from-ingress", namespace: "fortress-monitoring" });
    assert.deepEqual(inputs.spec, {
      podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
          ports: [{ protocol: "TCP", port: 3000 }],
        },
      ],
    });
  });

  it("writes a flow's two halves: ingress in the target from the source, egress from the source to the target", () => {
    const peer = (ns: string) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
      podSelector: {},
    });
    const ingress = specOf(resources, "in");
    assert.deepEqual(ingress.metadata, {
      name: "fortress-allow-from-fortress-siem",
      namespace: "fortress-identity",
    });
    assert.deepEqual(ingress.spec, {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [peer("fortress-siem")], ports }],
    });
    const egress = specOf(resources, "out");
    assert.deepEqual(egress.metadata, {
      name: "fortress-allow-to-fortress-identity",
      namespace: "fortress-siem",
    });
    assert.deepEqual(egress.spec, {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [peer("fortress-identity")], ports }],
    });
  });

  it("reaches DNS only at kube-dns in kube-system, UDP and TCP 53", () => {
    assert.deepEqual(kubeDnsEgress(), {
      to: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    });
  });
});
