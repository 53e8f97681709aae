/**
 * The Wazuh indexer: one OpenSearch node in a StatefulSet on the indexer pool, non-root with no init
 * containers (vm.max_map_count comes from the indexer VM), its data and snapshot repository on
 * protected claims, its security configuration rendered here with a bcrypt-hashed random password per
 * user, certificates from the internal CA, and two admin Jobs (securityadmin, policies) that use the
 * admin certificate. Facts from wazuh/wazuh-kubernetes@v4.14.6 wazuh/indexer_stack/wazuh-indexer/.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { tlsSecretName } from "../kubernetes/certificate";
import { kubeDnsEgress, NAMESPACE_NAME_LABEL } from "../kubernetes/networkPolicy";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { siemCertificate, subjectDn } from "./certificates";
import { JOB_PATHS, policiesScript, securityAdminScript } from "./jobScripts";
import { INDEXER_ADMIN_LABELS, INDEXER_LABELS, INDEXER_PORT, INDEXER_SERVICE, serviceNames } from "./labels";
import { hashedPassword } from "./passwordHash";
import { INDEXER_CERT_FILES, INDEXER_PATHS, renderOpenSearchYml } from "./opensearchYml";
import {
  INDEXER_HEAP_MIB,
  INDEXER_MEMORY_MIB,
  indexerJavaOpts,
  SIEM_IMAGES,
  SIEM_RESOURCES,
  WAZUH_UID,
} from "./pins";
import {
  ISM_POLICY_ID,
  ismPolicy,
  SM_POLICY_NAME,
  smPolicy,
  type SnapshotSchedule,
  SNAPSHOT_REPOSITORY,
  snapshotRepository,
} from "./retention";
import {
  INDEXER_USERS,
  type IndexerUserName,
  type OidcSpec,
  renderSecurityConfig,
  SECURITY_FILES,
} from "./securityConfig";

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
  /** The node label that puts the pod on the indexer pool. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Keycloak, for people signing in through the dashboard; omitted, basic authentication only. */
  readonly oidc?: Omit<OidcSpec, "caFile">;
  /** Where Keycloak is reached from the pods (its namespace and the ingress controller's). */
  readonly keycloakNamespaces: readonly string[];
  /**
   * The manager VM (its Filebeat is the only client outside the cluster): its planned address, and
   * the indexer node's, where a LoadBalancer Service open to that one address serves 9200. Omitted
   * until the manager is built: then nothing outside the cluster reaches the indexer.
   */
  readonly manager?: { readonly address: string; readonly indexerNodeAddress: string };
  /** Namespaces of the indexer's later consumers (TheHive, Cortex, Vector) that may reach 9200. */
  readonly consumerNamespaces: readonly string[];
  /** The dashboard's pods, which reach 9200. */
  readonly dashboardLabels: Readonly<Record<string, string>>;
  readonly retentionDays: number;
  readonly snapshots: SnapshotSchedule;
}

const CLUSTER_NAME = "fortress-wazuh";
const ADMIN_CN = "wazuh-indexer-admin";
const NODE_CN = "wazuh-indexer";

/** A short digest that names a Job after what it applies: new content, new Job, which runs once. */
export const contentDigest = (...parts: readonly string[]) =>
  createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 10);

export class WazuhIndexer extends pulumi.ComponentResource {
  /** https URL of the REST API inside the cluster. */
  readonly url: pulumi.Output<string>;
  /** https URL the manager VM reaches it on (the indexer node's address); undefined without a manager. */
  readonly externalUrl: pulumi.Output<string> | undefined;
  readonly caCertificatePem: pulumi.Output<string>;
  /** Each user's random password (secret). */
  readonly passwords: Readonly<Record<IndexerUserName, pulumi.Output<string>>>;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly service: k8s.core.v1.Service;

