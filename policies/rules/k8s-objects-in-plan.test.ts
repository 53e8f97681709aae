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

  it("finds the manifests directory without a trailing slash, and under a configured data-dir", async () => {
    assert.match(
      (
        await judge(SDK_TYPES.commandRemote, { create: "cp x.yaml /var/lib/rancher/k3s/server/manifests" })
      )[0] ?? "",
      /auto-deploy manifests/,
    );
    assert.deepEqual(
      await judge(SDK_TYPES.commandRemote, { create: "ls /var/lib/rancher/k3s/server/manifests.bak" }),
      [],
    );
    const config = planResource(SDK_TYPES.commandRemote, "install", {
      create: "printf 'data-dir: /srv/k3s\\n' > /etc/rancher/k3s/config.yaml && k3s server",
    });
    const copy = planResource(SDK_TYPES.commandRemote, "copy", {
      create: "cp x.yaml /srv/k3s/server/manifests/",
    });
    const flag = planResource(SDK_TYPES.commandRemote, "pod", {
      create: "k3s agent --data-dir=/opt/k3s && cp p.yaml /opt/k3s/agent/pod-manifests",
    });
    const found = (await evaluatePolicies([k8sObjectsInPlan], [config, copy, flag])).map((v) => v.message);
    assert.deepEqual(found.sort(), [
      "copy writes into k3s's auto-deploy manifests directory, so the objects it deploys are not resources of the plan and no policy judges them: declare them as @pulumi/kubernetes resources (or a chart) instead",
      "pod writes a static pod manifest, so the objects it deploys are not resources of the plan and no policy judges them: declare them as @pulumi/kubernetes resources (or a chart) instead",
    ]);
  });

  it("leaves reads, node labels and other resources alone", async () => {
    assert.deepEqual(
      await judge(SDK_TYPES.commandRemote, { create: "kubectl get nodes && kubectl label node a x=y" }),
      [],
    );
    assert.deepEqual(await judge(SDK_TYPES.helmReleaseV3, { description: "kubectl apply" }), []);
  });
});
