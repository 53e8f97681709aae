/**
 * What the indexer holds and, for a cluster, what ties its nodes together: the data claims (one, or
 * one per pod under the StatefulSet's template name), the snapshot repository's claim (shared by every
 * node of a cluster: a shared-file-system repository must be the same directory on each, mounted
 * under `path.repo`), the headless Service that names each pod, the disruption budget that lets only
 * one node go at a time, and the transport policy (9300 between the indexer's own pods only, and DNS for the seed hosts' names).
 *
 * Shape from wazuh/wazuh-kubernetes@v4.14.6 wazuh/indexer_stack/wazuh-indexer/ (cluster/indexer-sts.yaml:
 * three replicas, a volumeClaimTemplate; indexer-svc.yaml: the headless Service on 9300).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { kubeDnsEgress } from "../kubernetes/networkPolicy";
import { protectedClaim } from "./indexerObjects";
import { dataClaimNames, SINGLE_DATA_CLAIM } from "./indexerStatefulSet";
import { INDEXER_LABELS, INDEXER_NODES_SERVICE, INDEXER_TRANSPORT_PORT } from "./labels";

export interface IndexerStorageSpec {
  readonly namespace: string;
  readonly replicas: number;
  readonly storageClass: string;
  readonly dataGi: number;
  readonly snapshotStorageClass: string;
  readonly snapshotGi: number;
  /** The snapshot class gives ReadWriteMany volumes (NFS): a cluster's repository needs one. */
  readonly snapshotShared: boolean;
}

/** The data claim(s) and the snapshot repository's claim, all protected. */
export function indexerClaims(
  parent: pulumi.Resource,
  name: string,
  spec: IndexerStorageSpec,
): k8s.core.v1.PersistentVolumeClaim[] {
  const cluster = spec.replicas > 1;
  if (cluster && !spec.snapshotShared)
    throw new Error(
      `an indexer cluster of ${spec.replicas} nodes snapshots into a shared file system: the lab needs a ReadWriteMany storage class (platform rwx)`,
    );
  const claim = { namespace: spec.namespace, storageClass: spec.storageClass, gi: spec.dataGi };
  // One node keeps its claim's resource name; a cluster's claims carry the names the
  // StatefulSet gives them, so it adopts them rather than making unprotected ones.
  const data = cluster
    ? dataClaimNames(spec.replicas).map((claimName, ordinal) =>
        protectedClaim(parent, `${name}-data-${ordinal}`, { ...claim, name: claimName }),
      )
    : [protectedClaim(parent, `${name}-data`, { ...claim, name: SINGLE_DATA_CLAIM })];
  const snapshots = protectedClaim(parent, `${name}-snapshots`, {
    name: "wazuh-indexer-snapshots",
    namespace: spec.namespace,
    storageClass: spec.snapshotStorageClass,
    gi: spec.snapshotGi,
    ...(cluster ? { accessMode: "ReadWriteMany" as const } : {}),
  });
  return [...data, snapshots];
}

/** A cluster's headless Service, disruption budget and transport policy; nothing for one node. */
export function clusterObjects(
  parent: pulumi.Resource,
  name: string,
  spec: { readonly namespace: string; readonly replicas: number },
): pulumi.Resource[] {
  if (spec.replicas === 1) return [];
  const child = { parent };
  const ns = spec.namespace;
  const transport = [{ protocol: "TCP", port: INDEXER_TRANSPORT_PORT }];
  const peers = [{ podSelector: { matchLabels: { ...INDEXER_LABELS } } }];
  const nodes = new k8s.core.v1.Service(
    `${name}-nodes`,
    {
      metadata: { name: INDEXER_NODES_SERVICE, namespace: ns, labels: { ...INDEXER_LABELS } },
      spec: {
        clusterIP: "None",
        // A starting node must find its peers before any of them is ready (ready = 9200 answers).
        publishNotReadyAddresses: true,
        selector: { ...INDEXER_LABELS },
        ports: [
          { name: "transport", port: INDEXER_TRANSPORT_PORT, targetPort: "transport", protocol: "TCP" },
        ],
      },
    },
    child,
  );
  const budget = new k8s.policy.v1.PodDisruptionBudget(
    `${name}-disruption-budget`,
    {
      metadata: { name: "wazuh-indexer", namespace: ns, labels: { ...INDEXER_LABELS } },
      // One node down at a time: the other two keep a cluster-manager quorum and a copy of each shard.
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...INDEXER_LABELS } } },
    },
    child,
  );
  const policy = new k8s.networking.v1.NetworkPolicy(
    `${name}-transport`,
    {
      metadata: { name: "wazuh-indexer-transport", namespace: ns },
      spec: {
        podSelector: { matchLabels: { ...INDEXER_LABELS } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: peers, ports: transport }],
        // The seed hosts are names: the pods resolve them.
        egress: [{ to: peers, ports: transport }, kubeDnsEgress()],
      },
    },
    child,
  );
  return [nodes, budget, policy];
}
