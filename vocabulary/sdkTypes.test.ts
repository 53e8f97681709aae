import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as k8s from "@pulumi/kubernetes";
import { k8sWorkloadTypes, packageOf, pulumiTypeOf, type ResourceClass, SDK_TYPES } from "./sdkTypes";

describe("pulumiTypeOf", () => {
  it("reads the token a generated class registers under", () => {
    assert.equal(pulumiTypeOf(k8s.apps.v1.Deployment), "kubernetes:apps/v1:Deployment");
    assert.equal(pulumiTypeOf(proxmoxve.VmLegacy), "proxmoxve:index/vmLegacy:VmLegacy");
    assert.equal(packageOf(SDK_TYPES.helmChartV4), "kubernetes");
  });

  it("throws, naming the class, when an SDK stops carrying the token where it is read", () => {
    class Renamed {
      static readonly __pulumiTypeV2 = "kubernetes:apps/v1:Deployment";
    }
    assert.throws(
      () => pulumiTypeOf(Renamed as unknown as ResourceClass),
      /Renamed has no __pulumiType token/,
    );
    class Malformed {
      static readonly __pulumiType = "Deployment";
    }
    assert.throws(() => pulumiTypeOf(Malformed as unknown as ResourceClass), /Malformed has no __pulumiType/);
  });
});

describe("k8sWorkloadTypes", () => {
  it("finds every API version the SDK has of a kind, and its patch", () => {
    const types = k8sWorkloadTypes(["Deployment", "CronJob"]);
    assert.deepEqual(types.get(pulumiTypeOf(k8s.apps.v1.Deployment)), { kind: "Deployment", patch: false });
    assert.deepEqual(types.get(pulumiTypeOf(k8s.apps.v1.DeploymentPatch)), {
      kind: "Deployment",
      patch: true,
    });
    assert.deepEqual(types.get(pulumiTypeOf(k8s.extensions.v1beta1.Deployment)), {
      kind: "Deployment",
      patch: false,
    });
    assert.deepEqual(types.get(pulumiTypeOf(k8s.batch.v1beta1.CronJob)), { kind: "CronJob", patch: false });
    assert.equal(types.get(SDK_TYPES.k8sService), undefined);
    assert.equal(types.get(pulumiTypeOf(k8s.apps.v1.StatefulSet)), undefined, "a kind not asked for");
  });
});
