/**
 * The indexer's security configuration (the OpenSearch security plugin's config.yml, roles.yml,
 * roles_mapping.yml and internal_users.yml), rendered from Fortress's users and roles. Pure: the
 * caller passes bcrypt hashes already made (passwordHash.ts), and keeps internal_users.yml secret.
 *
 * Keys as the plugin reads them (opensearch-project/security@2.19.5.0): config/config.yml (auth
 * domains, `challenge`, `authentication_backend.type` intern/noop), HTTPJwtKeyByOpenIdConnectAuthenticator.java
 * and AbstractHTTPJwtAuthenticator.java (`openid_connect_url`, `subject_key`, `roles_key`,
 * `required_issuer`, `openid_connect_idp.*`), src/main/resources/static_config/static_roles.yml (the
 * static roles mapped here: all_access, kibana_server, kibana_user, readall). The Wazuh roles
 * `wazuh_ui_user`/`wazuh_ui_admin` are the image's (wazuh/wazuh-docker@v4.14.6:
 * build-docker-images/wazuh-indexer/config/roles.yml), kept so that the Wazuh app finds them.
 */
import { SHIPPED_INDICES, SYSLOG_INDICES } from "../shipping/streams";
import { renderYaml } from "./yaml";

/** What a Fortress indexer user is for. Each gets its own user, never admin. */
export type IndexerUserName =
  | "fortress-breakglass"
  | "fortress-dashboard"
  | "fortress-filebeat"
  | "fortress-thehive"
  | "fortress-cortex"
  | "fortress-vector"
  | "fortress-exporter"
  | "fortress-grafana"
  | "fortress-vector-aggregator";

export interface IndexerUser {
  readonly name: IndexerUserName;
  readonly description: string;
  /** Roles of roles.yml (Fortress's own or the plugin's static ones) the user is mapped to by name. */
  readonly roles: readonly string[];
}

/** Every index Wazuh writes alerts and archives to (the manager's Filebeat template, wazuh-template.json). */
export const WAZUH_EVENT_INDICES = ["wazuh-alerts-*", "wazuh-archives-*"] as const;

/**
 * The indices the Wazuh Filebeat module writes: its filesets' `index_prefix` (`wazuh-alerts-4.x-`,
 * `wazuh-archives-4.x-`) plus the day, set by the ingest pipeline's `date_index_name` processor, which
 * rewrites the index of each event that Filebeat sends; the same patterns as the template it loads
 * (wazuh/wazuh@v4.14.6 extensions/filebeat/7.x/wazuh-module/{alerts,archives}/manifest.yml,
 * alerts/ingest/pipeline.json, extensions/elasticsearch/7.x/wazuh-template.json `index_patterns`).
 */
export const FILEBEAT_INDICES = ["wazuh-alerts-4.x-*", "wazuh-archives-4.x-*"] as const;
/**
 * The manager's own indexer connector (wazuh-modulesd, the `<indexer>` block of ossec.conf, the same
 * user through the keystore) keeps state indices: `wazuh-states-vulnerabilities-<cluster>` and
 * `wazuh-states-inventory-*` (wazuh/wazuh@v4.14.6 src/wazuh_modules/vulnerability_scanner
 * policyManager.hpp `STATES_VD_INDEX_NAME_PREFIX`, inventory_harvester policyHarvesterManager.hpp
 * `STATES_INDEX_NAME_PREFIX`), with a `-backup` clone while it migrates mappings.
 */
export const STATE_INDICES = ["wazuh-states-*"] as const;

