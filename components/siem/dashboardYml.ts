/**
 * The dashboard's opensearch_dashboards.yml, from the shipped file's keys
 * (wazuh/wazuh-kubernetes@v4.14.6:wazuh/indexer_stack/wazuh-dashboard/dashboard_conf/opensearch_dashboards.yml)
 * with the indexer's certificate verified (`full`, not the shipped `none`) and sign-in through
 * Keycloak: `opensearch_security.auth.type: [openid, basicauth]` with `multiple_auth_enabled`, the
 * `opensearch_security.openid.*` keys of the security-dashboards plugin. The client secret is not in
 * the file: OpenSearch Dashboards expands `${VAR}` from the environment, which takes it from a Secret.
 * Pure.
 */
import { renderYaml } from "./yaml";

export const DASHBOARD_PATHS = {
  config: "/usr/share/wazuh-dashboard/config/opensearch_dashboards.yml",
  certs: "/usr/share/wazuh-dashboard/certs",
} as const;

/** The environment variable the client secret comes in. */
export const OIDC_SECRET_ENV = "OPENID_CLIENT_SECRET";
/**
 * The session cookie's encryption key, from a Secret: without it the security plugin falls back to its
 * shipped `security_cookie_default_password` (wazuh/wazuh-security-dashboards-plugin@v4.14.6
 * server/index.ts), the same in every install, with which anyone could forge a session cookie.
 */
export const COOKIE_PASSWORD_ENV = "COOKIE_PASSWORD";

export interface DashboardYmlSpec {
  readonly indexerUrl: string;
  /** https://<the dashboard's name>, where Keycloak sends the browser back. */
  readonly publicUrl: string;
  readonly oidc?: { readonly issuerUrl: string; readonly clientId: string };
}

export function dashboardSettings(spec: DashboardYmlSpec): Record<string, unknown> {
  for (const url of [spec.indexerUrl, spec.publicUrl, ...(spec.oidc ? [spec.oidc.issuerUrl] : [])])
    if (!/^https:\/\/[^\s]+$/.test(url)) throw new Error(`opensearch_dashboards.yml: ${url} is not https`);
  const ca = `${DASHBOARD_PATHS.certs}/root-ca.pem`;
  return {
    "server.host": "0.0.0.0",
    "server.port": 5601,
    // TLS ends at the ingress (the internal CA's certificate for the dashboard's name), as for
    // Keycloak; only the ingress controller reaches 5601 (NetworkPolicy).
    "server.ssl.enabled": false,
    "opensearch.hosts": [spec.indexerUrl],
    "opensearch.ssl.verificationMode": "full",
    "opensearch.ssl.certificateAuthorities": [ca],
    "opensearch.requestHeadersWhitelist": ["authorization", "securitytenant"],
    "opensearch_security.multitenancy.enabled": false,
    "opensearch_security.readonly_mode.roles": ["kibana_read_only"],
    "opensearch_security.cookie.secure": true,
    "opensearch_security.cookie.password": `\${${COOKIE_PASSWORD_ENV}}`,
    "opensearch_security.cookie.ttl": 900000,
    "opensearch_security.session.ttl": 900000,
    "opensearch_security.session.keepalive": true,
    ...(spec.oidc
      ? {
          "opensearch_security.auth.type": ["openid", "basicauth"],
          "opensearch_security.auth.multiple_auth_enabled": true,
          "opensearch_security.openid.connect_url": `${spec.oidc.issuerUrl}/.well-known/openid-configuration`,
          "opensearch_security.openid.client_id": spec.oidc.clientId,
          "opensearch_security.openid.client_secret": `\${${OIDC_SECRET_ENV}}`,
          "opensearch_security.openid.base_redirect_url": spec.publicUrl,
          "opensearch_security.openid.logout_url": `${spec.oidc.issuerUrl}/protocol/openid-connect/logout`,
          "opensearch_security.openid.scope": "openid profile email",
          "opensearch_security.openid.root_ca": ca,
          "opensearch_security.openid.verify_hostnames": true,
        }
      : { "opensearch_security.auth.type": ["basicauth"] }),
    "uiSettings.overrides.defaultRoute": "/app/wz-home",
  };
}

export function renderDashboardYml(spec: DashboardYmlSpec): string {
  return renderYaml(dashboardSettings(spec));
}
