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
