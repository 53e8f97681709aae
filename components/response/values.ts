/**
 * The charts' values and TheHive's and Cortex's application.conf, as pure functions of plain data (a
 * helm.v4 Chart renders nothing while a value is unknown: components/kubernetes/helmRelease.ts). Every
 * secret reaches the charts through a Secret Fortress makes (`k8sSecretName`/`existingSecret`), so no
 * value holds one and none of the charts' placeholders survives.
 *
 * Keys as the templates read them (StrangeBeeCorp/helm-charts@e8f3a11):
 * - thehive: templates/configmap-env.yaml (TH_CQL_*, TH_ELASTICSEARCH_*, TH_S3_*, TH_CORTEX_*),
 *   secrets.yaml (rendered only while one of `database`/`index`/`storage`/`thehive`/`cortex`
 *   `k8sSecretName` is empty; with all five set, the chart writes no Secret of its own),
 *   deployment.yaml (the `k8sSecretName` env, `configFile` mounted at /etc/thehive/application.conf,
 *   `volumes`/`volumeMounts`, `podSecurityContext`/`securityContext`, the two init containers).
 * - cortex: templates/configmap-env.yaml (es_uri, job_directory, kubernetes_job_pvc), secrets.yaml
 *   (written while `index.k8sSecretName` or `k8sSecretName` is empty), pvc.yaml (ReadWriteMany,
 *   `persistentVolumeClaim.storageClass`), deployment.yaml, role.yaml (the job runner), values.yaml
 *   `k8sJobs.securityContext` for the neuron Jobs.
 * The init containers (curl waiting for Cassandra and the index) are off: the chart gives them neither
 * a securityContext nor resources, which the pack refuses; TheHive waits for Cassandra itself
 * (TH_CQL_WAIT) and both retry the index.
 */
import type { PlainValues } from "../kubernetes/helmRelease";

import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { NEURON_PATHS } from "./neurons";
import {
  CASSANDRA_UID,
  CORTEX_UID,
  HEAP_MIB,
  NEURON_PARALLELISM,
  RESPONSE_PINS,
  RESPONSE_RESOURCES,
  THEHIVE_UID,
} from "./pins";

/**
 * The neuron Jobs' pod securityContext: allowed to run as root. Cortex's Kubernetes runner reads only
 * runAsUser, runAsGroup, fsGroup and runAsNonRoot from it (TheHive-Project/Cortex@4.1.0
 * K8sJobRunnerSrv.parsePodSecurityContext), and the published neuron images install their Python
 * packages under /root/.local with no USER (Cortex-Analyzers' catalog build), so they run as root by
 * their own image. No runAsUser 0 here: the chart renders each field with `{{- with }}`, which drops
 * a 0 (cortex-charts/cortex/templates/configmap-file.yaml), so only `runAsNonRoot = false` reaches
 * Cortex. The response namespace enforces Pod Security `baseline` for this (stacks/layers/platform.ts
 * BASELINE_LAYERS): no privilege, no host access, default capabilities.
 */
export const NEURON_POD_SECURITY = { runAsNonRoot: false } as const;

/**
 * The charts set `ephemeral-storage: 4Gi` in both requests and limits of TheHive and Cortex
 * (thehive-1.0.5 and cortex-1.2.0 values.yaml `resources`), and Helm merges Fortress's map into
 * theirs, so it is given here on purpose: both keep their data on volumes, not on the node's disk.
 */
const withScratch = (resources: (typeof RESPONSE_RESOURCES)[keyof typeof RESPONSE_RESOURCES]) => ({
  requests: { ...resources.requests, "ephemeral-storage": "512Mi" },
  limits: { ...resources.limits, "ephemeral-storage": "2Gi" },
});

/** The Secrets Fortress makes and the keys the charts read from them. */
export const RESPONSE_SECRETS = {
  theHive: {
    name: "thehive-secrets",
    httpSecretKey: "http-secret",
    cassandraKey: "cassandra-password",
    indexKey: "index-password",
    // Unused (attachments are on a volume), but the chart writes TH_S3_SECRET_KEY from its placeholder
    // unless a Secret is named.
    s3Key: "s3-secret-key",
    cortexKeysKey: "cortex-api-keys",
    truststorePasswordKey: "truststore-password",
    mispKeyKey: "misp-key",
  },
  cortex: {
    name: "cortex-secrets",
    httpSecretKey: "http-secret",
    indexKey: "index-password",
    truststorePasswordKey: "truststore-password",
  },
} as const;

