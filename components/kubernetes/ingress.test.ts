import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { httpsIngress } from "./ingress";

describe("httpsIngress", () => {
  let resources: CapturedResource[] = [];
  before(async () => {
    resources = await captureUnderMocks();
    httpsIngress(
      "layer-grafana-ingress",
      {
        name: "grafana",
        namespace: "fortress-monitoring",
        host: "grafana.lab.example",
        service: "grafana",
        tlsSecret: "grafana-tls",
        ingressClassName: "traefik",
      },
      {},
    );
    await pulumi.runtime.disconnect();
  });

  it("routes one host over HTTPS only, with that host's certificate", () => {
    const [ingress] = resources;
    assert.equal(ingress?.type, "kubernetes:networking.k8s.io/v1:Ingress");
    const inputs = ingress.inputs as Record<string, any>;
    assert.deepEqual(inputs.metadata, {
      name: "grafana",
      namespace: "fortress-monitoring",
      annotations: { "traefik.ingress.kubernetes.io/router.entrypoints": "websecure" },
    });
    assert.equal(inputs.spec.ingressClassName, "traefik");
    assert.deepEqual(inputs.spec.tls, [{ hosts: ["grafana.lab.example"], secretName: "grafana-tls" }]);
    assert.equal(inputs.spec.rules.length, 1);
    assert.equal(inputs.spec.rules[0].host, "grafana.lab.example");
    assert.deepEqual(inputs.spec.rules[0].http.paths, [
      { path: "/", pathType: "Prefix", backend: { service: { name: "grafana", port: { name: "http" } } } },
    ]);
  });
});
