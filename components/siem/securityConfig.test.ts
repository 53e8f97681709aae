/**
 * The manager's roles against the requests Wazuh 4.14.6 really makes, judged the way the OpenSearch
 * security plugin judges them: action groups expanded as static_action_groups.yml defines them
 * (opensearch-project/security src/main/resources/static_config/static_action_groups.yml), wildcards
 * matched on action names, and `_bulk`, `_search/scroll`, templates and `cluster:*` taken as cluster
 * permissions (PrivilegesEvaluator / Utils `isClusterPerm`), every other `indices:*` action as an index
 * permission on the concrete index (a bulk item on the index the ingest pipeline wrote it to).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { subjectDn } from "./certificates";
import { opensearchSettings } from "./opensearchYml";
import { FORTRESS_ROLES, INDEXER_USERS, securityConfigDocument } from "./securityConfig";

/** static_action_groups.yml, the groups the roles name (copied from the plugin, not from our tables). */
const ACTION_GROUPS: Readonly<Record<string, readonly string[]>> = {
  crud: ["read", "write"],
  read: ["indices:data/read*", "indices:admin/mappings/fields/get*", "indices:admin/resolve/index"],
  write: ["indices:data/write*", "indices:admin/mapping/put"],
  index: [
    "indices:data/write/index*",
    "indices:data/write/update*",
    "indices:admin/mapping/put",
    "indices:data/write/bulk*",
  ],
  create_index: ["indices:admin/create", "indices:admin/mapping/put"],
  manage: ["indices:monitor/*", "indices:admin/*"],
  indices_monitor: ["indices:monitor/*"],
  cluster_monitor: ["cluster:monitor/*"],
  cluster_composite_ops: [
    "indices:data/write/bulk",
    "indices:admin/aliases*",
    "indices:data/write/reindex",
    "cluster_composite_ops_ro",
  ],
  cluster_composite_ops_ro: [
    "indices:data/read/mget",
    "indices:data/read/msearch",
    "indices:data/read/mtv",
    "indices:admin/aliases/exists*",
    "indices:admin/aliases/get*",
    "indices:data/read/scroll",
    "indices:admin/resolve/index",
  ],
};

const expand = (names: readonly string[]): string[] =>
  names.flatMap((name) => (ACTION_GROUPS[name] ? expand(ACTION_GROUPS[name]) : [name]));
const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
const matches = (patterns: readonly string[], value: string) => patterns.some((p) => glob(p).test(value));

/** opensearch-project/security Utils.isClusterPerm. */
const isClusterPerm = (action: string) =>
  action.startsWith("cluster:") ||
  action.startsWith("indices:admin/template/") ||
  action.startsWith("indices:admin/index_template/") ||
  action.startsWith("indices:data/read/scroll") ||
  action === "indices:data/write/bulk" ||
  action === "indices:data/read/mget" ||
  action.startsWith("indices:data/read/msearch") ||
  action === "indices:data/read/mtv" ||
  action === "indices:data/write/reindex";

type Role = {
  readonly cluster_permissions: readonly string[];
  readonly index_permissions: readonly {
    readonly index_patterns: readonly string[];
    readonly allowed_actions: readonly string[];
  }[];
};

function allowed(roles: readonly Role[], action: string, index?: string): boolean {
  if (isClusterPerm(action)) return roles.some((role) => matches(expand(role.cluster_permissions), action));
  assert.ok(index, `${action} is an index action: name the index`);
  return roles.some((role) =>
    role.index_permissions.some(
      (permission) =>
        matches(permission.index_patterns, index) && matches(expand(permission.allowed_actions), action),
    ),
  );
}

const TODAY = "2026.11.30";
const ALERTS = `wazuh-alerts-4.x-${TODAY}`;
const ARCHIVES = `wazuh-archives-4.x-${TODAY}`;
const STATES = "wazuh-states-vulnerabilities-fortress-wazuh";

/**
 * Filebeat 7.10 with the Wazuh module (wazuh/wazuh@v4.14.6 extensions/filebeat/7.x/filebeat.yml): the
 * version check (`GET /`), the legacy template (`setup.template.json.*`, overwrite), the filesets'
 * pipelines (loaded when it connects), then `_bulk`, whose items the pipeline's `date_index_name`
 * sends to the day's index, which is created on the first event and whose dynamic fields update the
 * mapping.
 */