/** Where the JKS truststore with the lab's CA (cert-manager `keystores.jks`) is mounted. */
export const TRUSTSTORE_DIR = "/etc/fortress/truststore";
export const TRUSTSTORE_FILE = `${TRUSTSTORE_DIR}/truststore.jks`;
/** TheHive's attachments (the local file storage instead of MinIO). */
export const THEHIVE_FILES_DIR = "/opt/thp/thehive/files";
export const CASSANDRA_USER = "thehive";

export interface IndexerEndpoint {
  /** The indexer's in-cluster DNS name (plain: values are rendered at preview). */
  readonly host: string;
  readonly port: number;
  readonly username: string;
}

export interface TheHiveValuesSpec {
  readonly storageClass: string;
  readonly indexer: IndexerEndpoint;
  /** The Secret cert-manager writes the truststore to (the Certificate's secretName). */
  readonly truststoreSecret: string;
  /** The PVC of TheHive's attachments (made by the component). */
  readonly filesClaim: string;
  /** Cortex as TheHive reaches it in the cluster, when the lab runs Cortex. */
  readonly cortex?: { readonly host: string; readonly port: number };
  /** MISP, when the lab runs it: its URL, the ConfigMap holding the lab CA (key ca.pem), and the purpose. */
  readonly misp?: {
    readonly url: string;
    readonly caConfigMap: string;
    readonly purpose: "ImportOnly" | "ImportAndExport";
  };
}

/** Where TheHive finds the CA of MISP's certificate. */
export const THEHIVE_MISP_CA_DIR = "/etc/fortress/misp";
export const THEHIVE_MISP_CA_FILE = `${THEHIVE_MISP_CA_DIR}/ca.pem`;

/**
 * TheHive's MISP connector (docs.strangebee.com thehive/setup/configuration/connectors-misp and
 * connectors: the module, `misp.servers` with name, url, auth {type = key, key}, purpose, wsConfig;
 * thehive/configuration/ssl: `wsConfig.ssl.trustManager.stores` with a PEM store; the server format is
 * TheHive-Project/TheHive@4.1.9 misp/connector TheHiveMispClient.scala's reads, which 5.x keeps): one
 * server, the integration key from the environment (never in the file), MISP's certificate checked
 * against the lab CA. ImportOnly unless MISP's integration user may write (a Sync user).
 */
