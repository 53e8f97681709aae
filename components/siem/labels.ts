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
