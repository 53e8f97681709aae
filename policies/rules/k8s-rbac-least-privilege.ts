/**
 * Kubernetes RBAC that amounts to cluster admin or to reading every secret. Built-in ClusterRoles are
 * read as Kubernetes bootstraps them (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy/policy.go): cluster-admin is `*` on `*`; admin and edit read and write secrets; view
 * leaves secrets out.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { RBAC_TYPES } from "../../vocabulary/rbacTypes";

interface PolicyRule {
  readonly apiGroups?: unknown;
  readonly resources?: unknown;
  readonly verbs?: unknown;
  readonly resourceNames?: unknown;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const has = (values: readonly string[], ...wanted: string[]) =>
  values.some((value) => wanted.includes(value.trim().toLowerCase()));

/** A rule that can do anything to anything (`*` verbs, `*` resources, `*` or the core group). */
const isSuperuserRule = (rule: PolicyRule) =>
  has(strings(rule.verbs), "*") &&
  has(strings(rule.resources), "*") &&
  (strings(rule.apiGroups).length === 0 || has(strings(rule.apiGroups), "*", ""));

/** A rule that can change its own grants or act as someone else: escalate, bind, impersonate. */
function escalates(rule: PolicyRule): string | undefined {
  const verbs = strings(rule.verbs);
  const found = ["escalate", "bind", "impersonate"].filter((verb) => has(verbs, verb));
  return found.length > 0 ? found.join(", ") : undefined;
}

/** The verbs by which a rule reads secrets: any of *, get, list, watch; get alone is fine on named secrets. */
export function secretReadVerbs(rule: PolicyRule): string[] {
  const groups = strings(rule.apiGroups);
  if (!(groups.length === 0 || has(groups, "", "*"))) return [];
  if (!has(strings(rule.resources), "secrets", "*")) return [];
  const verbs = strings(rule.verbs).filter((verb) => has([verb], "*", "get", "list", "watch"));
  const named = strings(rule.resourceNames).length > 0;
  return named ? verbs.filter((verb) => !has([verb], "get")) : verbs;
}

/** What a built-in ClusterRole grants that matters here. */
const BUILTIN: Readonly<Record<string, "superuser" | "secrets">> = {
  "cluster-admin": "superuser",
  admin: "secrets",
  edit: "secrets",
};

const nameOf = (resource: PolicyResource) =>
  String((resource.props.metadata as { name?: unknown } | undefined)?.name ?? resource.name);
const namespaceOf = (resource: PolicyResource) =>
  (resource.props.metadata as { namespace?: unknown } | undefined)?.namespace;
const rulesOf = (resource: PolicyResource) =>
  Array.isArray(resource.props.rules) ? (resource.props.rules as PolicyRule[]) : [];

function subjectsOf(binding: PolicyResource): string {
  const subjects = Array.isArray(binding.props.subjects)
    ? (binding.props.subjects as Record<string, unknown>[])
    : [];
  return (
    subjects
      .map(
        (subject) =>
          `${String(subject.kind ?? "?")} ${subject.namespace ? `${String(subject.namespace)}/` : ""}${String(subject.name ?? "?")}`,
      )
      .join(", ") || "no subjects"
  );
}

export const k8sRbacLeastPrivilege: StackValidationPolicy = {
  name: "k8s-rbac-least-privilege",
  description:
    "No Kubernetes (Cluster)RoleBinding hands out cluster-admin, or any role with * verbs on * resources, to anyone (service accounts and groups included); no role reads secrets broadly (*, get, list or watch on secrets, get only on named ones) or can escalate, bind or impersonate; bindings of the built-in admin and edit roles count as reading secrets.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const roles = args.resources.filter((resource) =>
      ["ClusterRole", "Role"].includes(RBAC_TYPES.get(resource.type) ?? ""),
    );
    for (const role of roles) {
      const kind = RBAC_TYPES.get(role.type);
      rulesOf(role).forEach((rule, index) => {
        const where = `${kind} ${nameOf(role)} rules[${index}]`;
        const reads = secretReadVerbs(rule);
        if (reads.length > 0) {
          reportViolation(
            `${where} grants ${reads.join(", ")} on secrets${strings(rule.resources).includes("*") ? " (through resources: *)" : ""}, which reads every secret in its scope: name the secrets with resourceNames and grant get only, or mount the one secret the workload needs`,
            role.urn,
          );
        }
        const escalation = escalates(rule);
        if (escalation) {
          reportViolation(
            `${where} grants ${escalation}, which lets its holder grant itself anything: remove those verbs`,
            role.urn,
          );
        }
      });
    }
    for (const binding of args.resources) {
      const kind = RBAC_TYPES.get(binding.type);
      if (kind !== "ClusterRoleBinding" && kind !== "RoleBinding") continue;
      const roleRef = (binding.props.roleRef ?? {}) as { kind?: unknown; name?: unknown };
      const refName = String(roleRef.name ?? "");
      const refKind = String(roleRef.kind ?? "ClusterRole");
      const target = roles.find(
        (role) =>
          RBAC_TYPES.get(role.type) === refKind &&
          nameOf(role) === refName &&
          (refKind === "ClusterRole" || namespaceOf(role) === namespaceOf(binding)),
      );
      const grants =
        target && rulesOf(target).some(isSuperuserRule)
          ? "superuser"
          : refKind === "ClusterRole" && !target
            ? BUILTIN[refName]
            : undefined;
      if (!grants) continue;
      const scope =
        kind === "ClusterRoleBinding"
          ? "in every namespace"
          : `in namespace ${String(namespaceOf(binding) ?? "?")}`;
      reportViolation(
        grants === "superuser"
          ? `${kind} ${nameOf(binding)} grants ${refKind} ${refName} (* verbs on * resources, cluster admin) to ${subjectsOf(binding)} ${scope}: bind a role with the verbs and resources the subject needs`
          : `${kind} ${nameOf(binding)} grants the built-in ClusterRole ${refName}, which reads and writes secrets, to ${subjectsOf(binding)} ${scope}: bind view, or a role of its own without secrets`,
        binding.urn,
      );
    }
  },
};
