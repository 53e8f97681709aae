import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import {
  CERTIFICATE_DURATION,
  CERTIFICATE_RENEW_BEFORE,
  internalCertificate,
  tlsSecretName,
} from "./certificate";

describe("internalCertificate", () => {
  let resources: CapturedResource[] = [];
  before(async () => {
    resources = await captureUnderMocks();
    internalCertificate(
      "layer-grafana-certificate",
      {
        id: "grafana",
        namespace: "fortress-monitoring",
        dnsNames: ["grafana.lab.example"],
        clusterIssuer: "fortress-ca",
      },
      {},
    );
    await pulumi.runtime.disconnect();
  });

  it("asks the CA ClusterIssuer for the names given, into the Secret <id>-tls of the namespace", () => {
    const [certificate] = resources;
    assert.equal(certificate?.type, "kubernetes:cert-manager.io/v1:Certificate");
    const inputs = certificate.inputs as Record<string, any>;
    assert.deepEqual(inputs.metadata, { name: "grafana-tls", namespace: "fortress-monitoring" });
    assert.equal(inputs.spec.secretName, tlsSecretName("grafana"));
    assert.deepEqual(inputs.spec.dnsNames, ["grafana.lab.example"]);
    assert.deepEqual(inputs.spec.issuerRef, {
      group: "cert-manager.io",
      kind: "ClusterIssuer",
      name: "fortress-ca",
    });
  });

  it("renews well before the certificate ends", () => {
    const hours = (text: string) => Number(/^(\d+)h$/.exec(text)?.[1]);
    assert.ok(
      hours(CERTIFICATE_RENEW_BEFORE) > 0 && hours(CERTIFICATE_RENEW_BEFORE) < hours(CERTIFICATE_DURATION),
    );
    const spec = resources[0]!.inputs.spec as Record<string, unknown>;
    assert.equal(spec.duration, CERTIFICATE_DURATION);
    assert.equal(spec.renewBefore, CERTIFICATE_RENEW_BEFORE);
  });

  it("refuses a certificate without a name", () => {
    assert.throws(
      () =>
        internalCertificate("x", { id: "x", namespace: "n", dnsNames: [], clusterIssuer: "fortress-ca" }, {}),
      /certificate x: no DNS name/,
    );
  });
});
