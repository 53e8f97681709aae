import * as k8s from "@pulumi/kubernetes";
import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";

export const RBAC = {
  clusterRole: pulumiTypeOf(k8s.rbac.v1.ClusterRole),
  role: pulumiTypeOf(k8s.rbac.v1.Role),
  clusterRoleBinding: pulumiTypeOf(k8s.rbac.v1.ClusterRoleBinding),
  roleBinding: pulumiTypeOf(k8s.rbac.v1.RoleBinding),
} as const;

export const roleOf = (
  type: string,
  name: string,
  rules: readonly Record<string, unknown>[],
  namespace?: string,
) => planResource(type, name, { metadata: { name, ...(namespace ? { namespace } : {}) }, rules });

export const bindingOf = (
  type: string,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: readonly Record<string, unknown>[] = [
    { kind: "ServiceAccount", name: "agent", namespace: "siem" },
  ],
  namespace?: string,
) =>
  planResource(type, name, {
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  });

const reader = roleOf(
  RBAC.role,
  "pod-reader",
  [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
  "siem",
);

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a namespaced reader bound to a service account, and view bound cluster-wide",
      resources: [
        reader,
        bindingOf(RBAC.roleBinding, "agent-pods", { kind: "Role", name: "pod-reader" }, undefined, "siem"),
        bindingOf(RBAC.clusterRoleBinding, "auditors", { kind: "ClusterRole", name: "view" }, [
          { kind: "Group", name: "auditors" },
        ]),
      ],
    },
    {
      name: "get on one named secret",
      resources: [
        roleOf(
          RBAC.role,
          "tls-reader",
          [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["wazuh-tls"], verbs: ["get"] }],
          "siem",
        ),
      ],
    },
    {
      name: "* verbs on deployments only",
      resources: [
        roleOf(
          RBAC.role,
          "deployer",
          [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }],
          "siem",
        ),
      ],
    },
  ],
  failing: [
    {
      name: "* verbs on clusterroles (which include escalate and bind)",
      resources: [
        roleOf(RBAC.clusterRole, "role-manager", [
          { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["*"] },
        ]),
      ],
    },
    {
      name: "the built-in system:aggregate-to-edit (secrets, impersonate serviceaccounts) for a service account",
      resources: [
        bindingOf(
          RBAC.roleBinding,
          "agent-edit",
          { kind: "ClusterRole", name: "system:aggregate-to-edit" },
          undefined,
          "siem",
        ),
      ],
    },
    {
      name: "cluster-admin for a service account",
      resources: [
        bindingOf(RBAC.clusterRoleBinding, "agent-admin", { kind: "ClusterRole", name: "cluster-admin" }),
      ],
    },
    {
      name: "list on secrets",
      resources: [
        roleOf(RBAC.clusterRole, "secret-lister", [
          { apiGroups: [""], resources: ["secrets"], verbs: ["list"] },
        ]),
      ],
    },
  ],
};
