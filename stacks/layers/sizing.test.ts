/**
 * The profile's `workloads` and `resilience` as the layers hand them to the components, and what the
 * charts' values then say: the home profile renders today's values exactly, minimal and smb their own.
 * Keycloak's env through the keycloakx double (test/support/keycloakxChart.ts, from the chart's
 * statefulset.yaml), the spreading through the pack's k8s-replicas-resilient.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { load } from "js-yaml";
import {
  keycloakClusterPolicySpec,
  keycloakValues,
  KEYCLOAK_LABELS,
} from "../../components/identity/keycloak";
import { DEFAULT_KEYCLOAK_SIZING, keycloakResources, RESOURCES } from "../../components/identity/pins";
import { grafanaValues } from "../../components/monitoring/grafana/values";
import { lokiResources, lokiValues } from "../../components/monitoring/logs/lokiValues";
import { LOGS_RESOURCES } from "../../components/monitoring/logs/pins";
import {
  checkStackSizing,
  DEFAULT_STACK_SIZING,
  PROMETHEUS_STORAGE,
  prometheusRetentionSize,
} from "../../components/monitoring/pins";
import { stackValues } from "../../components/monitoring/stackValues";
import { evaluatePolicies } from "../../policies/lib/offline";
import { helmRelease } from "../../policies/rules/k8s-chart-values.fixtures";
import { k8sReplicasResilient } from "../../policies/rules/k8s-replicas-resilient";
import { renderKeycloakx } from "../../test/support/keycloakxChart";
import { workloadsSchema } from "../config/workloads";
import type { ProfileName } from "../profiles";
import { keycloakSizing } from "./identity";
import { grafanaMemoryMib, grafanaReplicas, stackSizing } from "./monitoring";
import { lokiSizing } from "./monitoringLogs";

const config = (profile: ProfileName) => ({ lab: { profile } });
const stackArgs = {
  storageClass: "local-path",
  scrapeConfigs: [],
  controlPlane: [],
  grafana: {},
  grafanaUrl: "https://grafana.lab",
};
type Values = Record<string, any>;

describe("sizing from the profile", () => {
  it("home renders today's constants exactly", () => {
    const home = config("home");
    assert.deepEqual(stackSizing(home), DEFAULT_STACK_SIZING);
    assert.deepEqual(stackValues({ ...stackArgs, sizing: stackSizing(home) }), stackValues(stackArgs));
    assert.equal(prometheusRetentionSize(PROMETHEUS_STORAGE.volumeGi), PROMETHEUS_STORAGE.retentionSize);
    assert.equal(grafanaMemoryMib(home), undefined);
    assert.deepEqual(lokiSizing(home), { volumeGi: 12, memoryMib: 1280 });
    assert.deepEqual(lokiResources(lokiSizing(home).memoryMib), LOGS_RESOURCES.loki);
    assert.deepEqual(keycloakSizing(home), DEFAULT_KEYCLOAK_SIZING);
    assert.deepEqual(keycloakResources(keycloakSizing(home).memoryMib), RESOURCES.keycloak);
    const values = keycloakValues({ hostname: "keycloak.lab", sizing: keycloakSizing(home) });
    assert.deepEqual(keycloakValues({ hostname: "keycloak.lab" }), values);
    assert.equal(values.replicas, 1);
    assert.equal("podDisruptionBudget" in values || "affinity" in values, false);
    const env = renderKeycloakx(values).env;
    assert.deepEqual(
      env.filter((entry) => entry.name.startsWith("KC_CACHE")),
      [{ name: "KC_CACHE", value: "local" }],
    );
  });

  it("minimal gives Prometheus 640 MiB and 6 GiB (5 GB retained), Loki 512 MiB and 8 GiB, Grafana 256 MiB", () => {
    const minimal = config("minimal");
    const prometheus = (stackValues({ ...stackArgs, sizing: stackSizing(minimal) }) as Values).prometheus
      .prometheusSpec;
    assert.deepEqual(prometheus.resources.limits.memory, "640Mi");
    assert.deepEqual(prometheus.resources.requests.memory, "640Mi");
    assert.equal(prometheus.retentionSize, "5GB");
    assert.equal(prometheus.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "6Gi");
    const loki = lokiValues({
      ...lokiSizing(minimal),
      ingestGiPerDay: 0.5,
      maxRetentionDays: 7,
      storageClass: "local-path",
    }) as Values;
    assert.equal(loki.singleBinary.resources.limits.memory, "512Mi");
    assert.equal(loki.singleBinary.persistence.size, "8Gi");
    // Grafana keeps home's 256 Mi request and 512 Mi limit: Grafana asks for 512 MB at least
    // (grafana.com/docs/grafana/v13.2/setup-grafana/installation, "Minimum recommended memory").
    assert.equal(grafanaMemoryMib(minimal), undefined);
  });

  it("keeps retentionSize within the 80-85 % of the volume Prometheus's docs recommend, whole GB", () => {
    for (let volumeGi = 4; volumeGi <= 256; volumeGi++) {
      const size = Number(/^(\d+)GB$/.exec(prometheusRetentionSize(volumeGi))?.[1]);
      assert.ok(size <= volumeGi * 0.85 && size > volumeGi * 0.85 - 1, `${size}GB of ${volumeGi}Gi`);
    }
  });

  it("refuses sizes below what each workload needs to start", () => {
    assert.throws(
      () => checkStackSizing({ prometheus: { memoryMib: 256, volumeGi: 6 } }),
      /at least 512 MiB/,
    );
    assert.throws(() => checkStackSizing({ prometheus: { memoryMib: 640, volumeGi: 2 } }), /at least 4 GiB/);
    assert.throws(() => lokiResources(256), /at least 512 MiB/);
    assert.throws(() => keycloakResources(512), /at least 1024 MiB/);
    assert.throws(
      () => grafanaValues({ hostname: "grafana.lab", tlsSecret: "t", memoryMib: 128 }),
      /at least 192 MiB/,
    );
  });

  it("smb's two Keycloak pods form one jdbc-ping cluster, a budget and required spreading keep them apart", async () => {
    const sizing = keycloakSizing(config("smb"));
    assert.deepEqual(sizing, { replicas: 2, memoryMib: 1536, resilience: true });
    const values = keycloakValues({ hostname: "keycloak.lab", sizing });
    const env = renderKeycloakx(values).env;
    assert.deepEqual(
      env.filter((entry) => entry.name.startsWith("KC_CACHE")),
      [
        { name: "KC_CACHE", value: "ispn" },
        { name: "KC_CACHE_STACK", value: "jdbc-ping" },
      ],
    );
    // Two pods and a rolling restart's third share 80 of PostgreSQL's 100 connections.
    assert.deepEqual(
      env.find((entry) => entry.name === "KC_DB_POOL_MAX_SIZE"),
      { name: "KC_DB_POOL_MAX_SIZE", value: "26" },
    );
    assert.deepEqual(values.podDisruptionBudget, { maxUnavailable: 1 });
    assert.deepEqual(load(String(values.affinity)), {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { ...KEYCLOAK_LABELS } }, topologyKey: "kubernetes.io/hostname" },
        ],
      },
    });
    const judged = (chartValues: Values) =>
      evaluatePolicies([k8sReplicasResilient], [helmRelease("keycloak", "fortress-identity", chartValues)]);
    assert.deepEqual(await judged(values), []);
    const { podDisruptionBudget: _dropped, ...withoutBudget } = values as Values;
    assert.equal((await judged(withoutBudget)).length, 1);
  });

  it("opens JGroups' 7800 and 57800 between Keycloak's pods and to no one else", () => {
    const self = [{ podSelector: { matchLabels: { ...KEYCLOAK_LABELS } } }];
    const ports = [
      { protocol: "TCP", port: 7800 },
      { protocol: "TCP", port: 57800 },
    ];
    assert.deepEqual(keycloakClusterPolicySpec(), {
      podSelector: { matchLabels: { ...KEYCLOAK_LABELS } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: self, ports }],
      egress: [{ to: self, ports }],
    });
  });

  it("two Keycloak pods without resilience still cluster and prefer distinct nodes", () => {
    const values = keycloakValues({
      hostname: "keycloak.lab",
      sizing: { replicas: 2, memoryMib: 2048, resilience: false },
    });
    const affinity = load(String(values.affinity)) as Values;
    assert.equal(
      affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey,
      "kubernetes.io/hostname",
    );
    assert.deepEqual((values.resources as Values).limits.memory, "2Gi");
    assert.deepEqual((values.resources as Values).requests.memory, "1365Mi");
  });

  it("the door takes Grafana replicas; smb runs two, spread and budgeted, on their own PostgreSQL", async () => {
    assert.equal(workloadsSchema.safeParse({ grafana: { replicas: 2 } }).success, true);
    assert.equal(workloadsSchema.safeParse({ grafana: { replicas: 0 } }).success, false);
    assert.equal(grafanaReplicas(config("home"), "local-path"), undefined);
    assert.equal(grafanaReplicas(config("minimal"), "local-path"), undefined);
    const smb = grafanaReplicas(config("smb"), "longhorn");
    assert.deepEqual(smb, { count: 2, resilience: true, storageClass: "longhorn" });
    const database = {
      host: "grafana-postgres.fortress-monitoring.svc:5432",
      name: "grafana",
      user: "grafana",
    };
    const values = grafanaValues({
      hostname: "grafana.lab",
      tlsSecret: "grafana-tls",
      ha: { replicas: 2, resilience: true, database },
    }) as Values;
    assert.equal(values.replicas, 2);
    assert.deepEqual(values.podDisruptionBudget, { maxUnavailable: 1 });
    assert.deepEqual(
      values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector,
      { matchLabels: { "app.kubernetes.io/name": "grafana" } },
    );
    const judged = (grafana: Values) =>
      evaluatePolicies(
        [k8sReplicasResilient],
        [helmRelease("kube-prometheus-stack", "fortress-monitoring", { grafana })],
      );
    assert.deepEqual(await judged(values), []);
    const { affinity: _dropped, ...unspread } = values;
    assert.equal((await judged(unspread)).length, 1);
    const preferred = grafanaValues({
      hostname: "grafana.lab",
      tlsSecret: "grafana-tls",
      ha: { replicas: 2, resilience: false, database },
    }) as Values;
    assert.equal(
      preferred.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm
        .topologyKey,
      "kubernetes.io/hostname",
    );
    assert.deepEqual(await judged(preferred), []);
  });
});
