import type { StackValidationPolicy } from "@pulumi/policy";
import { K8S_NAMESPACE_TYPE, K8S_NETWORK_POLICY_TYPE, knownString, resourcesByType } from "../lib/resources";

export const k8sNetworkpolicyPerNamespace: StackValidationPolicy = {
  name: "k8s-networkpolicy-per-namespace",
  description:
    "Every Namespace the stack creates has an explicit metadata.name and at least one NetworkPolicy of the stack in it (the NetworkPolicy's metadata.namespace is the Namespace's metadata.name), starting with a default deny.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const byType = resourcesByType(args.resources);
    const namespaces = byType.get(K8S_NAMESPACE_TYPE) ?? [];
    if (namespaces.length === 0) return;
    const covered = new Set(
      (byType.get(K8S_NETWORK_POLICY_TYPE) ?? []).flatMap((policy) => {
        const namespace = knownString(
          (policy.props.metadata as { namespace?: unknown } | undefined)?.namespace,
        );
        return namespace ? [namespace] : [];
      }),
    );
    for (const namespace of namespaces) {
      const name = knownString((namespace.props.metadata as { name?: unknown } | undefined)?.name);
      if (name === undefined) {
        reportViolation(
          `Namespace ${namespace.name} has no metadata.name, so Kubernetes gets an auto-name (${namespace.name}-<suffix>) that no NetworkPolicy, allow-list or Pod Security rule can name in advance: set metadata.name explicitly`,
          namespace.urn,
        );
      } else if (!covered.has(name)) {
        reportViolation(
          `Namespace ${name} has no NetworkPolicy, so every pod in it is open to and from the whole cluster: add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress]) with metadata.namespace: ${name}, then explicit allows`,
          namespace.urn,
        );
      }
    }
  },
};
