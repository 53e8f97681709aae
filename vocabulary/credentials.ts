/**
 * Credentials products ship with, none of which may survive a deployment: shared/DESIGN.md §4 (Wazuh's
 * SecretPassword and wazuh-wui's MyS3cr37P450r.*-, OpenSearch's demo users admin, kibanaserver, kibanaro,
 * readall and snapshotrestore, each its own password), MinIO's minioadmin, kube-prometheus-stack's
 * Grafana prom-operator, Java keystores' changeit, and the placeholders every quick start uses. Shared by the offline plan's capture, which checks a secret value against them
 * before it redacts it, and by the pack's `secrets-from-random-or-config`, which checks plain values.
 */
export const KNOWN_DEFAULT_CREDENTIALS = [
  "SecretPassword",
  "kibanaserver",
  "MyS3cr37P450r.*-",
  "admin",
  "password",
  "changeme",
  "wazuh",
  "secret",
  "kibanaro",
  "readall",
  "snapshotrestore",
  "minioadmin",
  "prom-operator",
  "changeit",
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
