/**
 * The Wazuh indexer: one OpenSearch node, or a cluster of three or more (indexerCluster.ts), in a
 * StatefulSet on the indexer pool, sized by the profile (memory, heap, data claim), non-root with no init
 * containers (vm.max_map_count comes from the indexer VM), its data and snapshot repository on
 * protected claims, its security configuration rendered here with a bcrypt-hashed random password per
 * user, certificates from the internal CA, and two admin Jobs (securityadmin, policies) that use the
 * admin certificate. Facts from wazuh/wazuh-kubernetes@v4.14.6 wazuh/indexer_stack/wazuh-indexer/.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { ADMIN_CN, indexerAdminJob } from "./adminJob";
import { subjectDn } from "./certificates";
import { indexerNetworkPolicies } from "./indexerPolicies";
import { type IndexerRoute, managerAccess } from "./indexerRoute";
import { indexerStatefulSet, NODE_CN } from "./indexerStatefulSet";
import { policiesScript, securityAdminScript } from "./jobScripts";
import { INDEXER_LABELS, INDEXER_PORT, INDEXER_SERVICE, indexerPodHosts, indexerPodNames } from "./labels";
import { hashedPassword } from "./passwordHash";
import { clusterObjects, indexerClaims } from "./indexerCluster";
import { indexerCertificates, securitySecret } from "./indexerObjects";
import { INDEXER_CERT_FILES, INDEXER_PATHS, renderOpenSearchYml } from "./opensearchYml";
import {
  ISM_POLICY_ID,
  ismPolicy,
  SM_POLICY_NAME,
  smPolicy,
  type SnapshotSchedule,
  SNAPSHOT_REPOSITORY,
  snapshotRepository,
} from "./retention";
import { INDEXER_USERS, type IndexerUserName, type OidcSpec, SECURITY_FILES } from "./securityConfig";

export const WAZUH_INDEXER_TYPE = COMPONENT_TYPES.wazuhIndexer;

export interface WazuhIndexerArgs {
  readonly namespace: string;
  readonly clusterIssuer: string;
  /** The internal CA's certificate, handed to the indexer's consumers. */
  readonly caCertificatePem: pulumi.Input<string>;
  /** The data claim's class (local to the node it binds on) and size. */
  readonly storageClass: string;
  readonly dataGi: number;
  /** The snapshot repository's claim: its class (the RWX class when the lab has one) and size. */
  readonly snapshotStorageClass: string;
  readonly snapshotGi: number;
  /** Whether the snapshot class gives ReadWriteMany volumes: a cluster's repository must be shared. */
  readonly snapshotShared: boolean;
  /** Nodes (1, or an odd 3 or more), and each node's memory and JVM heap, MiB. */
  readonly replicas: number;
  readonly memoryMib: number;
  readonly heapMib: number;
  /** False where the nodes' vm.max_map_count is not Fortress's to set (siem.ts `indexer.mmap`). */
  readonly mmap?: boolean;
  /** The node label that puts the pod on the indexer pool. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Keycloak, for people signing in through the dashboard; omitted, basic authentication only. */
  readonly oidc?: Omit<OidcSpec, "caFile">;
  /** Where Keycloak is reached from the pods (its namespace and the ingress controller's). */
  readonly keycloakNamespaces: readonly string[];
  /**
   * The manager VM (its Filebeat is the only client outside the cluster): its planned address, the
   * only source the route to 9200 admits (indexerRoute.ts), and the indexer node's, which Filebeat
   * dials and the node certificate names.
   */
  readonly manager?: {
    readonly address: string;
    readonly indexerNodeAddress: string;
    /** The shipper VMs (Vector on the sensor and vulnerability VMs), admitted beside the manager. */
    readonly shipperAddresses?: readonly string[];
    /** indexerNodeAddress is an existing cluster's load-balancer address for the route (indexerRoute.ts). */
    readonly loadBalancer?: boolean;
  };
  /** Namespaces of the indexer's later consumers (TheHive, Cortex, Vector) that may reach 9200. */
  readonly consumerNamespaces: readonly string[];
  /** The dashboard's pods, which reach 9200. */
  readonly dashboardLabels: Readonly<Record<string, string>>;
  readonly retentionDays: number;
  readonly snapshots: SnapshotSchedule;
}

const CLUSTER_NAME = "fortress-wazuh";

/** A short digest that names a Job after what it applies: new content, new Job, which runs once. */
export const contentDigest = (...parts: readonly string[]) =>
  createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 10);

export class WazuhIndexer extends pulumi.ComponentResource {
  /** https URL of the REST API inside the cluster. */
  readonly url: pulumi.Output<string>;
  /** https URL the manager and shipper VMs reach it on (the indexer node's address); undefined without a manager. */
  readonly externalUrl: pulumi.Output<string> | undefined;
  /** The manager's route (a LoadBalancer open to the manager's address only); undefined without a manager. */
  readonly managerRoute: IndexerRoute | undefined;
  readonly caCertificatePem: pulumi.Output<string>;
  /** Each user's random password (secret). */
  readonly passwords: Readonly<Record<IndexerUserName, pulumi.Output<string>>>;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly service: k8s.core.v1.Service;

  constructor(name: string, args: WazuhIndexerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WAZUH_INDEXER_TYPE, name, { namespace: args.namespace, retentionDays: args.retentionDays }, opts);
    const cluster = args.replicas > 1;
    const child = { parent: this };
    const ns = args.namespace;
    const host = `${INDEXER_SERVICE}.${ns}.svc`;
    this.url = pulumi.output(`https://${host}:${INDEXER_PORT}`);
    ({ route: this.managerRoute, url: this.externalUrl } = managerAccess(this, name, ns, args.manager));
    this.caCertificatePem = pulumi.output(args.caCertificatePem);

