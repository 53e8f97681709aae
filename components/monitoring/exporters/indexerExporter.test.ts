import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { k8sNoPrivileged } from "../../../policies/rules/k8s-no-privileged";
import { k8sRunAsNonRootWithLimits } from "../../../policies/rules/k8s-run-as-non-root-with-limits";
import { pinnedVersions } from "../../../policies/rules/pinned-versions";
import { secretsFromRandomOrConfig } from "../../../policies/rules/secrets-from-random-or-config";
import { type CapturedResource, REDACTED } from "../../../stacks/plan/capture";
import { captureUnderMocks } from "../../../test/support/mockRuntime";
import type { IndexerAccess } from "../../siem/contract";
import { FORTRESS_ROLES, INDEXER_USERS } from "../../siem/securityConfig";
import { producerOf } from "../metrics";
import { INDEXER_JOB, IndexerExporter, indexerExporterArgs } from "./indexerExporter";
import { EXPORTER_IMAGES } from "./pins";

type Props = Record<string, any>;

const SCRAPER = { "app.kubernetes.io/name": "prometheus" };
const URL = "https://wazuh-indexer.fortress-siem.svc:9200";
const CA = "-----BEGIN CERTIFICATE-----\nfortress-ca\n-----END CERTIFICATE-----\n";
const access = (username = "fortress-exporter"): IndexerAccess => ({
  url: pulumi.output(URL),
  caCertificatePem: pulumi.output(CA),
  username,
  password: pulumi.secret("exporter-password-from-random"),
});

describe("IndexerExporter", () => {
  let resources: CapturedResource[] = [];
  let exporter: IndexerExporter;
  let args: string[] = [];
  const props = (name: string): Props => {
    const resource = resources.find((candidate) => candidate.name === name);
    assert.ok(resource, `no ${name}: ${resources.map((r) => r.name).join(", ")}`);
    return resource.inputs as Props;
  };

  before(async () => {
    resources = await captureUnderMocks();
    exporter = new IndexerExporter("indexer", {
      namespace: "fortress-monitoring",
      indexer: access(),
      scraperLabels: SCRAPER,
    });
    await pulumi.runtime.disconnect();
    args = props("indexer-deployment").spec.template.spec.containers[0].args;
  });

  it("is one fortress:monitoring:IndexerExporter, parent of a Deployment, Service, Secret, CA and two policies", () => {
    const [root, ...others] = resources;
    assert.equal(root?.type, "fortress:monitoring:IndexerExporter");
    for (const resource of others) assert.equal(resource.parent, root!.urn, resource.name);
    assert.deepEqual(others.map((r) => r.type).sort(), [
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:Service",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ]);
  });

  it("connects as the monitoring-only user, its password from the Secret through env, over TLS with the lab's CA", () => {
    const container = props("indexer-deployment").spec.template.spec.containers[0];
    assert.deepEqual(args, [
      `--es.uri=${URL}`,
      "--es.ca=/etc/fortress/indexer-ca/ca.crt",
      "--es.all",
      "--es.timeout=10s",
      "--web.listen-address=:9114",
    ]);
    assert.ok(!args.some((arg) => /ssl-skip-verify|snapshots|password/.test(arg)));
    assert.deepEqual(container.env, [
      {
        name: "ES_USERNAME",
        valueFrom: { secretKeyRef: { name: "indexer-exporter-credentials", key: "username" } },
      },
      {
        name: "ES_PASSWORD",
        valueFrom: { secretKeyRef: { name: "indexer-exporter-credentials", key: "password" } },
      },
    ]);
    assert.equal(props("indexer-credentials").stringData, REDACTED);
    assert.deepEqual(props("indexer-ca").data, { "ca.crt": CA });
    assert.ok(!JSON.stringify(resources.map((r) => r.inputs)).includes("exporter-password-from-random"));
    // The user it runs as holds only the monitor action groups (components/siem/securityConfig.ts).
    assert.deepEqual(INDEXER_USERS.find((user) => user.name === "fortress-exporter")?.roles, [
      "fortress_exporter",
    ]);
    assert.deepEqual(FORTRESS_ROLES.fortress_exporter.cluster_permissions, ["cluster_monitor"]);
  });

  it("refuses another user, plain http and credentials in the URL", () => {
    assert.throws(
      () =>
        new IndexerExporter("x", {
          namespace: "m",
          indexer: access("fortress-vector"),
          scraperLabels: SCRAPER,
        }),
      /fortress-vector is not the monitoring-only user/,
    );
    assert.throws(() => indexerExporterArgs("http://indexer:9200"), /not https/);
    assert.throws(() => indexerExporterArgs("https://admin:admin@indexer:9200"), /process list/);
  });

  it("runs the pinned image as nobody, read-only, with limits and no API token", () => {
    const pod = props("indexer-deployment").spec.template.spec;
    const [container] = pod.containers;
    assert.equal(
      container.image,
      `quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0@${EXPORTER_IMAGES.indexer.digest}`,
    );
    assert.equal(pod.securityContext.runAsUser, 65534);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] });
    assert.deepEqual(container.resources.limits, { cpu: "200m", memory: "96Mi" });
    assert.equal(container.readinessProbe.httpGet.path, "/healthz");
  });

  it("lets in the scraper's pods only, on 9114, and lets them out to it", () => {
    assert.deepEqual(props("indexer-from-scraper").spec, {
      podSelector: { matchLabels: exporter.labels },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [{ podSelector: { matchLabels: SCRAPER } }], ports: [{ protocol: "TCP", port: 9114 }] },
      ],
    });
    assert.deepEqual(props("indexer-scraper-to").spec.egress, [
      { to: [{ podSelector: { matchLabels: exporter.labels } }], ports: [{ protocol: "TCP", port: 9114 }] },
    ]);
    assert.throws(
      () => new IndexerExporter("y", { namespace: "m", indexer: access(), scraperLabels: {} }),
      /empty selector would open it to every pod/,
    );
  });

  it("hands Prometheus the job the catalogue names, labelled as the SIEM's indexer", () => {
    assert.deepEqual(exporter.scrapeJob, {
      job: "indexer-exporter",
      scheme: "http",
      metricsPath: "/metrics",
      targets: [
        {
          address: "indexer-exporter.fortress-monitoring.svc:9114",
          labels: { layer: "siem", role: "wazuh-indexer" },
        },
      ],
    });
    assert.equal(producerOf("elasticsearch_cluster_health_status")?.job, INDEXER_JOB);
  });

  it("passes the pack's workload, pinning and secret rules", async () => {
    const rules = [k8sRunAsNonRootWithLimits, k8sNoPrivileged, pinnedVersions, secretsFromRandomOrConfig];
    assert.deepEqual(await evaluatePolicies(rules, resources), []);
  });
});
