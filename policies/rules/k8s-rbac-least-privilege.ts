/**
 * Kubernetes RBAC that amounts to cluster admin or to reading every secret. Built-in ClusterRoles are
 * read as Kubernetes bootstraps them (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy/policy.go): cluster-admin is `*` on `*`; admin, edit and system:aggregate-to-edit
 * read and write secrets; view leaves secrets out.
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

const ESCALATING = ["escalate", "bind", "impersonate"] as const;

/** Whether a rule's apiGroups take in `group` (an empty list is read as the core group). */
const inGroup = (rule: PolicyRule, group: string) => {
  const groups = strings(rule.apiGroups);
  return groups.length === 0 ? group === "" : has(groups, "*", group);
};

/**
 * The escalating verbs `*` stands for on this rule's resources: escalate and bind are checked on
 * roles and clusterroles of rbac.authorization.k8s.io, impersonate on users, groups and
 * serviceaccounts of the core group and uids of authentication.k8s.io (kubernetes/kubernetes
 * pkg/registry/rbac/escalation_check.go, staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go).
 */
function starEscalations(rule: PolicyRule): string[] {
  const resources = strings(rule.resources);
  const onRoles = inGroup(rule, "rbac.authorization.k8s.io") && has(resources, "*", "roles", "clusterroles");
  const onIdentities =
    (inGroup(rule, "") && has(resources, "*", "users", "groups", "serviceaccounts")) ||
    (inGroup(rule, "authentication.k8s.io") && has(resources, "*", "uids"));
  return [...(onRoles ? ["escalate", "bind"] : []), ...(onIdentities ? ["impersonate"] : [])];
}

/** A rule that can change its own grants or act as someone else: escalate, bind, impersonate (or `*` on what they act on). */
function escalates(rule: PolicyRule): string | undefined {
  const verbs = strings(rule.verbs);
  const named = ESCALATING.filter((verb) => has(verbs, verb));
  const starred = has(verbs, "*") ? starEscalations(rule) : [];
  if (starred.length > 0) return `* (which includes ${starred.join(", ")})`;
  return named.length > 0 ? named.join(", ") : undefined;
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

/**
 * What a built-in ClusterRole grants that matters here (kubernetes/kubernetes
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): cluster-admin is `*` on `*`;
 * system:aggregate-to-edit holds the rules edit (and so admin) aggregate, read and write on secrets
 * and impersonate on serviceaccounts. (system:aggregate-to-admin adds only roles and rolebindings
 * read/write and localsubjectaccessreviews, no secrets.)
 */
const BUILTIN: Readonly<Record<string, "superuser" | "secrets">> = {
  "cluster-admin": "superuser",
  admin: "secrets",
  edit: "secrets",
  "system:aggregate-to-edit": "secrets",
};

const nameOf = (resource: PolicyResource) =>
  String((resource.props.metadata as { name?: unknown } | undefined)?.name ?? resource.name);
const namespaceOf = (resource: PolicyResource) =>
  (resource.props.metadata as { namespace?: unknown } | undefined)?.namespace;
const rulesOf = (resource: PolicyResource) =>
  Array.isArray(resource.props.rules) ? (resource.props.rules as PolicyRule[]) : [];

interface LabelSelector {
  readonly matchLabels?: Record<string, unknown>;
  readonly matchExpressions?: readonly { key?: unknown; operator?: unknown; values?: unknown }[];
}

/** Whether a label selector selects these labels (an empty selector selects everything, as in Kubernetes). */
function selects(selector: LabelSelector, labels: Record<string, unknown>): boolean {
  const has_ = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => has_(key) && labels[key] === value) &&
    (selector.matchExpressions ?? []).every(({ key, operator, values }) => {
      const name = String(key ?? "");
      const listed = strings(values).includes(String(labels[name]));
      if (operator === "In") return has_(name) && listed;
      if (operator === "NotIn") return !has_(name) || !listed;
      if (operator === "Exists") return has_(name);
      return operator === "DoesNotExist" && !has_(name);
    })
  );
}

/**
 * The rules a role carries: a ClusterRole with an aggregationRule gets, from Kubernetes' aggregation
 * controller, the rules of every ClusterRole whose labels its selectors select (here: those of the stack).
 */
function effectiveRules(role: PolicyResource, clusterRoles: readonly PolicyResource[]): PolicyRule[] {
  const aggregation = role.props.aggregationRule as { clusterRoleSelectors?: unknown } | undefined;
  if (!aggregation || !Array.isArray(aggregation.clusterRoleSelectors)) return rulesOf(role);
  const selectors = aggregation.clusterRoleSelectors as LabelSelector[];
  return clusterRoles
    .filter((other) => other !== role)
    .filter((other) => {
      const labels = ((other.props.metadata as { labels?: unknown } | undefined)?.labels ?? {}) as Record<
        string,
        unknown
      >;
      return selectors.some((selector) => selects(selector, labels));
    })
    .flatMap(rulesOf);
}

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
    const clusterRoles = roles.filter((role) => RBAC_TYPES.get(role.type) === "ClusterRole");
    const roleKey = (kind: unknown, namespace: unknown, name: string) =>
      `${String(kind)}/${kind === "ClusterRole" ? "" : String(namespace ?? "")}/${name}`;
    const byKey = new Map(
      roles.map((role) => [roleKey(RBAC_TYPES.get(role.type), namespaceOf(role), nameOf(role)), role]),
    );
    for (const binding of args.resources) {
      const kind = RBAC_TYPES.get(binding.type);
      if (kind !== "ClusterRoleBinding" && kind !== "RoleBinding") continue;
      const roleRef = (binding.props.roleRef ?? {}) as { kind?: unknown; name?: unknown };
      const refName = String(roleRef.name ?? "");
      const refKind = String(roleRef.kind ?? "ClusterRole");
      const target = byKey.get(roleKey(refKind, namespaceOf(binding), refName));
      const grants =
        target && effectiveRules(target, clusterRoles).some(isSuperuserRule)
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
          ? `${kind} ${nameOf(binding)} grants ${refKind} ${refName} (* verbs on * resources${target?.props.aggregationRule ? ", through the roles it aggregates" : ""}, cluster admin) to ${subjectsOf(binding)} ${scope}: bind a role with the verbs and resources the subject needs`
          : `${kind} ${nameOf(binding)} grants the built-in ClusterRole ${refName}, which reads and writes secrets${refName === "system:aggregate-to-edit" ? " and impersonates service accounts" : ""}, to ${subjectsOf(binding)} ${scope}: bind view, or a role of its own without secrets`,
        binding.urn,
      );
    }
  },
};
