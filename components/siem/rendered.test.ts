/**
 * The SIEM's rendered files: yamllint (strict) accepts each, and each holds to the schema its reader
 * takes (the OpenSearch security plugin's config types, opensearch.yml's keys, the dashboard's).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { bcryptVerify } from "hash-wasm";
import * as yaml from "js-yaml";
import { KNOWN_DEFAULT_CREDENTIALS, KNOWN_DEFAULT_HASHES } from "../../vocabulary/credentials";
import { subjectDn } from "./certificates";
import { renderDashboardYml } from "./dashboardYml";
import { bcryptHash } from "./passwordHash";
import { DISK_WATERMARKS, opensearchSettings, renderOpenSearchYml } from "./opensearchYml";
import {
  BCRYPT_HASH,
  FORTRESS_ROLES,
  INDEXER_USERS,
  type IndexerUserName,
  renderSecurityConfig,
  SECURITY_FILES,
} from "./securityConfig";

/** Runs Debian's yamllint (strict); .ci/run installs it. */
function yamllint(document: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), "fortress-siem-")), "file.yml");
  writeFileSync(file, document);
  const result = spawnSync(
    "yamllint",
    ["--strict", "-d", "{extends: default, rules: {line-length: {max: 200}}}", file],
    {
      encoding: "utf8",
    },
  );
  if (result.error)
    throw new Error(`yamllint is not installed (apt-get install yamllint): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const oidc = {
  issuerUrl: "https://keycloak.lab.example/realms/fortress",
  caFile: "/usr/share/wazuh-indexer/config/certs/root-ca.pem",
  adminGroup: "fortress-admins",
  userGroup: "fortress-users",
};
const salt = (byte: number) => new Uint8Array(16).fill(byte);

async function hashes(): Promise<Record<IndexerUserName, string>> {
  const entries = await Promise.all(
    INDEXER_USERS.map(async (user, index) => [
      user.name,
      await bcryptHash(`pw-${user.name}`, salt(index + 1)),
    ]),
  );
  return Object.fromEntries(entries) as Record<IndexerUserName, string>;
}

/** The static roles the plugin ships (opensearch-project/security@2.19.5.0 static_config/static_roles.yml). */
const STATIC_ROLES = [
  "all_access",
  "kibana_user",
  "own_index",
  "manage_snapshots",
  "kibana_server",
  "logstash",
  "readall_and_monitor",
  "readall",
];

/** Action groups of static_action_groups.yml the rendered roles may name (and single actions, which contain ':'). */
const STATIC_ACTION_GROUPS = new Set([
  "crud",
  "create_index",
  "read",
  "write",
  "delete",
  "index",
  "manage",
  "search",
  "get",
  "cluster_monitor",
  "cluster_composite_ops",
  "cluster_composite_ops_ro",
  "indices_monitor",
]);

describe("the indexer's security files", () => {
  it("pass yamllint --strict, with and without Keycloak", async () => {
    const resolved = await hashes();
    for (const spec of [{ oidc, hashes: resolved }, { hashes: resolved }]) {
      const files = renderSecurityConfig(spec);
      assert.deepEqual(Object.keys(files).sort(), [...SECURITY_FILES].sort());
      for (const [file, text] of Object.entries(files)) {
        const { status, output } = yamllint(text);
        assert.equal(status, 0, `${file}: ${output}`);
      }
    }
  });

  it("hold to the plugin's config types: _meta, auth domains, roles that exist, users with bcrypt hashes", async () => {
    const resolved = await hashes();
    const files = renderSecurityConfig({ oidc, hashes: resolved });
    const doc = (file: keyof typeof files) => yaml.load(files[file]) as Record<string, any>;
    const config = doc("config.yml");
    const roles = doc("roles.yml");
    const mapping = doc("roles_mapping.yml");
    const users = doc("internal_users.yml");
    assert.deepEqual(config._meta, { type: "config", config_version: 2 });
    assert.deepEqual(roles._meta, { type: "roles", config_version: 2 });
    assert.deepEqual(mapping._meta, { type: "rolesmapping", config_version: 2 });
    assert.deepEqual(users._meta, { type: "internalusers", config_version: 2 });

    const authc = config.config.dynamic.authc;
    assert.equal(config.config.dynamic.http.anonymous_auth_enabled, false);
    assert.equal(authc.basic_internal_auth_domain.authentication_backend.type, "intern");
    const openid = authc.openid_auth_domain;
    assert.equal(openid.http_authenticator.type, "openid");
    assert.equal(openid.authentication_backend.type, "noop");
    assert.deepEqual(openid.http_authenticator.config, {
      subject_key: "preferred_username",
      // realm.ts: the group-membership mapper writes `groups`, short names.
      roles_key: "groups",
      openid_connect_url: "https://keycloak.lab.example/realms/fortress/.well-known/openid-configuration",
      required_issuer: "https://keycloak.lab.example/realms/fortress",
      openid_connect_idp: { enable_ssl: true, verify_hostnames: true, pemtrustedcas_filepath: oidc.caFile },
    });
    for (const domain of Object.values(authc) as any[]) {
      assert.equal(typeof domain.order, "number");
      assert.equal(domain.http_enabled, true);
    }

    const defined = new Set([...Object.keys(roles).filter((key) => key !== "_meta"), ...STATIC_ROLES]);
    for (const [role, who] of Object.entries(mapping)) {
      if (role === "_meta") continue;
      assert.ok(defined.has(role), `roles_mapping.yml maps ${role}, which no roles.yml defines`);
      assert.deepEqual(Object.keys(who as object).sort(), ["backend_roles", "reserved", "users"]);
    }
    for (const [name, role] of Object.entries(roles)) {
      if (name === "_meta") continue;
      for (const permission of (role as any).index_permissions ?? [])
        for (const action of permission.allowed_actions)
          assert.ok(STATIC_ACTION_GROUPS.has(action) || action.includes(":"), `${name}: ${action}`);
      for (const action of (role as any).cluster_permissions ?? [])
        assert.ok(STATIC_ACTION_GROUPS.has(action) || action.includes(":"), `${name}: ${action}`);
    }

    // Keycloak groups → backend roles: admins get everything, users read Wazuh's indices.
    assert.deepEqual(mapping.all_access.backend_roles, ["fortress-admins"]);
    assert.deepEqual(mapping.wazuh_ui_user.backend_roles, ["fortress-users"]);
    assert.deepEqual(mapping.all_access.users, ["fortress-breakglass"]);

    assert.deepEqual(
      Object.keys(users)
        .filter((key) => key !== "_meta")
        .sort(),
      INDEXER_USERS.map((user) => user.name).sort(),
    );
    for (const user of INDEXER_USERS) {
      const hash = users[user.name].hash as string;
      assert.match(hash, BCRYPT_HASH);
      assert.ok(await bcryptVerify({ password: `pw-${user.name}`, hash }), user.name);
    }
  });

  it("ships no demo user, no demo hash and no default password", async () => {
    const files = renderSecurityConfig({ oidc, hashes: await hashes() });
    const users = yaml.load(files["internal_users.yml"]) as Record<string, unknown>;
    for (const demo of [
      "admin",
      "kibanaserver",
      "kibanaro",
      "logstash",
      "readall",
      "snapshotrestore",
      "wazuh_admin",
      "wazuh_user",
    ])
      assert.equal(users[demo], undefined, demo);
    for (const text of Object.values(files))
      for (const hash of KNOWN_DEFAULT_HASHES) assert.ok(!text.includes(hash));
    for (const user of INDEXER_USERS) assert.ok(!KNOWN_DEFAULT_CREDENTIALS.includes(user.name as never));
  });

  it("gives every consumer least privilege: Filebeat writes only the module's indices, the connector keeps only state indices, readers only read alerts, Vector only writes its streams", () => {
    const byUser = Object.fromEntries(INDEXER_USERS.map((user) => [user.name, user.roles]));
    assert.deepEqual(byUser["fortress-filebeat"], ["fortress_filebeat", "fortress_manager_states"]);
    assert.deepEqual(byUser["fortress-vector"], ["fortress_vector"]);
    const vector = FORTRESS_ROLES.fortress_vector;
    assert.deepEqual(vector.index_permissions, [
      {
        index_patterns: ["fortress-zeek-*", "fortress-netflow-*", "fortress-greenbone-*"],
        allowed_actions: ["index", "create_index", "indices:admin/mapping/auto_put"],
      },
    ]);
    assert.deepEqual(vector.cluster_permissions, ["cluster:monitor/health", "indices:data/write/bulk"]);
    // The monitoring exporter only monitors: cluster:monitor/* and indices:monitor/*, no document.
    assert.deepEqual(byUser["fortress-exporter"], ["fortress_exporter"]);
    assert.deepEqual(FORTRESS_ROLES.fortress_exporter.cluster_permissions, ["cluster_monitor"]);
    assert.deepEqual(FORTRESS_ROLES.fortress_exporter.index_permissions, [
      { index_patterns: ["*"], allowed_actions: ["indices_monitor"] },
    ]);
    // The monitoring layer's aggregator writes syslog only, and the VMs' Vector cannot.
    assert.deepEqual(byUser["fortress-vector-aggregator"], ["fortress_syslog"]);
    assert.deepEqual(FORTRESS_ROLES.fortress_syslog.index_permissions, [
      {
        index_patterns: ["fortress-syslog-*"],
        allowed_actions: ["index", "create_index", "indices:admin/mapping/auto_put"],
      },
    ]);
    assert.deepEqual(FORTRESS_ROLES.fortress_syslog.cluster_permissions, vector.cluster_permissions);
    // TheHive and Cortex also keep their own indices (components/response), and only those.
    assert.deepEqual(byUser["fortress-thehive"], ["fortress_alerts_reader", "fortress_thehive_index"]);
    assert.deepEqual(byUser["fortress-cortex"], ["fortress_alerts_reader", "fortress_cortex_index"]);
    for (const [role, pattern] of [
      ["fortress_thehive_index", "thehive*"],
      ["fortress_cortex_index", "cortex*"],
    ] as const) {
      assert.deepEqual(
        FORTRESS_ROLES[role].index_permissions.flatMap((permission) => permission.index_patterns),
        [pattern],
      );
      assert.ok(
        !FORTRESS_ROLES[role].cluster_permissions.some((action) => /security|cluster_all|ilm/.test(action)),
      );
    }
    assert.deepEqual(
      INDEXER_USERS.filter((user) => user.roles.includes("all_access")).map((user) => user.name),
      ["fortress-breakglass"],
    );
    const filebeat = FORTRESS_ROLES.fortress_filebeat;
    assert.deepEqual(
      filebeat.index_permissions.flatMap((permission) => permission.index_patterns),
      ["wazuh-alerts-4.x-*", "wazuh-archives-4.x-*"],
    );
    assert.deepEqual(
      filebeat.index_permissions.flatMap((permission) => permission.allowed_actions),
      ["index", "create_index", "indices:admin/mapping/auto_put"],
    );
    // No composite ops beyond _bulk (cluster_composite_ops adds aliases and reindex), no ILM, no security.
    assert.ok(!(filebeat.cluster_permissions as readonly string[]).includes("cluster_composite_ops"));
    assert.ok(!filebeat.cluster_permissions.some((action) => /ilm|security|\*/.test(action)));
    const states = FORTRESS_ROLES.fortress_manager_states;
    assert.deepEqual(states.index_permissions, [
      { index_patterns: ["wazuh-states-*"], allowed_actions: ["crud", "manage"] },
      { index_patterns: ["*"], allowed_actions: ["indices_monitor"] },
    ]);
    const reader = FORTRESS_ROLES.fortress_alerts_reader;
    for (const permission of reader.index_permissions) {
      assert.deepEqual(permission.index_patterns, ["wazuh-alerts-*"]);
      for (const action of permission.allowed_actions)
        assert.ok(action === "read" || /\/(get|index)$/.test(action), action);
    }
    assert.deepEqual(reader.cluster_permissions, ["cluster_composite_ops_ro"]);
  });

  it("refuses a user without a bcrypt hash and an issuer that is no realm", async () => {
    const resolved = await hashes();
    assert.throws(
      () => renderSecurityConfig({ hashes: { ...resolved, "fortress-vector": "hunter2" } }),
      /fortress-vector has no bcrypt hash/,
    );
    assert.throws(
      () => renderSecurityConfig({ oidc: { ...oidc, issuerUrl: "http://kc/realms/x" }, hashes: resolved }),
      /no Keycloak realm URL/,
    );
  });

  it("hashes deterministically in password and salt, and differently with another salt", async () => {
    const a = await bcryptHash("same", salt(9));
    assert.equal(await bcryptHash("same", salt(9)), a);
    assert.notEqual(await bcryptHash("same", salt(8)), a);
    await assert.rejects(() => bcryptHash("x", new Uint8Array(8)), /16 bytes/);
  });
});

describe("opensearch.yml", () => {
  const spec = {
    clusterName: "fortress-wazuh",
    nodeDn: subjectDn("wazuh-indexer"),
    adminDn: subjectDn("wazuh-indexer-admin"),
  };

  it("passes yamllint --strict", () => {
    const { status, output } = yamllint(renderOpenSearchYml(spec));
    assert.equal(status, 0, output);
  });

  it("switches the disk watermarks back on, keeps snapshots under path.repo, and names Fortress's DNs", () => {
    const settings = yaml.load(renderOpenSearchYml(spec)) as Record<string, unknown>;
    assert.equal(settings["cluster.routing.allocation.disk.threshold_enabled"], true);
    assert.equal(
      settings["cluster.routing.allocation.disk.watermark.high"],
      `${DISK_WATERMARKS.high * 100}%`,
    );
    assert.deepEqual(settings["path.repo"], ["/var/lib/wazuh-indexer-snapshots"]);
    assert.equal(settings["discovery.type"], "single-node");
    // Renewed certificates are reloaded from the files, not at the next restart only.
    assert.equal(settings["plugins.security.ssl.certificates_hot_reload.enabled"], true);
    assert.equal(settings["plugins.security.ssl_cert_reload_enabled"], undefined);
    assert.equal(settings["cluster.initial_master_nodes"], undefined);
    assert.deepEqual(settings["plugins.security.authcz.admin_dn"], [
      "CN=wazuh-indexer-admin,OU=siem,O=Fortress",
    ]);
    assert.deepEqual(settings["plugins.security.nodes_dn"], ["CN=wazuh-indexer,OU=siem,O=Fortress"]);
    // None of the shipped demo DNs (the manifest's and the image's) survives.
    assert.ok(
      !JSON.stringify(settings).includes("O=Company") && !JSON.stringify(settings).includes("demo.indexer"),
    );
  });

  it("refuses watermarks that do not rise", () => {
    assert.throws(
      () => opensearchSettings({ ...spec, watermarks: { low: 0.9, high: 0.85, floodStage: 0.95 } }),
      /must rise/,
    );
  });
});

describe("opensearch_dashboards.yml", () => {
  const spec = {
    indexerUrl: "https://wazuh-indexer.fortress-siem.svc:9200",
    publicUrl: "https://wazuh.lab.example",
    oidc: { issuerUrl: "https://keycloak.lab.example/realms/fortress", clientId: "wazuh-dashboard" },
  };

  it("passes yamllint --strict", () => {
    const { status, output } = yamllint(renderDashboardYml(spec));
    assert.equal(status, 0, output);
  });

  it("signs in through Keycloak with basic auth beside it, verifies the indexer, and keeps the client secret out", () => {
    const text = renderDashboardYml(spec);
    const settings = yaml.load(text) as Record<string, unknown>;
    assert.deepEqual(settings["opensearch_security.auth.type"], ["openid", "basicauth"]);
    assert.equal(settings["opensearch_security.auth.multiple_auth_enabled"], true);
    assert.equal(
      settings["opensearch_security.openid.connect_url"],
      `${spec.oidc.issuerUrl}/.well-known/openid-configuration`,
    );
    assert.equal(settings["opensearch_security.openid.client_secret"], "${OPENID_CLIENT_SECRET}");
    assert.equal(settings["opensearch_security.openid.base_redirect_url"], "https://wazuh.lab.example");
    assert.equal(settings["opensearch.ssl.verificationMode"], "full");
    // The cookie's key comes from the environment (a Secret), never the plugin's shipped default.
    assert.equal(settings["opensearch_security.cookie.password"], "${COOKIE_PASSWORD}");
    assert.ok(!/kibanaserver|security_cookie_default_password/i.test(text));
    assert.ok(!/password/i.test(text.replace("opensearch_security.cookie.password: ${COOKIE_PASSWORD}", "")));
  });

  it("refuses plain HTTP", () => {
    assert.throws(() => renderDashboardYml({ ...spec, indexerUrl: "http://indexer:9200" }), /not https/);
  });
});
