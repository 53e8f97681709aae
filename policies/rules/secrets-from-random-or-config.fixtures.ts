import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { REDACTED } from "../lib/resources";
import { SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";
import * as k8s from "@pulumi/kubernetes";
import { packageOf, pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";

const DEPLOYMENT = pulumiTypeOf(k8s.apps.v1.Deployment);

/** The Proxmox provider as the offline capture records it: its credentials redacted. */
export const provider = planResource(
  `pulumi:providers:${packageOf(SDK_TYPES.proxmoxVm)}`,
  "hypervisor-proxmox",
  {
    endpoint: "https://10.10.10.11:8006/",
    insecure: "false",
    apiToken: REDACTED,
    ssh: REDACTED,
  },
);

export const password = planResource(SDK_TYPES.randomPassword, "indexer-admin", {
  length: 32,
  special: true,
});

export const release = (values: Record<string, unknown>) =>
  planResource(
    SDK_TYPES.helmReleaseV3,
    "opensearch",
    { chart: "opensearch", version: "3.6.0", values },
    {
      dependsOn: [password],
    },
  );

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "Grafana data source passwords by reference: an env variable, a file (expanded by Grafana's provisioning)",
      resources: [
        provider,
        password,
        release({
          datasources: [
            { secureJsonData: { basicAuthPassword: "$__env{INDEXER_PASSWORD}" } },
            {
              secureJsonData: {
                basicAuthPassword: "${INDEXER_PASSWORD}",
                password: "$__file{/etc/secret/pw}",
              },
            },
          ],
        }),
      ],
    },
    {
      name: "Grafana's OAuth endpoints: a token URL names where tokens come from",
      resources: [
        provider,
        password,
        release({
          "grafana.ini": {
            "auth.generic_oauth": { token_url: "https://kc.lab/realms/f/protocol/openid-connect/token" },
          },
        }),
      ],
    },
    {
      name: "a Secret volume's key projections name keys, they hold none",
      resources: [
        provider,
        planResource(DEPLOYMENT, "projection", {
          spec: {
            template: {
              spec: {
                volumes: [
                  {
                    name: "ca",
                    secret: { secretName: "tls", items: [{ key: "ca.crt", path: "root-ca.pem" }] },
                  },
                  {
                    name: "certs",
                    projected: {
                      sources: [
                        {
                          secret: {
                            name: "tls",
                            items: [{ key: "tls.key", path: "node-key.pem", mode: 256 }],
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            },
          },
        }),
      ],
    },
    {
      name: "redacted provider credentials and a chart whose password is a secret",
      resources: [
        provider,
        password,
        release({
          extraEnvs: [
            { name: "OPENSEARCH_INITIAL_ADMIN_PASSWORD", value: REDACTED },
            { name: "DISCOVERY_TYPE", value: "single-node" },
          ],
          existingSecret: "opensearch-admin",
          tokenTtl: "24h",
        }),
      ],
    },
    {
      name: "a credential's settings that only name the Secret holding it (Vaultwarden's adminToken)",
      resources: [
        provider,
        release({
          adminToken: { existingSecret: "vaultwarden-admin-token", existingSecretKey: "ADMIN_TOKEN" },
        }),
      ],
    },
    {
      name: "public keys and key ids are not secrets",
      resources: [
        provider,
        planResource(SDK_TYPES.proxmoxVm, "vm", {
          initialization: { userAccount: { username: "fortress", keys: ["ssh-ed25519 AAAA admin@laptop"] } },
        }),
        planResource(SDK_TYPES.proxmoxAcl, "acl", {
          tokenId: "fortress@pve!pulumi",
          path: "/",
          roleId: "PVEAuditor",
        }),
      ],
    },
  ],
  failing: [
    {
      name: "a literal under a credential key next to a reference",
      resources: [
        provider,
        password,
        release({
          datasources: [
            { secureJsonData: { basicAuthPassword: "hunter22-literal", tlsCACert: "$__file{/ca.crt}" } },
          ],
        }),
      ],
    },
    {
      name: "a token URL carrying a password in its userinfo",
      resources: [
        provider,
        password,
        release({ oauth: { token_url: "https://grafana:hunter22-secret@kc.lab/token" } }),
      ],
    },
    {
      name: "a ConfigMap's internal_users.yml keeping the Wazuh manifests' demo admin hash",
      resources: [
        provider,
        planResource(SDK_TYPES.k8sConfigMap, "indexer-conf", {
          data: {
            "internal_users.yml":
              '---\n_meta:\n  type: "internalusers"\n  config_version: 2\nadmin:\n  hash: "$2y$12$K/SpwjtB.wOHJ/Nc6GVRDuc1h0rM1DfvziFRNPtk27P.c4yDr9njO"\n  reserved: true\n',
          },
        }),
      ],
    },
    {
      name: "a secret internal_users.yml the capture found a demo hash in (the image's wazuh_admin)",
      resources: [
        provider,
        planResource(SDK_TYPES.k8sSecret, "indexer-security", {
          stringData: { "internal_users.yml": SECRET_KNOWN_DEFAULT },
        }),
      ],
    },
    {
      name: "the dashboard's API password left at wazuh_app_config.sh's default",
      resources: [
        provider,
        planResource(SDK_TYPES.k8sSecret, "wazuh-api-cred", { stringData: { "api-password": "wazuh-wui" } }),
      ],
    },
    {
      name: "a plaintext password beside a key projection is still a credential",
      resources: [
        provider,
        planResource(DEPLOYMENT, "leaky-projection", {
          spec: {
            template: {
              spec: {
                volumes: [
                  {
                    name: "certs",
                    secret: {
                      secretName: "tls",
                      items: [{ key: "tls.key", path: "key.pem", password: "hunter2-but-longer" }],
                    },
                  },
                ],
              },
            },
          },
        }),
      ],
    },
    {
      name: "a plaintext admin token inside a credential's settings, beside a reference",
      resources: [
        provider,
        release({ adminToken: { existingSecretKey: "ADMIN_TOKEN", value: "hunter2-but-longer" } }),
      ],
    },
    {
      name: "a Wazuh default password in an environment variable",
      resources: [provider, release({ extraEnvs: [{ name: "INDEXER_PASSWORD", value: "SecretPassword" }] })],
    },
    {
      name: "a plaintext password in an offline plan",
      resources: [provider, release({ adminPassword: "hunter2-but-longer" })],
    },
    {
      name: "a plaintext provider token",
      resources: [
        provider,
        planResource(`pulumi:providers:${packageOf(SDK_TYPES.proxmoxVm)}`, "leaky", {
          apiToken: "PVEAPIToken=root@pam!x=00000000-0000",
        }),
      ],
    },
  ],
};
