/**
 * Grafana's NetworkPolicies, on top of the baseline's default deny in the monitoring namespace:
 *
 * | direction | peer | port | why |
 * |---|---|---|---|
 * | in | the ingress controller's namespace | 3000 | browsers, through the HTTPS ingress |
 * | in | the monitoring namespace | 3000 | Prometheus scrapes Grafana's /metrics (the chart's ServiceMonitor) |
 * | out | the monitoring namespace | 9090, 9093, 3100 | Prometheus, Alertmanager and Loki, its data sources |
 * | out | the indexer's namespace | 9200 | the Wazuh alerts data source |
 * | out | Keycloak's namespaces (its own and the ingress controller's) | 443, 8443 | the token and userinfo calls |
 * | in, out | Grafana's pods (with replicas) | 9094 TCP and UDP | the alerting peers' gossip (values.ts haIni) |
 * | out | Grafana's PostgreSQL (with replicas) | 5432 | the shared database (its own policy admits Grafana's pods) |
 * | out | any address, by port | 443, 6443 | the API server (the sidecars watch ConfigMaps; it runs on the nodes' host network, which no selector matches) and grafana.com, where Grafana fetches the OpenSearch plugin at start |
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_NAME_LABEL } from "../../kubernetes/networkPolicy";

/** Grafana's pod, by the chart's selector label (grafana chart _helpers.tpl `grafana.selectorLabels`). */
export const GRAFANA_POD = { "app.kubernetes.io/name": "grafana" } as const;
/** The container port (the chart's `service.targetPort`). */
export const GRAFANA_PORT = 3000;
export const DATA_SOURCE_PORTS = { prometheus: 9090, alertmanager: 9093, loki: 3100, indexer: 9200 } as const;

export interface GrafanaNetworkArgs {
  /** The ingress controller's namespace (k3s: Traefik in kube-system). */
  readonly ingressNamespace: string;
  /** Where Keycloak is reached from the pod: the identity namespace and the ingress controller's. */
  readonly keycloakNamespaces: readonly string[];
  /** The Wazuh indexer's namespace (fortress-siem), when the indexer data source is set. */
  readonly indexerNamespace?: string;
  /** Replicas: the pods gossip with each other and reach their PostgreSQL (labels as postgres.ts gives them). */
  readonly peers?: boolean;
}

/** The labels of Grafana's PostgreSQL pod (components/identity/postgres.ts with client `grafana`). */
export const GRAFANA_POSTGRES_POD = {
  "app.kubernetes.io/name": "postgres",
  "app.kubernetes.io/instance": "grafana",
} as const;
const POSTGRES_PORT = 5432;
const GOSSIP = 9094;

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" }));
const gossip = [...tcp(GOSSIP), { port: GOSSIP, protocol: "UDP" }];
const grafanaPods = () => ({ podSelector: { matchLabels: { ...GRAFANA_POD } } });
const inNamespace = (name: string) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
});

export function grafanaPolicies(
  name: string,
  namespace: string,
  args: GrafanaNetworkArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  const selector = { podSelector: { matchLabels: { ...GRAFANA_POD } } };
  const { prometheus, alertmanager, loki, indexer } = DATA_SOURCE_PORTS;
  return [
    new k8s.networking.v1.NetworkPolicy(
      `${name}-ingress-policy`,
      {
        metadata: { name: "grafana-ingress", namespace },
        spec: {
          ...selector,
          policyTypes: ["Ingress"],
          ingress: [
            { from: [inNamespace(args.ingressNamespace)], ports: tcp(GRAFANA_PORT) },
            { from: [inNamespace(namespace)], ports: tcp(GRAFANA_PORT) },
            ...(args.peers ? [{ from: [grafanaPods()], ports: gossip }] : []),
          ],
        },
      },
      opts,
    ),
    new k8s.networking.v1.NetworkPolicy(
      `${name}-egress-policy`,
      {
        metadata: { name: "grafana-egress", namespace },
        spec: {
          ...selector,
          policyTypes: ["Egress"],
          egress: [
            { to: [inNamespace(namespace)], ports: tcp(prometheus, alertmanager, loki) },
            ...(args.peers
              ? [
                  { to: [grafanaPods()], ports: gossip },
                  {
                    to: [{ podSelector: { matchLabels: { ...GRAFANA_POSTGRES_POD } } }],
                    ports: tcp(POSTGRES_PORT),
                  },
                ]
              : []),
            ...(args.indexerNamespace
              ? [{ to: [inNamespace(args.indexerNamespace)], ports: tcp(indexer) }]
              : []),
            ...(args.keycloakNamespaces.length > 0
              ? [{ to: args.keycloakNamespaces.map(inNamespace), ports: tcp(443, 8443) }]
              : []),
            { ports: tcp(443, 6443) },
          ],
        },
      },
      opts,
    ),
  ];
}
