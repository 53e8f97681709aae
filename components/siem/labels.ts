/** The SIEM's pod labels and Service names, which its NetworkPolicies and clients select by. */
export const INDEXER_LABELS = {
  "app.kubernetes.io/name": "wazuh-indexer",
  "app.kubernetes.io/part-of": "wazuh",
} as const;
export const DASHBOARD_LABELS = {
  "app.kubernetes.io/name": "wazuh-dashboard",
  "app.kubernetes.io/part-of": "wazuh",
} as const;
/** The indexer's admin Jobs (securityadmin, policies): the only pods holding the admin certificate. */
export const INDEXER_ADMIN_LABELS = {
  "app.kubernetes.io/name": "wazuh-indexer-admin",
  "app.kubernetes.io/part-of": "wazuh",
} as const;

export const INDEXER_SERVICE = "wazuh-indexer";
export const DASHBOARD_SERVICE = "wazuh-dashboard";
export const INDEXER_PORT = 9200;
export const DASHBOARD_PORT = 5601;
/** The Wazuh server API on the manager VM. */
export const MANAGER_API_PORT = 55000;

/** The in-cluster names of a Service (all of them in the certificates). */
export const serviceNames = (service: string, namespace: string) => [
  service,
  `${service}.${namespace}`,
  `${service}.${namespace}.svc`,
  `${service}.${namespace}.svc.cluster.local`,
];

/** OpenSearch's transport port: the nodes of a cluster talk to each other on it. */
export const INDEXER_TRANSPORT_PORT = 9300;
/**
 * The headless Service that names each pod of a cluster (`<pod>.wazuh-indexer-nodes`), as the
 * manifest's `wazuh-indexer` Service does (wazuh/wazuh-kubernetes@v4.14.6
 * wazuh/indexer_stack/wazuh-indexer/indexer-svc.yaml: `clusterIP: None`, port 9300). One node needs none.
 */
export const INDEXER_NODES_SERVICE = "wazuh-indexer-nodes";

/** The StatefulSet's pod names, in ordinal order (`wazuh-indexer-0`, …). */
export const indexerPodNames = (replicas: number) =>
  Array.from({ length: replicas }, (_, ordinal) => `${INDEXER_SERVICE}-${ordinal}`);

/** Each pod's stable name under the headless Service, in the namespace. */
export const indexerPodHosts = (replicas: number, namespace: string) =>
  indexerPodNames(replicas).map((pod) => `${pod}.${INDEXER_NODES_SERVICE}.${namespace}.svc`);
