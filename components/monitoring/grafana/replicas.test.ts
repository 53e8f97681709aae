/**
 * Grafana with replicas under Pulumi's mocks: its own PostgreSQL in the monitoring layer (the identity
 * layer's component, generalised) on a protected claim by the name its StatefulSet gives the pod,
 * reachable from Grafana's pods only; the password and the shared secret_key generated and secret;
 * the pods gossiping on 9094 with each other; and the pack's mandatory policies on all of it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { planResource } from "../../../policies/lib/build";
import { POLICIES } from "../../../policies/registry";
import { type CapturedResource, REDACTED } from "../../../stacks/plan/capture";
import { captureUnderMocks, mockKubernetesProvider } from "../../../test/support/mockRuntime";
import { SDK_TYPES } from "../../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { postgresClaimName } from "../../identity/postgres";
import { GRAFANA_DB, Grafana, type GrafanaArgs } from "./grafana";
import { GRAFANA_POD, GRAFANA_POSTGRES_POD } from "./policies";
import { GRAFANA_SECRETS } from "./values";

const args: GrafanaArgs = {
  namespace: "fortress-monitoring",
  hostname: "grafana.lab.example",
  clusterIssuer: "fortress-ca",
  ingressClassName: "traefik",
  loki: { url: "http://loki.fortress-monitoring.svc:3100" },
  network: { ingressNamespace: "kube-system", keycloakNamespaces: [] },
  dashboards: {
    zones: [
      { name: "servers", cidr: "10.10.20.0/24" },
      { name: "users", cidr: "10.10.30.0/24" },
    ],
  },
  replicas: { count: 2, resilience: true, storageClass: "local-path" },
};
type Json = Record<string, any>;

let resources: CapturedResource[] = [];
let grafana: Grafana;
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};
const spec = (name: string) => named(name).inputs.spec as Json;

describe("Grafana with replicas (the component)", () => {
  before(async () => {
    resources = await captureUnderMocks();
    const kubernetes = mockKubernetesProvider();
    grafana = new Grafana("grafana", args, { providers: { kubernetes } });
    await new Promise((done) => grafana.urn.apply(done));
    await pulumi.runtime.disconnect();
  });

  it("gives Grafana a PostgreSQL of its own, in the monitoring layer, on a protected claim", () => {
    const postgres = named("grafana-db");
    assert.equal(postgres.type, COMPONENT_TYPES.grafanaPostgres);
    assert.equal(postgres.parent, named("grafana").urn);
    assert.equal(postgres.aliases, undefined, "never sat anywhere else");
    const set = spec("grafana-db-postgres");
    assert.equal(set.serviceName, GRAFANA_DB.service);
    assert.equal(set.replicas, 1);
    const claim = named("grafana-db-postgres-data");
    assert.equal(claim.protect, true);
    // The StatefulSet's `data` template names its pod's claim data-<set>-0: the plan's protected claim.
    assert.equal(set.volumeClaimTemplates[0].metadata.name, "data");
    assert.equal(
      (claim.inputs.metadata as Json).name,
      `${set.volumeClaimTemplates[0].metadata.name}-${(named("grafana-db-postgres").inputs.metadata as Json).name}-0`,
    );
    assert.equal((claim.inputs.metadata as Json).name, postgresClaimName(GRAFANA_DB));
    const env = set.template.spec.containers[0].env as Json[];
    assert.deepEqual(env.find((entry) => entry.name === "POSTGRES_PASSWORD")?.valueFrom, {
      secretKeyRef: { name: GRAFANA_SECRETS.database.name, key: "password" },
    });
    assert.deepEqual(set.template.metadata.labels, GRAFANA_POSTGRES_POD);
  });

  it("keeps the database password and the shared secret_key generated and secret", () => {
    for (const name of ["grafana-db-grafana-db", "grafana-secret-key"]) {
      assert.equal(named(name).inputs.stringData, REDACTED, name);
    }
    assert.equal(
      (named("grafana-db-grafana-db").inputs.metadata as Json).name,
      GRAFANA_SECRETS.database.name,
    );
    assert.equal((named("grafana-secret-key").inputs.metadata as Json).name, GRAFANA_SECRETS.secretKey.name);
    assert.equal(named("grafana-db-grafana-db-password").type, "random:index/randomPassword:RandomPassword");
    assert.equal(named("grafana-secret-key").type, "kubernetes:core/v1:Secret");
    const text = JSON.stringify(resources);
    assert.ok(!text.includes("pw-grafana-db-grafana-db-password"));
    assert.ok(!text.includes("pw-grafana-secret-key-random"));
    assert.ok(grafana.prerequisites.includes(grafana.postgres as pulumi.Resource));
  });

  it("admits Grafana's pods to PostgreSQL, and Grafana's pods to each other on 9094", () => {
    const database = spec("grafana-db-postgres-from-grafana");
    assert.deepEqual(database.podSelector, { matchLabels: GRAFANA_POSTGRES_POD });
    assert.deepEqual(database.ingress, [
      { from: [{ podSelector: { matchLabels: GRAFANA_POD } }], ports: [{ protocol: "TCP", port: 5432 }] },
    ]);
    const gossip = [
      { port: 9094, protocol: "TCP" },
      { port: 9094, protocol: "UDP" },
    ];
    const self = [{ podSelector: { matchLabels: GRAFANA_POD } }];
    assert.deepEqual(spec("grafana-ingress-policy").ingress.at(-1), { from: self, ports: gossip });
    const egress = spec("grafana-egress-policy").egress as Json[];
    assert.deepEqual(egress[1], { to: self, ports: gossip });
    assert.deepEqual(egress[2], {
      to: [{ podSelector: { matchLabels: GRAFANA_POSTGRES_POD } }],
      ports: [{ port: 5432, protocol: "TCP" }],
    });
  });

  it("passes the pack's mandatory policies, replicas and claim included", async () => {
    const chart = planResource(SDK_TYPES.helmChartV4, "kube-prometheus-stack", {
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      values: { grafana: grafana.values },
    });
    const violations = await evaluatePolicies(
      POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
      [...resources.filter((resource) => resource.name.startsWith("grafana")), chart],
    );
    const prometheusVolume = (violation: { policy: string; message: string }) =>
      violation.policy === "state-protected-and-backed-up" && /Prometheus's TSDB/.test(violation.message);
    assert.deepEqual(
      violations.filter((violation) => !prometheusVolume(violation)),
      [],
    );
    const { podDisruptionBudget: _dropped, ...unbudgeted } = grafana.values as Json;
    const without = await evaluatePolicies(
      POLICIES.filter((policy) => policy.name === "k8s-replicas-resilient"),
      [planResource(SDK_TYPES.helmChartV4, "kube-prometheus-stack", { values: { grafana: unbudgeted } })],
    );
    assert.equal(without.length, 1);
  });
});
