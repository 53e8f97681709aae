import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { k8sRunAsNonRootWithLimits, missingResources, rootProblem } from "./k8s-run-as-non-root-with-limits";
import {
  K8S,
  RESTRICTED_POD_SECURITY,
  restrictedContainer,
  workload,
  zeekSensorPodSpec,
} from "./k8s-no-privileged.fixtures";
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([k8sRunAsNonRootWithLimits], resources)).map((violation) => violation.message);

describe("k8s-run-as-non-root-with-limits", () => {
  it("takes the container's securityContext over the pod's", () => {
    assert.equal(rootProblem({ runAsNonRoot: true }, {}), undefined);
    assert.equal(rootProblem({}, { runAsUser: 1000 }), undefined);
    assert.equal(rootProblem({ runAsUser: 1000 }, { runAsNonRoot: false }), undefined);
    assert.equal(rootProblem({ runAsNonRoot: true }, { runAsUser: 0 }), "runs as UID 0 (runAsUser: 0)");
    assert.equal(rootProblem({ runAsNonRoot: true }, { runAsNonRoot: false }), "sets runAsNonRoot: false");
    assert.equal(rootProblem({ runAsUser: 0 }, { runAsUser: 65532 }), undefined);
    assert.match(rootProblem({}, {}) ?? "", /^may run as root/);
    assert.match(rootProblem({}, { runAsUser: "[unknown]" }) ?? "", /^may run as root/);
  });

  it("asks for cpu and memory requests and limits", () => {
    assert.deepEqual(missingResources(restrictedContainer("c", "i:1")), []);
    assert.deepEqual(missingResources({ resources: { limits: { cpu: 1, memory: "1Gi" } } }), [
      "requests.cpu",
      "requests.memory",
    ]);
    assert.deepEqual(
      missingResources({ resources: { requests: { cpu: "", memory: "1Gi" }, limits: { memory: "1Gi" } } }),
      ["requests.cpu", "limits.cpu"],
    );
  });

  it("names the object, namespace and container, and says what to do", async () => {
    const cronJob = workload(K8S.cronJob, "opensearch-snapshot", "fortress-soc", {
      containers: [
        { name: "snapshot", image: "curlimages/curl:8.15.0", resources: { limits: { cpu: "1" } } },
      ],
    });
    assert.deepEqual(await messages(cronJob), [
      "CronJob opensearch-snapshot in namespace fortress-soc: container snapshot may run as root (neither runAsNonRoot: true nor a runAsUser above 0, in its or the pod's securityContext): set securityContext.runAsNonRoot: true and a runAsUser above 0 (on the pod or the container), with an image that runs as that user",
      "CronJob opensearch-snapshot in namespace fortress-soc: container snapshot has no resources.requests.cpu, resources.requests.memory, resources.limits.memory: set requests and limits for cpu and memory so that it cannot starve its node",
    ]);
  });

  it("checks init containers, not ephemeral ones, and not patches", async () => {
    const pod = workload(K8S.pod, "wazuh", "fortress-soc", {
      securityContext: RESTRICTED_POD_SECURITY,
      initContainers: [restrictedContainer("chown", "busybox:1.37.0", { securityContext: { runAsUser: 0 } })],
      ephemeralContainers: [{ name: "debug", image: "busybox:1.37.0" }],
      containers: [restrictedContainer("wazuh", "wazuh/wazuh-manager:4.12.0")],
    });
    assert.deepEqual(await messages(pod), [
      "Pod wazuh in namespace fortress-soc: init container chown runs as UID 0 (runAsUser: 0): set securityContext.runAsNonRoot: true and a runAsUser above 0 (on the pod or the container), with an image that runs as that user",
    ]);
    const patch = {
      ...workload(K8S.deployment, "coredns", "kube-system", { containers: [{ name: "coredns" }] }),
      type: pulumiTypeOf(k8s.apps.v1.DeploymentPatch),
    };
    assert.deepEqual(await messages(patch), []);
  });

  it("exempts the allow-listed namespaces, from config too", async () => {
    assert.deepEqual(
      await messages(workload(K8S.daemonSet, "zeek", "fortress-sensors", zeekSensorPodSpec())),
      [],
    );
    const configured = await evaluatePolicies(
      [k8sRunAsNonRootWithLimits],
      [workload(K8S.daemonSet, "zeek", "ids", zeekSensorPodSpec())],
      { "k8s-run-as-non-root-with-limits": { allowedNamespaces: ["ids"] } },
    );
    assert.deepEqual(configured, []);
  });
});
