import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import { evaluatePolicies } from "../lib/offline";
import type { PlanResource } from "../lib/types";
import { RBAC_TYPES } from "../../vocabulary/rbacTypes";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";
import { k8sRbacLeastPrivilege, secretReadVerbs } from "./k8s-rbac-least-privilege";
import { bindingOf, RBAC, roleOf } from "./k8s-rbac-least-privilege.fixtures";

const check = async (...resources: PlanResource[]) =>
  (await evaluatePolicies([k8sRbacLeastPrivilege], resources)).map((violation) => violation.message);

describe("k8s-rbac-least-privilege", () => {
  it("knows every RBAC class of the SDK, patches and older API versions included", () => {
    assert.equal(RBAC_TYPES.get(pulumiTypeOf(k8s.rbac.v1.ClusterRolePatch)), "ClusterRole");
    assert.equal(RBAC_TYPES.get(pulumiTypeOf(k8s.rbac.v1beta1.RoleBinding)), "RoleBinding");
    assert.equal(RBAC_TYPES.size, 24);
  });

  it("reads secrets access in each spelling, and lets get on named secrets through", () => {
    assert.deepEqual(secretReadVerbs({ apiGroups: [""], resources: ["secrets"], verbs: ["*"] }), ["*"]);
    assert.deepEqual(secretReadVerbs({ apiGroups: ["*"], resources: ["*"], verbs: ["get", "watch"] }), [
      "get",
      "watch",
    ]);
    assert.deepEqual(
      secretReadVerbs({
        apiGroups: [""],
        resources: ["secrets"],
        resourceNames: ["a"],
        verbs: ["get", "list"],
      }),
      ["list"],
    );
    assert.deepEqual(secretReadVerbs({ apiGroups: ["apps"], resources: ["*"], verbs: ["*"] }), []);
    assert.deepEqual(secretReadVerbs({ apiGroups: [""], resources: ["configmaps"], verbs: ["*"] }), []);
  });

  it("follows a binding to a role of the stack with * on *, and to the built-ins that read secrets", async () => {
    const god = roleOf(RBAC.clusterRole, "everything", [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
    ]);
    const binding = bindingOf(RBAC.clusterRoleBinding, "ops", { kind: "ClusterRole", name: "everything" }, [
      { kind: "Group", name: "system:serviceaccounts" },
    ]);
    const messages = await check(god, binding);
    assert.equal(messages.length, 2);
    assert.match(
      messages[1] ?? "",
      /grants ClusterRole everything \(\* verbs on \* resources, cluster admin\) to Group system:serviceaccounts in every namespace/,
    );
    const [edit] = await check(
      bindingOf(RBAC.roleBinding, "dev", { kind: "ClusterRole", name: "edit" }, undefined, "siem"),
    );
    assert.match(
      edit ?? "",
      /built-in ClusterRole edit, which reads and writes secrets, to ServiceAccount siem\/agent in namespace siem/,
    );
    assert.deepEqual(
      await check(bindingOf(RBAC.roleBinding, "v", { kind: "ClusterRole", name: "view" }, undefined, "siem")),
      [],
    );
  });

  it("flags escalate, bind and impersonate", async () => {
    const [message] = await check(
      roleOf(RBAC.clusterRole, "binder", [
        {
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["clusterroles"],
          verbs: ["bind", "escalate"],
        },
      ]),
    );
    assert.match(message ?? "", /grants escalate, bind/);
  });
});