/**
 * Fortress's own roles, least privilege per consumer.
 *
 * fortress_filebeat is what Filebeat 7.10 (the Wazuh module, components/siem/manager/filebeat.ts) does,
 * and no more: `GET /` and the ingest nodes' info (cluster_monitor); the legacy `wazuh` template
 * (`setup.template.json.*` with overwrite: `indices:admin/template/get`/`put`, which the security
 * plugin judges as cluster permissions, opensearch-project/security PrivilegesEvaluator `isClusterPerm`);
 * the module's two ingest pipelines, loaded when Filebeat connects (`cluster:admin/ingest/pipeline/get`/
 * `put`); no ILM (`setup.ilm.enabled: false`); `_bulk` (a cluster permission, `indices:data/write/bulk`,
 * not cluster_composite_ops, which adds aliases and reindex); and on the module's indices only
 * `index` (index, update, bulk items, mapping put; no delete, no read), `create_index` for each day's
 * new index and `indices:admin/mapping/auto_put` for the template's dynamic fields. The static
 * `logstash` role (static_roles.yml) has the same cluster set plus cluster_composite_ops, and `crud`
 * on `*beat*` and `logstash-*`: Filebeat's own default index names, which the pipeline replaces here.
 *
 * fortress_manager_states is the indexer connector's: it puts a composable template per state index
 * (`_index_template`), creates the index, compares its mapping, and when the template's mapping
 * changed, blocks writes, reads settings, lists the indices (`_cat/indices`), clones to `-backup`,
 * deletes, `_reindex`es back and deletes the backup; it writes by `_bulk` and `_delete_by_query` and
 * reads back by scroll (wazuh/wazuh@v4.14.6 src/shared_modules/indexer_connector/src/indexerConnector.cpp
 * `initialize`, `validateMappings`, `rollbackIndexChanges`, the sync queue): `crud` and `manage` on
 * the state indices, index monitoring on every index for `_cat/indices`, nothing on alerts.
 *
 * fortress_vector is what Vector's `elasticsearch` sink does against OpenSearch with `api_version: v7`
 * (components/shipping/vectorConfig.ts), and no more: its healthcheck `GET /_cluster/health`
 * (`cluster:monitor/health`), `_bulk` with the `index` action into each stream's daily index
 * (vectordotdev/vector@v0.57.0 src/sinks/elasticsearch/common.rs `healthcheck`, encoder.rs bulk
 * action lines), `create_index` for each day's new index and `auto_put` for dynamic mappings, on the
 * shipped streams' indices only. No version probe (`GET /`, used only with `api_version: auto`), no
 * read, no template, nothing on Wazuh's indices.
 *
 * fortress_exporter is the monitoring layer's elasticsearch exporter (prometheus-community/
 * elasticsearch_exporter@v1.11.0, README.md "security privileges": `cluster` `monitor` for its defaults
 * and `--es.all`, `indices` `monitor` for index stats): the static action groups `cluster_monitor`
 * (`cluster:monitor/*`: `GET /`, cluster health, node stats) and `indices_monitor` (`indices:monitor/*`)
 * (opensearch-project/security@1a875f5:src/main/resources/static_config/static_action_groups.yml). No
 * read of any document, no snapshot (`cluster:admin/snapshot/*` is manage_snapshots, so the exporter's
 * `--collector.snapshots` stays off), nothing written.
 *
 * fortress_syslog is the same for the monitoring layer's Vector aggregator (components/monitoring/logs),
 * on the syslog indices only: it cannot write the VMs' streams, and they cannot write syslog.
 */
