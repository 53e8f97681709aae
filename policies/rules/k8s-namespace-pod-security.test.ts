import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { k8sNamespacePodSecurity } from "./k8s-namespace-pod-security";
import { k8sNamespace } from "./k8s-no-privileged.fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([k8sNamespacePodSecurity], resources)).map((violation) => violation.message);

describe("k8s-namespace-pod-security", () => {
  it("names what the namespace enforces, or that the default applies", async () => {
    assert.match(
      (await messages(k8sNamespace("a")))[0] ?? "",
      /has no pod-security\.kubernetes\.io\/enforce label/,
    );
    assert.match(
      (await messages(k8sNamespace("b", { "pod-security.kubernetes.io/enforce": "baseline" })))[0] ?? "",
      /enforces baseline/,
    );
  });

  it("judges patches only on what they set, and namespaces a ConfigGroup carries", async () => {
    const patch = (labels: Record<string, string>) =>
      planResource(`${SDK_TYPES.k8sNamespace}Patch`, "p", { metadata: { name: "fortress-siem", labels } });
    assert.deepEqual(await messages(patch({ team: "soc" })), []);
    assert.equal((await messages(patch({ "pod-security.kubernetes.io/enforce": "privileged" }))).length, 1);
    const group = planResource(SDK_TYPES.k8sConfigGroupV2, "g", {
      yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tools\n",
    });
    assert.equal((await messages(group)).length, 1);
  });

  it("lets the allow-listed namespaces be privileged", async () => {
    const sensors = k8sNamespace("fortress-sensors", { "pod-security.kubernetes.io/enforce": "privileged" });
    assert.deepEqual(await messages(sensors), []);
  });

  it("lets the response namespace enforce baseline (Cortex's neuron Jobs), never privileged, and no other", async () => {
    const label = (level: string) => ({ "pod-security.kubernetes.io/enforce": level });
    assert.deepEqual(await messages(k8sNamespace("fortress-response", label("baseline"))), []);
    assert.deepEqual(await messages(k8sNamespace("fortress-storage", label("baseline"))), []);
    assert.equal((await messages(k8sNamespace("fortress-storage", label("privileged")))).length, 1);
    assert.match(
      (await messages(k8sNamespace("fortress-response", label("privileged"))))[0] ?? "",
      /enforces privileged/,
    );
    assert.match(
      (await messages(k8sNamespace("fortress-identity", label("baseline"))))[0] ?? "",
      /enforces baseline/,
    );
  });
});
