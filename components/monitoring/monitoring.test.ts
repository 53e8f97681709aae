import assert from "node:assert/strict";
import type { AlertmanagerConfig } from "./contract";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../policies/lib/offline";
import { POLICIES } from "../../policies/registry";
import { stateProtectedAndBackedUp } from "../../policies/rules/state-protected-and-backed-up";
import { type CapturedResource, captureRegistrations } from "../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { ScrapeJob } from "./contract";
import { Monitoring, type MonitoringArgs } from "./monitoring";
import { KPS_CHART } from "./pins";
import {
  ALERTMANAGER_POD,
  GRAFANA_POD,
  KSM_POD,
  OPERATOR_POD,
  PROMETHEUS_POD,
  serviceNamespace,
} from "./policies";
import { scrapeConfigs } from "./scrapeConfigs";
import { ALERTMANAGER_SECRETS_MOUNT_PATH, RULE_LABELS } from "./stackValues";

const NS = "fortress-monitoring";
const INGRESS_NS = "kube-system";
const SERVERS = ["10.10.20.11", "10.10.20.12", "10.10.20.13"];
const AGENTS = ["10.10.20.21", "10.10.20.22"];
const BRIDGE = { ip: "10.10.20.80", port: 8443 };
const RECEIVER_KEY = "thehive-bridge-token-0123456789";
const JOBS: ScrapeJob[] = [
  {
    job: "node",
    scheme: "http",
    targets: [
      { address: "10.10.20.30:9100", labels: { layer: "siem", role: "wazuh-manager", node: "pve1" } },
    ],
  },
  {
    job: "pve",
    scheme: "http",
    metricsPath: "/pve",
    exporterAddress: "pve-exporter.fortress-monitoring.svc:9221",
    targets: [
      { address: "10.10.10.11", labels: { layer: "hypervisor", role: "proxmox-node", node: "pve1" } },
    ],
  },
];

const args: MonitoringArgs = {
  namespace: NS,
  storageClasses: { default: "fortress-local" },
  hostnames: { grafana: "grafana.lab.example" },
  k3s: { servers: SERVERS, agents: AGENTS },
  scrapeJobs: JOBS,
  ruleGroups: [
    {
      name: "Fortress hosts",
      rules: [
        {
          alert: "HostDown",
          expr: 'up{job="node"} == 0',
          for: "5m",
          labels: { severity: "critical", layer: "siem" },
          annotations: { summary: "down", description: "{{ $labels.instance }} is down" },
        },
      ],
    },
  ],
  alertmanager: {
    yaml: "route:\n  receiver: thehive\nreceivers:\n- name: thehive\n",
    secretFiles: { "thehive-token": pulumi.secret(RECEIVER_KEY) },
    secretsMountPath: ALERTMANAGER_SECRETS_MOUNT_PATH,
  },
  alertmanagerEgress: [BRIDGE],
  grafana: {
    // The admin from a Secret, as the grafana part gives it (the pack's grafana-read-only-dashboards).
    values: {
      "grafana.ini": { auth: { disable_login_form: true } },
      admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
    },
    resources: (parent) => [
      new k8s.core.v1.ConfigMap(
        "grafana-dash",
        { metadata: { name: "d", namespace: NS }, data: {} },
        { parent },
      ),
    ],
  },
};

const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));
let resources: CapturedResource[] = [];
const raw = new Map<string, Record<string, any>>();
let monitoring: Monitoring;
const unwrap = (value: any) =>
  value && typeof value === "object" && "value" in value && Object.keys(value).length <= 2
    ? value.value
    : value;
/** The first instance's resources of a type (the second, `built`, only shows the grafana builder). */
const byType = (type: string) =>
  resources.filter((resource) => resource.type === type && !resource.name.startsWith("built"));
const inputsOf = (name: string) => {
  const inputs = raw.get(name);
  assert.ok(inputs, `no inputs for ${name}`);
  return inputs;
};

