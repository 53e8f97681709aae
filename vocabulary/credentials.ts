/**
 * Credentials products ship with, none of which may survive a deployment. Shared by the offline plan's
 * capture, which checks a secret value against them before it redacts it, and by the pack's
 * `secrets-from-random-or-config`, which checks plain values. Each with where it is recorded
 * (shared/DESIGN.md, shared/research/next-layers.md and services.md, by section) or its vendor source.
 */
export const KNOWN_DEFAULT_CREDENTIALS = [
  // Wazuh's manifests: indexer admin/SecretPassword, dashboard kibanaserver/kibanaserver, API
  // wazuh-wui/MyS3cr37P450r.*-, authd "password" (DESIGN.md §4; next-layers.md §1 "Default credentials
  // in the manifests").
  "SecretPassword",
  "kibanaserver",
  "MyS3cr37P450r.*-",
  "admin",
  "password",
  "changeme",
  "wazuh",
  "secret",
  // The Wazuh dashboard's API user when API_PASSWORD is unset (wazuh/wazuh-docker@v4.14.6
  // build-docker-images/wazuh-dashboard/config/wazuh_app_config.sh: `api_password="${API_PASSWORD:-wazuh-wui}"`).
  "wazuh-wui",
  // OpenSearch's demo users, each its own password (DESIGN.md §4; next-layers.md §1: internal_users.yml
  // ships admin, kibanaserver, kibanaro, logstash, readall, snapshotrestore).
  "kibanaro",
  "logstash",
  "readall",
  "snapshotrestore",
  // The Wazuh API's shipped users wazuh/wazuh and wazuh-wui/wazuh-wui (wazuh/wazuh@v4.14.6
  // framework/wazuh/rbac/default/users.yaml); "wazuh" is listed above.
  "wazuh-wui",
  // Wazuh's cluster key (next-layers.md §1 "Default credentials in the manifests").
  "123a45bc67def891gh23i45jk67l8mn9",
  // TheHive chart defaults: httpSecret, Cassandra's and MinIO's passwords (next-layers.md §6 "Charts";
  // services.md §1.3 "Auth/secrets").
  "ChangeThisSecretWithOneContainingAtLeast32Chars",
  "ChangeThisPasswordForCassandra",
  "ChangeThisPasswordForMinIO",
  // MISP's compose: REDIS_PASSWORD redispassword, MYSQL_PASSWORD example (next-layers.md §7; services.md
  // §1.5 "Dependencies" and its env list).
  "redispassword",
  "example",
  // The response layer's products (RESPONSE_DEFAULT_CREDENTIALS below, each with its vendor file).
  "C0rt3xOpenS3arch#2025",
  "miniominio",
  "passphrase",
  "supervisor",
  // MinIO's root credentials when none are set (minio/minio internal/auth/credentials.go
  // DefaultAccessKey/DefaultSecretKey).
  "minioadmin",
  // kube-prometheus-stack's Grafana admin password in the chart's values.yaml of earlier releases
  // (prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml, grafana.adminPassword);
  // services.md §1.6 finds it commented out in 88.5.3, but copied values files still carry it.
  "prom-operator",
  // The JDK's cacerts keystore password (keytool's documented default); kept without a vendor source line.
  "changeit",
  // The placeholders every quick start uses.
  "P@ssw0rd",
  "Passw0rd",
  "password123",
  "admin123",
  "123456",
] as const;

/**
 * The bcrypt hashes of the demo users products ship in internal_users.yml: a file that carries one
 * keeps that user's shipped password, whatever else it changes. Matched inside any text (a rendered
 * file), exactly (bcrypt's alphabet is case-sensitive).
 * - wazuh/wazuh-kubernetes@v4.14.6 wazuh/indexer_stack/wazuh-indexer/indexer_conf/internal_users.yml:
 *   admin, kibanaserver, kibanaro, logstash, readall, snapshotrestore;
 * - wazuh/wazuh-docker@v4.14.6 build-docker-images/wazuh-indexer/config/internal_users.yml (baked into
 *   the wazuh-indexer image): admin, wazuh_admin, wazuh_user, and the same four demo users;
 * - opensearch-project/security@2.19.5.0 config/internal_users.yml: admin (as the image's), anomalyadmin,
 *   and the same demo users.
 */