const FILEBEAT: readonly [string, string?][] = [
  ["cluster:monitor/main"],
  ["cluster:monitor/nodes/info"],
  ["indices:admin/template/get"],
  ["indices:admin/template/put"],
  ["cluster:admin/ingest/pipeline/get"],
  ["cluster:admin/ingest/pipeline/put"],
  ["indices:data/write/bulk"],
  ...[ALERTS, ARCHIVES].flatMap((index): [string, string][] => [
    ["indices:admin/create", index],
    ["indices:data/write/bulk[s]", index],
    ["indices:data/write/index", index],
    ["indices:admin/mapping/auto_put", index],
  ]),
];

/**
 * The manager's indexer connector (src/shared_modules/indexer_connector/src/indexerConnector.cpp):
 * `PUT _index_template/<index>_template`, `PUT <index>`, `GET <index>/_mapping`, and on a changed
 * mapping `_block/write`, `GET _settings`, `_cat/indices`, `_clone`, `DELETE`, `_reindex`; then
 * `_bulk?refresh=wait_for`, `_delete_by_query`, and `_search?scroll` with `_search/scroll` for sync.
 */
const CONNECTOR: readonly [string, string?][] = [
  ["cluster:monitor/health"],
  ["cluster:monitor/state"],
  ["indices:admin/index_template/put"],
  ["indices:admin/create", STATES],
  ["indices:admin/mappings/get", STATES],
  ["indices:admin/block/add", STATES],
  ["indices:monitor/settings/get", STATES],
  ["indices:monitor/settings/get", ALERTS],
  ["indices:monitor/stats", ALERTS],
  ["indices:admin/resize", STATES],
  ["indices:admin/resize", `${STATES}-backup`],
  ["indices:admin/delete", STATES],
  ["indices:admin/delete", `${STATES}-backup`],
  ["indices:data/write/reindex"],
  ["indices:data/read/search", `${STATES}-backup`],
  ["indices:admin/settings/update", STATES],
  ["indices:admin/mapping/put", STATES],
  ["indices:data/write/bulk"],
  ["indices:data/write/bulk[s]", STATES],
  ["indices:data/write/delete/byquery", STATES],
  ["indices:data/read/search", STATES],
  ["indices:data/read/scroll"],
  ["indices:data/read/scroll/clear"],
];

const manager = INDEXER_USERS.find((user) => user.name === "fortress-filebeat");
const rolesOf = (names: readonly string[]) =>
  names.map((name) => (FORTRESS_ROLES as unknown as Record<string, Role>)[name] as Role);

