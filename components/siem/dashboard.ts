/**
 * The Wazuh dashboard: a Deployment of wazuh/wazuh-dashboard, non-root with limits, its
 * opensearch_dashboards.yml rendered (dashboardYml.ts), its credentials only in Secrets (the indexer's
 * server user, the OIDC client secret, the Wazuh API user), reached by browsers through the ingress
 * under its DNS name and TLS from the internal CA. The image's entrypoint puts DASHBOARD_USERNAME/PASSWORD
 * into the keystore and writes the Wazuh app's API entry from WAZUH_API_URL, API_PORT, API_USERNAME and
 * API_PASSWORD (wazuh/wazuh-docker@v4.14.6 build-docker-images/wazuh-dashboard/config/entrypoint.sh,
 * wazuh_app_config.sh, whose defaults are kibanaserver/kibanaserver and wazuh-wui/wazuh-wui: every one
 * of them is set here, so no default is used).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { internalCertificate, tlsSecretName } from "../kubernetes/certificate";
import { httpsIngress } from "../kubernetes/ingress";
import { kubeDnsEgress, NAMESPACE_NAME_LABEL } from "../kubernetes/networkPolicy";
import { dashboardDeployment } from "./dashboardDeployment";
import { renderDashboardYml } from "./dashboardYml";
import { contentDigest } from "./indexer";
import {
  DASHBOARD_LABELS,
  DASHBOARD_PORT,
  DASHBOARD_SERVICE,
  INDEXER_LABELS,
  INDEXER_PORT,
  MANAGER_API_PORT,
} from "./labels";

export const WAZUH_DASHBOARD_TYPE = COMPONENT_TYPES.wazuhDashboard;

export interface WazuhDashboardArgs {
  readonly namespace: string;
  readonly hostname: string;
  readonly clusterIssuer: string;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  readonly indexerUrl: string;
  /** The indexer's server user for the dashboard (kibanaserver's replacement). */
  readonly indexerUser: { readonly username: string; readonly password: pulumi.Input<string> };
  /** Keycloak's realm and the `wazuh-dashboard` client; omitted, basic authentication only. */
  readonly oidc?: {
    readonly issuerUrl: string;
    readonly clientId: string;
    readonly clientSecret: pulumi.Input<string>;
    /** Where Keycloak is reached from the pod (its namespace and the ingress controller's). */
    readonly namespaces: readonly string[];
  };
  /**
   * The Wazuh app's API user: always set, so the image's fallback (wazuh-wui/wazuh-wui,
   * wazuh_app_config.sh) is never written; the manager registers this user.
   */
  readonly apiUser: { readonly username: string; readonly password: pulumi.Input<string> };
  /** The Wazuh server API on the manager VM (its URL an Output of what built it); omitted until the manager is built. */
  readonly managerApi?: {
    /** https://<address or name>, without the port. */
    readonly url: pulumi.Input<string>;
    /** The manager's planned address, which the pod may reach on 55000. */
    readonly address: string;
  };
}

export class WazuhDashboard extends pulumi.ComponentResource {
  readonly url: string;
  readonly deployment: k8s.apps.v1.Deployment;

  constructor(name: string, args: WazuhDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WAZUH_DASHBOARD_TYPE, name, { namespace: args.namespace, hostname: args.hostname }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    this.url = `https://${args.hostname}`;

    const yml = renderDashboardYml({
      indexerUrl: args.indexerUrl,
      publicUrl: this.url,
      ...(args.oidc ? { oidc: { issuerUrl: args.oidc.issuerUrl, clientId: args.oidc.clientId } } : {}),
    });
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: "wazuh-dashboard-config", namespace: ns, labels: { ...DASHBOARD_LABELS } },
        data: { "opensearch_dashboards.yml": yml },
      },
      child,
    );
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: "wazuh-dashboard-credentials", namespace: ns, labels: { ...DASHBOARD_LABELS } },
        type: "Opaque",
        stringData: {
          "indexer-username": args.indexerUser.username,
          "indexer-password": pulumi.secret(args.indexerUser.password),
          ...(args.oidc ? { "oidc-client-secret": pulumi.secret(args.oidc.clientSecret) } : {}),
          "api-username": args.apiUser.username,
          "api-password": pulumi.secret(args.apiUser.password),
          // The plugin asks for at least 32 characters (server/index.ts: cookie.password minLength 32).
          "cookie-password": new random.RandomPassword(
            `${name}-cookie-password`,
            { length: 48, special: false },
            child,
          ).result,
        },
      },
      child,
    );
    const certificate = internalCertificate(
      `${name}-certificate`,
      { id: DASHBOARD_SERVICE, namespace: ns, dnsNames: [args.hostname], clusterIssuer: args.clusterIssuer },
      child,
    );
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      dashboardDeployment({
        namespace: ns,
        configDigest: contentDigest(yml),
        oidc: args.oidc !== undefined,
        ...(args.managerApi ? { managerApiUrl: args.managerApi.url } : {}),
      }),
      { ...child, dependsOn: [config, credentials, certificate] },
    );
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: DASHBOARD_SERVICE, namespace: ns, labels: { ...DASHBOARD_LABELS } },
        spec: {
          type: "ClusterIP",
          selector: { ...DASHBOARD_LABELS },
          ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
        },
      },
      child,
    );
    httpsIngress(
      `${name}-ingress`,
      {
        name: DASHBOARD_SERVICE,
        namespace: ns,
        host: args.hostname,
        service: DASHBOARD_SERVICE,
        tlsSecret: tlsSecretName(DASHBOARD_SERVICE),
        ingressClassName: args.ingressClassName,
      },
      { ...child, dependsOn: [this.deployment, service, certificate] },
    );
    this.networkPolicies(name, args);
    this.registerOutputs({ url: this.url });
  }

  /** Browsers through the ingress controller only; out to the indexer, Keycloak and the manager's API. */
  private networkPolicies(name: string, args: WazuhDashboardArgs): void {
    const child = { parent: this };
    const ns = args.namespace;
    const selectNs = (namespace: string) => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-from-ingress`,
      {
        metadata: { name: "wazuh-dashboard-from-ingress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...DASHBOARD_LABELS } },
          policyTypes: ["Ingress"],
          ingress: [
            { from: [selectNs(args.ingressNamespace)], ports: [{ protocol: "TCP", port: DASHBOARD_PORT }] },
          ],
        },
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-egress`,
      {
        metadata: { name: "wazuh-dashboard-egress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...DASHBOARD_LABELS } },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { ...INDEXER_LABELS } } }],
              ports: [{ protocol: "TCP", port: INDEXER_PORT }],
            },
            ...(args.oidc
              ? [
                  {
                    to: args.oidc.namespaces.map(selectNs),
                    ports: [
                      { protocol: "TCP", port: 443 },
                      { protocol: "TCP", port: 8443 },
                    ],
                  },
                ]
              : []),
            ...(args.managerApi
              ? [
                  {
                    to: [{ ipBlock: { cidr: `${args.managerApi.address}/32` } }],
                    ports: [{ protocol: "TCP", port: MANAGER_API_PORT }],
                  },
                ]
              : []),
            kubeDnsEgress(),
          ],
        },
      },
      child,
    );
  }
}
