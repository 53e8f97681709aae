/**
 * The namespaces of the baseline and their fences: Pod Security Admission labels, a default deny with
 * DNS allowed, default requests and limits and a quota in each; then the table's flows between them,
 * and the API-server egress the baseline's own controllers need.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { FlowPort } from "../kubernetes/flows";
import { flowEgressPolicy, flowIngressPolicy, kubeDnsEgress } from "../kubernetes/networkPolicy";

export interface NamespaceSpec {
  readonly name: string;
  readonly layer: string;
  readonly podSecurity: "restricted" | "baseline" | "privileged";
}

/** The Pod Security Standards version the labels pin: the minor of the pinned k3s release (platform.k3sVersion). */
export const POD_SECURITY_VERSION = "v1.35";

/** Per container, when a pod does not say: requests and limits. */
export const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: "50m", memory: "64Mi" },
  default: { cpu: "500m", memory: "512Mi" },
} as const;

/** Per namespace: a ceiling sized for the largest layer of the lab (response: TheHive, Cassandra, Cortex). */
export const NAMESPACE_QUOTA = {
  "requests.cpu": "8",
  "requests.memory": "16Gi",
  "limits.cpu": "16",
  "limits.memory": "24Gi",
  pods: "50",
  persistentvolumeclaims: "20",
} as const;

export interface FencedNamespace {
  readonly name: string;
  readonly namespace: k8s.core.v1.Namespace;
  /** Everything that must exist before the namespace is usable: its policies, limits and quota. */
  readonly guards: pulumi.Resource[];
}

const auditLevel = (level: NamespaceSpec["podSecurity"]) => (level === "baseline" ? "restricted" : level);

/** A namespace with its labels, default deny, DNS allow, LimitRange and ResourceQuota. */
export function fencedNamespace(name: string, ns: NamespaceSpec, parent: pulumi.Resource): FencedNamespace {
  const namespace = new k8s.core.v1.Namespace(
    `${name}-ns-${ns.name}`,
    {
      metadata: {
        name: ns.name,
        labels: {
          "app.kubernetes.io/managed-by": "fortress",
          "fortress/layer": ns.layer,
          "pod-security.kubernetes.io/enforce": ns.podSecurity,
          "pod-security.kubernetes.io/enforce-version": POD_SECURITY_VERSION,
          // A baseline namespace still audits and warns at restricted: what falls short shows.
          "pod-security.kubernetes.io/audit": auditLevel(ns.podSecurity),
          "pod-security.kubernetes.io/audit-version": POD_SECURITY_VERSION,
          "pod-security.kubernetes.io/warn": auditLevel(ns.podSecurity),
          "pod-security.kubernetes.io/warn-version": POD_SECURITY_VERSION,
        },
      },
    },
    { parent },
  );
  const metadataIn = (policyName: string) => ({ name: policyName, namespace: namespace.metadata.name });
  const guards: pulumi.Resource[] = [
    new k8s.networking.v1.NetworkPolicy(
      `${name}-deny-${ns.name}`,
      {
        metadata: metadataIn("fortress-default-deny"),
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      { parent },
    ),
    new k8s.networking.v1.NetworkPolicy(
      `${name}-dns-${ns.name}`,
      {
        metadata: metadataIn("fortress-allow-dns"),
        spec: { podSelector: {}, policyTypes: ["Egress"], egress: [kubeDnsEgress()] },
      },
      { parent },
    ),
    new k8s.core.v1.LimitRange(
      `${name}-limits-${ns.name}`,
      {
        metadata: metadataIn("fortress-limits"),
        spec: {
          limits: [
            {
              type: "Container",
              defaultRequest: { ...CONTAINER_DEFAULTS.defaultRequest },
              default: { ...CONTAINER_DEFAULTS.default },
            },
          ],
        },
      },
      { parent },
    ),
    new k8s.core.v1.ResourceQuota(
      `${name}-quota-${ns.name}`,
      { metadata: metadataIn("fortress-quota"), spec: { hard: { ...NAMESPACE_QUOTA } } },
      { parent },
    ),
  ];
  return { name: ns.name, namespace, guards };
}

/**
 * Each flow's two halves, on the sides the baseline manages (an unmanaged end, kube-system, gets
 * none): an ingress allow in the target and an egress allow in the source, added to their guards.
 */
export function flowPolicies(
  name: string,
  flows: readonly { readonly from: string; readonly to: string; readonly ports: readonly FlowPort[] }[],
  fenced: Readonly<Record<string, FencedNamespace>>,
  parent: pulumi.Resource,
): void {
  for (const flow of flows) {
    const target = fenced[flow.to];
    if (target) {
      target.guards.push(
        flowIngressPolicy(
          `${name}-flow-${flow.from}-to-${flow.to}-ingress`,
          flow,
          target.namespace.metadata.name,
          { parent },
        ),
      );
    }
    const source = fenced[flow.from];
    if (source) {
      source.guards.push(
        flowEgressPolicy(
          `${name}-flow-${flow.from}-to-${flow.to}-egress`,
          flow,
          source.namespace.metadata.name,
          {
            parent,
          },
        ),
      );
    }
  }
}

/**
 * The controllers of the baseline's own namespaces talk to the API server. It runs on the nodes' host
 * network, which no pod or namespace selector matches, so the allow is by port only.
 */
export function apiServerEgress(name: string, ns: FencedNamespace, parent: pulumi.Resource): void {
  ns.guards.push(
    new k8s.networking.v1.NetworkPolicy(
      `${name}-apiserver-${ns.name}`,
      {
        metadata: { name: "fortress-allow-apiserver", namespace: ns.namespace.metadata.name },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              ports: [
                { port: 443, protocol: "TCP" },
                { port: 6443, protocol: "TCP" },
              ],
            },
          ],
        },
      },
      { parent },
    ),
  );
}
