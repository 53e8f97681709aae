/**
 * Loki, the Vector aggregator and the TheHive bridge built under Pulumi's mocks: what they register,
 * their claims protected, their NetworkPolicies, no secret in a chart's values or a ConfigMap, and
 * the pack's mandatory policies.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { POLICIES } from "../../../policies/registry";
import { type CapturedResource, captureRegistrations } from "../../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { Loki } from "./loki";
import { LOKI_CLAIM } from "./lokiValues";
import { TheHiveAlertBridge } from "./theHiveBridge";
import { VectorAggregator } from "./vectorAggregator";

const NS = "fortress-monitoring";
const INDEXER_PASSWORD = "indexer-password-of-the-aggregator";
const THEHIVE_KEY = "thehive-key-of-the-wazuh-account";
const grafana = { namespace: NS, podLabels: { "app.kubernetes.io/name": "grafana" } };
const alertmanager = { namespace: NS, podLabels: { "app.kubernetes.io/name": "alertmanager" } };

let resources: CapturedResource[] = [];
const raw = new Map<string, Record<string, any>>();
const inputsOf = (name: string) => {
  const inputs = raw.get(name);
  assert.ok(inputs, `no inputs for ${name}`);
  return inputs;
};
const resolve = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply(done));

let loki: Loki;
let aggregator: VectorAggregator;
let onExisting: VectorAggregator;
let bridge: TheHiveAlertBridge;

describe("the logs part of the monitoring layer", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => {
          raw.set(mock.name, mock.inputs);
          const data =
            mock.type === "kubernetes:core/v1:Secret" && mock.id
              ? { data: { "wazuh.key": Buffer.from(THEHIVE_KEY).toString("base64") } }
              : {};
          return {
            id: mock.id ?? `${mock.name}-id`,
            state: { ...mock.inputs, ...data, result: "generated-0123456789" },
          };
        },
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    const kubernetes = new k8s.Provider("k8s", {
      kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n"),
    });
    const providers = { providers: { kubernetes } };
    aggregator = new VectorAggregator(
      "logs-vector",
      {
        namespace: NS,
        storageClass: "fortress-local",
        scraper: { namespace: NS, podLabels: { "app.kubernetes.io/name": "prometheus" } },
        senders: [
          { name: "opnsense", layer: "network", address: "10.10.10.1", aliases: ["opnsense"] },
          { name: "pve-1", layer: "hypervisor", address: "10.10.1.11", aliases: ["pve-1"] },
        ],
        loki: { url: `http://loki.${NS}.svc:3100`, peer: { namespace: NS, podLabels: { app: "loki" } } },
        indexer: {
          host: "wazuh-indexer.fortress-siem.svc",
          port: 9200,
          username: "fortress-vector-aggregator",
          password: pulumi.secret(INDEXER_PASSWORD),
          caCertificatePem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
          peer: { namespace: "fortress-siem", podLabels: { app: "wazuh-indexer" } },
        },
        shippers: {
          hosts: [{ name: "zeek-1", layer: "sensors", address: "10.10.20.40" }],
          dialAddress: "10.10.20.21",
          clusterIssuer: "fortress-ca",
        },
      },
      providers,
    );
    // On a cluster Fortress did not build: the route at the address its load balancer hands out.
    onExisting = new VectorAggregator(
      "lb-vector",
      {
        namespace: NS,
        storageClass: "fortress-local",
        scraper: { namespace: NS, podLabels: { "app.kubernetes.io/name": "prometheus" } },
        senders: [{ name: "opnsense", layer: "network", address: "10.10.20.1", aliases: ["opnsense"] }],
        loki: { url: `http://loki.${NS}.svc:3100`, peer: { namespace: NS, podLabels: { app: "loki" } } },
        indexer: {
          host: "wazuh-indexer.fortress-siem.svc",
          port: 9200,
          username: "fortress-vector-aggregator",
          password: pulumi.secret(INDEXER_PASSWORD),
          caCertificatePem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
          peer: { namespace: "fortress-siem", podLabels: { app: "wazuh-indexer" } },
        },
        loadBalancerIp: "10.10.20.62",
      },
      providers,
    );
    loki = new Loki(
      "logs-loki",
      {
        namespace: NS,
        storageClass: "fortress-local",
        volumeGi: 20,
        ingestGiPerDay: 0.5,
        maxRetentionDays: 30,
        pushers: [aggregator.podPeer],
        readers: [grafana],
      },
      providers,
    );
    bridge = new TheHiveAlertBridge(
      "logs-bridge",
      {
        namespace: NS,
        theHiveUrl: "https://thehive.lab.example",
        wazuhBridge: {
          integrations: [],
          script: "",
          keySecret: { namespace: "fortress-response", name: "thehive-service-keys", key: "wazuh.key" },
          caCertificatePem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
          ready: [],
        },
        theHiveEgress: {
          namespace: "kube-system",
          podLabels: { "app.kubernetes.io/name": "traefik" },
          port: 8443,
        },
        alertmanager,
      },
      providers,
    );
    await resolve(
      pulumi.all([
        loki.chart.urn,
        aggregator.chart.urn,
        onExisting.chart.urn,
        bridge.deployment.urn,
        bridge.bridgeToken,
      ]),
    );
  });

  it("registers each part under its own type token", () => {
    const types = resources.map((resource) => resource.type);
    for (const token of [
      COMPONENT_TYPES.loki,
      COMPONENT_TYPES.vectorAggregator,
      COMPONENT_TYPES.theHiveAlertBridge,
    ])
      assert.ok(types.includes(token), token);
    assert.equal(loki.url, `http://loki.${NS}.svc:3100`);
    assert.equal(bridge.theHiveBridgeUrl, `http://thehive-bridge.${NS}.svc:8080/alertmanager`);
  });

  it("protects the claims the StatefulSets use, by the names they mount", () => {
    const claims = resources.filter(
      (resource) =>
        resource.type === "kubernetes:core/v1:PersistentVolumeClaim" && resource.name.startsWith("logs-"),
    );
    assert.deepEqual(claims.map((claim) => [claim.name, claim.protect]).sort(), [
      ["logs-loki-storage", true],
      ["logs-vector-data", true],
    ]);
    assert.equal(inputsOf("logs-loki-storage").metadata.name, LOKI_CLAIM);
    const values = inputsOf("logs-vector-chart").values;
    assert.equal(values.persistence.existingClaim, inputsOf("logs-vector-data").metadata.name);
  });

  it("lets only the pushers and readers reach Loki, and only senders reach the aggregator's route", () => {
    const lokiPolicy = inputsOf("logs-loki-ingress").spec;
    const sources = lokiPolicy.ingress[0].from.map((peer: any) => peer.podSelector.matchLabels);
    assert.deepEqual(sources, [aggregator.podPeer.podLabels, grafana.podLabels]);
    assert.deepEqual(lokiPolicy.ingress[0].ports, [{ protocol: "TCP", port: 3100 }]);
    const route = inputsOf("logs-vector-route").spec;
    assert.deepEqual(route.loadBalancerSourceRanges, ["10.10.10.1/32", "10.10.1.11/32", "10.10.20.40/32"]);
    assert.deepEqual(
      route.ports.map((port: any) => `${port.port}/${port.protocol}`),
      ["514/UDP", "6000/TCP"],
    );
    const bridgePolicy = inputsOf("logs-bridge-policy").spec;
    assert.deepEqual(bridgePolicy.ingress[0].from[0].podSelector.matchLabels, alertmanager.podLabels);
  });

  it("on an existing cluster asks its load balancer for the route's address, keeps the firewall's address (Local), admits only it", () => {
    const service = inputsOf("lb-vector-route");
    assert.deepEqual(service.metadata.annotations, {
      "metallb.io/loadBalancerIPs": "10.10.20.62",
      "metallb.universe.tf/loadBalancerIPs": "10.10.20.62",
      "kube-vip.io/forcePerServiceElection": "true",
      "kube-vip.io/loadbalancerIPs": "10.10.20.62",
    });
    assert.equal(service.spec.loadBalancerIP, undefined);
    assert.equal(service.spec.externalTrafficPolicy, "Local");
    assert.deepEqual(service.spec.loadBalancerSourceRanges, ["10.10.20.1/32"]);
    assert.deepEqual(inputsOf("lb-vector-from-route").spec.ingress, [
      { from: [{ ipBlock: { cidr: "10.10.20.1/32" } }], ports: [{ protocol: "UDP", port: 514 }] },
    ]);
    // k3s's route: ServiceLB's pods beside the senders, no annotation, the Cluster policy.
    assert.equal(inputsOf("logs-vector-route").metadata.annotations, undefined);
    assert.equal(inputsOf("logs-vector-route").spec.externalTrafficPolicy, "Cluster");
    assert.ok(JSON.stringify(inputsOf("logs-vector-from-route")).includes("svccontroller.k3s.cattle.io"));
  });

  it("keeps the indexer password and TheHive's key out of values and ConfigMaps", () => {
    const plain = JSON.stringify(
      [...raw.entries()].filter(([name]) => !name.endsWith("-secrets")).map(([, inputs]) => inputs),
    );
    assert.ok(!plain.includes(INDEXER_PASSWORD));
    assert.ok(!plain.includes(THEHIVE_KEY));
    const config = JSON.stringify(inputsOf("logs-vector-chart").values.customConfig);
    assert.match(config, /SECRET\[fortress\.indexer_password\]/);
  });

  it("passes the pack's mandatory policies", async () => {
    const mine = resources.filter(
      (resource) => resource.name.startsWith("logs-") || resource.name.startsWith("lb-"),
    );
    const violations = await evaluatePolicies(
      POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
      mine,
    );
    assert.deepEqual(violations, []);
  });
});
