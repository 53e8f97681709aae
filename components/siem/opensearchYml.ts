/**
 * The indexer's opensearch.yml, rendered from the shipped file's keys
 * (wazuh/wazuh-kubernetes@v4.14.6:wazuh/indexer_stack/wazuh-indexer/indexer_conf/opensearch.yml) with
 * what Fortress changes: one node (`discovery.type: single-node`, as the image's own file,
 * wazuh/wazuh-docker@v4.14.6:build-docker-images/wazuh-indexer/config/opensearch.yml) or a cluster
 * (below), disk watermarks
 * switched back on (the manifest sets `cluster.routing.allocation.disk.threshold_enabled: false`), a
 * snapshot repository path (`path.repo`), and the DNs of Fortress's own certificates.
 */
import { renderYaml } from "./yaml";

/** Where the image keeps its configuration, data and certificates (the manifest's mounts). */
export const INDEXER_PATHS = {
  config: "/usr/share/wazuh-indexer/config",
  certs: "/usr/share/wazuh-indexer/config/certs",
  security: "/usr/share/wazuh-indexer/config/opensearch-security",
  data: "/var/lib/wazuh-indexer",
  logs: "/var/log/wazuh-indexer",
  snapshots: "/var/lib/wazuh-indexer-snapshots",
  /** securityadmin.sh as the image ships it (the image's own /securityadmin.sh calls this one). */
  securityadmin: "/usr/share/wazuh-indexer/plugins/opensearch-security/tools/securityadmin.sh",
} as const;

/** The certificate files the image and the manifest name (wazuh/certs/indexer_cluster/generate_certs.sh). */
export const INDEXER_CERT_FILES = {
  node: "node.pem",
  nodeKey: "node-key.pem",
  rootCa: "root-ca.pem",
  admin: "admin.pem",
  adminKey: "admin-key.pem",
} as const;

/**
 * Disk watermarks as fractions of the data volume. OpenSearch's own defaults (85 %, 90 %, 95 %) leave
 * no room on a small single node; retention (retention.ts) is sized below `high`.
 */
export const DISK_WATERMARKS = { low: 0.8, high: 0.85, floodStage: 0.9 } as const;

export interface OpenSearchYmlSpec {
  readonly clusterName: string;
  /** The node's certificate subject (nodes_dn) and the admin certificate's (admin_dn), RFC 2253. */
  readonly nodeDn: string;
  readonly adminDn: string;
  readonly watermarks?: { readonly low: number; readonly high: number; readonly floodStage: number };
  /** A cluster's discovery; omitted, one node. */
  readonly cluster?: ClusterDiscovery;
  /**
   * False: `node.store.allow_mmap: false`, for nodes whose vm.max_map_count may be below OpenSearch's
   * 262144 (opensearch-project/OpenSearch server/src/main/java/org/opensearch/bootstrap/BootstrapChecks.java
   * `MaxMapCountCheck` applies only while allow_mmap is true).
   */
  readonly mmap?: boolean;
}

/**
 * How the nodes of a cluster find each other: every pod's stable name as a seed host (the manifest
 * seeds only `wazuh-indexer-0.wazuh-indexer`), and every pod's node name in
 * `cluster.initial_cluster_manager_nodes`. The manifest lists only wazuh-indexer-0 there (its
 * `cluster.initial_master_nodes`, wazuh/wazuh-kubernetes@v4.14.6
 * wazuh/indexer_stack/wazuh-indexer/indexer_conf/opensearch.yml), which lets pod 0 alone bootstrap a
 * new cluster should its disk ever come back empty; OpenSearch asks for the set of all the initial
 * cluster-manager-eligible nodes on each of them, and reads it only while no node holds a cluster
 * state (docs.opensearch.org tuning-your-cluster/discovery-cluster-formation/bootstrapping): a
 * majority of the three must then meet, and a lone empty pod joins the cluster the others hold.
 */
export interface ClusterDiscovery {
  readonly seedHosts: readonly string[];
  readonly initialClusterManagers: readonly string[];
}