type Labels = Record<string, string>;
type Peer = { pod?: Labels; namespace?: string; ip?: string };
const matches = (selector: Labels | undefined, labels: Labels | undefined) =>
  !!labels && Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
const peerMatches = (rulePeer: any, peer: Peer) => {
  if (rulePeer.ipBlock) return peer.ip !== undefined && rulePeer.ipBlock.cidr === `${peer.ip}/32`;
  const ns = rulePeer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
  if (ns !== undefined && ns !== (peer.namespace ?? NS)) return false;
  if (ns === undefined && (peer.namespace ?? NS) !== NS) return false;
  if (peer.ip !== undefined) return false;
  return rulePeer.podSelector ? matches(rulePeer.podSelector.matchLabels, peer.pod ?? {}) : true;
};
/** Whether this namespace's own policies let `from` (a pod here) reach `to` on port, or let `from` in to `to` (a pod here). */
function allowed(direction: "egress" | "ingress", pod: Labels, other: Peer, port: number): boolean {
  const policies = byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .map((resource) => inputsOf(resource.name))
    .filter(
      (policy) => policy.metadata.namespace === NS && matches(policy.spec.podSelector.matchLabels, pod),
    );
  return policies.some((policy) =>
    (policy.spec[direction] ?? []).some(
      (rule: any) =>
        (rule.ports ?? []).some((p: any) => p.port === port) &&
        (rule[direction === "egress" ? "to" : "from"] === undefined ||
          rule[direction === "egress" ? "to" : "from"].some((peer: any) => peerMatches(peer, other))),
    ),
  );
}

