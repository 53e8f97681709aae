import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLIENT_NAMES, type ClientName, renderRealm } from "./realm";

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