function discovery(cluster: ClusterDiscovery | undefined): Record<string, unknown> {
  if (!cluster) return { "discovery.type": "single-node" };
  const managers = cluster.initialClusterManagers;
  if (managers.length < 3 || managers.length % 2 === 0 || cluster.seedHosts.length !== managers.length)
    throw new Error("a cluster needs an odd number (3 or more) of cluster managers, each a seed host");
  return {
    "discovery.seed_hosts": [...cluster.seedHosts],
    "cluster.initial_cluster_manager_nodes": [...managers],
  };
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

export function opensearchSettings(spec: OpenSearchYmlSpec): Record<string, unknown> {
  const marks = spec.watermarks ?? DISK_WATERMARKS;
  if (!(marks.low < marks.high && marks.high < marks.floodStage && marks.floodStage < 1))
    throw new Error("disk watermarks must rise low < high < flood stage < 100 %");
  const cert = (file: string) => `${INDEXER_PATHS.certs}/${file}`;
  return {
    "cluster.name": spec.clusterName,
    // NODE_NAME comes from the pod's name (the manifest's fieldRef); OpenSearch expands ${...}.
    "node.name": "${NODE_NAME}",
    "network.host": "0.0.0.0",
    ...discovery(spec.cluster),
    ...(spec.mmap === false ? { "node.store.allow_mmap": false } : {}),
    "path.data": INDEXER_PATHS.data,
    "path.logs": INDEXER_PATHS.logs,
    "path.repo": [INDEXER_PATHS.snapshots],
    "cluster.routing.allocation.disk.threshold_enabled": true,
    "cluster.routing.allocation.disk.watermark.low": percent(marks.low),
    "cluster.routing.allocation.disk.watermark.high": percent(marks.high),
    "cluster.routing.allocation.disk.watermark.flood_stage": percent(marks.floodStage),
    "plugins.security.ssl.http.enabled": true,
    "plugins.security.ssl.http.pemcert_filepath": cert(INDEXER_CERT_FILES.node),
    "plugins.security.ssl.http.pemkey_filepath": cert(INDEXER_CERT_FILES.nodeKey),
    "plugins.security.ssl.http.pemtrustedcas_filepath": cert(INDEXER_CERT_FILES.rootCa),
    "plugins.security.ssl.transport.pemcert_filepath": cert(INDEXER_CERT_FILES.node),
    "plugins.security.ssl.transport.pemkey_filepath": cert(INDEXER_CERT_FILES.nodeKey),
    "plugins.security.ssl.transport.pemtrustedcas_filepath": cert(INDEXER_CERT_FILES.rootCa),
    // cert-manager renews the node certificate (certificate.ts: 90 days, renewed 30 days before):
    // the plugin watches the mounted files and reloads them (opensearch-project/security@2.19.5.0
    // OpenSearchSecurityPlugin.java and SslSettingsManager.addSslConfigurationsChangeListener; the
    // setting exists since 2.19.0.0, the Wazuh indexer 4.14 is OpenSearch 2.19). The certs volume is
    // mounted whole, not by subPath, so the kubelet updates the files in place.
    "plugins.security.ssl.certificates_hot_reload.enabled": true,
    "plugins.security.ssl.transport.enforce_hostname_verification": false,
    "plugins.security.ssl.transport.resolve_hostname": false,
    "plugins.security.authcz.admin_dn": [spec.adminDn],
    "plugins.security.nodes_dn": [spec.nodeDn],
    "plugins.security.check_snapshot_restore_write_privileges": true,
    "plugins.security.enable_snapshot_restore_privilege": true,
    "plugins.security.restapi.roles_enabled": ["all_access", "security_rest_api_access"],
    // Loads config.yml, roles.yml, … into the security index on the first start only (the security
    // index then rules); later changes go through securityadmin.sh (securityAdminJob.ts).
    "plugins.security.allow_default_init_securityindex": true,
    "plugins.security.audit.type": "internal_opensearch",
    // Filebeat 7.10 refuses an OpenSearch 2 version string without it (the manifest sets it too).
    "compatibility.override_main_response_version": true,
  };
}

export function renderOpenSearchYml(spec: OpenSearchYmlSpec): string {
  return renderYaml(opensearchSettings(spec));
}
