import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../policies/lib/offline";
import { k8sNoPrivileged } from "../../policies/rules/k8s-no-privileged";
import { k8sRunAsNonRootWithLimits, rootProblem } from "../../policies/rules/k8s-run-as-non-root-with-limits";
import type { CapturedResource } from "../../stacks/plan/capture";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { requestsAndLimits } from "./resources";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./securityContext";

const workload = (name: string, secure: boolean) =>
  new k8s.apps.v1.Deployment(name, {
    metadata: { name, namespace: "fortress-monitoring" },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(secure ? { securityContext: restrictedPodSecurity(472) } : {}),
          containers: [
            {
              name,
              image: "docker.io/grafana/grafana:12.2.0",
              resources: requestsAndLimits({ cpu: "50m", memory: "64Mi" }, { cpu: "500m", memory: "256Mi" }),
              ...(secure ? { securityContext: restrictedContainerSecurity(472) } : {}),
            },
          ],
        },
      },
    },
  });

describe("restricted security contexts", () => {
  let resources: CapturedResource[] = [];
  before(async () => {
    resources = await captureUnderMocks();
    workload("secure", true);
    workload("bare", false);
    await pulumi.runtime.disconnect();
  });

  it("meet the restricted Pod Security profile's fields", () => {
    const container = restrictedContainerSecurity(1000);
    assert.equal(container.runAsNonRoot, true);
    assert.equal(container.allowPrivilegeEscalation, false);
    assert.deepEqual(container.capabilities, { drop: ["ALL"] });
    assert.deepEqual(container.seccompProfile, { type: "RuntimeDefault" });
    const pod = restrictedPodSecurity(1000);
    assert.equal(pod.runAsNonRoot, true);
    assert.deepEqual(pod.seccompProfile, { type: "RuntimeDefault" });
    assert.equal(pod.fsGroup, 1000);
    assert.equal(rootProblem(pod, container), undefined);
  });

  it("pass the pack's non-root, limits and no-privilege rules, which the same pod without them fails", async () => {
    const secure = resources.filter((resource) => resource.name === "secure");
    const bare = resources.filter((resource) => resource.name === "bare");
    const rules = [k8sRunAsNonRootWithLimits, k8sNoPrivileged];
    assert.deepEqual(await evaluatePolicies(rules, secure), []);
    const violations = await evaluatePolicies(rules, bare);
    assert.ok(
      violations.some((violation) => /may run as root/.test(violation.message)),
      JSON.stringify(violations),
    );
  });
});
