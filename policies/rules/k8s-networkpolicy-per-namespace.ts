import type { StackValidationPolicy } from "@pulumi/policy";
import { withEmbeddedResources } from "../lib/embedded";
import { CHART_TYPES, chartLabel, K3S_HELM_CHART_TYPE } from "../lib/charts";
import { openDirections } from "../lib/networkPolicies";
import { K8S_NAMESPACE_TYPE, K8S_NETWORK_POLICY_TYPE, knownString, resourcesByType } from "../lib/resources";

type Report = (message: string, urn?: string) => void;

/** Helm releases and k3s HelmCharts that create their own namespace: no Pod Security labels, no NetworkPolicy. */
function judgeCreatedNamespaces(
  charts: readonly { type: string; name: string; urn: string; props: Record<string, unknown> }[],
  report: Report,
) {
  for (const chart of charts) {
    const creates =
      chart.type === K3S_HELM_CHART_TYPE
        ? (chart.props.spec as { createNamespace?: unknown } | undefined)?.createNamespace === true
        : chart.props.createNamespace === true;
    if (!creates) continue;
    report(
      `${chartLabel(chart)} sets createNamespace: true, so Helm creates its namespace without Pod Security labels, quota or NetworkPolicy: set createNamespace: false and install into a namespace the baseline creates`,
      chart.urn,
    );
  }
}

export const k8sNetworkpolicyPerNamespace: StackValidationPolicy = {
  name: "k8s-networkpolicy-per-namespace",
  description:
    "Every Namespace the stack creates has an explicit metadata.name and at least one NetworkPolicy of the stack in it (the NetworkPolicy's metadata.namespace is the Namespace's metadata.name), starting with a default deny; no NetworkPolicy opens every pod of its namespace to everything (podSelector: {} with an ingress or egress rule that matches every peer and port, which no other policy can close); no Helm release or k3s HelmChart creates its own namespace (createNamespace: true), which would have no Pod Security labels and no NetworkPolicy.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const byType = resourcesByType(withEmbeddedResources(args.resources));
    judgeCreatedNamespaces(
      [...CHART_TYPES].flatMap((type) => byType.get(type) ?? []),
      reportViolation,
    );
    const policies = byType.get(K8S_NETWORK_POLICY_TYPE) ?? [];
    for (const policy of policies) {
      const open = openDirections(policy.props);
      if (open.length === 0) continue;
      const metadata = policy.props.metadata as { name?: unknown; namespace?: unknown } | undefined;
      reportViolation(
        `NetworkPolicy ${knownString(metadata?.name) ?? policy.name} in namespace ${knownString(metadata?.namespace) ?? "?"} allows all ${open.join(" and ").toLowerCase()} traffic for every pod (podSelector: {} and a rule matching every peer and port): NetworkPolicies add up, so no default deny can close it; name the peers and ports each flow needs`,
        policy.urn,
      );
    }
    const namespaces = byType.get(K8S_NAMESPACE_TYPE) ?? [];
    if (namespaces.length === 0) return;
    const covered = new Set(
      policies.flatMap((policy) => {
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