export const KNOWN_DEFAULT_HASHES = [
  "$2y$12$K/SpwjtB.wOHJ/Nc6GVRDuc1h0rM1DfvziFRNPtk27P.c4yDr9njO",
  "$2a$12$VcCDgh2NDk07JGN0rjGbM.Ad41qVR/YFJcgHp0UGns5JDymv..TOG",
  "$2a$12$4AcgAt3xwOWadA5s5blL6ev39OXDNhmOesEoo33eZtrq2N0YrU3H.",
  "$2a$12$JJSXNfTowz7Uu5ttXfeYpeYE0arACvcwlPBStB1F.MI7f0U9Z4DGC",
  "$2a$12$u1ShR4l4uBS3Uv59Pa2y5.1uQuZBrZtmNfqB3iM/.jL0XoV9sghS2",
  "$2a$12$ae4ycwzwvLtZxwZ82RmiEunBbIPiAmGZduBAjKN0TXdwQFtCwARz2",
  "$2y$12$DpwmetHKwgYnorbgdvORCenv4NAK8cPUg8AI6pxLCuWf/ALc0.v7W",
  "$2y$12$d2awHiOYvZjI88VfsDON.u6buoBol0gYPJEgdG1ArKVE0OMxViFfu",
  "$2y$12$BQixeoQdRubZdVf/7sq1suHwiVRnSst1.lPI2M0.GPZms4bq2D9vO",
  "$2y$12$TRwAAJgnNo67w3rVUz4FIeLx9Dy/llB79zf9I15CKJ9vkM4ZzAd3.",
] as const;

/** Whether `text` carries a shipped demo user's hash anywhere in it. */
export function containsKnownDefaultHash(text: unknown): boolean {
  return (
    typeof text === "string" &&
    text.includes("$2") &&
    KNOWN_DEFAULT_HASHES.some((hash) => text.includes(hash))
  );
}

/** What the offline capture writes for a secret value that equals a known default: that it matched, never the value. */
export const SECRET_KNOWN_DEFAULT = "[secret: known default]";

const KNOWN = new Set(KNOWN_DEFAULT_CREDENTIALS.map((value) => value.toLowerCase()));

/** Whether `value` is one of the known defaults (case and surrounding blanks ignored). */
export function isKnownDefaultCredential(value: unknown, known: ReadonlySet<string> = KNOWN): boolean {
  return typeof value === "string" && known.has(value.trim().toLowerCase());
}

/** A product's shipped credential: which setting carries it, the value, and the vendor file that ships it. */
export interface ShippedCredential {
  readonly product: "TheHive" | "Cortex" | "MISP" | "MariaDB" | "Valkey" | "Cassandra" | "MinIO";
  /** The chart value, environment variable or login that carries it. */
  readonly setting: string;
  readonly value: string;
  readonly source: string;
  /** Odd enough to be the vendor's wherever it appears (not a word a script or a comment uses). */
  readonly anywhere?: true;
}

const HELM_THEHIVE = "StrangeBeeCorp/helm-charts@thehive-1.0.5:thehive-charts/thehive/values.yaml";
const HELM_CORTEX = "StrangeBeeCorp/helm-charts@cortex-1.2.0:cortex-charts/cortex/values.yaml";
const MISP_DOCKER = "MISP/misp-docker@6d915d5";

/**
 * Every shipped credential of the response layer's products (TheHive, Cortex, MISP and the MariaDB,
 * Valkey, Cassandra and MinIO they run on), read from the vendors' own files. The pack's
 * `response-no-default-credential` refuses each of them anywhere in the plan.
 */
