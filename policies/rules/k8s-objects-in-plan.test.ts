import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { k8sObjectsInPlan } from "./k8s-objects-in-plan";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const judge = async (type: string, inputs: Record<string, unknown>) =>
  (await evaluatePolicies([k8sObjectsInPlan], [planResource(type, "x", inputs)])).map(
    (violation) => violation.message,
  );

describe("k8s-objects-in-plan", () => {
  it("finds deploys in commands, in every place a command keeps its script", async () => {
    assert.match(
      (await judge(SDK_TYPES.commandLocal, { update: "helm upgrade --install x repo/x" }))[0] ?? "",
      /runs helm upgrade/,
    );
    assert.match(
      (await judge(SDK_TYPES.commandRemote, { create: "k3s kubectl -n x create secret generic y" }))[0] ?? "",
      /runs kubectl create/,
    );
    assert.match(
      (
        await judge(SDK_TYPES.proxmoxFile, {
          contentType: "snippets",
          sourceRaw: { data: "runcmd:\n  - cp pod.yaml /var/lib/rancher/k3s/agent/pod-manifests/\n" },
        })
      )[0] ?? "",
      /static pod/,
    );
  });

  it("leaves reads, node labels and other resources alone", async () => {
    assert.deepEqual(
      await judge(SDK_TYPES.commandRemote, { create: "kubectl get nodes && kubectl label node a x=y" }),
      [],
    );
    assert.deepEqual(await judge(SDK_TYPES.helmReleaseV3, { description: "kubectl apply" }), []);
  });
});
