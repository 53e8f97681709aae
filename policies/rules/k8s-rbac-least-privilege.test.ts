import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import { planResource } from "../lib/build";
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
    // The role reads secrets and, through *, escalates; the binding hands it out.
    assert.equal(messages.length, 3);
    assert.match(
      messages[2] ?? "",
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

  it("reads * verbs as escalate and bind on roles, and as impersonate on users, groups and service accounts", async () => {
    const star = (apiGroups: string[], resources: string[]) =>
      check(roleOf(RBAC.clusterRole, "star", [{ apiGroups, resources, verbs: ["*"] }]));
    const [onRoles] = await star(["rbac.authorization.k8s.io"], ["roles", "rolebindings"]);
    assert.match(
      onRoles ?? "",
      /rules\[0\] grants \* \(which includes escalate, bind\), which lets its holder/,
    );
    const [onAccounts] = await star([""], ["serviceaccounts"]);
    assert.match(onAccounts ?? "", /grants \* \(which includes impersonate\)/);
    const onEverything = (await star(["*"], ["*"])).find((message) => !message.includes("secrets"));
    assert.match(onEverything ?? "", /grants \* \(which includes escalate, bind, impersonate\)/);
    assert.deepEqual(await star(["apps"], ["deployments", "roles"]), []);
    assert.deepEqual(await star([""], ["configmaps", "pods"]), []);
    assert.deepEqual(await star(["rbac.authorization.k8s.io"], ["rolebindings"]), []);
  });

  it("counts the built-in system:aggregate-to-edit as reading secrets, not system:aggregate-to-admin", async () => {
    const [edit, ...rest] = await check(
      bindingOf(
        RBAC.roleBinding,
        "dev",
        { kind: "ClusterRole", name: "system:aggregate-to-edit" },
        undefined,
        "siem",
      ),
      bindingOf(
        RBAC.roleBinding,
        "adm",
        { kind: "ClusterRole", name: "system:aggregate-to-admin" },
        undefined,
        "siem",
      ),
    );
    assert.deepEqual(rest, []);
    assert.match(
      edit ?? "",
      /built-in ClusterRole system:aggregate-to-edit, which reads and writes secrets and impersonates service accounts/,
    );
  });

  it("judges a binding to an aggregated ClusterRole by the stack's roles its selectors select", async () => {
    const part = (name: string, labels: Record<string, string>, verbs: string[]) =>
      planResource(RBAC.clusterRole, name, {
        metadata: { name, labels },
        rules: [{ apiGroups: ["*"], resources: ["*"], verbs }],
      });
    const aggregate = (selector: Record<string, unknown>) =>
      planResource(RBAC.clusterRole, "monitoring", {
        metadata: { name: "monitoring" },
        aggregationRule: { clusterRoleSelectors: [selector] },
        rules: [],
      });
    const binding = bindingOf(RBAC.clusterRoleBinding, "mon", { kind: "ClusterRole", name: "monitoring" });
    const god = part("god", { "example.com/aggregate-to-monitoring": "true" }, ["*"]);
    const viewer = part("viewer", { "example.com/aggregate-to-monitoring": "true" }, ["get"]);
    const bound = (messages: string[]) =>
      messages.filter((message) => message.startsWith("ClusterRoleBinding"));
    const byLabels = aggregate({ matchLabels: { "example.com/aggregate-to-monitoring": "true" } });
    assert.match(
      bound(await check(god, byLabels, binding))[0] ?? "",
      /grants ClusterRole monitoring \(\* verbs on \* resources, through the roles it aggregates, cluster admin\)/,
    );
    const byExpression = aggregate({
      matchExpressions: [{ key: "example.com/aggregate-to-monitoring", operator: "Exists" }],
    });
    assert.equal(bound(await check(god, byExpression, binding)).length, 1);
    assert.deepEqual(bound(await check(viewer, byLabels, binding)), []);
    const elsewhere = aggregate({ matchLabels: { "example.com/aggregate-to-other": "true" } });
    assert.deepEqual(bound(await check(god, elsewhere, binding)), []);
  });
});
