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

/** What the offline capture writes for a secret value that equals a known default: that it matched, never the value. */
export const SECRET_KNOWN_DEFAULT = "[secret: known default]";

const KNOWN = new Set(KNOWN_DEFAULT_CREDENTIALS.map((value) => value.toLowerCase()));

/** Whether `value` is one of the known defaults (case and surrounding blanks ignored). */
export function isKnownDefaultCredential(value: unknown, known: ReadonlySet<string> = KNOWN): boolean {
  return typeof value === "string" && known.has(value.trim().toLowerCase());
}
