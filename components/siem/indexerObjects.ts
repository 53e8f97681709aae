/** The indexer's stateful and secret objects: its protected claims, and the Secret of its security files. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_CN } from "./adminJob";
import { siemCertificate } from "./certificates";
import { NODE_CN } from "./indexerStatefulSet";
import { INDEXER_LABELS, INDEXER_SERVICE, serviceNames } from "./labels";
import {
  INDEXER_USERS,
  type IndexerUserName,
  type OidcSpec,
  renderSecurityConfig,
  type SecurityFile,
} from "./securityConfig";

/**
 * A claim of its own (not a StatefulSet template), protected: neither a replaced StatefulSet nor a
 * destroy deletes the volume. Bound when the pod is scheduled (WaitForFirstConsumer), so not awaited.
 */
export function protectedClaim(
  parent: pulumi.Resource,
  resourceName: string,
  claim: {
    readonly name: string;
    readonly namespace: string;
    readonly storageClass: string;
    readonly gi: number;
    /** ReadWriteOnce unless every node of a cluster mounts it (the snapshot repository). */
    readonly accessMode?: "ReadWriteOnce" | "ReadWriteMany";
  },
): k8s.core.v1.PersistentVolumeClaim {
  return new k8s.core.v1.PersistentVolumeClaim(
    resourceName,
    {
      metadata: {
        name: claim.name,
        namespace: claim.namespace,
        labels: { ...INDEXER_LABELS },
        annotations: { "pulumi.com/skipAwait": "true" },
      },
      spec: {
        accessModes: [claim.accessMode ?? "ReadWriteOnce"],
        storageClassName: claim.storageClass,
        resources: { requests: { storage: `${claim.gi}Gi` } },
      },
    },
    { parent, protect: true },
  );
}

/** Every user's stand-in hash: the files rendered with it are checked at plan time and name the securityadmin Job. */
const STAND_IN = "$2a$12$" + "a".repeat(53);

/**
 * The security files in a Secret (internal_users.yml holds the hashes), and the same files rendered
 * with stand-in hashes: checked now, so that a bad issuer fails the plan rather than the apply.
 */
export function securitySecret(
  parent: pulumi.Resource,
  resourceName: string,
  spec: {
    readonly namespace: string;
    readonly oidc?: OidcSpec;
    readonly hashes: Readonly<Record<IndexerUserName, pulumi.Output<string>>>;
  },
): { readonly security: k8s.core.v1.Secret; readonly plain: Readonly<Record<SecurityFile, string>> } {
  const oidc = spec.oidc ? { oidc: spec.oidc } : {};
  const plain = renderSecurityConfig({
    ...oidc,
    hashes: Object.fromEntries(INDEXER_USERS.map((user) => [user.name, STAND_IN])) as Record<
      IndexerUserName,
      string
    >,
  });
  const hashes = pulumi.all(spec.hashes) as pulumi.Output<Record<IndexerUserName, string | undefined>>;
  const files = pulumi.secret(
    hashes.apply((resolved) =>
      INDEXER_USERS.some((user) => resolved[user.name] === undefined)
        ? plain // under mocks only: no random values there
        : renderSecurityConfig({ ...oidc, hashes: resolved as Record<IndexerUserName, string> }),
    ),
  );
  const security = new k8s.core.v1.Secret(
    resourceName,
    {
      metadata: { name: "wazuh-indexer-security", namespace: spec.namespace, labels: { ...INDEXER_LABELS } },
      type: "Opaque",
      stringData: files,
    },
    { parent },
  );
  return { security, plain };
}

/**
 * The node's certificate (HTTP and transport, its DN nodes_dn) and the admin client's (admin_dn).
 * A cluster's nodes share the node certificate, as the manifest's do (wazuh/wazuh-kubernetes@v4.14.6
 * wazuh/certs/indexer_cluster/generate_certs.sh: one `node.pem`, CN=indexer, for every pod): its DN is
 * the one nodes_dn names, and it names every pod's stable name (`podHosts`) beside the Service's.
 */
export function indexerCertificates(
  parent: pulumi.Resource,
  name: string,
  spec: {
    readonly namespace: string;
    readonly clusterIssuer: string;
    readonly nodeAddress?: string;
    readonly podHosts?: readonly string[];
  },
): {
  readonly nodeCert: k8s.apiextensions.CustomResource;
  readonly adminCert: k8s.apiextensions.CustomResource;
} {
  const nodeCert = siemCertificate(
    `${name}-node-certificate`,
    {
      id: NODE_CN,
      namespace: spec.namespace,
      commonName: NODE_CN,
      dnsNames: [
        ...serviceNames(INDEXER_SERVICE, spec.namespace),
        ...(spec.podHosts ?? []).flatMap((host) => [host, `${host}.cluster.local`]),
      ],
      ...(spec.nodeAddress ? { ipAddresses: [spec.nodeAddress] } : {}),
      usages: ["server auth", "client auth"],
      clusterIssuer: spec.clusterIssuer,
    },
    { parent },
  );
  const adminCert = siemCertificate(
    `${name}-admin-certificate`,
    {
      id: ADMIN_CN,
      namespace: spec.namespace,
      commonName: ADMIN_CN,
      dnsNames: [],
      usages: ["client auth"],
      clusterIssuer: spec.clusterIssuer,
    },
    { parent },
  );
  return { nodeCert, adminCert };
}
