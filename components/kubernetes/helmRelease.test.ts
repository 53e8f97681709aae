import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { chartsJudgedByValues } from "../../policies/lib/charts";
import { evaluatePolicies } from "../../policies/lib/offline";
import type { PlanResource } from "../../policies/lib/types";
import { k8sChartValues } from "../../policies/rules/k8s-chart-values";
import { k8sExposure } from "../../policies/rules/k8s-exposure";
import { k8sNoExposedManagementUi } from "../../policies/rules/k8s-no-exposed-management-ui";
import { k8sNoPrivileged } from "../../policies/rules/k8s-no-privileged";
import { k8sRunAsNonRootWithLimits } from "../../policies/rules/k8s-run-as-non-root-with-limits";
import { exactChartVersion, pinnedVersions } from "../../policies/rules/pinned-versions";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { pinnedChart, unplainValues } from "./helmRelease";

type Inputs = Record<string, any>;

const chart = { repo: "https://grafana.github.io/helm-charts", chart: "grafana", version: "10.1.4" };
const install = (
  version: string,
  repo = chart.repo,
  values: Inputs = {},
  namespace = "fortress-monitoring",
) =>
  pinnedChart(
    `chart-${version}-${repo.length}`,
    { name: "grafana", namespace, chart: { ...chart, version, repo }, values },
    {},
  );

const K8S_POLICIES = [
  k8sNoPrivileged,
  k8sRunAsNonRootWithLimits,
  k8sExposure,
  k8sNoExposedManagementUi,
  k8sChartValues,
];

/**
 * One object as a helm.v4 Chart registers it in `pulumi preview`: a custom resource of the object's
 * type, the Chart its parent, named `<resourcePrefix>:<namespace>/<name>` with the Chart's name as the
 * prefix, the rendered object its inputs (pulumi/pulumi-kubernetes@94977969
 * provider/pkg/provider/helm/v4/chart.go `pulumi.Parent(comp)`, provider/pkg/provider/yaml/v2/yaml.go
 * `register`).
 */
function rendered(parent: CapturedResource, type: string, object: Inputs): PlanResource {
  const [, group, version, kind] = /^kubernetes:(.+)\/(v\w+):(\w+)$/.exec(type) ?? [];
  assert.ok(kind, type);
  const name = `${parent.name}:${object.metadata.namespace}/${object.metadata.name}`;
  return {
    urn: parent.urn
      .replace(`::${parent.type}::`, `::${parent.type}$${type}::`)
      .replace(/::[^:]+$/, `::${name}`),
    type,
    name,
    parent: parent.urn,
    dependencies: [],
    protect: false,
    provider: null,
    inputs: { apiVersion: group === "core" ? version : `${group}/${version}`, kind, ...object },
  };
}

const restrictedContainer = (extra: Inputs = {}) => ({
  name: "agent",
  image: "ghcr.io/example/agent:3.0.1",
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, ...extra },
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
});
const daemonSet = (container: Inputs): Inputs => ({
  metadata: { name: "agent", namespace: "fortress-monitoring" },
  spec: {
    selector: { matchLabels: { app: "agent" } },
    template: {
      metadata: { labels: { app: "agent" } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
        containers: [container],
      },
    },
  },
});
const service = (type: string, name = "grafana", port = 3000): Inputs => ({
  metadata: { name, namespace: "fortress-monitoring" },
  spec: { type, selector: { app: name }, ports: [{ name: "http", port, targetPort: port }] },
});

