/**
 * The indexer sized by the profile and, with three replicas, an OpenSearch cluster: the pure parts
 * (StatefulSet, opensearch.yml) and the component under mocks (claims, Service, PDB, certificate,
 * policies), held to the pack's mandatory policies.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { evaluatePolicies } from "../../policies/lib/offline";
import { POLICIES } from "../../policies/registry";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks, mockKubernetesProvider } from "../../test/support/mockRuntime";
import { indexerSize } from "../../stacks/layers/siem";
import { PROFILES } from "../../stacks/profiles";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { indexerStatefulSet } from "./indexerStatefulSet";
import { renderOpenSearchYml } from "./opensearchYml";
import { retention } from "./retention";
import { Siem, type SiemArgs } from "./siem";

const base: SiemArgs = {
  namespace: "fortress-siem",
  clusterIssuer: "fortress-ca",
  caCertificatePem: "-----BEGIN CERTIFICATE-----\nfortress-test-ca\n-----END CERTIFICATE-----\n",
  storageClass: "fortress-local",
  snapshotStorageClass: "fortress-rwx",
  snapshotShared: true,
  ingressClassName: "traefik",
  ingressNamespace: "kube-system",
  dashboardHostname: "wazuh.lab.example",
  indexerNodeSelector: {},
  indexer: {
    ...indexerSize({ lab: { profile: "smb" } }),
    ingestGbPerDay: 2,
    maxRetentionDays: 90,
  },
  consumerNamespaces: ["fortress-response", "fortress-monitoring"],
};

const sts = (replicas: number, memoryMib = 4096, heapMib = 2048) =>
  indexerStatefulSet({
    namespace: "fortress-siem",
    nodeSelector: {},
    configDigest: "0123456789",
    memoryMib,
    heapMib,
    replicas,
    data: { storageClass: "fortress-local", gi: 195 },
  });
const container = (args: k8s.apps.v1.StatefulSetArgs) => (args.spec as any).template.spec.containers[0];

describe("the indexer's size from the profile", () => {
  it("keeps home's 3 GiB, 1536 MiB heap and 195/75 GiB claims; minimal is wazuh-kubernetes' local-env; smb is three nodes", () => {
    assert.deepEqual(indexerSize({ lab: {} }), {
      replicas: 1,
      memoryMib: 3072,
      heapMib: 1536,
      dataGi: 195,
      snapshotGi: 75,
    });
    assert.deepEqual(indexerSize({ lab: { profile: "minimal" } }), {
      replicas: 1,
      memoryMib: 2048,
      heapMib: 1024,
      dataGi: 28,
      snapshotGi: 10,
    });
    assert.equal(indexerSize({ lab: { profile: "smb" } }).replicas, 3);
  });

  it("keeps minimal's retention sane: its 28 GiB claim holds 10 days at the lab's 2 GB a day", () => {
    const minimal = indexerSize({ lab: { profile: "minimal" } });
    const kept = retention({ dataDiskGb: minimal.dataGi, ingestGbPerDay: 2, maxDays: 90 });
    // 28 × 0.85 = 23.8 GB below the high watermark: 11 days fit, one kept for the index being written.
    assert.equal(kept.days, 10);
    assert.ok(kept.retainedGb <= kept.usableGb);
  });

  it("takes the overrides the door resolved, not the profile's table", () => {
    const home = indexerSize({ lab: {} });
    const workloads = {
      ...PROFILES.home.workloads,
      "wazuh-indexer": { replicas: 1, memoryGb: 6, heapGb: 3, storageGb: 130 },
    };
    const sized = indexerSize({ lab: {}, workloads });
    assert.deepEqual(sized, { replicas: 1, memoryMib: 6144, heapMib: 3072, dataGi: 130, snapshotGi: 50 });
    assert.notDeepEqual(sized, home);
  });

  it("sets the container's memory and the heap from the size, and refuses a heap over half of it", () => {
    const small = container(sts(1, 2048, 1024));
    assert.deepEqual(small.resources.limits, { cpu: "2", memory: "2048Mi" });
    assert.equal(small.resources.requests.memory, "2048Mi");
    assert.match(
      small.env.find((env: any) => env.name === "OPENSEARCH_JAVA_OPTS").value,
      /^-Xms1024m -Xmx1024m /,
    );
    assert.throws(() => sts(1, 2048, 1536), /more than half/);
    assert.throws(() => sts(1, 2048, 1000.5), /whole number/);
  });
});

describe("an indexer cluster (pure parts)", () => {
  it("keeps one node as it was: its Service name, one replica, its own claim, no affinity, no transport port", () => {
    const one = sts(1).spec as any;
    assert.equal(one.serviceName, "wazuh-indexer");
    assert.equal(one.replicas, 1);
    assert.equal(one.volumeClaimTemplates, undefined);
    assert.equal(one.podManagementPolicy, undefined);
    assert.equal(one.template.spec.affinity, undefined);
    assert.deepEqual(
      one.template.spec.volumes.find((volume: any) => volume.name === "data").persistentVolumeClaim,
      { claimName: "wazuh-indexer-data" },
    );
    assert.deepEqual(
      container(sts(1)).ports.map((port: any) => port.containerPort),
      [9200],
    );
  });

  it("names three pods under the headless Service, starts them together, one per node, each with a data claim from the template", () => {
    const three = sts(3).spec as any;
    assert.equal(three.serviceName, "wazuh-indexer-nodes");
    assert.equal(three.replicas, 3);
    assert.equal(three.podManagementPolicy, "Parallel");
    assert.deepEqual(
      three.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution,
      [
        {
          labelSelector: {
            matchLabels: { "app.kubernetes.io/name": "wazuh-indexer", "app.kubernetes.io/part-of": "wazuh" },
          },
          topologyKey: "kubernetes.io/hostname",
        },
      ],
    );
    const [template] = three.volumeClaimTemplates;
    assert.equal(template.metadata.name, "data");
    assert.deepEqual(template.spec.resources.requests, { storage: "195Gi" });
    assert.equal(template.spec.storageClassName, "fortress-local");
    // The template's volume, not a claim of the pod spec, holds the data.
    assert.equal(
      three.template.spec.volumes.find((volume: any) => volume.name === "data"),
      undefined,
    );
    assert.ok(container(sts(3)).volumeMounts.some((mount: any) => mount.name === "data"));
    assert.ok(container(sts(3)).ports.some((port: any) => port.containerPort === 9300));
  });

  it("refuses two nodes (no quorum with one down) and none", () => {
    assert.throws(() => sts(2), /three or more/);
    assert.throws(() => sts(0), /three or more/);
  });

  it("discovers the cluster by every pod's name and bootstraps it from all three; one node stays single-node", () => {
    const dns = { clusterName: "c", nodeDn: "CN=n", adminDn: "CN=a" };
    const single = yaml.load(renderOpenSearchYml(dns)) as Record<string, unknown>;
    assert.equal(single["discovery.type"], "single-node");
    assert.equal(single["discovery.seed_hosts"], undefined);
    const hosts = [0, 1, 2].map((n) => `wazuh-indexer-${n}.wazuh-indexer-nodes.fortress-siem.svc`);
    const names = [0, 1, 2].map((n) => `wazuh-indexer-${n}`);
    const text = renderOpenSearchYml({
      ...dns,
      cluster: { seedHosts: hosts, initialClusterManagers: names },
    });
    const cluster = yaml.load(text) as Record<string, unknown>;
    assert.equal(cluster["discovery.type"], undefined);
    assert.deepEqual(cluster["discovery.seed_hosts"], hosts);
    assert.deepEqual(cluster["cluster.initial_cluster_manager_nodes"], names);
    const file = join(mkdtempSync(join(tmpdir(), "fortress-cluster-")), "opensearch.yml");
    writeFileSync(file, text);
    const lint = spawnSync(
      "yamllint",
      ["--strict", "-d", "{extends: default, rules: {line-length: {max: 200}}}", file],
      {
        encoding: "utf8",
      },
    );
    if (lint.error)
      throw new Error(`yamllint is not installed (apt-get install yamllint): ${lint.error.message}`);
    assert.equal(lint.status, 0, `${lint.stdout}${lint.stderr}`);
    assert.throws(
      () =>
        renderOpenSearchYml({
          ...dns,
          cluster: { seedHosts: hosts.slice(0, 2), initialClusterManagers: names.slice(0, 2) },
        }),
      /odd number/,
    );
  });
});

describe("an indexer cluster (the component)", () => {
  let resources: CapturedResource[] = [];
  const raw = new Map<string, Record<string, any>>();
  const inputsOf = (name: string) => {
    const inputs = raw.get(name);
    assert.ok(inputs, `no inputs for ${name}`);
    return inputs;
  };
  let siem: Siem;

  before(async () => {
    resources = await captureUnderMocks("unit", { raw });
    const kubernetes = mockKubernetesProvider();
    siem = new Siem("smb", base, { providers: { kubernetes } });
    await new Promise((done) => siem.urn.apply(done));
    await pulumi.runtime.disconnect();
  });

  it("makes each pod's data claim by the name the StatefulSet gives it, protected, and one shared snapshot claim", () => {
    for (const n of [0, 1, 2]) {
      const claim = resources.find((resource) => resource.name === `smb-indexer-data-${n}`);
      assert.ok(claim, `no data claim ${n}`);
      assert.equal(claim.protect, true);
      assert.equal(inputsOf(`smb-indexer-data-${n}`).metadata.name, `data-wazuh-indexer-${n}`);
      assert.deepEqual(inputsOf(`smb-indexer-data-${n}`).spec.resources.requests, { storage: "195Gi" });
    }
    assert.equal(
      resources.find((resource) => resource.name === "smb-indexer-data"),
      undefined,
    );
    const snapshots = inputsOf("smb-indexer-snapshots").spec;
    assert.deepEqual(snapshots.accessModes, ["ReadWriteMany"]);
    assert.equal(snapshots.storageClassName, "fortress-rwx");
  });

  it("names the pods through a headless Service that publishes them before they are ready, and lets one go at a time", () => {
    const nodes = inputsOf("smb-indexer-nodes").spec;
    assert.equal(nodes.clusterIP, "None");
    assert.equal(nodes.publishNotReadyAddresses, true);
    assert.deepEqual(
      nodes.ports.map((port: any) => port.port),
      [9300],
    );
    const budget = resources.find((resource) => resource.name === "smb-indexer-disruption-budget");
    assert.equal(budget?.type, "kubernetes:policy/v1:PodDisruptionBudget");
    assert.equal(inputsOf("smb-indexer-disruption-budget").spec.maxUnavailable, 1);
    const transport = inputsOf("smb-indexer-transport").spec;
    assert.deepEqual(transport.ingress[0].ports, [{ protocol: "TCP", port: 9300 }]);
    assert.deepEqual(transport.ingress[0].from, transport.egress[0].to);
  });

  it("names every pod in the shared node certificate and seeds discovery with the same names", () => {
    const dnsNames = inputsOf("smb-indexer-node-certificate").spec.dnsNames as string[];
    const settings = yaml.load(inputsOf("smb-indexer-config").data["opensearch.yml"]) as Record<string, any>;
    assert.equal(settings["discovery.seed_hosts"].length, 3);
    for (const host of settings["discovery.seed_hosts"]) {
      assert.ok(dnsNames.includes(host), host);
      assert.ok(dnsNames.includes(`${host}.cluster.local`), host);
    }
    assert.ok(dnsNames.includes("wazuh-indexer.fortress-siem.svc"));
  });

  it("keeps a replica of each Wazuh shard in its retention: three 195 GiB claims hold the 90 days wanted", () => {
    // 3 × 195 GiB × 0.85 / (2 GB × 2 copies) − 1 = 123 days fit.
    assert.equal(siem.retention.days, 90);
    assert.ok(siem.retention.retainedGb <= siem.retention.usableGb);
  });

  it("passes the pack's mandatory policies (every claim protected, among them)", async () => {
    const violations = await evaluatePolicies(
      POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
      resources.filter((resource) => resource.name.startsWith("smb")),
    );
    assert.deepEqual(violations, []);
  });

  it("refuses a cluster without a shared snapshot class", () => {
    assert.throws(
      () => new Siem("unshared", { ...base, snapshotShared: false }),
      /ReadWriteMany storage class/,
    );
  });

  it("registers claims of the PVC type the state policy reads", () => {
    assert.ok(
      resources
        .filter((resource) => resource.name.startsWith("smb-indexer-data-"))
        .every((resource) => resource.type === SDK_TYPES.k8sPersistentVolumeClaim),
    );
  });
});
