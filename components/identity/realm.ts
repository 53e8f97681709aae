/**
 * The Keycloak realm Fortress imports: one realm, one confidential OIDC client per UI. Pure: the
 * caller passes plain strings (the client secrets resolved inside an Output) and wraps the result
 * in a secret, because the JSON carries every client secret.
 */

/**
 * The UIs that sign in through Keycloak, in a stable order. Not TheHive: its free edition signs users
 * in only against its own database ("A paid license is required to configure authentication providers
 * other than the local database … A Platinum license is required to configure … OAuth 2.0, and SAML",
 * docs.strangebee.com thehive/administration/authentication/oauth2), so a `thehive` client would be a
 * credential nothing can use. TheHive's accounts are local, with generated passwords (components/response).
 */
export const CLIENT_NAMES = ["grafana", "wazuh-dashboard", "misp", "proxmox"] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

/** The group every user of the realm joins: it carries no rights of its own in any UI. */
export const DEFAULT_GROUP = "fortress-users";
/** Members get admin roles where a UI maps groups to roles (Grafana, the Wazuh dashboard). */
export const ADMIN_GROUP = "fortress-admins";

/**
 * Where each UI expects Keycloak to send the browser back after login. Exact paths, not `/*`, so a
 * stolen code cannot be redirected elsewhere on the same host; Proxmox sends its own origin.
 */
export function redirectUris(client: ClientName, base: string): string[] {
  switch (client) {
    case "grafana":
      return [`${base}/login/generic_oauth`];
    case "wazuh-dashboard":
      // The OpenSearch Dashboards security plugin's OIDC callback.
      return [`${base}/auth/openid/login`];
    case "misp":
      // The MISP OidcAuth plugin returns to the login action.
      return [`${base}/users/login`];
    case "proxmox":
      // The Proxmox VE web UI uses its own origin as redirect_uri.
      return [base, `${base}/`];
  }
}

/**
 * Whether Keycloak requires an S256 PKCE challenge from each UI. Required only where the UI sends one,
 * or Keycloak refuses every login of that UI (`Missing parameter: code_challenge_method`).
 * - proxmox: proxmox-openid always sends S256 (proxmox/proxmox-rs `proxmox-openid/src/lib.rs`,
 *   `authorize_url` sets `PkceCodeChallenge::new_random_sha256`).
 * - grafana: Grafana's generic OAuth sends PKCE only with `use_pkce = true`
 *   (grafana.com/docs, generic-oauth). The monitoring layer MUST set `use_pkce` from this value.
 * - misp: the OidcAuth plugin sends PKCE only when `OidcAuth.code_challenge_method` is set
 *   (MISP/MISP `app/Plugin/OidcAuth/Lib/Oidc.php`, `prepareClient`). The MISP layer MUST set it to S256.
 * - wazuh-dashboard: OpenSearch Dashboards' OIDC cannot send PKCE (opensearch-project/security#4897,
 *   OpenSearch-Dashboards#8835, both open).
 */
export const PKCE_S256: Readonly<Record<ClientName, boolean>> = {
  grafana: true,
  "wazuh-dashboard": false,
  misp: true,
  proxmox: true,
};

/**
 * Every client's default scopes, as a Keycloak 26 realm gives a new client. Listing them replaces the
 * realm's defaults on import (keycloak/keycloak `RepresentationToModel`: the client's scopes are removed,
 * then only the listed ones are added), so `basic` must be listed: since Keycloak 25 it alone carries
 * the `sub` and `auth_time` mappers (`OIDCLoginProtocolFactory.addBasicClientScope`). Without `sub`,
 * Proxmox's OpenID login fails (proxmox-openid parses the ID token with `CoreIdTokenClaims`, whose
 * `sub` is required; pve-access-control `src/PVE/API2/OpenId.pm` reads `sub`), and so does MISP's.
 */
export const DEFAULT_CLIENT_SCOPES = ["basic", "acr", "profile", "email", "roles", "web-origins"] as const;

/**
 * The misp client's roles. MISP's OidcAuth reads the roles from the claim `OidcAuth.roles_property`
 * (default `roles`) of the ID token or userinfo, and refuses the login ("Role property … is missing in
 * claims, access prohibited"; "No role was assigned") when none of them is a key of
 * `OidcAuth.role_mapper` (MISP/MISP app/Plugin/OidcAuth/Lib/Oidc.php `authenticate`, `getUserRole`).
 * Keycloak puts client roles only under `resource_access.misp.roles` of the access token by default, so
 * the client carries a "User Client Role" mapper to a top-level `roles` claim, as misp-docker's
 * docs/keycloak-integration-guide.md configures it. The MISP component maps each name to a MISP role id.
 */
