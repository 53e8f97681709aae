import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "./build";
import { CONFIG_GROUP_TYPE, configGroupFilesNotJudged } from "./embedded";
import { evaluatePolicies } from "./offline";
import { k8sNamespacePodSecurity } from "../rules/k8s-namespace-pod-security";
import { k8sNamespace } from "../rules/k8s-no-privileged.fixtures";

const namespaceObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "tools" } };

describe("objects a ConfigGroup carries", () => {
  it("are judged from the inputs while the group has no registered children (offline)", async () => {
    const group = planResource(CONFIG_GROUP_TYPE, "addons", { objs: [namespaceObject] });
    assert.equal((await evaluatePolicies([k8sNamespacePodSecurity], [group])).length, 1);
  });

  it("are left to the registered children once the group has them (preview), so each is reported once", async () => {
    const group = planResource(CONFIG_GROUP_TYPE, "addons", { objs: [namespaceObject] });
    const child = k8sNamespace("tools", {}, { parent: group });
    const violations = await evaluatePolicies([k8sNamespacePodSecurity], [group, child]);
    assert.equal(violations.length, 1, violations.map((violation) => violation.message).join("\n"));
  });

  it("lists the groups whose files nothing reads offline", () => {
    const withFiles = planResource(CONFIG_GROUP_TYPE, "manifests", {
      files: ["./k8s/*.yaml", "https://x/y.yaml"],
    });
    const inline = planResource(CONFIG_GROUP_TYPE, "inline", { objs: [namespaceObject] });
    assert.deepEqual(configGroupFilesNotJudged([withFiles, inline]), [
      "ConfigGroup manifests (files: ./k8s/*.yaml, https://x/y.yaml)",
    ]);
  });
});
