import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../policies/lib/offline";
import { exactChartVersion, pinnedVersions } from "../../policies/rules/pinned-versions";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { pinnedRelease } from "./helmRelease";

const chart = { repo: "https://grafana.github.io/helm-charts", chart: "grafana", version: "10.1.4" };
const release = (version: string, repo = chart.repo) =>
  pinnedRelease(
    `release-${version}`,
    { name: "grafana", namespace: "fortress-monitoring", chart: { ...chart, version, repo }, values: {} },
    {},
  );

describe("pinnedRelease", () => {
  let resources: CapturedResource[] = [];
  before(async () => {
    resources = await captureUnderMocks();
    pinnedRelease(
      "monitoring-grafana",
      {
        name: "grafana",
        namespace: "fortress-monitoring",
        chart,
        timeout: 600,
        values: { image: { repository: "docker.io/grafana/grafana", tag: "12.2.0" } },
      },
      {},
    );
    pinnedRelease(
      "monitoring-loki",
      { name: "loki", namespace: "fortress-monitoring", chart: { ...chart, chart: "loki" }, values: {} },
      {},
    );
    await pulumi.runtime.disconnect();
  });

  it("installs one chart release atomically into a namespace it does not create", () => {
    const grafana = resources.find((resource) => resource.name === "monitoring-grafana");
    assert.equal(grafana?.type, "kubernetes:helm.sh/v3:Release");
    const inputs = grafana.inputs as Record<string, any>;
    assert.equal(inputs.chart, "grafana");
    assert.equal(inputs.version, "10.1.4");
    assert.deepEqual(inputs.repositoryOpts, { repo: chart.repo });
    assert.equal(inputs.namespace, "fortress-monitoring");
    assert.equal(inputs.atomic, true);
    assert.equal(inputs.createNamespace, false);
    assert.equal(inputs.timeout, 600);
    // Options not given are left to Helm, not written as undefined.
    const loki = resources.find((resource) => resource.name === "monitoring-loki")!.inputs;
    for (const option of ["timeout", "cleanupOnFail", "maxHistory"]) assert.ok(!(option in loki), option);
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
      assert.throws(() => release(version), /is not one exact release/, version);
    }
    for (const version of ["1.2.3", "v1.19.4", "0.44.0", "4.0.18"]) {
      assert.equal(exactChartVersion(version), true, version);
      assert.doesNotThrow(() => release(version), version);
    }
  });

  it("refuses a chart repository that is not https or oci", () => {
    assert.throws(() => release("1.2.3", "http://charts.example"), /not an https or oci URL/);
    assert.doesNotThrow(() => release("1.2.3", "oci://registry.example/charts"));
  });
});