export const FORTRESS_ROLES = {
  fortress_filebeat: {
    description: "The Wazuh manager's Filebeat: writes alerts and archives, loads its template and pipelines",
    cluster_permissions: [
      "cluster_monitor",
      "indices:data/write/bulk",
      "indices:admin/template/get",
      "indices:admin/template/put",
      "cluster:admin/ingest/pipeline/get",
      "cluster:admin/ingest/pipeline/put",
    ],
    index_permissions: [
      {
        index_patterns: [...FILEBEAT_INDICES],
        allowed_actions: ["index", "create_index", "indices:admin/mapping/auto_put"],
      },
    ],
  },
  fortress_manager_states: {
    description: "The Wazuh manager's indexer connector: keeps the vulnerability and inventory state indices",
    cluster_permissions: [
      "cluster_monitor",
      "indices:data/write/bulk",
      "indices:data/write/reindex",
      // Scrolls are judged as cluster permissions (isClusterPerm): the sync reads its index back by scroll.
      "indices:data/read/scroll*",
      "indices:admin/index_template/get",
      "indices:admin/index_template/put",
    ],
    index_permissions: [
      { index_patterns: [...STATE_INDICES], allowed_actions: ["crud", "manage"] },
      { index_patterns: ["*"], allowed_actions: ["indices_monitor"] },
    ],
  },
  fortress_vector: {
    description: "Vector on the sensor and vulnerability VMs: writes the shipped streams' daily indices",
    cluster_permissions: ["cluster:monitor/health", "indices:data/write/bulk"],
    index_permissions: [
      {
        index_patterns: [...SHIPPED_INDICES],
        allowed_actions: ["index", "create_index", "indices:admin/mapping/auto_put"],
      },
    ],
  },
  fortress_exporter: {
    description:
      "The monitoring layer's exporter: cluster and index statistics, no document, nothing written",
    cluster_permissions: ["cluster_monitor"],
    index_permissions: [{ index_patterns: ["*"], allowed_actions: ["indices_monitor"] }],
  },
  fortress_syslog: {
    description: "The monitoring layer's Vector aggregator: writes the syslog daily indices",
    cluster_permissions: ["cluster:monitor/health", "indices:data/write/bulk"],
    index_permissions: [
      {
        index_patterns: [...SYSLOG_INDICES],
        allowed_actions: ["index", "create_index", "indices:admin/mapping/auto_put"],
      },
    ],
  },
  fortress_alerts_reader: {
    description: "Reads Wazuh alerts (TheHive, Cortex): search and get, nothing written",
    cluster_permissions: ["cluster_composite_ops_ro"],
    index_permissions: [
      {
        index_patterns: ["wazuh-alerts-*"],
        allowed_actions: ["read", "indices:admin/mappings/get", "indices:admin/resolve/index"],
      },
    ],
  },
  // Grafana's OpenSearch data source (grafana/opensearch-datasource@v2.34.2, PPL off): `_msearch`
  // (cluster indices:data/read/msearch, then search on each index), the time field's mapping in its
  // health check (pkg/opensearch/opensearch.go CheckHealth: `<index>/_mapping/field/<field>`), the
  // index mapping for the query editor (`_mapping`), and `_settings/index.number_of_shards`
  // (pkg/opensearch/client/client.go GetNumberOfShards) — on the alert indices only.
  fortress_grafana_reader: {
    description: "Grafana's Wazuh alerts data source: searches the alert indices and reads their mappings",
    cluster_permissions: ["cluster_composite_ops_ro"],
    index_permissions: [
      {
        index_patterns: ["wazuh-alerts-*"],
        allowed_actions: ["read", "indices:admin/mappings/get", "indices:monitor/settings/get"],
      },
    ],
  },
  // TheHive and Cortex keep their own indices on the shared indexer (components/response). TheHive's
  // index account "must have the manage cluster privilege … and the all indices privilege, specifically
  // for the thehive* indices" (docs.strangebee.com thehive/configuration/database); JanusGraph's client
  // puts templates, creates indices, writes by _bulk and reads by scroll. Cortex keeps `cortex*`
  // (docs.strangebee.com cortex/installation-and-configuration/database: `search.index = cortex`).
  fortress_thehive_index: {
    description: "TheHive's own indices (JanusGraph's index backend): everything on thehive*, nothing else",
    cluster_permissions: [
      "cluster_monitor",
      "cluster_composite_ops",
      "indices:data/read/scroll*",
      "indices:admin/template/*",
      "indices:admin/index_template/*",
    ],
    index_permissions: [
      { index_patterns: ["thehive*"], allowed_actions: ["crud", "create_index", "manage"] },
    ],
  },
  fortress_cortex_index: {
    description: "Cortex's own indices: everything on cortex*, nothing else",
    cluster_permissions: [
      "cluster_monitor",
      "cluster_composite_ops",
      "indices:data/read/scroll*",
      "indices:admin/template/*",
      "indices:admin/index_template/*",
    ],
    index_permissions: [{ index_patterns: ["cortex*"], allowed_actions: ["crud", "create_index", "manage"] }],
  },
} as const;

