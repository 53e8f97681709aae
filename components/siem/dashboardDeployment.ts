/**
 * The dashboard's Deployment: wazuh/wazuh-dashboard non-root (uid 1000, the image's `USER
 * wazuh-dashboard`) with limits, every credential by secretKeyRef from `wazuh-dashboard-credentials`,
 * opensearch_dashboards.yml mounted where the manifest mounts it
 * (wazuh/wazuh-kubernetes@v4.14.6 wazuh/indexer_stack/wazuh-dashboard/dashboard-deploy.yaml), and the
 * internal CA to verify the indexer with.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { tlsSecretName } from "../kubernetes/certificate";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { COOKIE_PASSWORD_ENV, DASHBOARD_PATHS, OIDC_SECRET_ENV } from "./dashboardYml";
import { DASHBOARD_LABELS, DASHBOARD_PORT, DASHBOARD_SERVICE, MANAGER_API_PORT } from "./labels";
import { SIEM_IMAGES, SIEM_RESOURCES, WAZUH_UID } from "./pins";

export interface DashboardDeploymentSpec {
  readonly namespace: string;
  readonly configDigest: string;
  /** Whether the OIDC client secret is passed (`wazuh-dashboard-credentials` has `oidc-client-secret`). */
  readonly oidc: boolean;
  /** The manager's API URL, once the manager is built. */
  readonly managerApiUrl?: pulumi.Input<string>;
}

export function dashboardDeployment(spec: DashboardDeploymentSpec): k8s.apps.v1.DeploymentArgs {
  const fromSecret = (env: string, key: string) => ({
    name: env,
    valueFrom: { secretKeyRef: { name: "wazuh-dashboard-credentials", key } },
  });
  return {
    metadata: { name: DASHBOARD_SERVICE, namespace: spec.namespace, labels: { ...DASHBOARD_LABELS } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...DASHBOARD_LABELS } },
      template: {
        metadata: {
          labels: { ...DASHBOARD_LABELS },
          annotations: { "fortress.io/config-digest": spec.configDigest },
        },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurity(WAZUH_UID),
          containers: [
            {
              name: "wazuh-dashboard",
              image: SIEM_IMAGES.dashboard,
              imagePullPolicy: "IfNotPresent",
              env: [
                fromSecret("DASHBOARD_USERNAME", "indexer-username"),
                fromSecret("DASHBOARD_PASSWORD", "indexer-password"),
                fromSecret(COOKIE_PASSWORD_ENV, "cookie-password"),
                ...(spec.oidc ? [fromSecret(OIDC_SECRET_ENV, "oidc-client-secret")] : []),
                // Always: without them the image writes wazuh-wui/wazuh-wui (wazuh_app_config.sh).
                fromSecret("API_USERNAME", "api-username"),
                fromSecret("API_PASSWORD", "api-password"),
                // The app calls the API as the signed-in user's Wazuh RBAC identity.
                { name: "RUN_AS", value: "true" },
                ...(spec.managerApiUrl !== undefined
                  ? [
                      { name: "WAZUH_API_URL", value: spec.managerApiUrl },
                      { name: "API_PORT", value: String(MANAGER_API_PORT) },
                    ]
                  : []),
              ],
              ports: [{ name: "http", containerPort: DASHBOARD_PORT, protocol: "TCP" }],
              readinessProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 30, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 180, periodSeconds: 20 },
              resources: SIEM_RESOURCES.dashboard,
              securityContext: restrictedContainerSecurity(WAZUH_UID),
              volumeMounts: [
                {
                  name: "config",
                  mountPath: DASHBOARD_PATHS.config,
                  subPath: "opensearch_dashboards.yml",
                  readOnly: true,
                },
                { name: "ca", mountPath: DASHBOARD_PATHS.certs, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: "wazuh-dashboard-config" } },
            {
              name: "ca",
              secret: {
                secretName: tlsSecretName(DASHBOARD_SERVICE),
                items: [{ key: "ca.crt", path: "root-ca.pem" }],
              },
            },
          ],
        },
      },
    },
  };
}
