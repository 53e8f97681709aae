import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import {
  chartsJudgedByValues,
  chartValuesOf,
  K3S_HELM_CHART_CONFIG_TYPE,
  K3S_HELM_CHART_TYPE,
} from "../lib/charts";
import { evaluatePolicies } from "../lib/offline";
import { k8sChartValues } from "./k8s-chart-values";
import { helmRelease, k3sHelmChart } from "./k8s-chart-values.fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([k8sChartValues], resources)).map((violation) => violation.message);

describe("k8s-chart-values", () => {
  it("names the chart and the value's path", async () => {
    const [message] = await messages(
      helmRelease("exporter", "fortress-monitoring", { ds: { hostNetwork: true } }),
    );
    assert.match(
      message ?? "",
      /Helm release exporter \(chart exporter\) sets values\.ds\.hostNetwork: true/,
    );
  });

  it("reads a k3s HelmChart's values, valuesContent and set, with set's strings as Helm reads them", () => {
    const chart = k3sHelmChart("x", {
      values: { a: 1 },
      valuesContent: "b: 2\n",
      set: { "c.d": "true", "c.u": "True", "c.w": "FALSE", "e[0]": "5", "f.port": 8080, g: "Null" },
    });
    // helm-controller lower-cases before choosing --set; integer-looking strings go with --set-string.
    assert.deepEqual(
      chartValuesOf({ type: chart.type, props: chart.inputs }).sources.map((source) => source.values),
      [{ a: 1 }, { b: 2 }, { c: { d: true, u: true, w: false }, e: { 0: "5" }, f: { port: 8080 }, g: null }],
    );
  });

  it("judges a chart by its rendered objects once the plan holds them, and lists the others", async () => {
    const chart = planResource(SDK_TYPES.helmChartV4, "falco", {
      chart: "falco",
      version: "4.1.0",
      values: { privileged: true },
    });
    const rendered = planResource("kubernetes:apps/v1:DaemonSet", "falco", {}, { parent: chart });
    assert.equal((await messages(chart)).length, 1);
    assert.deepEqual(await messages(chart, rendered), []);
    const release = helmRelease("vaultwarden", "fortress-identity", {});
    assert.deepEqual(chartsJudgedByValues([chart, rendered, release]), [
      "Helm release vaultwarden (chart vaultwarden)",
    ]);
  });

  it("allows exposing agent ports and keeps sensors' host access to their namespace", async () => {
    assert.deepEqual(
      await messages(
        helmRelease("wazuh", "fortress-siem", { service: { type: "LoadBalancer", port: 1514 } }),
      ),
      [],
    );
    const sensor = { hostNetwork: true, hostPort: 8080 };
    assert.deepEqual(
      (await messages(helmRelease("zeek", "fortress-sensors", sensor))).map((message) =>
        /hostPort/.test(message),
      ),
      [true],
    );
  });

  it("lets Cortex's neuron Jobs in the response namespace run as root, and nothing else there or elsewhere", async () => {
    const neurons = { cortex: { k8sJobs: { securityContext: { runAsUser: 0, runAsNonRoot: false } } } };
    assert.deepEqual(await messages(helmRelease("cortex", "fortress-response", neurons)), []);
    assert.equal((await messages(helmRelease("cortex", "fortress-identity", neurons))).length, 2);
    const cortexRoot = { cortex: { securityContext: { runAsUser: 0 } } };
    assert.match(
      (await messages(helmRelease("cortex", "fortress-response", cortexRoot)))[0] ?? "",
      /values\.cortex\.securityContext\.runAsUser: 0 runs as root/,
    );
    const privileged = { cortex: { k8sJobs: { securityContext: { privileged: true } } } };
    assert.equal((await messages(helmRelease("cortex", "fortress-response", privileged))).length, 1);
  });

  it("refuses a valuesContent it cannot read", async () => {
    const broken = planResource(K3S_HELM_CHART_TYPE, "x", { spec: { chart: "x", valuesContent: "a: [" } });
    assert.match((await messages(broken))[0] ?? "", /not YAML/);
  });

  it("refuses values it cannot read offline: values files and values Secrets", async () => {
    const files = { valueYamlFiles: [{ path: "./values.yaml" }] };
    const release = helmRelease("grafana", "fortress-monitoring", {}, files);
    assert.match((await messages(release))[0] ?? "", /valueYamlFiles are files .* cannot be judged offline/);
    const v4 = planResource(SDK_TYPES.helmChartV4, "loki", { chart: "loki", version: "6.30.1", ...files });
    assert.match((await messages(v4))[0] ?? "", /Helm v4 Chart loki .*valueYamlFiles/);
    const secrets = { valuesSecrets: [{ name: "loki-values", keys: ["values.yaml"] }] };
    const chart = k3sHelmChart("loki", { chart: "loki", version: "6.30.1", ...secrets });
    assert.match((await messages(chart))[0] ?? "", /spec\.valuesSecrets are read from cluster Secrets/);
    const config = planResource(K3S_HELM_CHART_CONFIG_TYPE, "traefik", {
      metadata: { name: "traefik", namespace: "kube-system" },
      spec: secrets,
    });
    assert.equal((await messages(config)).length, 1);
    // Empty lists are nothing to read.
    assert.deepEqual(await messages(helmRelease("x", "fortress-soc", {}, { valueYamlFiles: [] })), []);
  });
});
