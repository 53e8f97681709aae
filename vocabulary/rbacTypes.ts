/**
 * The Kubernetes RBAC resource types, read from the installed SDK's classes in every API version it has
 * of rbac.authorization.k8s.io (v1, v1beta1, v1alpha1), their server-side `…Patch` classes included:
 * a patch of a role adds rules as surely as the role does.
 */
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf, type ResourceClass } from "./sdkTypes";

export type RbacKind = "ClusterRole" | "Role" | "ClusterRoleBinding" | "RoleBinding";

const KINDS: readonly RbacKind[] = ["ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"];

/** Every RBAC role and binding type of the SDK, by token, with its kind. */
export const RBAC_TYPES: ReadonlyMap<string, RbacKind> = (() => {
  const types = new Map<string, RbacKind>();
  for (const version of Object.values(k8s.rbac) as Record<string, unknown>[]) {
    if (typeof version !== "object" || version === null) continue;
    for (const kind of KINDS) {
      for (const name of [kind, `${kind}Patch`]) {
        const resourceClass = version[name];
        if (typeof resourceClass === "function")
          types.set(pulumiTypeOf(resourceClass as ResourceClass), kind);
      }
    }
  }
  return types;
})();
