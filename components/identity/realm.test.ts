import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ADMIN_GROUP,
  CLIENT_NAMES,
  type ClientName,
  DEFAULT_GROUP,
  MISP_CLIENT_ROLES,
  MISP_ROLES_CLAIM,
  renderRealm,
} from "./realm";

interface RenderedClient {
  clientId: ClientName;
  defaultClientScopes?: string[];
  attributes: Record<string, string>;
}

const rendered = JSON.parse(
  renderRealm({
    realm: "fortress",
    displayName: "Fortress",
    clients: CLIENT_NAMES.map((client) => ({
      clientId: client,
      urls: [`https://${client}.lab.example`],
      secret: `${client}-secret-`.padEnd(48, "x"),
    })),
  }),
) as { clients: RenderedClient[] };
const clientOf = (name: ClientName): RenderedClient => {
  const found = rendered.clients.find((client) => client.clientId === name);
  assert.ok(found, `no client ${name}`);
  return found;
};

describe("the realm's clients (issue 8 review)", () => {
  it("keep Keycloak's `basic` scope (sub, auth_time) and `acr` wherever they list default scopes", () => {
    assert.equal(rendered.clients.length, CLIENT_NAMES.length);
    for (const client of rendered.clients) {
      // A listed set replaces the realm's defaults on import; no list keeps them (basic among them).
      if (client.defaultClientScopes === undefined) continue;
      for (const scope of ["basic", "acr", "profile", "email"])
        assert.ok(client.defaultClientScopes.includes(scope), `${client.clientId} drops the ${scope} scope`);
    }
    assert.ok(
      rendered.clients.some((client) => client.defaultClientScopes !== undefined),
      "the test would pass vacuously if no client listed its scopes",
    );
  });

  it("require PKCE S256 only from the UIs that send it", () => {
    const method = (name: ClientName) => clientOf(name).attributes["pkce.code.challenge.method"];
    assert.equal(method("proxmox"), "S256", "proxmox-openid always sends an S256 challenge");
    assert.equal(method("grafana"), "S256", "the monitoring layer sets use_pkce");
    assert.equal(method("misp"), "S256", "the MISP layer sets OidcAuth.code_challenge_method");
    assert.equal(method("wazuh-dashboard"), undefined, "OpenSearch Dashboards' OIDC sends no challenge");
  });
});

describe("the misp client (MISP's OidcAuth needs a roles claim and an email)", () => {
  const realm = rendered as unknown as {
    roles?: { client?: Record<string, { name: string }[]> };
    groups: { name: string; clientRoles?: Record<string, string[]> }[];
    clients: (RenderedClient & {
      protocolMappers: { protocolMapper: string; config: Record<string, string> }[];
    })[];
  };
  const misp = realm.clients.find((client) => client.clientId === "misp");

  it("defines the misp client roles and maps them to a top-level `roles` claim in the ID token and userinfo", () => {
    assert.deepEqual(
      realm.roles?.client?.misp?.map((role) => role.name),
      [...MISP_CLIENT_ROLES],
    );
    const mapper = misp?.protocolMappers.find(
      (m) => m.protocolMapper === "oidc-usermodel-client-role-mapper",
    );
    assert.ok(mapper, "no client role mapper on the misp client");
    assert.equal(mapper.config["usermodel.clientRoleMapping.clientId"], "misp");
    assert.equal(mapper.config["claim.name"], MISP_ROLES_CLAIM);
    assert.equal(MISP_ROLES_CLAIM, "roles", "OidcAuth.roles_property defaults to roles");
    assert.equal(mapper.config.multivalued, "true");
    for (const claim of ["id.token.claim", "userinfo.token.claim"])
      assert.equal(mapper.config[claim], "true");
  });

  it("keeps the email scope (OidcAuth refuses a login without an email claim) and gives admins the misp admin role", () => {
    assert.ok(misp?.defaultClientScopes?.includes("email"));
    const admins = realm.groups.find((group) => group.name === ADMIN_GROUP);
    assert.deepEqual(admins?.clientRoles, { misp: ["admin"] });
    const users = realm.groups.find((group) => group.name === DEFAULT_GROUP);
    assert.equal(users?.clientRoles, undefined, "the default group carries no rights");
  });

  it("adds no misp roles or mapper to a realm or client without misp", () => {
    const other = JSON.parse(
      renderRealm({
        realm: "r",
        displayName: "R",
        clients: [{ clientId: "grafana", urls: ["https://g.lab.example"], secret: "s".repeat(40) }],
      }),
    ) as typeof realm;
    assert.equal(other.roles, undefined);
    assert.ok(
      other.clients[0]?.protocolMappers.every(
        (m) => m.protocolMapper !== "oidc-usermodel-client-role-mapper",
      ),
    );
    assert.ok(other.groups.every((group) => group.clientRoles === undefined));
  });
});
