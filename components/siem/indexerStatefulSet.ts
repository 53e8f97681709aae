/**
 * The indexer's StatefulSet: one node or a cluster of them, non-root (uid 1000 as the image's `USER wazuh-indexer`), no init
 * containers, its heap half its memory limit, its certificates, opensearch.yml and security files
 * mounted where the image reads them (wazuh/wazuh-kubernetes@v4.14.6
 * wazuh/indexer_stack/wazuh-indexer/cluster/indexer-sts.yaml), its data and snapshots on the claims
 * the component makes. Pure.
 *
 * A cluster (more than one replica) names its pods through the headless Service
 * (INDEXER_NODES_SERVICE), starts them together (`Parallel`: bootstrapping needs a majority of
 * cluster.initial_cluster_manager_nodes, docs.opensearch.org tuning-your-cluster/discovery-cluster-formation/bootstrapping),
 * keeps each on a node of its own (required anti-affinity on kubernetes.io/hostname: two copies of a
 * shard never share a disk), and gives each its data claim from a volumeClaimTemplate whose claims
 * (`data-wazuh-indexer-<n>`) the component makes first, protected: the StatefulSet adopts a claim of
 * that name, and neither a replacement nor a destroy deletes it.
 */
import type * as k8s from "@pulumi/kubernetes";
import { tlsSecretName } from "../kubernetes/certificate";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import {
  INDEXER_LABELS,
  INDEXER_NODES_SERVICE,
  INDEXER_PORT,
  INDEXER_SERVICE,
  INDEXER_TRANSPORT_PORT,
} from "./labels";
import { INDEXER_CERT_FILES, INDEXER_PATHS } from "./opensearchYml";
import { indexerJavaOpts, indexerResources, SIEM_IMAGES, WAZUH_UID } from "./pins";
import { SECURITY_FILES } from "./securityConfig";

/** The node certificate's id and common name (its Secret is `<id>-tls`). */
export const NODE_CN = "wazuh-indexer";

export interface IndexerStatefulSetSpec {
  readonly namespace: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Changes with opensearch.yml: a new file restarts the node. */
  readonly configDigest: string;
  /** The container's memory (request = limit) and the JVM heap in it, MiB. */
  readonly memoryMib: number;
  readonly heapMib: number;
  /** One node, or a cluster: then each pod's data claim comes from the template (class and size). */
  readonly replicas: number;
  readonly data: { readonly storageClass: string; readonly gi: number };
}

/** The volumeClaimTemplate's name: a cluster's claims are `data-wazuh-indexer-<n>`. */
export const DATA_TEMPLATE = "data";
export const dataClaimNames = (replicas: number) =>
  Array.from({ length: replicas }, (_, ordinal) => `${DATA_TEMPLATE}-${INDEXER_SERVICE}-${ordinal}`);
/** One node's data claim, made by the component. */
export const SINGLE_DATA_CLAIM = "wazuh-indexer-data";

function clusterSpec(spec: IndexerStatefulSetSpec): Partial<k8s.types.input.apps.v1.StatefulSetSpec> {
  if (spec.replicas === 1) return {};
  return {
    podManagementPolicy: "Parallel",
    volumeClaimTemplates: [
      {
        metadata: { name: DATA_TEMPLATE, labels: { ...INDEXER_LABELS } },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: spec.data.storageClass,
          resources: { requests: { storage: `${spec.data.gi}Gi` } },
        },
      },
    ],
  };
}

/** A cluster's pods each on a node of their own; one node goes where the node selector puts it. */
function antiAffinity(replicas: number): k8s.types.input.core.v1.Affinity | undefined {
  if (replicas === 1) return undefined;
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { ...INDEXER_LABELS } }, topologyKey: "kubernetes.io/hostname" },
      ],
    },
  };
}