  constructor(name: string, args: WazuhIndexerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WAZUH_INDEXER_TYPE, name, { namespace: args.namespace, retentionDays: args.retentionDays }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    const host = `${INDEXER_SERVICE}.${ns}.svc`;
    this.url = pulumi.output(`https://${host}:${INDEXER_PORT}`);
    this.externalUrl = args.manager
      ? pulumi.output(`https://${args.manager.indexerNodeAddress}:${INDEXER_PORT}`)
      : undefined;
    this.caCertificatePem = pulumi.output(args.caCertificatePem);

    // Certificates: the node's serves HTTP and transport under the Service's names; the admin's is a client's.
    const nodeCert = siemCertificate(
      `${name}-node-certificate`,
      {
        id: NODE_CN,
        namespace: ns,
        commonName: NODE_CN,
        dnsNames: serviceNames(INDEXER_SERVICE, ns),
        ...(args.manager ? { ipAddresses: [args.manager.indexerNodeAddress] } : {}),
        usages: ["server auth", "client auth"],
        clusterIssuer: args.clusterIssuer,
      },
      child,
    );
    const adminCert = siemCertificate(
      `${name}-admin-certificate`,
      {
        id: ADMIN_CN,
        namespace: ns,
        commonName: ADMIN_CN,
        dnsNames: [],
        usages: ["client auth"],
        clusterIssuer: args.clusterIssuer,
      },
      child,
    );

    // One random password per user, its bcrypt hash salted from the state.
    const users = Object.fromEntries(
      INDEXER_USERS.map((user) => [user.name, hashedPassword(`${name}-${user.name}`, child)]),
    ) as Record<IndexerUserName, ReturnType<typeof hashedPassword>>;
    this.passwords = Object.fromEntries(
      INDEXER_USERS.map((user) => [user.name, users[user.name].password]),
    ) as Record<IndexerUserName, pulumi.Output<string>>;

    const oidc = args.oidc
      ? { ...args.oidc, caFile: `${INDEXER_PATHS.certs}/${INDEXER_CERT_FILES.rootCa}` }
      : undefined;
    // Checked now with stand-in hashes, so a bad issuer fails the plan rather than the apply.
    const standIn = "$2a$12$" + "a".repeat(53);
    const plain = renderSecurityConfig({
      ...(oidc ? { oidc } : {}),
      hashes: Object.fromEntries(INDEXER_USERS.map((user) => [user.name, standIn])) as Record<
        IndexerUserName,
        string
      >,
    });
    const hashes = pulumi.all(
      Object.fromEntries(INDEXER_USERS.map((user) => [user.name, users[user.name].hash])),
    ) as pulumi.Output<Record<IndexerUserName, string | undefined>>;
    const securityFiles = pulumi.secret(
      hashes.apply((resolved) =>
        INDEXER_USERS.some((user) => resolved[user.name] === undefined)
          ? plain // under mocks only: no random values there
          : renderSecurityConfig({
              ...(oidc ? { oidc } : {}),
              hashes: resolved as Record<IndexerUserName, string>,
            }),
      ),
    );
    // A Secret, not a ConfigMap: internal_users.yml holds the hashes.
    const security = new k8s.core.v1.Secret(
      `${name}-security`,
      {
        metadata: { name: "wazuh-indexer-security", namespace: ns, labels: { ...INDEXER_LABELS } },
        type: "Opaque",
        stringData: securityFiles,
      },
      child,
    );
    const opensearchYml = renderOpenSearchYml({
      clusterName: CLUSTER_NAME,
      nodeDn: subjectDn(NODE_CN),
      adminDn: subjectDn(ADMIN_CN),
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
    const data = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-data`,
      {
        metadata: {
          name: "wazuh-indexer-data",
          namespace: ns,
          labels: { ...INDEXER_LABELS },
          annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.storageClass,
          resources: { requests: { storage: `${args.dataGi}Gi` } },
        },
      },
      { ...child, protect: true },
    );
    const snapshots = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-snapshots`,
      {
        metadata: {
          name: "wazuh-indexer-snapshots",
          namespace: ns,
          labels: { ...INDEXER_LABELS },
          annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.snapshotStorageClass,
          resources: { requests: { storage: `${args.snapshotGi}Gi` } },
        },
      },
      { ...child, protect: true },
    );

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

    if (args.manager)
      // k3s's ServiceLB answers on the nodes' addresses; Local keeps the client's address, which
      // the source range and the NetworkPolicy's ipBlock then check.
      new k8s.core.v1.Service(
        `${name}-manager-service`,
        {
          metadata: { name: `${INDEXER_SERVICE}-manager`, namespace: ns, labels: { ...INDEXER_LABELS } },
          spec: {
            type: "LoadBalancer",
            externalTrafficPolicy: "Local",
            loadBalancerSourceRanges: [`${args.manager.address}/32`],
            selector: { ...INDEXER_LABELS },
            ports: [{ name: "https", port: INDEXER_PORT, targetPort: "https", protocol: "TCP" }],
          },
        },
        child,
      );

    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: INDEXER_SERVICE, namespace: ns, labels: { ...INDEXER_LABELS } },
        spec: {
          serviceName: INDEXER_SERVICE,
          replicas: 1,
          selector: { matchLabels: { ...INDEXER_LABELS } },
          template: {
            metadata: {
              labels: { ...INDEXER_LABELS },
              // A new opensearch.yml restarts the node (the security files go through securityadmin).
              annotations: { "fortress.io/config-digest": contentDigest(opensearchYml) },
            },
            spec: {
              automountServiceAccountToken: false,
              nodeSelector: { ...args.nodeSelector },
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
      },
      { ...child, dependsOn: [data, snapshots, config, security, nodeCert, this.service] },
    );

    const plainSecurity = SECURITY_FILES.filter((file) => file !== "internal_users.yml").map(
      (file) => plain[file],
    );
    this.adminJob(
      name,
      "securityadmin",
      contentDigest(...plainSecurity, ...INDEXER_USERS.map((user) => user.name)),
      securityAdminScript(host, INDEXER_PORT),
      { secret: "wazuh-indexer-security" },
      ns,
      [this.statefulSet, adminCert, security],
    );
    const bodies = {
      "repository.json": JSON.stringify(snapshotRepository()),
      "ism-policy.json": JSON.stringify(ismPolicy(args.retentionDays)),
      "sm-policy.json": JSON.stringify(smPolicy(args.snapshots)),
    };
    const policies = new k8s.core.v1.ConfigMap(
      `${name}-policies`,
      {
        metadata: { name: "wazuh-indexer-policies", namespace: ns, labels: { ...INDEXER_LABELS } },
        data: bodies,
      },
      child,
    );
    this.adminJob(
      name,
      "policies",
      contentDigest(...Object.values(bodies)),
      policiesScript(host, INDEXER_PORT, { name: SNAPSHOT_REPOSITORY, file: "repository.json" }, [
        { path: `_plugins/_ism/policies/${ISM_POLICY_ID}`, file: "ism-policy.json", create: "PUT" },
        { path: `_plugins/_sm/policies/${SM_POLICY_NAME}`, file: "sm-policy.json", create: "POST" },
      ]),
      { configMap: "wazuh-indexer-policies" },
      ns,
      [this.statefulSet, adminCert, policies],
    );

    this.networkPolicies(name, args);
    this.registerOutputs({ url: this.url });
  }

  /**
   * A Job with the admin certificate, named after what it applies: a change is a new Job that runs
   * once; the same content is the same Job, which does not run again.
   */
  private adminJob(
    name: string,
    job: string,
    digest: string,
    script: string,
    input: { readonly secret: string } | { readonly configMap: string },
    ns: string,
    dependsOn: pulumi.Resource[],
  ): k8s.batch.v1.Job {
    const child = { parent: this };
    const scriptMap = new k8s.core.v1.ConfigMap(
      `${name}-${job}-script`,
      {
        metadata: {
          name: `wazuh-indexer-${job}-script-${digest}`,
          namespace: ns,
          labels: { ...INDEXER_ADMIN_LABELS },
        },
        data: { "run.sh": script },
      },
      child,
    );
    return new k8s.batch.v1.Job(
      `${name}-${job}`,
      {
        metadata: {
          name: `wazuh-indexer-${job}-${digest}`,
          namespace: ns,
          labels: { ...INDEXER_ADMIN_LABELS },
        },
        spec: {
          backoffLimit: 6,
          template: {
            metadata: { labels: { ...INDEXER_ADMIN_LABELS } },
            spec: {
              restartPolicy: "OnFailure",
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurity(WAZUH_UID),
              containers: [
                {
                  name: job,
                  image: SIEM_IMAGES.indexer,
                  imagePullPolicy: "IfNotPresent",
                  command: ["/bin/bash", "/script/run.sh"],
                  resources: SIEM_RESOURCES.job,
                  securityContext: restrictedContainerSecurity(WAZUH_UID),
                  volumeMounts: [
                    { name: "script", mountPath: "/script", readOnly: true },
                    { name: "certs", mountPath: JOB_PATHS.certs, readOnly: true },
                    { name: "input", mountPath: JOB_PATHS.input, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                {
                  name: "script",
                  configMap: { name: `wazuh-indexer-${job}-script-${digest}`, defaultMode: 0o500 },
                },
                {
                  name: "certs",
                  projected: {
                    defaultMode: 0o400,
                    sources: [
                      {
                        secret: {
                          name: tlsSecretName(ADMIN_CN),
                          items: [
                            { key: "tls.crt", path: INDEXER_CERT_FILES.admin },
                            { key: "tls.key", path: INDEXER_CERT_FILES.adminKey },
                            { key: "ca.crt", path: INDEXER_CERT_FILES.rootCa },
                          ],
                        },
                      },
                    ],
                  },
                },
                "secret" in input
                  ? { name: "input", secret: { secretName: input.secret, defaultMode: 0o400 } }
                  : { name: "input", configMap: { name: input.configMap, defaultMode: 0o400 } },
                { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
              ],
            },
          },
        },
      },
      { ...child, dependsOn: [...dependsOn, scriptMap] },
    );
  }

  /** Who reaches 9200 (the manager VM, the dashboard, the admin Jobs, the named consumers), and what the indexer reaches. */
  private networkPolicies(name: string, args: WazuhIndexerArgs): void {
    const child = { parent: this };
    const ns = args.namespace;
    const port = [{ protocol: "TCP", port: INDEXER_PORT }];
    const namespaces = (names: readonly string[]) =>
      names.map((namespace) => ({
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
      }));
    new k8s.networking.v1.NetworkPolicy(
      `${name}-ingress`,
      {
        metadata: { name: "wazuh-indexer-clients", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...INDEXER_LABELS } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                ...(args.manager ? [{ ipBlock: { cidr: `${args.manager.address}/32` } }] : []),
                { podSelector: { matchLabels: { ...args.dashboardLabels } } },
                { podSelector: { matchLabels: { ...INDEXER_ADMIN_LABELS } } },
                ...namespaces(args.consumerNamespaces),
              ],
              ports: port,
            },
          ],
        },
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-admin-egress`,
      {
        metadata: { name: "wazuh-indexer-admin-egress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...INDEXER_ADMIN_LABELS } },
          policyTypes: ["Egress"],
          egress: [
            { to: [{ podSelector: { matchLabels: { ...INDEXER_LABELS } } }], ports: port },
            kubeDnsEgress(),
          ],
        },
      },
      child,
    );
    if (args.oidc)
      new k8s.networking.v1.NetworkPolicy(
        `${name}-keycloak-egress`,
        {
          metadata: { name: "wazuh-indexer-to-keycloak", namespace: ns },
          spec: {
            podSelector: { matchLabels: { ...INDEXER_LABELS } },
            policyTypes: ["Egress"],
            // OpenID discovery and the JWKS, at Keycloak's public name (the ingress) or its Service.
            egress: [
              {
                to: namespaces(args.keycloakNamespaces),
                ports: [
                  { protocol: "TCP", port: 443 },
                  { protocol: "TCP", port: 8443 },
                ],
              },
            ],
          },
        },
        child,
      );
  }
}
