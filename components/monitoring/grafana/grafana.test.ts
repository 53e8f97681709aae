/**
 * The Grafana component under Pulumi's mocks: what it registers (Secrets holding the generated admin
 * password, the client secret and the indexer password as secrets; a ConfigMap per dashboard labelled
 * for the sidecar; a Role on ConfigMaps only; the certificate and the HTTPS ingress), and the pack's
 * mandatory policies on it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../../policies/lib/offline";
import { planResource } from "../../../policies/lib/build";
import { POLICIES } from "../../../policies/registry";
import { type CapturedResource, captureRegistrations, REDACTED } from "../../../stacks/plan/capture";
import { SDK_TYPES } from "../../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { DASHBOARD_LABEL, Grafana, type GrafanaArgs } from "./grafana";
import { GRAFANA_SECRETS, SIDECAR_ROLE } from "./values";

const CLIENT_SECRET = "keycloak-client-secret-of-grafana-0123";
const INDEXER_PASSWORD = "indexer-password-of-grafana-0123";
const args: GrafanaArgs = {
  namespace: "fortress-monitoring",
  hostname: "grafana.lab.example",
  clusterIssuer: "fortress-ca",
  ingressClassName: "traefik",
  oidc: {
    issuerUrl: "https://keycloak.lab.example/realms/fortress",
    clientId: "grafana",
    clientSecret: pulumi.secret(CLIENT_SECRET),
  },
  indexer: {
    url: "https://wazuh-indexer.fortress-siem.svc:9200",
    username: "fortress-grafana",
    password: pulumi.secret(INDEXER_PASSWORD),
  },
  loki: { url: "http://loki.fortress-monitoring.svc:3100" },
  network: {
    ingressNamespace: "kube-system",
    keycloakNamespaces: ["fortress-identity", "kube-system"],
    indexerNamespace: "fortress-siem",
  },
  dashboards: {
    zones: [
      { name: "servers", cidr: "10.10.20.0/24" },
      { name: "users", cidr: "10.10.30.0/24" },
    ],
  },
};
const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));

let resources: CapturedResource[] = [];
let grafana: Grafana;
let adminPassword = "";
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};

describe("Grafana (the component)", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => ({
          id: `${mock.name}-id`,
          state: {
            ...mock.inputs,
            ...(mock.type.startsWith("random:") ? { result: `generated-${mock.name}` } : {}),
          },
        }),
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
    grafana = new Grafana("grafana", args, { providers: { kubernetes } });
    adminPassword = await resolve(grafana.adminPassword);
    await resolve(pulumi.all([grafana.urn]));
    await pulumi.runtime.disconnect();
  });

  it("is one fortress:monitoring:Grafana with a generated admin password, kept secret", async () => {
    assert.equal(named("grafana").type, COMPONENT_TYPES.grafana);
    assert.equal(adminPassword, "generated-grafana-admin-password");
    assert.equal(await pulumi.isSecret(grafana.adminPassword), true);
    assert.equal(named("grafana-admin-password").type, "random:index/randomPassword:RandomPassword");
  });

  it("keeps every credential out of the recorded state: the Secrets' data are secret", () => {
    const text = JSON.stringify(resources);
    for (const secret of [adminPassword, CLIENT_SECRET, INDEXER_PASSWORD])
      assert.ok(!text.includes(secret), secret);
    for (const [name, secret] of [
      ["grafana-admin", GRAFANA_SECRETS.admin],
      ["grafana-oauth", GRAFANA_SECRETS.oauth],
      ["grafana-indexer", GRAFANA_SECRETS.indexer],
    ] as const) {
      const resource = named(name);
      assert.equal(resource.type, "kubernetes:core/v1:Secret");
      assert.equal((resource.inputs.metadata as Record<string, unknown>).name, secret.name);
      assert.equal(resource.inputs.stringData, REDACTED, name);
    }
  });

  it("provisions each dashboard as a ConfigMap the sidecar loads, holding its JSON model", () => {
    const maps = resources.filter((resource) => resource.type === "kubernetes:core/v1:ConfigMap");
    assert.equal(maps.length, 5);
    for (const map of maps) {
      const metadata = map.inputs.metadata as Record<string, unknown>;
      assert.deepEqual(metadata.labels, DASHBOARD_LABEL);
      assert.equal(metadata.namespace, args.namespace);
      const [[file, json]] = Object.entries(map.inputs.data as Record<string, string>);
      const model = JSON.parse(json) as Record<string, unknown>;
      assert.equal(file, `${String(model.uid)}.json`);
      assert.equal(model.editable, false);
    }
    assert.deepEqual(
      grafana.dashboards.map((dashboard) => dashboard.title),
      ["Security Overview", "Network Security", "Endpoint Security", "Incident Response", "Performance"],
    );
  });

  it("lets the sidecars read ConfigMaps of its namespace and nothing else", () => {
    const role = named("grafana-sidecar-role");
    assert.equal((role.inputs.metadata as Record<string, unknown>).name, SIDECAR_ROLE);
    assert.deepEqual(role.inputs.rules, [
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
    ]);
  });

  it("serves HTTPS only, with a certificate of the internal CA for the UI's name", () => {
    const certificate = named("grafana-certificate");
    assert.deepEqual((certificate.inputs.spec as Record<string, unknown>).dnsNames, [
      args.hostname,
      "grafana",
      "grafana.fortress-monitoring.svc",
    ]);
    const ingress = named("grafana-ingress");
    const spec = ingress.inputs.spec as Record<string, any>;
    assert.deepEqual(spec.tls, [{ hosts: [args.hostname], secretName: "grafana-tls" }]);
    assert.equal(spec.rules[0].http.paths[0].backend.service.name, "grafana");
    assert.equal(grafana.url, `https://${args.hostname}`);
  });

  it("lets browsers in through the ingress controller only, and reaches its data sources and Keycloak", () => {
    const ingress = named("grafana-ingress-policy").inputs.spec as Record<string, any>;
    assert.deepEqual(ingress.podSelector, { matchLabels: { "app.kubernetes.io/name": "grafana" } });
    assert.deepEqual(
      ingress.ingress.map((rule: any) => [
        rule.from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"],
        rule.ports[0].port,
      ]),
      [
        ["kube-system", 3000],
        ["fortress-monitoring", 3000],
      ],
    );
    const egress = named("grafana-egress-policy").inputs.spec as Record<string, any>;
    const rules = egress.egress.map((rule: any) => [
      (rule.to ?? [])
        .map((peer: any) => peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"])
        .join(","),
      rule.ports.map((port: any) => port.port).join(","),
    ]);
    assert.deepEqual(rules, [
      ["fortress-monitoring", "9090,9093,3100"],
      ["fortress-siem", "9200"],
      ["fortress-identity,kube-system", "443,8443"],
      ["", "443,6443"],
    ]);
  });

  it("passes the pack's mandatory policies", async () => {
    // The stack's chart as the lead's layer gives it these values (kube-prometheus-stack's `grafana:`).
    const chart = planResource(SDK_TYPES.helmChartV4, "kube-prometheus-stack", {
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      values: { grafana: grafana.values },
    });
    const violations = await evaluatePolicies(
      POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
      [...resources.filter((resource) => resource.name.startsWith("grafana")), chart],
    );
    // Prometheus's volume is the stack part's, not in these values (monitoring.test.ts checks it).
    const prometheusVolume = (violation: { policy: string; message: string }) =>
      violation.policy === "state-protected-and-backed-up" && /Prometheus's TSDB/.test(violation.message);
    assert.deepEqual(
      violations.filter((violation) => !prometheusVolume(violation)),
      [],
    );
  });
});
