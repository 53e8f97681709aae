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
 * The indexer's container resources for a memory size the profile chooses (stacks/profiles.ts
 * `workloads["wazuh-indexer"]`): requests = limits in memory, so the node never over-commits it.
 * The home profile's 3 GiB with a 1536 MiB heap is half for the heap, as OpenSearch asks (the rest is
 * the file-system cache Lucene lives on); the minimal profile's 2 GiB with a 1 GiB heap is the
 * manifest's local environment (wazuh/wazuh-kubernetes@v4.14.6: envs/local-env/indexer-resources.yaml
 * limits 2Gi, with the base StatefulSet's `-Xms1g -Xmx1g`).
 */
export function indexerResources(memoryMib: number): ContainerResources {
  if (!Number.isInteger(memoryMib) || memoryMib < 1024)
    throw new Error(`indexer memory ${memoryMib} MiB: a whole number of MiB, at least 1024`);
  return {
    requests: { cpu: "500m", memory: `${memoryMib}Mi` },
    limits: { cpu: "2", memory: `${memoryMib}Mi` },
  };
}

export const SIEM_RESOURCES: Readonly<Record<"dashboard" | "job", ContainerResources>> = {
  // The manifest's limit (500m / 1Gi).
  dashboard: { requests: { cpu: "200m", memory: "768Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  // securityadmin.sh starts a JVM of its own.
  job: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
};

/** The JVM options the image's opensearch reads (the manifest's `OPENSEARCH_JAVA_OPTS`), heap pinned min = max. */
export function indexerJavaOpts(heapMib: number, memoryLimitMib: number): string {
  if (!Number.isInteger(heapMib) || heapMib < 512)
    throw new Error(`indexer heap ${heapMib} MiB: a whole number of MiB, at least 512`);
  if (heapMib * 2 > memoryLimitMib)
    throw new Error(`indexer heap ${heapMib} MiB is more than half of its ${memoryLimitMib} MiB limit`);
  return `-Xms${heapMib}m -Xmx${heapMib}m -Dlog4j2.formatMsgNoLookups=true`;
}
