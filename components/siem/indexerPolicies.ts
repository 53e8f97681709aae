/**
 * Who inside the cluster reaches the indexer's 9200 (the dashboard, the admin Jobs, the named
 * consumers' namespaces) and what its pods reach (Keycloak for OpenID, the indexer from the Jobs).
 * The manager VM's route has its own Service and policy (indexerRoute.ts). The platform baseline
 * denies everything else.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { kubeDnsEgress, NAMESPACE_NAME_LABEL } from "../kubernetes/networkPolicy";
import { INDEXER_ADMIN_LABELS, INDEXER_LABELS, INDEXER_PORT } from "./labels";

/** Who reaches 9200 in the cluster (the dashboard, the admin Jobs, the named consumers), and what the indexer reaches. */
export interface IndexerPolicyArgs {
  readonly namespace: string;
  readonly dashboardLabels: Readonly<Record<string, string>>;
  readonly consumerNamespaces: readonly string[];
  /** Keycloak's namespaces, when people sign in through it. */
  readonly oidc?: unknown;
  readonly keycloakNamespaces: readonly string[];
}

export function indexerNetworkPolicies(parent: pulumi.Resource, name: string, args: IndexerPolicyArgs): void {
  const child = { parent };
  const ns = args.namespace;
  const port = [{ protocol: "TCP", port: INDEXER_PORT }];
  const namespaces = (names: readonly string[]) =>
    names.map((namespace) => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    }));
  new k8s.networking.v1.NetworkPolicy(
    `${name}-ingress`,
    {
      metadata: { name: "wazuh-indexer-clients", namespace: ns },
      spec: {
        podSelector: { matchLabels: { ...INDEXER_LABELS } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { ...args.dashboardLabels } } },
              { podSelector: { matchLabels: { ...INDEXER_ADMIN_LABELS } } },
              ...namespaces(args.consumerNamespaces),
            ],
            ports: port,
          },
        ],
      },
    },
    child,
  );
  new k8s.networking.v1.NetworkPolicy(
    `${name}-admin-egress`,
    {
      metadata: { name: "wazuh-indexer-admin-egress", namespace: ns },
      spec: {
        podSelector: { matchLabels: { ...INDEXER_ADMIN_LABELS } },
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: { matchLabels: { ...INDEXER_LABELS } } }], ports: port },
          kubeDnsEgress(),
        ],
      },
    },
    child,
  );
  if (args.oidc)
    new k8s.networking.v1.NetworkPolicy(
      `${name}-keycloak-egress`,
      {
        metadata: { name: "wazuh-indexer-to-keycloak", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...INDEXER_LABELS } },
          policyTypes: ["Egress"],
          // OpenID discovery and the JWKS, at Keycloak's public name (the ingress) or its Service.
          egress: [
            {
              to: namespaces(args.keycloakNamespaces),
              ports: [
                { protocol: "TCP", port: 443 },
                { protocol: "TCP", port: 8443 },
              ],
            },
          ],
        },
      },
      child,
    );
}