export const RESPONSE_DEFAULT_CREDENTIALS: readonly ShippedCredential[] = [
  {
    product: "TheHive",
    setting: "thehive.httpSecret",
    value: "ChangeThisSecretWithOneContainingAtLeast32Chars",
    source: `${HELM_THEHIVE} line 147`,
    anywhere: true,
  },
  {
    product: "TheHive",
    setting: "thehive.database.password",
    value: "ChangeThisPasswordForCassandra",
    source: `${HELM_THEHIVE} line 83`,
    anywhere: true,
  },
  {
    product: "TheHive",
    setting: "thehive.storage.secretKey",
    value: "ChangeThisPasswordForMinIO",
    source: `${HELM_THEHIVE} line 111`,
    anywhere: true,
  },
  {
    product: "Cassandra",
    setting: "cassandra.dbUser.password",
    value: "ChangeThisPasswordForCassandra",
    source: `${HELM_THEHIVE} line 339`,
    anywhere: true,
  },
  {
    product: "MinIO",
    setting: "minio.rootPassword",
    value: "ChangeThisPasswordForMinIO",
    source: `${HELM_THEHIVE} line 564`,
    anywhere: true,
  },
  {
    product: "MinIO",
    setting: "storage.secretKey (standalone scenario)",
    value: "miniominio",
    source:
      "StrangeBeeCorp/helm-charts@thehive-1.0.5:thehive-charts/thehive/scenarios/standalone/values.yaml line 11",
    anywhere: true,
  },
  {
    product: "TheHive",
    setting: "the administrator admin@thehive.local",
    value: "secret",
    source:
      "TheHive-Project/TheHive@b6649bb (4.1.24) thehive/app/org/thp/thehive/models/User.scala line 35 `initPassword`, kept by TheHive 5 (docs.strangebee.com: first login admin@thehive.local / secret); components/response/accounts.ts replaces it",
  },
  {
    product: "Cortex",
    setting: "cortex.httpSecret",
    value: "ChangeThisSecretWithOneContainingAtLeast32Chars",
    source: `${HELM_CORTEX} line 95`,
    anywhere: true,
  },
  {
    product: "Cortex",
    setting: "cortex.index.password (standalone-opensearch scenario)",
    value: "C0rt3xOpenS3arch#2025",
    source:
      "StrangeBeeCorp/helm-charts@cortex-1.2.0:cortex-charts/cortex/scenarios/standalone-opensearch/values.yaml line 14",
    anywhere: true,
  },
  {
    product: "MISP",
    setting: "ADMIN_PASSWORD (admin@admin.test)",
    value: "admin",
    source: `${MISP_DOCKER}:template.env lines 47, 55 ("defaults to MISP's default (admin)"); core/files/entrypoint.sh line 48`,
  },
  {
    product: "MISP",
    setting: "GPG_PASSPHRASE",
    value: "passphrase",
    source: `${MISP_DOCKER}:core/files/entrypoint.sh line 51 (configure_misp.sh configure_gnupg)`,
  },
  {
    product: "MISP",
    setting: "SUPERVISOR_PASSWORD",
    value: "supervisor",
    source: `${MISP_DOCKER}:core/files/entrypoint.sh line 108 (supervisord's inet_http_server on 127.0.0.1:9001, conf.d/10-supervisor.conf)`,
  },
  {
    product: "MariaDB",
    setting: "MYSQL_PASSWORD",
    value: "example",
    source: `${MISP_DOCKER}:docker-compose.yml line 65; core/files/entrypoint.sh line 13`,
  },
  {
    product: "MariaDB",
    setting: "MYSQL_ROOT_PASSWORD",
    value: "password",
    source: `${MISP_DOCKER}:docker-compose.yml line 66`,
  },
  {
    product: "Valkey",
    setting: "REDIS_PASSWORD",
    value: "redispassword",
    source: `${MISP_DOCKER}:docker-compose.yml lines 34, 39; core/files/entrypoint.sh line 33`,
    anywhere: true,
  },
];

/**
 * misp-core's and its containers' environment variables that fall back to a shipped value when unset
 * (misp-docker core/files/entrypoint.sh `${VAR:-default}`, docker-compose.yml), with that value: each
 * must be set, from `random`, in what Fortress writes.
 */
export const MISP_DEFAULTED_VARIABLES: Readonly<Record<string, string>> = {
  ADMIN_PASSWORD: "admin",
  GPG_PASSPHRASE: "passphrase",
  SUPERVISOR_PASSWORD: "supervisor",
  MYSQL_PASSWORD: "example",
  MYSQL_ROOT_PASSWORD: "password",
  REDIS_PASSWORD: "redispassword",
};