describe("the manager's indexer roles", () => {
  it("grant every request Filebeat makes at startup and while shipping", () => {
    const roles = rolesOf(["fortress_filebeat"]);
    for (const [action, index] of FILEBEAT)
      assert.ok(allowed(roles, action, index), `${action} ${index ?? ""}`);
  });

  it("grant every request the indexer connector makes on the state indices", () => {
    const roles = rolesOf(["fortress_manager_states"]);
    for (const [action, index] of CONNECTOR)
      assert.ok(allowed(roles, action, index), `${action} ${index ?? ""}`);
  });

  it("map both to the one user the manager's keystores hold, and nothing else", () => {
    assert.deepEqual(manager?.roles, ["fortress_filebeat", "fortress_manager_states"]);
  });

  it("deny the manager reading, deleting or rewriting alerts, touching other indices, or the security configuration", () => {
    const roles = rolesOf(manager?.roles ?? []);
    const denied: [string, string?][] = [
      ["indices:data/read/search", ALERTS],
      ["indices:data/read/get", ALERTS],
      ["indices:data/write/delete", ALERTS],
      ["indices:data/write/delete/byquery", ALERTS],
      ["indices:admin/delete", ALERTS],
      ["indices:admin/close", ARCHIVES],
      ["indices:admin/settings/update", ALERTS],
      ["indices:admin/aliases", ALERTS],
      ["indices:data/write/index", "wazuh-monitoring-2026.48w"],
      ["indices:data/write/index", "filebeat-7.10.2-2026.11.30"],
      ["indices:data/read/search", ".opendistro_security"],
      ["indices:data/write/index", ".opendistro_security"],
      ["indices:data/read/search", ".plugins-ml-config"],
      ["cluster:admin/opendistro/ism/policy/write"],
      ["cluster:admin/opensearch/snapshot_management/policy/write"],
      ["cluster:admin/snapshot/delete"],
      ["cluster:admin/repository/put"],
      ["cluster:admin/settings/update"],
      ["cluster:admin/opendistro/security/config/update"],
    ];
    for (const [action, index] of denied)
      assert.ok(!allowed(roles, action, index), `${action} ${index ?? ""} is granted`);
  });

  it("would have refused Filebeat's writes had its role named Filebeat's default index instead", () => {
    // The evaluator itself: a role on filebeat-* does not cover the day's Wazuh index.
    const wrong: Role = {
      cluster_permissions: ["indices:data/write/bulk"],
      index_permissions: [{ index_patterns: ["filebeat-*"], allowed_actions: ["crud", "create_index"] }],
    };
    assert.ok(!allowed([wrong], "indices:data/write/index", ALERTS));
    assert.ok(allowed([wrong], "indices:data/write/bulk"));
    assert.ok(!allowed([wrong], "indices:admin/template/put"));
  });

  it("let Filebeat in by basic authentication over TLS, without a client certificate", () => {
    // HTTP client authentication stays OPTIONAL, the plugin's default when clientauth_mode is unset
    // (opensearch-project/security SSL settings: http ClientAuth.OPTIONAL, transport REQUIRE):
    // Filebeat's filebeat.yml carries no client certificate, only username and keystore password.
    const settings = opensearchSettings({
      clusterName: "fortress-wazuh",
      nodeDn: subjectDn("wazuh-indexer"),
      adminDn: subjectDn("wazuh-indexer-admin"),
    }) as Record<string, unknown>;
    assert.equal(settings["plugins.security.ssl.http.enabled"], true);
    assert.ok(
      [undefined, "OPTIONAL"].includes(settings["plugins.security.ssl.http.clientauth_mode"] as string),
    );
    // The internal users' basic domain answers on HTTP, with or without Keycloak in front of people
    // (libbeat sends the Authorization header on every request, so no challenge is needed).
    for (const oidc of [
      undefined,
      { issuerUrl: "https://kc.lab/realms/fortress", caFile: "ca.pem", adminGroup: "a", userGroup: "u" },
    ]) {
      const document = securityConfigDocument(oidc) as {
        config: { dynamic: { http: { anonymous_auth_enabled: boolean }; authc: Record<string, any> } };
      };
      const basic = document.config.dynamic.authc.basic_internal_auth_domain;
      assert.equal(basic.http_enabled, true);
      assert.equal(basic.http_authenticator.type, "basic");
      assert.equal(basic.authentication_backend.type, "intern");
      assert.equal(document.config.dynamic.http.anonymous_auth_enabled, false);
    }
  });
});

/**
 * What Grafana's OpenSearch data source asks of the alert indices (grafana/opensearch-datasource@v2.34.2):
 * `_msearch` (pkg/opensearch/client/client.go executeBatchRequest), the health check's
 * `<index>/_mapping/field/timestamp` (pkg/opensearch/opensearch.go CheckHealth), the editor's `_mapping`,
 * and `<index>/_settings/index.number_of_shards` (client.go GetNumberOfShards).
 */
const GRAFANA_ALERTS = "wazuh-alerts-4.x-2026.11.30";
const GRAFANA: [string, string?][] = [
  ["indices:data/read/msearch"],
  ["indices:data/read/search", GRAFANA_ALERTS],
  ["indices:admin/mappings/fields/get", GRAFANA_ALERTS],
  ["indices:admin/mappings/get", GRAFANA_ALERTS],
  ["indices:monitor/settings/get", GRAFANA_ALERTS],
];

describe("Grafana's indexer role", () => {
  const grafana = INDEXER_USERS.find((user) => user.name === "fortress-grafana");
  const roles = rolesOf(grafana?.roles ?? []);

  it("grants every request the OpenSearch data source makes on the alert indices", () => {
    assert.deepEqual(grafana?.roles, ["fortress_grafana_reader"]);
    for (const [action, index] of GRAFANA)
      assert.ok(allowed(roles, action, index), `${action} ${index ?? ""}`);
  });

  it("denies writing, deleting, other indices and the security configuration", () => {
    const denied: [string, string?][] = [
      ["indices:data/write/index", GRAFANA_ALERTS],
      ["indices:data/write/bulk"],
      ["indices:data/write/delete/byquery", GRAFANA_ALERTS],
      ["indices:admin/delete", GRAFANA_ALERTS],
      ["indices:admin/settings/update", GRAFANA_ALERTS],
      ["indices:data/read/search", "wazuh-archives-4.x-2026.11.30"],
      ["indices:data/read/search", "thehive_global"],
      ["indices:data/read/search", ".opendistro_security"],
      ["cluster:monitor/health"],
      ["cluster:admin/opendistro/security/config/update"],
    ];
    for (const [action, index] of denied)
      assert.ok(!allowed(roles, action, index), `${action} ${index ?? ""} is granted`);
  });
});
