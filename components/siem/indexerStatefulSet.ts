/**
 * The indexer's StatefulSet: one node, non-root (uid 1000 as the image's `USER wazuh-indexer`), no init
 * containers, its heap half its memory limit, its certificates, opensearch.yml and security files
 * mounted where the image reads them (wazuh/wazuh-kubernetes@v4.14.6
 * wazuh/indexer_stack/wazuh-indexer/cluster/indexer-sts.yaml), its data and snapshots on the claims
 * the component makes. Pure.
 */
import type * as k8s from "@pulumi/kubernetes";
import { tlsSecretName } from "../kubernetes/certificate";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { INDEXER_LABELS, INDEXER_PORT, INDEXER_SERVICE } from "./labels";
import { INDEXER_CERT_FILES, INDEXER_PATHS } from "./opensearchYml";
import {
  INDEXER_HEAP_MIB,
  INDEXER_MEMORY_MIB,
  indexerJavaOpts,
  SIEM_IMAGES,
  SIEM_RESOURCES,
  WAZUH_UID,
} from "./pins";
import { SECURITY_FILES } from "./securityConfig";

/** The node certificate's id and common name (its Secret is `<id>-tls`). */
export const NODE_CN = "wazuh-indexer";

export interface IndexerStatefulSetSpec {
  readonly namespace: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Changes with opensearch.yml: a new file restarts the node. */
  readonly configDigest: string;
}

export function indexerStatefulSet(spec: IndexerStatefulSetSpec): k8s.apps.v1.StatefulSetArgs {
  return {
    metadata: { name: INDEXER_SERVICE, namespace: spec.namespace, labels: { ...INDEXER_LABELS } },
    spec: {
      serviceName: INDEXER_SERVICE,
      replicas: 1,
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
                  value: indexerJavaOpts(INDEXER_HEAP_MIB, INDEXER_MEMORY_MIB),
                },
                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "DISABLE_INSTALL_DEMO_CONFIG", value: "true" },
              ],
              ports: [{ name: "https", containerPort: INDEXER_PORT, protocol: "TCP" }],
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
              resources: SIEM_RESOURCES.indexer,
              // Runs as uid 1000 from the start, so the entrypoint never chroots and needs no
              // SYS_CHROOT (the manifest adds it for a root start).
              securityContext: restrictedContainerSecurity(WAZUH_UID),
              volumeMounts: [
                { name: "data", mountPath: INDEXER_PATHS.data },
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
            { name: "data", persistentVolumeClaim: { claimName: "wazuh-indexer-data" } },
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