/** The image's Wazuh app roles (wazuh-docker@v4.14.6 roles.yml), which the dashboard's app expects. */
const WAZUH_APP_ROLES = {
  wazuh_ui_user: {
    reserved: true,
    hidden: false,
    cluster_permissions: [],
    index_permissions: [
      { index_patterns: ["wazuh-*"], dls: "", fls: [], masked_fields: [], allowed_actions: ["read"] },
    ],
    tenant_permissions: [],
    static: false,
  },
  wazuh_ui_admin: {
    reserved: true,
    hidden: false,
    cluster_permissions: [],
    index_permissions: [
      {
        index_patterns: ["wazuh-*"],
        dls: "",
        fls: [],
        masked_fields: [],
        allowed_actions: ["read", "delete", "manage", "index"],
      },
    ],
    tenant_permissions: [],
    static: false,
  },
} as const;

export const INDEXER_USERS: readonly IndexerUser[] = [
  {
    name: "fortress-breakglass",
    description: "Break-glass administrator (stack secret output)",
    roles: ["all_access"],
  },
  {
    name: "fortress-dashboard",
    description: "The Wazuh dashboard's server user (replaces kibanaserver)",
    // As the image maps kibanaserver (roles_mapping.yml), without manage_ism: Fortress manages ISM itself.
    roles: ["kibana_server", "wazuh_ui_admin"],
  },
  {
    name: "fortress-filebeat",
    description: "The Wazuh manager: its Filebeat and its indexer connector (one keystore user)",
    roles: ["fortress_filebeat", "fortress_manager_states"],
  },
  {
    name: "fortress-thehive",
    description: "TheHive: its own index (thehive*) and reads alerts",
    roles: ["fortress_alerts_reader", "fortress_thehive_index"],
  },
  {
    name: "fortress-cortex",
    description: "Cortex: its own index (cortex*) and reads alerts",
    roles: ["fortress_alerts_reader", "fortress_cortex_index"],
  },
  {
    name: "fortress-vector",
    description: "Vector on the sensor and vulnerability VMs: writes the shipped streams",
    roles: ["fortress_vector"],
  },
  {
    name: "fortress-exporter",
    description: "The monitoring layer's elasticsearch exporter: cluster and index statistics only",
    roles: ["fortress_exporter"],
  },
  {
    name: "fortress-grafana",
    description: "Grafana: reads Wazuh alerts for the dashboards",
    roles: ["fortress_grafana_reader"],
  },
  {
    name: "fortress-vector-aggregator",
    description: "The monitoring layer's Vector aggregator: writes syslog (OPNsense, the hosts)",
    roles: ["fortress_syslog"],
  },
];

/** Keycloak groups (the token's `groups` claim, realm.ts) as backend roles, and what they may do. */
export interface OidcSpec {
  /** `https://<keycloak>/realms/<realm>`: the issuer the tokens carry. */
  readonly issuerUrl: string;
  /** The CA bundle the indexer trusts Keycloak's certificate with (a file in its config directory). */
  readonly caFile: string;
  readonly adminGroup: string;
  readonly userGroup: string;
}

export interface SecurityConfigSpec {
  /** Omitted, only basic authentication is configured (no Keycloak in the lab). */
  readonly oidc?: OidcSpec;
  /** Each user's bcrypt hash. */
  readonly hashes: Readonly<Record<IndexerUserName, string>>;
}

const meta = (type: string) => ({ type, config_version: 2 });

