/**
 * Pods that talk to each other in the logs part, named by namespace and labels, and the NetworkPolicy
 * rules they make. The baseline denies every ingress and egress in each namespace
 * (components/platform/namespaces.ts `fortress-default-deny`), so each flow needs both halves.
 */
import { NAMESPACE_NAME_LABEL } from "../../kubernetes/networkPolicy";

/** Pods by namespace and labels (e.g. Grafana's, Prometheus's, the aggregator's). */
export interface PodPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The NetworkPolicyPeer of a pod set. */
export const peerOf = (peer: PodPeer) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
  podSelector: { matchLabels: { ...peer.podLabels } },
});

export const tcp = (...ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));
