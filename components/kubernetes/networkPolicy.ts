/**
 * NetworkPolicies every workload layer writes: a namespace's pods opened to another namespace (the
 * ingress controller, a flow of the platform's table), and the DNS egress to kube-dns. The platform's
 * baseline denies everything else in every namespace it manages.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { FlowPort } from "./flows";

/** The label Kubernetes sets on every namespace, which NetworkPolicies select namespaces by. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** Where the cluster's DNS runs (k3s: CoreDNS, labelled `k8s-app: kube-dns`, in kube-system). */
export const KUBE_SYSTEM = "kube-system";

/** Every pod of namespace `ns`, as a NetworkPolicy peer. */
export const selectNamespace = (ns: string) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
  podSelector: {},
});

/** The egress rule to the cluster's DNS, UDP and TCP 53. */
export function kubeDnsEgress() {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_SYSTEM } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ],
    ports: [
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
    ],
  };
}

export interface AllowFromNamespaceArgs {
  /** The policy's name; it lives in `namespace`. */
  readonly name: string;
  readonly namespace: pulumi.Input<string>;
  /** The pods it opens. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The namespace whose pods may connect (e.g. the ingress controller's). */
  readonly fromNamespace: string;
  readonly ports: readonly FlowPort[];
}

/** Lets every pod of `fromNamespace` reach the selected pods on `ports`, and nothing else. */
export function allowFromNamespace(
  resourceName: string,
  args: AllowFromNamespaceArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    resourceName,
    {
      metadata: { name: args.name, namespace: args.namespace },
      spec: {
        podSelector: { matchLabels: { ...args.podSelector } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: args.fromNamespace } } }],
            ports: args.ports.map((port) => ({ protocol: port.protocol, port: port.port })),
          },
        ],
      },
    },
    opts,
  );
}

const portsOf = (ports: readonly FlowPort[]) =>
  ports.map((port) => ({ port: port.port, protocol: port.protocol }));

/** The two halves of a namespace → namespace flow; `namespace` is the managed side's (an Output). */
export function flowIngressPolicy(
  resourceName: string,
  flow: { readonly from: string; readonly ports: readonly FlowPort[] },
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    resourceName,
    {
      metadata: { name: `fortress-allow-from-${flow.from}`, namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [selectNamespace(flow.from)], ports: portsOf(flow.ports) }],
      },
    },
    opts,
  );
}

export function flowEgressPolicy(
  resourceName: string,
  flow: { readonly to: string; readonly ports: readonly FlowPort[] },
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    resourceName,
    {
      metadata: { name: `fortress-allow-to-${flow.to}`, namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [selectNamespace(flow.to)], ports: portsOf(flow.ports) }],
      },
    },
    opts,
  );
}

/**
 * A NetworkPolicy for the pods `selector` picks in namespace `ns`, with the rules given: its policy
 * types follow the rules' directions (a direction left out is not restricted by this policy).
 */
export function podPolicy(
  resourceName: string,
  name: string,
  ns: string,
  selector: Readonly<Record<string, string>>,
  rules: { ingress?: unknown[]; egress?: unknown[] },
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    resourceName,
    {
      metadata: { name, namespace: ns },
      spec: {
        podSelector: { matchLabels: { ...selector } },
        policyTypes: [...(rules.ingress ? ["Ingress"] : []), ...(rules.egress ? ["Egress"] : [])],
        ...(rules.ingress ? { ingress: rules.ingress } : {}),
        ...(rules.egress ? { egress: rules.egress } : {}),
      },
    } as k8s.networking.v1.NetworkPolicyArgs,
    opts,
  );
}