export function securityConfigDocument(oidc: OidcSpec | undefined): Record<string, unknown> {
  const basic = {
    description: "Fortress's own users: the break-glass admin and the services' index-scoped users",
    http_enabled: true,
    transport_enabled: true,
    order: 0,
    // No browser challenge: browsers sign in through the dashboard (OpenID first, basic as fallback).
    http_authenticator: { type: "basic", challenge: oidc === undefined },
    authentication_backend: { type: "intern" },
  };
  const authc: Record<string, unknown> = { basic_internal_auth_domain: basic };
  if (oidc) {
    if (!/^https:\/\/[^/\s]+\/realms\/[^/\s]+$/.test(oidc.issuerUrl))
      throw new Error(`security config: ${oidc.issuerUrl} is no Keycloak realm URL`);
    authc.openid_auth_domain = {
      description: "Keycloak (OpenID Connect): people sign in through the realm",
      http_enabled: true,
      transport_enabled: true,
      order: 1,
      http_authenticator: {
        type: "openid",
        challenge: false,
        config: {
          subject_key: "preferred_username",
          roles_key: "groups",
          openid_connect_url: `${oidc.issuerUrl}/.well-known/openid-configuration`,
          required_issuer: oidc.issuerUrl,
          openid_connect_idp: {
            enable_ssl: true,
            verify_hostnames: true,
            pemtrustedcas_filepath: oidc.caFile,
          },
        },
      },
      authentication_backend: { type: "noop" },
    };
  }
  return {
    _meta: meta("config"),
    config: { dynamic: { http: { anonymous_auth_enabled: false }, authc, authz: {} } },
  };
}

export function rolesDocument(): Record<string, unknown> {
  return { _meta: meta("roles"), ...WAZUH_APP_ROLES, ...FORTRESS_ROLES };
}

/** Roles → users, and for people, Keycloak groups → roles. */
export function rolesMappingDocument(oidc: OidcSpec | undefined): Record<string, unknown> {
  const mapping: Record<string, { users: string[]; backend_roles: string[] }> = {};
  const add = (role: string, kind: "users" | "backend_roles", who: string) => {
    mapping[role] ??= { users: [], backend_roles: [] };
    mapping[role][kind].push(who);
  };
  for (const user of INDEXER_USERS) for (const role of user.roles) add(role, "users", user.name);
  if (oidc) {
    for (const role of ["all_access", "wazuh_ui_admin"]) add(role, "backend_roles", oidc.adminGroup);
    for (const role of ["kibana_user", "wazuh_ui_user"]) add(role, "backend_roles", oidc.userGroup);
  }
  return {
    _meta: meta("rolesmapping"),
    ...Object.fromEntries(
      Object.entries(mapping).map(([role, who]) => [
        role,
        { reserved: false, users: who.users, backend_roles: who.backend_roles },
      ]),
    ),
  };
}

/** bcrypt as the plugin checks it (`$2a$`/`$2b$`/`$2y$`, cost 4–31, 22 + 31 characters). */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export function internalUsersDocument(
  hashes: Readonly<Record<IndexerUserName, string>>,
): Record<string, unknown> {
  return {
    _meta: meta("internalusers"),
    ...Object.fromEntries(
      INDEXER_USERS.map((user) => {
        const hash = hashes[user.name];
        if (!BCRYPT_HASH.test(hash)) throw new Error(`internal_users.yml: ${user.name} has no bcrypt hash`);
        return [user.name, { hash, reserved: true, backend_roles: [], description: user.description }];
      }),
    ),
  };
}

/** The four files, by the names the plugin reads from opensearch-security/. */
export function renderSecurityConfig(spec: SecurityConfigSpec): Record<SecurityFile, string> {
  return {
    "config.yml": renderYaml(securityConfigDocument(spec.oidc)),
    "roles.yml": renderYaml(rolesDocument()),
    "roles_mapping.yml": renderYaml(rolesMappingDocument(spec.oidc)),
    "internal_users.yml": renderYaml(internalUsersDocument(spec.hashes)),
  };
}

export const SECURITY_FILES = ["config.yml", "roles.yml", "roles_mapping.yml", "internal_users.yml"] as const;
export type SecurityFile = (typeof SECURITY_FILES)[number];

/** securityadmin.sh's `-t` type for each file (opensearch-project/security CType: config, roles, rolesmapping, internalusers). */
export const SECURITY_FILE_TYPES: Readonly<Record<SecurityFile, string>> = {
  "config.yml": "config",
  "roles.yml": "roles",
  "roles_mapping.yml": "rolesmapping",
  "internal_users.yml": "internalusers",
};