export function theHiveMispConfig(misp: NonNullable<TheHiveValuesSpec["misp"]>): string[] {
  if (!/^https:\/\/[^\s/"]+\/?$/.test(misp.url))
    throw new Error(`MISP's URL ${misp.url} is not an https origin`);
  return [
    "scalligraph.modules += org.thp.thehive.connector.misp.MispModule",
    "misp {",
    "  interval: 1 hour",
    "  servers: [",
    "    {",
    '      name = "fortress-misp"',
    `      url = ${JSON.stringify(misp.url.replace(/\/$/, ""))}`,
    "      auth { type = key, key = ${?MISP_KEY} }",
    `      purpose = ${misp.purpose}`,
    `      wsConfig.ssl.trustManager.stores = [{ type = "PEM", path = ${JSON.stringify(THEHIVE_MISP_CA_FILE)} }]`,
    "    }",
    "  ]",
    "}",
  ];
}

const jvm = (heapMib: number) => `-Xms${heapMib}m -Xmx${heapMib}m`;

/**
 * TheHive's application.conf, included after what the entrypoint generates from TH_* (so these keys
 * win): the index on the shared indexer over https with basic auth (JanusGraph's Elasticsearch index
 * options `index.search.elasticsearch.ssl.*` and `http.auth.*`, docs.janusgraph.org
 * configs/configuration-reference; TheHive nests them under `db.janusgraph`, docs.strangebee.com
 * thehive/configuration/database), attachments on a local volume (`storage.provider = localfs`), and
 * authentication against the local database only (the free edition; no OAuth2/SAML provider).
 * Audit logs stay where TheHive keeps them by default, in Cassandra through JanusGraph
 * (docs.strangebee.com thehive/operations/configure-audit-logs-storage-elasticsearch): their
 * Elasticsearch store needs ILM, which OpenSearch does not have ("except for audit log storage").
 */
export function theHiveConfig(spec: TheHiveValuesSpec): string {
  return [
    "# Rendered by Fortress (components/response/values.ts).",
    "db.janusgraph.index.search {",
    "  backend = elasticsearch",
    `  hostname = [${JSON.stringify(spec.indexer.host)}]`,
    `  port = ${spec.indexer.port}`,
    '  index-name = "thehive"',
    "  elasticsearch {",
    "    ssl.enabled = true",
    `    ssl.truststore.location = ${JSON.stringify(TRUSTSTORE_FILE)}`,
    "    ssl.truststore.password = ${?TRUSTSTORE_PASSWORD}",
    "    http.auth.type = basic",
    `    http.auth.basic.username = ${JSON.stringify(spec.indexer.username)}`,
    "    http.auth.basic.password = ${?TH_ELASTICSEARCH_PASSWORD}",
    "  }",
    "}",
    "storage {",
    "  provider = localfs",
    `  localfs.location = ${JSON.stringify(THEHIVE_FILES_DIR)}`,
    "}",
    "auth.providers = [",
    "  { name = session }",
    "  { name = basic, realm = thehive }",
    "  { name = local }",
    "  { name = key }",
    "]",
    ...(spec.misp ? theHiveMispConfig(spec.misp) : []),
    "",
  ].join("\n");
}

function passwordEnv(name: string, secret: string, key: string): PlainValues {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

export function theHiveValues(spec: TheHiveValuesSpec): PlainValues {
  const secrets = RESPONSE_SECRETS.theHive;
  return {
    fullnameOverride: "thehive",
    thehive: {
      replicas: 1,
      // One pod at a time: the attachments volume is ReadWriteOnce and schema migrations run on start.
      // `rollingUpdate: null` deletes the chart's default, which Kubernetes refuses beside Recreate.
      strategy: { type: "Recreate", rollingUpdate: null },
      image: { ...RESPONSE_PINS.theHiveImage, pullPolicy: "IfNotPresent" },
      resources: withScratch(RESPONSE_RESOURCES.thehive),
      // The truststore's password goes through application.conf (${?TRUSTSTORE_PASSWORD}), not a -D
      // option: JVM_OPTS ends up on the java command line.
      jvmOpts: jvm(HEAP_MIB.thehive),
      database: {
        username: CASSANDRA_USER,
        k8sSecretName: secrets.name,
        k8sSecretKey: secrets.cassandraKey,
        hostnames: ["thehive-cassandra"],
        wait: true,
      },
      index: {
        username: spec.indexer.username,
        k8sSecretName: secrets.name,
        k8sSecretKey: secrets.indexKey,
        hostnames: [spec.indexer.host],
      },
      // Unused: application.conf stores attachments on a volume; the S3 env the chart always writes
      // points nowhere, its secret key is a random one (the access key id stays the chart's "minio").
      storage: {
        k8sSecretName: secrets.name,
        k8sSecretKey: secrets.s3Key,
        endpoint: "http://127.0.0.1:1",
      },
      initContainers: { checkCassandra: { enabled: false }, checkElasticsearch: { enabled: false } },
      k8sSecretName: secrets.name,
      k8sSecretKey: secrets.httpSecretKey,
      cortex: spec.cortex
        ? {
            enabled: true,
            protocol: "http",
            hostnames: [spec.cortex.host],
            port: spec.cortex.port,
            k8sSecretName: secrets.name,
            k8sSecretKey: secrets.cortexKeysKey,
          }
        : { enabled: false },
      configFile: theHiveConfig(spec),
      extraEnv: [
        passwordEnv("TRUSTSTORE_PASSWORD", secrets.name, secrets.truststorePasswordKey),
        ...(spec.misp ? [passwordEnv("MISP_KEY", secrets.name, secrets.mispKeyKey)] : []),
      ],
      serviceAccount: { create: true, automountServiceAccountToken: true },
      podSecurityContext: restrictedPodSecurity(THEHIVE_UID),
      securityContext: restrictedContainerSecurity(THEHIVE_UID),
      monitoring: { enabled: true, port: 9095 },
      ingress: { enabled: false },
      volumes: [
        {
          name: "truststore",
          secret: {
            secretName: spec.truststoreSecret,
            items: [{ key: "truststore.jks", path: "truststore.jks" }],
          },
        },
        { name: "files", persistentVolumeClaim: { claimName: spec.filesClaim } },
        ...(spec.misp ? [{ name: "misp-ca", configMap: { name: spec.misp.caConfigMap } }] : []),
      ],
      volumeMounts: [
        { name: "truststore", mountPath: TRUSTSTORE_DIR, readOnly: true },
        { name: "files", mountPath: THEHIVE_FILES_DIR },
        ...(spec.misp ? [{ name: "misp-ca", mountPath: THEHIVE_MISP_CA_DIR, readOnly: true }] : []),
      ],
    },
    cassandra: cassandraValues(spec.storageClass),
    elasticsearch: { enabled: false },
    minio: { enabled: false },
  };
}

/**
 * The chart's Cassandra subchart (bitnami cassandra 12.3.11), kept because TheHive needs Cassandra and
 * the chart wires it: one node, password from Fortress's Secret (`dbUser.existingSecret`, key
 * `cassandra-password`, as thehive values.yaml documents), PasswordAuthenticator (the parent chart's
 * `extraEnvVars`), non-root. The security-context and resource keys follow Bitnami's chart convention;
 * the 12.3.11 templates could not be read here (an OCI chart), see components/response/README.md.
 */
function cassandraValues(storageClass: string): PlainValues {
  return {
    enabled: true,
    fullnameOverride: "thehive-cassandra",
    image: RESPONSE_PINS.cassandraImage,
    dbUser: {
      user: CASSANDRA_USER,
      existingSecret: RESPONSE_SECRETS.theHive.name,
      forcePassword: true,
    },
    cluster: { name: "TheHive", datacenter: "DC1-TheHive", rack: "Rack1-TheHive" },
    replicaCount: 1,
    resources: RESPONSE_RESOURCES.cassandra,
    jvm: {
      extraOpts: jvm(HEAP_MIB.cassandra),
      maxHeapSize: `${HEAP_MIB.cassandra}m`,
      newHeapSize: "200m",
    },
    podSecurityContext: { enabled: true, ...restrictedPodSecurity(CASSANDRA_UID) },
    containerSecurityContext: { enabled: true, ...restrictedContainerSecurity(CASSANDRA_UID) },
    volumePermissions: { enabled: false },
    dynamicSeedDiscovery: { enabled: false },
    metrics: { enabled: false },
    networkPolicy: { enabled: false },
    persistence: { enabled: true, storageClass, size: "10Gi" },
  };
}

/** The claim the Cortex chart mounts and hands its neuron Jobs when it makes none itself. */
export const CORTEX_JOBS_CLAIM = "cortex-shared-fs-claim";

export interface CortexValuesSpec {
  readonly indexer: IndexerEndpoint;
  readonly truststoreSecret: string;
  /** Images of analyzers and responders: the registry prefix Cortex pulls them through, if any. */
  readonly neuronRegistryPrefix?: string;
  /** The ConfigMap holding Fortress's catalogs (analyzers.json, responders.json: neurons.ts). */
  readonly catalogConfigMap: string;
  /** The containment responder: the Secrets with its program and with its configuration. */
  readonly responder?: { readonly programSecret: string; readonly containSecret: string };
}

/**
 * Cortex's application.conf (the chart's default with Fortress's changes): the index on the shared
 * indexer by URI over https, its user and password, the truststore (docs.strangebee.com
 * cortex/installation-and-configuration/database: `search.uri`, `user`, `password`, `trustStore {path,
 * type, password}`), the catalogs Fortress mounts instead of StrangeBee's floating one (neurons.ts),
 * and the neuron pools capped to fit the catalog's budget.
 *
 * The truststore is named as `keyStore` too: Cortex 4.1.0 builds its TLS context only when
 * `search.keyStore.path` is set and reads `trustStore` inside that block
 * (elastic4play/app/org/elastic4play/database/DBConfiguration.scala), so a trustStore alone leaves the
 * JVM's own CAs and the lab's CA untrusted. A store of trusted certificates alone gives no client key.
 *
 * `auth.method.basic = true`: the accounts Jobs speak to Cortex's API as its superadmin with a user
 * and password (cortex-accounts.py), which Cortex refuses by default (reference.conf
 * `auth.method.basic = false`); the passwords are generated (32 characters) and the API is reached
 * only in the cluster and through the ingress's TLS.
 */
export function cortexConfig(spec: CortexValuesSpec): string {
  // Cortex 4.1.0's neuron pools are thread-pool executors of 20 threads (reference.conf `analyzer` and
  // `responder`: type Dispatcher, executor "thread-pool-executor", fixed-pool-size 20): a
  // fork-join-executor section there is never read, so the cap is the fixed pool size.
  const pool = (kind: "analyzer" | "responder", catalog: string, max: number) => [
    `${kind} {`,
    `  urls = [${JSON.stringify(catalog)}]`,
    `  thread-pool-executor { fixed-pool-size = ${max} }`,
    "}",
  ];
  return [
    "# Rendered by Fortress (components/response/values.ts).",
    ...pool("analyzer", NEURON_PATHS.analyzers, NEURON_PARALLELISM.analyzers),
    ...pool("responder", NEURON_PATHS.responders, NEURON_PARALLELISM.responders),
    "search {",
    '  index = "cortex"',
    `  uri = "https://${spec.indexer.host}:${spec.indexer.port}"`,
    `  user = ${JSON.stringify(spec.indexer.username)}`,
    "  password = ${?CORTEX_ELASTICSEARCH_PASSWORD}",
    "  keyStore {",
    `    path = ${JSON.stringify(TRUSTSTORE_FILE)}`,
    '    type = "JKS"',
    "    password = ${?TRUSTSTORE_PASSWORD}",
    "  }",
    "  trustStore {",
    `    path = ${JSON.stringify(TRUSTSTORE_FILE)}`,
    '    type = "JKS"',
    "    password = ${?TRUSTSTORE_PASSWORD}",
    "  }",
    "}",
    "auth.method.basic = true",
    "play.http.parser.maxDiskBuffer = 100MB",
    "play.http.parser.maxMemoryBuffer = 100MB",
    "",
  ].join("\n");
}

export function cortexValues(spec: CortexValuesSpec): PlainValues {
  const secrets = RESPONSE_SECRETS.cortex;
  return {
    fullnameOverride: "cortex",
    cortex: {
      replicas: 1,
      image: { ...RESPONSE_PINS.cortexImage, pullPolicy: "IfNotPresent" },
      resources: withScratch(RESPONSE_RESOURCES.cortex),
      jvmOpts: jvm(HEAP_MIB.cortex),
      index: {
        username: spec.indexer.username,
        k8sSecretName: secrets.name,
        k8sSecretKey: secrets.indexKey,
        uri: `https://${spec.indexer.host}:${spec.indexer.port}`,
      },
      k8sSecretName: secrets.name,
      k8sSecretKey: secrets.httpSecretKey,
      // The neurons' shared job directory ("ReadWriteMany accessMode is MANDATORY", cortex README) is
      // Fortress's own protected claim under the chart's default name (`<fullname>-shared-fs-claim`,
      // _helpers.tpl): a `name` here would reach Cortex quoted twice (configmap-env.yaml quotes what the
      // helper already quoted: kubernetes_job_pvc: "\"name\"", seen with helm template 4.1.4).
      persistentVolumeClaim: { create: false },
      k8sJobs: {
        labels: { "app.kubernetes.io/part-of": "cortex", "fortress.io/neuron": "true" },
        securityContext: NEURON_POD_SECURITY,
      },
      ...(spec.neuronRegistryPrefix ? { dockerImageRegistryPrefix: spec.neuronRegistryPrefix } : {}),
      configFile: cortexConfig(spec),
      extraEnv: [passwordEnv("TRUSTSTORE_PASSWORD", secrets.name, secrets.truststorePasswordKey)],
      initContainers: { checkElasticsearch: { enabled: false } },
      serviceAccount: { create: true, automountServiceAccountToken: true },
      podSecurityContext: restrictedPodSecurity(CORTEX_UID),
      securityContext: restrictedContainerSecurity(CORTEX_UID),
      ingress: { enabled: false },
      volumes: [
        {
          name: "truststore",
          secret: {
            secretName: spec.truststoreSecret,
            items: [{ key: "truststore.jks", path: "truststore.jks" }],
          },
        },
        { name: "neuron-catalog", configMap: { name: spec.catalogConfigMap } },
        ...(spec.responder
          ? [
              { name: "responder", secret: { secretName: spec.responder.programSecret, defaultMode: 0o555 } },
              { name: "contain", secret: { secretName: spec.responder.containSecret, defaultMode: 0o440 } },
            ]
          : []),
      ],
      volumeMounts: [
        { name: "truststore", mountPath: TRUSTSTORE_DIR, readOnly: true },
        { name: "neuron-catalog", mountPath: NEURON_PATHS.catalogDir, readOnly: true },
        ...(spec.responder
          ? [
              { name: "responder", mountPath: NEURON_PATHS.responderDir, readOnly: true },
              { name: "contain", mountPath: NEURON_PATHS.containDir, readOnly: true },
            ]
          : []),
      ],
    },
    elasticsearch: { enabled: false },
  };
}