describe("Monitoring (kube-prometheus-stack, Grafana's parts, the lead's parts)", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => (
          raw.set(mock.name, mock.inputs),
          { id: `${mock.name}-id`, state: { ...mock.inputs } }
        ),
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
    monitoring = new Monitoring(
      "monitoring",
      {
        ...args,
        parts: {
          loki: (parent) => [
            new k8s.core.v1.ConfigMap("loki-part", { metadata: { namespace: NS } }, { parent }),
          ],
        },
      },
      { providers: { kubernetes } },
    );
    const built = new Monitoring(
      "built",
      {
        ...args,
        grafana: (parent) => ({
          values: { adminUser: "built" },
          resources: [
            new k8s.core.v1.Secret(
              "built-grafana-secret",
              { metadata: { name: "g", namespace: NS } },
              { parent },
            ),
          ],
        }),
      },
      { providers: { kubernetes } },
    );
    await resolve(pulumi.all([monitoring.urn, built.urn]));
    await pulumi.runtime.disconnect();
  });

  it("takes Grafana's part as one builder of its values and objects too", () => {
    const built = resources.find((resource) => resource.name === "built-grafana-secret");
    assert.match(built?.parent ?? "", /::built$/);
    assert.equal(inputsOf("built-stack-chart").values.grafana.adminUser, "built");
    const deps = resources.find((resource) => resource.name === "built-stack-chart")?.dependencies ?? [];
    assert.ok(deps.some((urn) => urn.endsWith("::built-grafana-secret")));
  });

  it("is one fortress:monitoring:Monitoring holding the stack, Grafana's resources and the parts, as its children", () => {
    const types = new Map(resources.map((resource) => [resource.name, resource.type]));
    assert.equal(types.get("monitoring"), COMPONENT_TYPES.monitoring);
    assert.equal(types.get("monitoring-stack"), COMPONENT_TYPES.prometheusStack);
    const parentOf = (name: string) => resources.find((resource) => resource.name === name)?.parent ?? "";
    assert.match(parentOf("grafana-dash"), /::monitoring$/);
    assert.match(parentOf("loki-part"), /::monitoring$/);
    assert.equal(monitoring.parts.loki?.length, 1);
    assert.equal(monitoring.grafanaUrl, "https://grafana.lab.example");
    assert.deepEqual(monitoring.prometheus, { host: "kps-prometheus", port: 9090 });
    assert.deepEqual(monitoring.alertmanager, { host: "kps-alertmanager", port: 9093 });
  });

  it("installs the pinned chart with plain values, after its Secrets, claim, policies and Grafana's objects", () => {
    const chart = inputsOf("monitoring-stack-chart");
    assert.equal(chart.chart, KPS_CHART.chart);
    assert.equal(chart.version, KPS_CHART.version);
    assert.equal(chart.repositoryOpts.repo, KPS_CHART.repo);
    assert.equal(chart.namespace, NS);
    assert.equal(chart.values.grafana["grafana.ini"].auth.disable_login_form, true);
    const deps = resources.find((resource) => resource.name === "monitoring-stack-chart")?.dependencies ?? [];
    for (const name of [
      "monitoring-stack-alertmanager-config",
      "monitoring-stack-alertmanager-files",
      "monitoring-stack-prometheus-data",
      "grafana-dash",
    ])
      assert.ok(
        deps.some((urn) => urn.endsWith(`::${name}`)),
        name,
      );
  });

  it("writes the scrape configs and Alertmanager's config into the chart's values and Fortress's Secrets the operator reads", () => {
    const values = inputsOf("monitoring-stack-chart").values;
    assert.deepEqual(values.prometheus.prometheusSpec.additionalScrapeConfigs, scrapeConfigs(JOBS));
    const config = inputsOf("monitoring-stack-alertmanager-config");
    assert.equal(config.metadata.name, "alertmanager-kps-alertmanager");
    assert.equal(
      unwrap(config.stringData)["alertmanager.yaml"],
      (args.alertmanager as AlertmanagerConfig).yaml,
    );
    const files = inputsOf("monitoring-stack-alertmanager-files");
    assert.equal(values.alertmanager.alertmanagerSpec.volumes[0].secret.secretName, files.metadata.name);
    assert.equal(unwrap(files.stringData)["thehive-token"], RECEIVER_KEY);
    assert.ok(!JSON.stringify(values).includes(RECEIVER_KEY));
  });

  it("protects Prometheus's claim under the name the StatefulSet claims it by", () => {
    const claim = resources.find((resource) => resource.name === "monitoring-stack-prometheus-data");
    assert.ok(claim?.protect);
    assert.equal(
      inputsOf("monitoring-stack-prometheus-data").metadata.name,
      "prometheus-db-prometheus-kps-prometheus-0",
    );
  });

  it("makes each rule group a PrometheusRule the operator's ruleSelector picks, after the chart (its CRD)", () => {
    const rules = byType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").filter((rule) =>
      rule.name.startsWith("monitoring-"),
    );
    assert.equal(rules.length, 1);
    const rule = inputsOf(rules[0]!.name);
    assert.equal(rule.metadata.name, "fortress-fortress-hosts");
    assert.deepEqual(rule.metadata.labels, RULE_LABELS);
    assert.equal(rule.spec.groups[0].rules[0].alert, "HostDown");
    assert.ok(rules[0]!.dependencies.some((urn) => urn.endsWith("::monitoring-stack-chart")));
  });

  it("names in-cluster scrape addresses by their Service's namespace, and refuses other names", () => {
    assert.equal(serviceNamespace("pve-exporter", NS), NS);
    assert.equal(serviceNamespace("indexer-exporter.fortress-siem.svc", NS), "fortress-siem");
    assert.equal(serviceNamespace("x.fortress-siem.svc.cluster.local", NS), "fortress-siem");
    assert.throws(() => serviceNamespace("pve1.home.arpa", NS), /in-cluster Service name/);
  });

  it("lets Prometheus reach its targets, and nothing else out of the namespace", () => {
    assert.ok(allowed("egress", PROMETHEUS_POD, { ip: "10.10.20.30" }, 9100), "a ScrapeJob target");
    assert.ok(!allowed("egress", PROMETHEUS_POD, { ip: "10.10.20.99" }, 9100), "an address no job names");
    assert.ok(
      !allowed("egress", PROMETHEUS_POD, { ip: "10.10.10.11" }, 8006),
      "a multi-target job's target: through its exporter",
    );
    assert.ok(allowed("egress", PROMETHEUS_POD, { pod: { any: "pod" } }, 9221), "the in-cluster exporter");
    for (const ip of [...SERVERS, ...AGENTS]) {
      assert.ok(allowed("egress", PROMETHEUS_POD, { ip }, 10250), `kubelet on ${ip}`);
      assert.ok(allowed("egress", PROMETHEUS_POD, { ip }, 9100), `node exporter on ${ip}`);
    }
    for (const ip of SERVERS) {
      assert.ok(allowed("egress", PROMETHEUS_POD, { ip }, 10257));
      assert.ok(allowed("egress", PROMETHEUS_POD, { ip }, 2381));
    }
    assert.ok(!allowed("egress", PROMETHEUS_POD, { ip: AGENTS[0] }, 2381), "etcd only on the servers");
    assert.ok(
      allowed("egress", PROMETHEUS_POD, { namespace: "kube-system", pod: { "k8s-app": "kube-dns" } }, 9153),
    );
    assert.ok(
      !allowed("egress", PROMETHEUS_POD, { namespace: "kube-system", pod: { app: "traefik" } }, 9153),
    );
    assert.ok(allowed("egress", PROMETHEUS_POD, { pod: ALERTMANAGER_POD }, 9093));
    for (const pod of [KSM_POD, OPERATOR_POD]) {
      assert.ok(allowed("egress", PROMETHEUS_POD, { pod }, 8080));
      assert.ok(allowed("ingress", pod, { pod: PROMETHEUS_POD }, 8080));
      assert.ok(!allowed("ingress", pod, { pod: GRAFANA_POD }, 8080));
    }
  });

  it("lets Grafana into Prometheus and Alertmanager, and Prometheus into Grafana's metrics, leaving Grafana's own policies to its part", () => {
    assert.ok(allowed("ingress", PROMETHEUS_POD, { pod: GRAFANA_POD }, 9090));
    assert.ok(allowed("ingress", ALERTMANAGER_POD, { pod: GRAFANA_POD }, 9093));
    assert.ok(allowed("egress", PROMETHEUS_POD, { pod: GRAFANA_POD }, 3000));
    assert.ok(
      !allowed("ingress", PROMETHEUS_POD, { namespace: INGRESS_NS, pod: {} }, 9090),
      "Prometheus is not published",
    );
    const names = byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map(
      (r) => inputsOf(r.name).metadata.name,
    );
    assert.ok(!names.some((n: string) => n.startsWith("grafana")), names.join(", "));
  });

  it("lets Alertmanager reach the bridge and the receiver, and take alerts from Prometheus", () => {
    assert.ok(allowed("egress", ALERTMANAGER_POD, { ip: BRIDGE.ip }, BRIDGE.port));
    assert.ok(!allowed("egress", ALERTMANAGER_POD, { ip: "10.10.20.81" }, BRIDGE.port));
    assert.ok(!allowed("egress", ALERTMANAGER_POD, { ip: BRIDGE.ip }, 443));
    assert.ok(allowed("ingress", ALERTMANAGER_POD, { pod: PROMETHEUS_POD }, 9093));
    assert.ok(!allowed("ingress", ALERTMANAGER_POD, { pod: KSM_POD }, 9093));
  });

  it("is refused by the pack once Prometheus's claim loses its protection", async () => {
    const mine = resources
      .filter((resource) => resource.name.startsWith("monitoring"))
      .map((resource) =>
        resource.name === "monitoring-stack-prometheus-data" ? { ...resource, protect: false } : resource,
      );
    const messages = (await evaluatePolicies([stateProtectedAndBackedUp], mine)).map((v) => v.message);
    assert.ok(
      messages.some((m) => m.includes("claim prometheus-db-prometheus-kps-prometheus-0 is not protected")),
      messages.join("\n"),
    );
  });

  it("passes the pack's mandatory policies", async () => {
    const mine = resources.filter((resource) => resource.name.startsWith("monitoring"));
    const violations = await evaluatePolicies(
      POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
      mine,
    );
    assert.deepEqual(violations, []);
  });
});