describe("pinnedChart", () => {
  let resources: CapturedResource[] = [];
  before(async () => {
    resources = await captureUnderMocks();
    pinnedChart(
      "monitoring-grafana",
      {
        name: "grafana",
        namespace: "fortress-monitoring",
        chart,
        values: {
          image: { repository: "docker.io/grafana/grafana", tag: "12.2.0" },
          service: { type: "ClusterIP" },
        },
      },
      {},
    );
    pinnedChart(
      "monitoring-loki",
      {
        name: "loki",
        namespace: "fortress-monitoring",
        chart: { repo: "oci://registry.example.org/charts/", chart: "loki", version: "6.1.0" },
        values: {},
      },
      {},
    );
    await pulumi.runtime.disconnect();
  });

  const grafana = () => resources.find((resource) => resource.name === "monitoring-grafana")!;

  it("registers a helm.v4 Chart of one exact version into a namespace it names", () => {
    assert.equal(grafana().type, "kubernetes:helm.sh/v4:Chart");
    const inputs = grafana().inputs as Inputs;
    assert.equal(inputs.name, "grafana");
    assert.equal(inputs.chart, "grafana");
    assert.equal(inputs.version, "10.1.4");
    assert.deepEqual(inputs.repositoryOpts, { repo: chart.repo });
    assert.equal(inputs.namespace, "fortress-monitoring");
    assert.deepEqual(inputs.values.service, { type: "ClusterIP" });
    // Hooks stay off (v4 cannot run them outside render mode); nothing skips the readiness waits.
    for (const option of ["includeHooks", "skipAwait", "valueYamlFiles", "postRenderer", "plainHttp"]) {
      assert.ok(!(option in inputs), option);
    }
    // An oci chart is named by its full reference, without a repository.
    const loki = resources.find((resource) => resource.name === "monitoring-loki")!.inputs as Inputs;
    assert.equal(loki.chart, "oci://registry.example.org/charts/loki");
    assert.equal(loki.version, "6.1.0");
    assert.ok(!("repositoryOpts" in loki));
  });

  it("passes the pack's pinned-versions rule", async () => {
    assert.deepEqual(await evaluatePolicies([pinnedVersions], resources), []);
  });

  it("refuses, at construction, every chart version the pack refuses", () => {
    for (const version of [
      "",
      "latest",
      "^1.2.0",
      "~1.2",
      ">=1.0.0",
      "1.x",
      "1.2.3 || 1.2.4",
      "1",
      "1.2",
      "v1.19",
    ]) {
      assert.equal(exactChartVersion(version), false, version);
      assert.throws(() => install(version), /is not one exact release/, version);
    }
    for (const version of ["1.2.3", "v1.19.4", "0.44.0", "4.0.18"]) {
      assert.equal(exactChartVersion(version), true, version);
      assert.doesNotThrow(() => install(version), version);
    }
  });

  it("refuses a chart repository that is not https or oci", () => {
    assert.throws(() => install("1.2.3", "http://charts.example"), /not an https or oci URL/);
    assert.doesNotThrow(() => install("1.2.3", "oci://registry.example/charts"));
  });

  it("refuses values a preview could not render, or that would leave a secret in the objects", () => {
    const output = pulumi.output("x");
    assert.throws(
      () => install("1.2.3", chart.repo, { admin: { password: pulumi.secret("hunter2hunter2") } }),
      /values\.admin\.password is an Output.*existingSecret/,
    );
    assert.deepEqual(unplainValues({ a: [1, { b: output }], c: Promise.resolve(1), d: "ok" }), [
      "values.a[1].b is an Output",
      "values.c is a Promise",
    ]);
    assert.deepEqual(unplainValues({ when: new Date(0), n: Number.NaN }), [
      "values.when is an object of a class",
      "values.n is NaN",
    ]);
    assert.deepEqual(unplainValues({ a: null, b: [true, 1, "s", { c: [] }], d: undefined }), []);
    assert.deepEqual(unplainValues({ f: () => 1, s: Symbol("x") }), [
      "values.f is a function",
      "values.s is a symbol",
    ]);
    assert.throws(() => install("1.2.3", chart.repo, {}, ""), /namespace must be a plain name/);
    assert.throws(
      () => install("1.2.3", chart.repo, {}, pulumi.output("ns") as unknown as string),
      /namespace must be a plain name/,
    );
  });

  describe("what a preview hands the pack: the objects the Chart rendered, as its children", () => {
    const judge = (children: PlanResource[]) => evaluatePolicies(K8S_POLICIES, [grafana(), ...children]);

    it("flags a privileged DaemonSet the chart renders, though the values ask for nothing", async () => {
      const violations = await judge([
        rendered(
          grafana(),
          "kubernetes:apps/v1:DaemonSet",
          daemonSet(restrictedContainer({ privileged: true })),
        ),
      ]);
      assert.deepEqual(
        violations.map((violation) => violation.policy),
        ["k8s-no-privileged"],
      );
      assert.match(violations[0]!.message, /privileged/);
      assert.match(
        violations[0]!.urn ?? "",
        /helm\.sh\/v4:Chart\$kubernetes:apps\/v1:DaemonSet::monitoring-grafana:/,
      );
    });

    it("flags a LoadBalancer Service the chart renders: a UI's, an API's", async () => {
      const ui = await judge([rendered(grafana(), "kubernetes:core/v1:Service", service("LoadBalancer"))]);
      assert.deepEqual(
        ui.map((violation) => violation.policy),
        ["k8s-no-exposed-management-ui"],
      );
      const api = await judge([
        rendered(grafana(), "kubernetes:core/v1:Service", service("LoadBalancer", "opensearch", 9200)),
      ]);
      assert.deepEqual(
        api.map((violation) => violation.policy),
        ["k8s-exposure"],
      );
      assert.match(api[0]!.message, /9200/);
    });

    it("passes the legitimate twins: a restricted DaemonSet and a ClusterIP Service", async () => {
      assert.deepEqual(
        await judge([
          rendered(grafana(), "kubernetes:apps/v1:DaemonSet", daemonSet(restrictedContainer())),
          rendered(grafana(), "kubernetes:core/v1:Service", service("ClusterIP")),
        ]),
        [],
      );
    });

    it("judges the values only where nothing was rendered, and says so", async () => {
      const children = [rendered(grafana(), "kubernetes:core/v1:Service", service("ClusterIP"))];
      assert.deepEqual(chartsJudgedByValues([grafana(), ...children]), []);
      // Offline (mocks render nothing) the Chart is judged by its values, and plan.json names it.
      assert.deepEqual(chartsJudgedByValues([grafana()]), ["Helm v4 Chart grafana (chart grafana)"]);
      const asking = {
        ...grafana(),
        inputs: { ...grafana().inputs, values: { service: { type: "LoadBalancer", port: 3000 } } },
      };
      const offline = await evaluatePolicies(K8S_POLICIES, [asking]);
      assert.deepEqual(
        offline.map((violation) => violation.policy),
        ["k8s-chart-values"],
      );
      // Rendered, the objects speak for the chart: its values are not judged a second time.
      assert.deepEqual(await evaluatePolicies(K8S_POLICIES, [asking, ...children]), []);
    });
  });
});
