/**
 * What the SIEM's Kubernetes part runs, and how much of its node it may take. Images from the
 * official manifests (wazuh/wazuh-kubernetes@v4.14.6: wazuh/indexer_stack/wazuh-indexer/cluster/indexer-sts.yaml,
 * wazuh/indexer_stack/wazuh-dashboard/dashboard-deploy.yaml), pinned to the same release.
 */
import type { ContainerResources } from "../kubernetes/resources";

export const WAZUH_VERSION = "4.14.6";

export const SIEM_IMAGES = {
  indexer: `docker.io/wazuh/wazuh-indexer:${WAZUH_VERSION}`,
  dashboard: `docker.io/wazuh/wazuh-dashboard:${WAZUH_VERSION}`,
} as const;

/** Both images run as `wazuh-indexer` / `wazuh-dashboard`, uid and gid 1000 (wazuh-docker@v4.14.6 Dockerfiles, `useradd --uid 1000`). */
export const WAZUH_UID = 1000;

/**
 * The indexer's memory: a 3 GiB limit (the catalog's indexer budget is 4 GB with the node's own
 * overhead) and a 1536 MiB heap, half of it, as OpenSearch asks (the rest is the file-system cache
 * Lucene lives on). The manifest's 1 GiB heap in 1564 MiB is below the wazuh-docker single-node minimum.
 */
export const INDEXER_MEMORY_MIB = 3072;
export const INDEXER_HEAP_MIB = 1536;

export const SIEM_RESOURCES: Readonly<Record<"indexer" | "dashboard" | "job", ContainerResources>> = {
  indexer: {
    requests: { cpu: "500m", memory: `${INDEXER_MEMORY_MIB}Mi` },
    limits: { cpu: "2", memory: `${INDEXER_MEMORY_MIB}Mi` },
  },
  // The manifest's limit (500m / 1Gi).
  dashboard: { requests: { cpu: "200m", memory: "768Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  // securityadmin.sh starts a JVM of its own.
  job: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
};

/** The JVM options the image's opensearch reads (the manifest's `OPENSEARCH_JAVA_OPTS`), heap pinned min = max. */
export function indexerJavaOpts(heapMib: number, memoryLimitMib: number): string {
  if (heapMib * 2 > memoryLimitMib)
    throw new Error(`indexer heap ${heapMib} MiB is more than half of its ${memoryLimitMib} MiB limit`);
  return `-Xms${heapMib}m -Xmx${heapMib}m -Dlog4j2.formatMsgNoLookups=true`;
}