export const MISP_CLIENT_ROLES = ["admin", "user", "readonly"] as const;
export type MispClientRole = (typeof MISP_CLIENT_ROLES)[number];
/** The claim the misp client's roles mapper writes (MISP's OidcAuth.roles_property). */
export const MISP_ROLES_CLAIM = "roles";
/** Members of the admin group are MISP site admins; every other user needs a misp role assigned. */
export const MISP_ADMIN_GROUP_ROLE: MispClientRole = "admin";

const tokenClaims = {
  "id.token.claim": "true",
  "access.token.claim": "true",
  "userinfo.token.claim": "true",
};

/** The misp client's roles mapper (Keycloak's oidc-usermodel-client-role-mapper). */
function mispRolesMapper() {
  return {
    name: MISP_ROLES_CLAIM,
    protocol: "openid-connect",
    protocolMapper: "oidc-usermodel-client-role-mapper",
    consentRequired: false,
    config: {
      "usermodel.clientRoleMapping.clientId": "misp",
      "usermodel.clientRoleMapping.rolePrefix": "",
      multivalued: "true",
      "claim.name": MISP_ROLES_CLAIM,
      "jsonType.label": "String",
      ...tokenClaims,
    },
  };
}

export interface RealmClient {
  readonly clientId: ClientName;
  /** https origins the UI is reached on (Proxmox: one per node). */
  readonly urls: readonly string[];
  /** The client secret, plain here: the caller keeps the rendered JSON secret. */
  readonly secret: string;
}

export interface RealmSpec {
  readonly realm: string;
  readonly displayName: string;
  readonly clients: readonly RealmClient[];
}

function client(spec: RealmClient) {
  const urls = spec.urls.map((url) => url.replace(/\/+$/, ""));
  const [rootUrl] = urls;
  return {
    clientId: spec.clientId,
    name: spec.clientId,
    enabled: true,
    protocol: "openid-connect",
    publicClient: false,
    clientAuthenticatorType: "client-secret",
    secret: spec.secret,
    rootUrl,
    baseUrl: rootUrl,
    redirectUris: urls.flatMap((url) => redirectUris(spec.clientId, url)),
    webOrigins: urls,
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    frontchannelLogout: true,
    attributes: {
      ...(PKCE_S256[spec.clientId] ? { "pkce.code.challenge.method": "S256" } : {}),
      "post.logout.redirect.uris": urls.map((url) => `${url}/*`).join("##"),
    },
    protocolMappers: [
      {
        name: "groups",
        protocol: "openid-connect",
        protocolMapper: "oidc-group-membership-mapper",
        consentRequired: false,
        config: {
          "claim.name": "groups",
          "full.path": "false",
          ...tokenClaims,
        },
      },
      ...(spec.clientId === "misp" ? [mispRolesMapper()] : []),
    ],
    defaultClientScopes: [...DEFAULT_CLIENT_SCOPES],
  };
}

/** The realm as Keycloak's `--import-realm` reads it (RealmRepresentation), pretty-printed. */
export function renderRealm(spec: RealmSpec): string {
  const seen = new Set<string>();
  for (const entry of spec.clients) {
    if (seen.has(entry.clientId)) throw new Error(`realm ${spec.realm}: client ${entry.clientId} twice`);
    seen.add(entry.clientId);
    if (entry.urls.length === 0) throw new Error(`realm ${spec.realm}: client ${entry.clientId} has no URL`);
    if (entry.secret === "") throw new Error(`realm ${spec.realm}: client ${entry.clientId} has no secret`);
    for (const url of entry.urls) {
      if (!/^https:\/\/[^/\s]+\/?$/.test(url))
        throw new Error(`realm ${spec.realm}: ${entry.clientId} URL ${url} is not an https origin`);
    }
  }
  const hasMisp = spec.clients.some((entry) => entry.clientId === "misp");
  const realm = {
    realm: spec.realm,
    displayName: spec.displayName,
    enabled: true,
    sslRequired: "all",
    registrationAllowed: false,
    resetPasswordAllowed: false,
    rememberMe: false,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 5,
    passwordPolicy: "length(14) and notUsername and notEmail and passwordHistory(5)",
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 1800,
    ssoSessionMaxLifespan: 36000,
    ...(hasMisp ? { roles: { client: { misp: MISP_CLIENT_ROLES.map((name) => ({ name })) } } } : {}),
    groups: [
      { name: DEFAULT_GROUP },
      {
        name: ADMIN_GROUP,
        ...(hasMisp ? { clientRoles: { misp: [MISP_ADMIN_GROUP_ROLE] } } : {}),
      },
    ],
    defaultGroups: [`/${DEFAULT_GROUP}`],
    clients: spec.clients.map(client),
  };
  return `${JSON.stringify(realm, null, 2)}\n`;
}
