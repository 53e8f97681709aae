import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHART_CONDITIONS, TEMPLATE_READS } from "../../test/support/kubePrometheusStackChart";
import type { PlainValue, PlainValues } from "../kubernetes/helmRelease";
import { serverClusterFlags } from "../platform/k3sConfig";
import { checkAlertmanagerConfig } from "./prometheusStack";
import {
  CATALOG_BUDGET_GB,
  KPS_CHART,
  MEMORY_MIB,
  PROMETHEUS_NAME,
  PROMETHEUS_STORAGE,
  STACK_IMAGES,
  STACK_PORTS,
  mibToGb,
  stackBudgetMib,
} from "./pins";
import {
  ALERTMANAGER_CONFIG_SECRET,
  ALERTMANAGER_FILES_SECRET,
  ALERTMANAGER_SECRETS_MOUNT_PATH,
  CHART_RULE_GROUPS_OFF,
  mergeValues,
  prometheusClaimName,
  stackValues,
} from "./stackValues";

const SERVERS = ["10.10.20.11", "10.10.20.12", "10.10.20.13"];
const values = (change: Partial<Parameters<typeof stackValues>[0]> = {}) =>
  stackValues({
    storageClass: "fortress-local",
    scrapeConfigs: [],
    controlPlane: SERVERS,
    grafana: { "grafana.ini": { auth: { disable_login_form: true } } },
    grafanaUrl: "https://grafana.lab.example",
    ...change,
  }) as Record<string, any>;

function leaves(node: PlainValue, path: string[] = []): string[] {
  if (typeof node === "object" && node !== null && !Array.isArray(node))
    return Object.entries(node as PlainValues).flatMap(([key, value]) => leaves(value, [...path, key]));
  return [path.join(".")];
}

/** The k3s nodes of the home lab (research §10: 3 servers, 4 general agents, the indexer and GPU agents). */
const HOME_K3S_NODES = 9;