export function indexerStatefulSet(spec: IndexerStatefulSetSpec): k8s.apps.v1.StatefulSetArgs {
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1 || spec.replicas === 2)
    throw new Error(
      `indexer replicas ${spec.replicas}: one node, or a cluster of three or more (two cannot elect a cluster manager when one is down)`,
    );
  const cluster = spec.replicas > 1;
  const affinity = antiAffinity(spec.replicas);
  return {
    metadata: { name: INDEXER_SERVICE, namespace: spec.namespace, labels: { ...INDEXER_LABELS } },
    spec: {
      // One node keeps the name it always had (the field is immutable); a cluster's pods are named
      // by the headless Service.
      serviceName: cluster ? INDEXER_NODES_SERVICE : INDEXER_SERVICE,
      replicas: spec.replicas,
      ...clusterSpec(spec),
      selector: { matchLabels: { ...INDEXER_LABELS } },
      template: {
        metadata: {
          labels: { ...INDEXER_LABELS },
          // A new opensearch.yml restarts the node (the security files go through securityadmin).
          annotations: { "fortress.io/config-digest": spec.configDigest },
        },
        spec: {
          automountServiceAccountToken: false,
          nodeSelector: { ...spec.nodeSelector },
          ...(affinity ? { affinity } : {}),
          securityContext: restrictedPodSecurity(WAZUH_UID),
          // No init containers: the manifest's root `chown` is fsGroup's job, and its privileged
          // sysctl is the indexer VM's (cloud-init sets vm.max_map_count).
          containers: [
            {
              name: "wazuh-indexer",
              image: SIEM_IMAGES.indexer,
              imagePullPolicy: "IfNotPresent",
              env: [
                {
                  name: "OPENSEARCH_JAVA_OPTS",
                  value: indexerJavaOpts(spec.heapMib, spec.memoryMib),
                },
                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "DISABLE_INSTALL_DEMO_CONFIG", value: "true" },
              ],
              ports: [
                { name: "https", containerPort: INDEXER_PORT, protocol: "TCP" },
                ...(cluster
                  ? [{ name: "transport", containerPort: INDEXER_TRANSPORT_PORT, protocol: "TCP" }]
                  : []),
              ],
              readinessProbe: {
                tcpSocket: { port: "https" },
                initialDelaySeconds: 30,
                periodSeconds: 10,
              },
              livenessProbe: {
                tcpSocket: { port: "https" },
                initialDelaySeconds: 120,
                periodSeconds: 20,
              },
              resources: indexerResources(spec.memoryMib),
              // Runs as uid 1000 from the start, so the entrypoint never chroots and needs no
              // SYS_CHROOT (the manifest adds it for a root start).
              securityContext: restrictedContainerSecurity(WAZUH_UID),
              volumeMounts: [
                // One node: the claim below; a cluster: the template of the same name.
                { name: DATA_TEMPLATE, mountPath: INDEXER_PATHS.data },
                { name: "snapshots", mountPath: INDEXER_PATHS.snapshots },
                // The whole certs directory: the image's demo certificates and demo CA key stay hidden.
                { name: "certs", mountPath: INDEXER_PATHS.certs, readOnly: true },
                {
                  name: "config",
                  mountPath: `${INDEXER_PATHS.config}/opensearch.yml`,
                  subPath: "opensearch.yml",
                  readOnly: true,
                },
                ...SECURITY_FILES.map((file) => ({
                  name: "security",
                  mountPath: `${INDEXER_PATHS.security}/${file}`,
                  subPath: file,
                  readOnly: true,
                })),
              ],
            },
          ],
          volumes: [
            ...(cluster
              ? []
              : [{ name: DATA_TEMPLATE, persistentVolumeClaim: { claimName: SINGLE_DATA_CLAIM } }]),
            { name: "snapshots", persistentVolumeClaim: { claimName: "wazuh-indexer-snapshots" } },
            {
              name: "certs",
              projected: {
                defaultMode: 0o400,
                sources: [
                  {
                    secret: {
                      name: tlsSecretName(NODE_CN),
                      items: [
                        { key: "tls.crt", path: INDEXER_CERT_FILES.node },
                        { key: "tls.key", path: INDEXER_CERT_FILES.nodeKey },
                        { key: "ca.crt", path: INDEXER_CERT_FILES.rootCa },
                      ],
                    },
                  },
                ],
              },
            },
            { name: "config", configMap: { name: "wazuh-indexer-config", defaultMode: 0o400 } },
            { name: "security", secret: { secretName: "wazuh-indexer-security", defaultMode: 0o400 } },
          ],
        },
      },
    },
  };
}
