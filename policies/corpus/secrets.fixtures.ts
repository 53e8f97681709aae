/** Class 7: secrets in every form (issue 11). Offline cases carry a redacted provider, as the capture writes it. */
import { planResource } from "../lib/build";
import { REDACTED } from "../lib/resources";
import { helmRelease } from "../rules/k8s-chart-values.fixtures";
import { provider } from "../rules/secrets-from-random-or-config.fixtures";
import { randomPassword } from "../rules/secrets-random-strength.fixtures";
import {
  K8S,
  RESTRICTED_POD_SECURITY,
  restrictedContainer,
  workload,
} from "../rules/k8s-no-privileged.fixtures";
import { SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import type { PlanResource } from "../lib/types";
import type { CorpusClass } from "./k8s-secrets-types";

type Inputs = Record<string, unknown>;
const offline = (...resources: PlanResource[]) => [provider, ...resources];
const envWorkload = (env: Inputs[]) =>
  workload(K8S.deployment, "app", "fortress-soc", {
    securityContext: RESTRICTED_POD_SECURITY,
    containers: [restrictedContainer("app", "ghcr.io/example/app:1.4.2", { env })],
  });
const configMap = (data: Inputs) =>
  planResource(SDK_TYPES.k8sConfigMap, "app-config", {
    metadata: { name: "app-config", namespace: "fortress-soc" },
    data,
  });
const secret = (fields: Inputs) =>
  planResource(SDK_TYPES.k8sSecret, "app-secret", {
    metadata: { name: "app-secret", namespace: "fortress-soc" },
    ...fields,
  });

export const secrets: CorpusClass = {
  title: "7. Secrets in every form",
  policies: ["secrets-from-random-or-config", "secrets-random-strength"],
  violations: [
    {
      name: "env DB_PASS in plaintext",
      resources: offline(envWorkload([{ name: "DB_PASS", value: "s3cret-db-pass" }])),
    },
    {
      name: "MYSQL_ROOT_PWD in a Helm values map",
      resources: offline(helmRelease("mysql", "fortress-soc", { env: { MYSQL_ROOT_PWD: "rootroot" } })),
    },
    {
      name: "upper-case SECRET_KEY env",
      resources: offline(envWorkload([{ name: "SECRET_KEY", value: "django-insecure-abc" }])),
    },
    {
      name: "ApiKey in Helm values, capitalised",
      resources: offline(helmRelease("alerts", "fortress-soc", { slack: { ApiKey: "xoxb-123" } })),
    },
    {
      name: "ADMIN_PW in an env list",
      resources: offline(envWorkload([{ name: "ADMIN_PW", value: "pw-in-clear" }])),
    },
    {
      name: "credential key in a ConfigMap, even redacted",
      resources: offline(configMap({ DB_PASSWORD: REDACTED })),
    },
    {
      name: "password line in a properties file in a ConfigMap",
      resources: offline(
        configMap({
          "application.properties":
            "spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=hunter22\n",
        }),
      ),
    },
    {
      name: "token line in an env file in a ConfigMap",
      resources: offline(configMap({ ".env": "export GITHUB_TOKEN=ghp_abc123\n" })),
    },
    {
      name: "Secret stringData fed by plain config under an odd key",
      resources: offline(secret({ stringData: { "admin-creds": "plain-config-value" } })),
    },
    {
      name: "Secret data carrying base64 'changeme' in preview",
      resources: [secret({ data: { "db-pass-b64": Buffer.from("changeme").toString("base64") } })],
    },
    {
      name: "secret-marked known default in Helm values (offline marker)",
      resources: offline(helmRelease("opensearch", "fortress-siem", { adminPassword: SECRET_KNOWN_DEFAULT })),
    },
    {
      name: "secret-marked known default under a key that is no credential",
      resources: offline(
        helmRelease("wazuh", "fortress-siem", { indexer: { user: "admin", initial: SECRET_KNOWN_DEFAULT } }),
      ),
    },
    {
      name: "known default in preview, unwrapped",
      resources: [helmRelease("wazuh", "fortress-siem", { dashboard: { password: "kibanaserver" } })],
      variant: true,
    },
    {
      name: "plaintext in a chart's embedded extraEnv YAML",
      resources: offline(
        helmRelease("keycloak", "fortress-identity", {
          extraEnv:
            "- name: KC_HOSTNAME\n  value: kc.home.arpa\n- name: KC_BOOTSTRAP_ADMIN_PASSWORD\n  value: admin-in-clear\n",
        }),
      ),
    },
    {
      name: "passwd key in plaintext",
      resources: offline(helmRelease("ldap", "fortress-identity", { bind: { passwd: "ldap-bind-pass" } })),
    },
    { name: "RandomPassword of 12 characters", resources: [randomPassword("short", { length: 12 })] },
    {
      name: "RandomPassword of 24 digits",
      resources: [randomPassword("digits", { length: 24, upper: false, lower: false, special: false })],
    },
    {
      name: "RandomBytes of 8 bytes",
      resources: [planResource(SDK_TYPES.randomBytes, "salt", { length: 8 })],
    },
    {
      name: "RandomPassword of 16 characters, override special '-'",
      resources: [randomPassword("dash", { length: 16, special: true, overrideSpecial: "-" })],
    },
    {
      name: "RandomPassword of 30 characters, 28 of them forced digits",
      resources: [randomPassword("forced", { length: 30, special: false, minNumeric: 28 })],
    },
    {
      name: "password in a database URL",
      resources: offline(
        helmRelease("n8n", "fortress-response", {
          database: { url: "postgres://n8n:n8n-db-pass@postgres:5432/n8n" },
        }),
      ),
    },
    {
      name: "password in a JSON file in a ConfigMap",
      resources: offline(configMap({ "config.json": '{\n  "db": {\n    "password": "from-json"\n  }\n}\n' })),
    },
    {
      name: "MinIO's default root password in preview",
      resources: [helmRelease("minio", "fortress-soc", { rootPassword: "minioadmin" })],
    },
    {
      name: "kube-prometheus-stack's Grafana default as a secret",
      resources: offline(
        helmRelease("kps", "fortress-monitoring", { grafana: { adminPassword: SECRET_KNOWN_DEFAULT } }),
      ),
    },
    {
      name: "ConfigGroup carrying a ConfigMap with a token",
      resources: offline(
        planResource(SDK_TYPES.k8sConfigGroupV2, "cfg", {
          objs: [
            {
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: "cfg", namespace: "fortress-soc" },
              data: { SLACK_TOKEN: "xoxb-1" },
            },
          ],
        }),
      ),
    },
  ],
  twins: [
    {
      name: "preview: a Secret holding an admin user name next to its password",
      resources: [
        secret({ stringData: { "admin-user": "admin", "admin-password": "a-long-generated-value" } }),
      ],
    },
    {
      name: "database URL whose password is an env reference",
      resources: offline(
        helmRelease("n8n", "fortress-response", {
          database: { url: "postgres://n8n:${DB_PASSWORD}@postgres:5432/n8n" },
        }),
      ),
    },
    {
      name: "a secret user name that equals a product's user",
      resources: offline(
        helmRelease("opensearch", "fortress-siem", {
          auth: { username: SECRET_KNOWN_DEFAULT, password: REDACTED },
        }),
      ),
    },
    {
      name: "existingSecret with its *Key names",
      resources: offline(
        helmRelease("postgresql", "fortress-soc", {
          auth: {
            existingSecret: "pg",
            existingSecretPasswordKey: "password",
            secretKeys: { adminPasswordKey: "admin-password", userPasswordKey: "user-password" },
          },
        }),
      ),
    },
    {
      name: "env DB_PASS from a secretKeyRef",
      resources: offline(
        envWorkload([{ name: "DB_PASS", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }]),
      ),
    },
    {
      name: "Secret with a plain username and a redacted password",
      resources: offline(secret({ stringData: { username: "keycloak", password: REDACTED } })),
    },
    {
      name: "ConfigMap naming a password file and an env reference",
      resources: offline(
        configMap({
          password_file: "/run/secrets/db",
          "app.env": "DB_PASSWORD=${DB_PASSWORD}\nLOG_LEVEL=info\n",
        }),
      ),
    },
    {
      name: "RandomPassword of 32 whose result is redacted downstream",
      resources: offline(
        randomPassword("db", { length: 32, special: false }),
        helmRelease("db", "fortress-soc", { auth: { password: REDACTED } }),
      ),
    },
    {
      name: "keys that mention passwords but hold none",
      resources: offline(
        helmRelease("vaultwarden", "fortress-identity", {
          showPassHint: "false",
          passwordAuthentication: "no",
          bypassProxy: "true",
        }),
      ),
    },
  ],
};