describe("kube-prometheus-stack's values", () => {
  it("set only keys the chart's templates (or its dependencies' conditions) read", () => {
    const unread = leaves(values())
      .filter((leaf) => !leaf.startsWith("grafana."))
      .filter(
        (leaf) =>
          !CHART_CONDITIONS.includes(leaf) &&
          !Object.keys(TEMPLATE_READS).some((read) => leaf === read || leaf.startsWith(`${read}.`)),
      );
    assert.deepEqual(unread, []);
    // and the check catches a misspelt key
    const typo = leaves(mergeValues(values(), { prometheus: { prometheusSpec: { retentionSise: "1GB" } } }));
    assert.ok(
      typo.some(
        (leaf) =>
          leaf.endsWith("retentionSise") &&
          !Object.keys(TEMPLATE_READS).some((read) => leaf === read || leaf.startsWith(`${read}.`)),
      ),
    );
  });

  it("pins the chart to one release and every image to an exact tag", () => {
    assert.equal(KPS_CHART.version, "88.5.3");
    for (const image of Object.values(STACK_IMAGES))
      assert.match(image.tag, /^v\d+\.\d+\.\d+(-distroless)?$/);
    const v = values();
    assert.equal(v.prometheus.prometheusSpec.image.tag, "v3.14.0-distroless");
    assert.equal(v.alertmanager.alertmanagerSpec.image.tag, "v0.34.0");
    assert.equal(v.prometheusOperator.image.tag, "v0.93.1");
    assert.equal(v["kube-state-metrics"].image.tag, "v2.20.0");
    assert.equal(
      v["prometheus-node-exporter"].image.sha,
      undefined,
      "the node exporter's chart refuses image.sha",
    );
  });

  it("scrapes the controller manager and etcd on the k3s servers, where k3sConfig binds them, and not the scheduler or kube-proxy", () => {
    const flags = serverClusterFlags({ apiFqdn: "k3s.lab.example", servers: [], localStoragePath: "/data" });
    assert.deepEqual(flags["kube-controller-manager-arg"], ["bind-address=0.0.0.0"]);
    assert.equal(flags["etcd-expose-metrics"], true);
    assert.equal(flags["kube-proxy-arg"], undefined, "kube-proxy's metrics stay on 127.0.0.1");
    const v = values();
    assert.deepEqual(v.kubeControllerManager.endpoints, SERVERS);
    assert.equal(v.kubeControllerManager.service.port, STACK_PORTS.controllerManager);
    assert.equal(v.kubeControllerManager.serviceMonitor.https, true);
    assert.deepEqual(v.kubeEtcd.endpoints, SERVERS);
    assert.equal(v.kubeEtcd.service.port, 2381);
    assert.equal(v.kubeScheduler.enabled, false);
    assert.equal(v.kubeProxy.enabled, false);
    const none = values({ controlPlane: [] });
    assert.equal(none.kubeControllerManager.enabled, false);
    assert.equal(none.kubeEtcd.enabled, false);
  });

  it("keeps the chart's rules but the groups the rules part replaces or that have no targets, labelled with a layer", () => {
    const v = values();
    for (const group of Object.keys(CHART_RULE_GROUPS_OFF)) assert.equal(v.defaultRules.rules[group], false);
    assert.equal(v.defaultRules.create, true);
    assert.equal(v.defaultRules.additionalRuleLabels.layer, "platform");
    assert.deepEqual(v.defaultRules.disabled, { KubePersistentVolumeFillingUp: true });
    // The node exporter's own alerts (disk filling, clock, conntrack) and the node recording rules the
    // chart's dashboards read stay on, as does TargetDown for the targets no static job labels.
    for (const group of ["nodeExporterAlerting", "node"]) assert.notEqual(v.defaultRules.rules[group], false);
  });

  it("sizes retention to the volume and keeps the claim the StatefulSet makes", () => {
    const v = values().prometheus.prometheusSpec;
    const size = Number(/^(\d+)GB$/.exec(v.retentionSize)?.[1]);
    assert.ok(
      size > 0 && size <= PROMETHEUS_STORAGE.volumeGi * 0.9,
      `${v.retentionSize} of ${PROMETHEUS_STORAGE.volumeGi}Gi`,
    );
    assert.equal(v.retention, "15d");
    // The admin's days (fortress:monitoring.retention.metricsDays); the size cap stays.
    const longer = values({ retentionDays: 30 }).prometheus.prometheusSpec;
    assert.equal(longer.retention, "30d");
    assert.equal(longer.retentionSize, v.retentionSize);
    const template = v.storageSpec.volumeClaimTemplate;
    assert.equal(template.spec.resources.requests.storage, `${PROMETHEUS_STORAGE.volumeGi}Gi`);
    assert.equal(template.spec.storageClassName, "fortress-local");
    assert.deepEqual(v.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
    assert.equal(prometheusClaimName(PROMETHEUS_NAME), "prometheus-db-prometheus-kps-prometheus-0");
  });

  it("gives every container requests and limits, within the catalog's 2.75 GB for the home lab's nodes", () => {
    const v = values();
    for (const resources of [
      v.prometheus.prometheusSpec.resources,
      v.alertmanager.alertmanagerSpec.resources,
      v.prometheusOperator.resources,
      v.prometheusOperator.prometheusConfigReloader.resources,
      v["kube-state-metrics"].resources,
      v["prometheus-node-exporter"].resources,
      v.grafana.resources,
      v.grafana.sidecar.resources,
    ]) {
      assert.ok(
        resources.requests.cpu &&
          resources.requests.memory &&
          resources.limits.cpu &&
          resources.limits.memory,
      );
      assert.equal(resources.requests.memory, resources.limits.memory);
    }
    const gb = mibToGb(stackBudgetMib(HOME_K3S_NODES));
    assert.ok(gb <= CATALOG_BUDGET_GB, `${gb.toFixed(2)} GB > ${CATALOG_BUDGET_GB} GB`);
    assert.ok(
      mibToGb(stackBudgetMib(HOME_K3S_NODES + 10)) > CATALOG_BUDGET_GB,
      "the budget counts the node exporters",
    );
    assert.equal(MEMORY_MIB.prometheus, 1152);
  });

  it("takes Alertmanager's configuration from Fortress's Secrets and mounts the files where the config says", () => {
    const am = values().alertmanager.alertmanagerSpec;
    assert.equal(am.useExistingSecret, true);
    assert.equal(am.configSecret, undefined, "the operator's default, alertmanager-<name>");
    assert.equal(ALERTMANAGER_CONFIG_SECRET, "alertmanager-kps-alertmanager");
    assert.deepEqual(am.volumes, [
      { name: "fortress-files", secret: { secretName: ALERTMANAGER_FILES_SECRET, defaultMode: 0o440 } },
    ]);
    assert.deepEqual(am.volumeMounts, [
      { name: "fortress-files", mountPath: ALERTMANAGER_SECRETS_MOUNT_PATH, readOnly: true },
    ]);
    assert.equal(ALERTMANAGER_SECRETS_MOUNT_PATH, `/etc/alertmanager/secrets/${ALERTMANAGER_FILES_SECRET}`);
    const config = {
      yaml: "route: {}",
      secretFiles: { "thehive-key": "x" },
      secretsMountPath: ALERTMANAGER_SECRETS_MOUNT_PATH,
    };
    checkAlertmanagerConfig(config);
    assert.throws(
      () => checkAlertmanagerConfig({ ...config, secretsMountPath: "/etc/alertmanager/secrets" }),
      /mounted at/,
    );
    assert.throws(
      () => checkAlertmanagerConfig({ ...config, secretFiles: { "a/b": "x" } }),
      /not a Secret key/,
    );
  });

  it("hands the scrape configs to the chart, which makes their Secret, and refuses what its tpl would evaluate", () => {
    const configs = [{ job_name: "node", static_configs: [{ targets: ["10.0.0.1:9100"] }] }];
    assert.deepEqual(
      values({ scrapeConfigs: configs }).prometheus.prometheusSpec.additionalScrapeConfigs,
      configs,
    );
    assert.throws(
      () => values({ scrapeConfigs: [{ job_name: "x", params: { q: ["{{ .Release.Name }}"] } }] }),
      /tpl/,
    );
  });

  it("turns off the hook-made pieces a helm.v4 Chart would leave without their certificates", () => {
    const operator = values().prometheusOperator;
    assert.equal(operator.admissionWebhooks.enabled, false);
    assert.equal(operator.tls.enabled, false);
  });

  it("merges the grafana part's subtree over the base, the part's keys winning", () => {
    const grafana = values({
      grafana: {
        "grafana.ini": { server: { root_url: "https://other" }, auth: { x: 1 } },
        sidecar: { dashboards: { enabled: true } },
      },
    }).grafana;
    assert.equal(grafana["grafana.ini"].server.root_url, "https://other");
    assert.equal(grafana["grafana.ini"].auth.x, 1);
    assert.equal(grafana.sidecar.dashboards.enabled, true);
    assert.ok(grafana.sidecar.resources.limits.memory, "the base's sidecar resources stay");
    assert.equal(grafana.service.portName, "http");
    assert.equal(values().grafana["grafana.ini"].server.root_url, "https://grafana.lab.example");
  });
});