    // Certificates: the node's serves HTTP and transport under the Service's names; the admin's is a client's.
    const { nodeCert, adminCert } = indexerCertificates(this, name, {
      namespace: ns,
      clusterIssuer: args.clusterIssuer,
      ...(args.manager ? { nodeAddress: args.manager.indexerNodeAddress } : {}),
      ...(cluster ? { podHosts: indexerPodHosts(args.replicas, ns) } : {}),
    });

    // One random password per user, its bcrypt hash salted from the state.
    const users = Object.fromEntries(
      INDEXER_USERS.map((user) => [user.name, hashedPassword(`${name}-${user.name}`, child)]),
    ) as Record<IndexerUserName, ReturnType<typeof hashedPassword>>;
    this.passwords = Object.fromEntries(
      INDEXER_USERS.map((user) => [user.name, users[user.name].password]),
    ) as Record<IndexerUserName, pulumi.Output<string>>;

    const { security, plain } = securitySecret(this, `${name}-security`, {
      namespace: ns,
      ...(args.oidc
        ? { oidc: { ...args.oidc, caFile: `${INDEXER_PATHS.certs}/${INDEXER_CERT_FILES.rootCa}` } }
        : {}),
      hashes: Object.fromEntries(INDEXER_USERS.map((user) => [user.name, users[user.name].hash])) as Record<
        IndexerUserName,
        pulumi.Output<string>
      >,
    });
    const opensearchYml = renderOpenSearchYml({
      clusterName: CLUSTER_NAME,
      nodeDn: subjectDn(NODE_CN),
      adminDn: subjectDn(ADMIN_CN),
      ...(args.mmap === false ? { mmap: false } : {}),
      ...(cluster
        ? {
            cluster: {
              seedHosts: indexerPodHosts(args.replicas, ns),
              // node.name is the pod's name (NODE_NAME, indexerStatefulSet.ts).
              initialClusterManagers: indexerPodNames(args.replicas),
            },
          }
        : {}),
    });
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: "wazuh-indexer-config", namespace: ns, labels: { ...INDEXER_LABELS } },
        data: { "opensearch.yml": opensearchYml },
      },
      child,
    );

    // The data and the snapshot repository: claims of their own, protected, so that neither a
    // replacement of the StatefulSet nor a destroy deletes the volume.
    const claims = indexerClaims(this, name, {
      namespace: ns,
      replicas: args.replicas,
      storageClass: args.storageClass,
      dataGi: args.dataGi,
      snapshotStorageClass: args.snapshotStorageClass,
      snapshotGi: args.snapshotGi,
      snapshotShared: args.snapshotShared,
    });
    const nodes = clusterObjects(this, name, { namespace: ns, replicas: args.replicas });

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: INDEXER_SERVICE, namespace: ns, labels: { ...INDEXER_LABELS } },
        spec: {
          type: "ClusterIP",
          selector: { ...INDEXER_LABELS },
          ports: [{ name: "https", port: INDEXER_PORT, targetPort: "https", protocol: "TCP" }],
        },
      },
      child,
    );

    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      indexerStatefulSet({
        namespace: ns,
        nodeSelector: args.nodeSelector,
        configDigest: contentDigest(opensearchYml),
        memoryMib: args.memoryMib,
        heapMib: args.heapMib,
        replicas: args.replicas,
        data: { storageClass: args.storageClass, gi: args.dataGi },
      }),
      { ...child, dependsOn: [...claims, config, security, nodeCert, this.service, ...nodes] },
    );

    const plainSecurity = SECURITY_FILES.filter((file) => file !== "internal_users.yml").map(
      (file) => plain[file],
    );
    indexerAdminJob(
      this,
      name,
      "securityadmin",
      contentDigest(...plainSecurity, ...INDEXER_USERS.map((user) => user.name)),
      securityAdminScript(host, INDEXER_PORT),
      { secret: "wazuh-indexer-security" },
      ns,
      [this.statefulSet, adminCert, security],
    );
    this.policiesJob(name, args, host, [this.statefulSet, adminCert]);

    indexerNetworkPolicies(this, name, args);
    this.registerOutputs({ url: this.url });
  }

  /** The snapshot repository, the ISM and SM policies, in a ConfigMap a Job applies with the admin certificate. */
  private policiesJob(
    name: string,
    args: WazuhIndexerArgs,
    host: string,
    after: readonly pulumi.Resource[],
  ): void {
    const ns = args.namespace;
    const bodies = {
      "repository.json": JSON.stringify(snapshotRepository()),
      "ism-policy.json": JSON.stringify(ismPolicy(args.retentionDays)),
      "sm-policy.json": JSON.stringify(smPolicy(args.snapshots)),
    };
    const policies = new k8s.core.v1.ConfigMap(
      `${name}-policy-bodies`,
      {
        metadata: { name: "wazuh-indexer-policies", namespace: ns, labels: { ...INDEXER_LABELS } },
        data: bodies,
      },
      { parent: this },
    );
    indexerAdminJob(
      this,
      name,
      "policies",
      contentDigest(...Object.values(bodies)),
      policiesScript(host, INDEXER_PORT, { name: SNAPSHOT_REPOSITORY, file: "repository.json" }, [
        { path: `_plugins/_ism/policies/${ISM_POLICY_ID}`, file: "ism-policy.json", create: "PUT" },
        { path: `_plugins/_sm/policies/${SM_POLICY_NAME}`, file: "sm-policy.json", create: "POST" },
      ]),
      { configMap: "wazuh-indexer-policies" },
      ns,
      [...after, policies],
    );
  }
}
