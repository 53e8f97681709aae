/**
 * The `grafana:` subtree of kube-prometheus-stack's values, as plain data (a helm.v4 Chart renders
 * nothing while a value is unknown: components/kubernetes/helmRelease.ts). No secret is in it: the
 * admin account, the OAuth client secret and the indexer password come from Secrets Fortress makes
 * (GRAFANA_SECRETS), by `admin.existingSecret` and by `envValueFrom`.
 *
 * Keys as the templates read them:
 * - grafana-community/helm-charts@3386a11 charts/grafana (12.11.1, app 13.2.0): templates/_pod.tpl
 *   (GF_SECURITY_ADMIN_USER/PASSWORD from `admin.existingSecret` with `userKey`/`passwordKey`;
 *   `envValueFrom` rendered as env valueFrom; `extraSecretMounts` as secret volumes with `items`;
 *   `plugins` → GF_PLUGINS_PREINSTALL_SYNC; the sidecars' `resources`/`securityContext`; the init
 *   container only with persistence), templates/secret.yaml (no admin Secret of the chart's own once
 *   `admin.existingSecret` is set), templates/_helpers.tpl `grafana.assertNoLeakedSecrets` (fails the
 *   render on `auth.generic_oauth.client_secret` and the other listed keys in grafana.ini),
 *   templates/role.yaml and rolebinding.yaml (`rbac.namespaced`, `rbac.useExistingRole`: the chart's
 *   own Role would read Secrets too), templates/service.yaml (`service.portName`).
 * - prometheus-community/helm-charts@cf408a2 charts/kube-prometheus-stack (88.5.3):
 *   templates/grafana/configmaps-datasources.yaml (the Prometheus and Alertmanager data sources with
 *   `sidecar.datasources.uid` and `.alertmanager.uid`, then `additionalDataSources` through `tpl`, all
 *   in a ConfigMap: so the indexer's password is `$__env{…}`, expanded by Grafana's provisioning),
 *   values.yaml `grafana.sidecar.dashboards.provider.allowUiUpdates`, `defaultDashboardsEditable`.
 */
import type { PlainValues } from "../../kubernetes/helmRelease";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../../kubernetes/securityContext";
import { ADMIN_GROUP, PKCE_S256 } from "../../identity/realm";
import { DATASOURCE_UIDS } from "../contract";
import { DATASOURCE_TYPES } from "./panels";
import { GRAFANA_POD } from "./policies";
import { ALERT_INDEX_PATTERN, ALERT_TIME_FIELD } from "./references";

/** The grafana/grafana image's user (its Dockerfile's GF_UID 472; the chart's securityContext default). */
export const GRAFANA_UID = 472;

export const GRAFANA_PINS = {
  image: { registry: "docker.io", repository: "grafana/grafana", tag: "13.2.0" },
  sidecar: { registry: "quay.io", repository: "kiwigrid/k8s-sidecar", tag: "2.10.1" },
  /**
   * The OpenSearch data source plugin (grafana/opensearch-datasource, tag v2.34.2: plugin.json id
   * `grafana-opensearch-datasource`, grafanaDependency >=10.4.0). Grafana downloads it from grafana.com
   * when the pod starts (GF_PLUGINS_PREINSTALL_SYNC): the pod needs that egress, or the data source is
   * missing. Grafana's own Elasticsearch data source is not used: it calls versions before 7.16
   * unsupported (grafana/grafana public/app/plugins/datasource/elasticsearch/utils.ts
   * `isSupportedVersion`, gte 7.16.0) and OpenSearch 2.19 reports 2.19.
   */
  opensearchPlugin: { id: "grafana-opensearch-datasource", version: "2.34.2" },
} as const;

/** The Wazuh indexer's OpenSearch version (Wazuh indexer 4.14 is OpenSearch 2.19). */
export const INDEXER_OPENSEARCH_VERSION = "2.19.0";

/** The Secrets Fortress makes for Grafana, and the keys the chart and the env read. */
export const GRAFANA_SECRETS = {
  admin: { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
  oauth: { name: "grafana-oauth", key: "client-secret" },
  indexer: { name: "grafana-indexer", key: "password" },
  /** With replicas: the shared PostgreSQL's password (components/identity/postgres.ts writes it). */
  database: { name: "grafana-db", key: "password" },
  /** With replicas: the key every pod encrypts the database's secrets with (one for all pods). */
  secretKey: { name: "grafana-secret-key", key: "secret-key" },
} as const;

/** The env the indexer password reaches Grafana by, read by the data source provisioning. */
export const INDEXER_PASSWORD_ENV = "FORTRESS_INDEXER_PASSWORD";
/** Where the lab CA (the `ca.crt` of Grafana's own certificate Secret) is mounted. */
export const CA_DIR = "/etc/fortress/ca";
export const CA_FILE = `${CA_DIR}/ca.crt`;
/** The Role the chart's RoleBinding names: ConfigMaps only (the chart's own Role adds Secrets). */
export const SIDECAR_ROLE = "grafana-sidecar";
/** The chart's objects' name (fullnameOverride): the Service the Ingress reaches. */
export const GRAFANA_SERVICE = "grafana";
/** The alerting peers' gossip port (TCP and UDP: grafana chart templates/_pod.tpl `gossipPortName`). */
export const GOSSIP_PORT = 9094;
/** The chart's headless Service (templates/headless-service.yaml: `<fullname>-headless`, port 9094). */
export const GRAFANA_HEADLESS_SERVICE = `${GRAFANA_SERVICE}-headless`;
export const ADMIN_USER = "fortress-admin";

export const GRAFANA_RESOURCES = {
  grafana: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  sidecar: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
} as const;

/**
 * The smallest Grafana let run: the server with its SQLite database, the Keycloak login and the
 * OpenSearch plugin (the sidecars have limits of their own, GRAFANA_RESOURCES.sidecar).
 */
export const GRAFANA_MINIMUM_MIB = 192;

/**
 * Grafana's container resources: a size from the lab's profile as limit = request (the scheduler
 * reserves what the budget counts), or, without one, GRAFANA_RESOURCES' burstable default.
 */
export function grafanaResources(memoryMib?: number): GrafanaResources {
  if (memoryMib === undefined) return GRAFANA_RESOURCES.grafana;
  if (!(memoryMib >= GRAFANA_MINIMUM_MIB))
    throw new Error(
      `grafana: needs at least ${GRAFANA_MINIMUM_MIB} MiB (fortress:workloads.grafana.memoryGb), not ${memoryMib}`,
    );
  const memory = `${Math.round(memoryMib)}Mi`;
  const { cpu: cpuRequest } = GRAFANA_RESOURCES.grafana.requests;
  const { cpu: cpuLimit } = GRAFANA_RESOURCES.grafana.limits;
  return { requests: { cpu: cpuRequest, memory }, limits: { cpu: cpuLimit, memory } };
}
type GrafanaResources = {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
};

export interface GrafanaValuesArgs {
  /** The DNS name browsers use (its certificate is the Secret `tlsSecret`). */
  readonly hostname: string;
  /** The Secret of Grafana's certificate (cert-manager writes `ca.crt`, the lab CA, beside it). */
  readonly tlsSecret: string;
  /** Keycloak: `https://<keycloak>/realms/<realm>` and the `grafana` client's id. None: local admin only. */
  readonly oidc?: { readonly issuerUrl: string; readonly clientId: string };
  /** The Wazuh indexer as Grafana reaches it in the cluster, and Grafana's read-only user. */
  readonly indexer?: { readonly url: string; readonly username: string };
  /** Loki's HTTP API in the cluster, and its tenant when Loki runs with auth_enabled. */
  readonly loki?: { readonly url: string; readonly tenant?: string };
  /** The container's memory (limit = request), MiB; none: GRAFANA_RESOURCES' default (grafanaResources). */
  readonly memoryMib?: number;
  /** More than one pod: the shared database and the alerting peers (haValues). None: one pod on SQLite. */
  readonly ha?: GrafanaHa;
}

/** Grafana's replicas (2 or more), their shared PostgreSQL, and whether their pods must sit on distinct nodes. */
export interface GrafanaHa {
  readonly replicas: number;
  /** The database as the pods reach it: `host:port`, its name and user; the password by GRAFANA_SECRETS.database. */
  readonly database: { readonly host: string; readonly name: string; readonly user: string };
  /** Required anti-affinity on kubernetes.io/hostname (the profile's `resilience`), else preferred. */
  readonly resilience: boolean;
}

/** Grafana's login through Keycloak (generic OAuth; the client secret only from the env). */
export function genericOauth(oidc: NonNullable<GrafanaValuesArgs["oidc"]>, rootUrl: string): PlainValues {
  if (!/^https:\/\/[^/\s]+\/realms\/[^/\s]+$/.test(oidc.issuerUrl))
    throw new Error(`grafana: ${oidc.issuerUrl} is no Keycloak realm URL`);
  const endpoint = (path: string) => `${oidc.issuerUrl}/protocol/openid-connect/${path}`;
  return {
    enabled: true,
    name: "Keycloak",
    allow_sign_up: true,
    auto_login: false,
    client_id: oidc.clientId,
    scopes: "openid email profile",
    email_attribute_path: "email",
    login_attribute_path: "preferred_username",
    name_attribute_path: "name",
    auth_url: endpoint("auth"),
    token_url: endpoint("token"),
    api_url: endpoint("userinfo"),
    signout_redirect_url: `${endpoint("logout")}?client_id=${encodeURIComponent(oidc.clientId)}&post_logout_redirect_uri=${encodeURIComponent(`${rootUrl}login`)}`,
    // The realm's `groups` claim (realm.ts, full.path false): admins administer, everyone else views.
    role_attribute_path: `contains(groups[*], '${ADMIN_GROUP}') && 'Admin' || 'Viewer'`,
    role_attribute_strict: false,
    allow_assign_grafana_admin: false,
    use_pkce: PKCE_S256.grafana,
    use_refresh_token: true,
    tls_skip_verify_insecure: false,
    tls_client_ca: CA_FILE,
  };
}

/** grafana.ini: the public URL, Keycloak, no analytics calls, secure cookies; with replicas, the shared state. */
function grafanaIni(args: GrafanaValuesArgs): PlainValues {
  const rootUrl = `https://${args.hostname}/`;
  return {
    ...(args.ha ? haIni(args.ha) : {}),
    server: { domain: args.hostname, root_url: rootUrl, enforce_domain: false },
    analytics: { check_for_updates: false, check_for_plugin_updates: false, reporting_enabled: false },
    security: { cookie_secure: true, disable_gravatar: true, allow_embedding: false },
    users: { allow_sign_up: false, allow_org_create: false, auto_assign_org_role: "Viewer" },
    "auth.anonymous": { enabled: false },
    ...(args.oidc ? { "auth.generic_oauth": genericOauth(args.oidc, rootUrl) } : {}),
  };
}

/**
 * The Loki and indexer data sources (kube-prometheus-stack's `additionalDataSources`). Grafana expands
 * `$__env{…}` and `$__file{…}` in every string of a provisioning file when it reads it
 * (grafana/grafana pkg/services/provisioning/values/values.go `interpolateValue`: setting.ExpandVar,
 * then os.ExpandEnv), so the password and the CA stay out of the ConfigMap.
 */
export function additionalDataSources(args: GrafanaValuesArgs): PlainValues[] {
  const sources: PlainValues[] = [];
  if (args.loki) {
    const tenant = args.loki.tenant;
    sources.push({
      name: "Loki",
      type: DATASOURCE_TYPES.loki,
      uid: DATASOURCE_UIDS.loki,
      access: "proxy",
      url: args.loki.url,
      editable: false,
      jsonData: { maxLines: 1000, ...(tenant ? { httpHeaderName1: "X-Scope-OrgID" } : {}) },
      ...(tenant ? { secureJsonData: { httpHeaderValue1: tenant } } : {}),
    });
  }
  if (args.indexer) {
    if (!/^https:\/\//.test(args.indexer.url))
      throw new Error(`grafana: the indexer ${args.indexer.url} is not https`);
    sources.push({
      name: "Wazuh alerts",
      type: DATASOURCE_TYPES.alerts,
      uid: DATASOURCE_UIDS.alerts,
      access: "proxy",
      url: args.indexer.url,
      editable: false,
      basicAuth: true,
      basicAuthUser: args.indexer.username,
      jsonData: {
        // grafana/opensearch-datasource@v2.34.2 src/types.ts OpenSearchOptions; the backend checks
        // flavor, version and timeField (pkg/opensearch/opensearch.go CheckHealth).
        flavor: "opensearch",
        version: INDEXER_OPENSEARCH_VERSION,
        database: ALERT_INDEX_PATTERN,
        timeField: ALERT_TIME_FIELD,
        pplEnabled: false,
        maxConcurrentShardRequests: 5,
        logMessageField: "full_log",
        logLevelField: "rule.level",
        tlsAuthWithCACert: true,
      },
      secureJsonData: {
        basicAuthPassword: `$__env{${INDEXER_PASSWORD_ENV}}`,
        tlsCACert: `$__file{${CA_FILE}}`,
      },
    });
  }
  return sources;
}

const secretEnv = (name: string, key: string) => ({ secretKeyRef: { name, key } });

/**
 * grafana.ini for replicas (grafana/grafana docs/sources/setup-grafana/set-up-for-high-availability.md:
 * a shared MySQL or PostgreSQL; the alerting peers gossip on 9094). The peers are the chart's headless
 * Service, each pod listening and advertising on its own IP: the chart gives every pod POD_IP
 * (templates/_pod.tpl), and Grafana expands `${VAR}` in grafana.ini (the chart README's HA example,
 * grafana-community/helm-charts@3386a11 charts/grafana/README.md). The database password is not here:
 * GF_DATABASE_PASSWORD comes from its Secret (haEnv), and so does `security.secret_key`.
 */
function haIni(ha: GrafanaHa): PlainValues {
  const peer = `\${POD_IP}:${GOSSIP_PORT}`;
  return {
    database: {
      type: "postgres",
      host: ha.database.host,
      name: ha.database.name,
      user: ha.database.user,
      // The official postgres image serves no TLS; the NetworkPolicies admit Grafana's pods only.
      ssl_mode: "disable",
    },
    unified_alerting: {
      enabled: true,
      ha_peers: `${GRAFANA_HEADLESS_SERVICE}:${GOSSIP_PORT}`,
      ha_listen_address: peer,
      ha_advertise_address: peer,
    },
  };
}

/** The env of the shared state's secrets (Grafana maps GF_<SECTION>_<KEY> onto grafana.ini). */
function haEnv(): PlainValues {
  const { database, secretKey } = GRAFANA_SECRETS;
  return {
    GF_DATABASE_PASSWORD: secretEnv(database.name, database.key),
    GF_SECURITY_SECRET_KEY: secretEnv(secretKey.name, secretKey.key),
  };
}

/**
 * The chart values for replicas: the headless Service the peers find each other by, a
 * PodDisruptionBudget of one pod at a time (templates/poddisruptionbudget.yaml) and anti-affinity on
 * kubernetes.io/hostname over the chart's selector label (`affinity` goes through `tpl`: _pod.tpl).
 */
function haValues(ha: GrafanaHa): PlainValues {
  if (!(Number.isInteger(ha.replicas) && ha.replicas >= 2))
    throw new Error(`grafana: replicas with a shared database are 2 or more, not ${ha.replicas}`);
  const term = {
    labelSelector: { matchLabels: { ...GRAFANA_POD } },
    topologyKey: "kubernetes.io/hostname",
  };
  const podAntiAffinity: PlainValues = ha.resilience
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
  return {
    replicas: ha.replicas,
    headlessService: true,
    podDisruptionBudget: { maxUnavailable: 1 },
    affinity: { podAntiAffinity },
  };
}

/** The `grafana:` subtree of kube-prometheus-stack's values. */
export function grafanaValues(args: GrafanaValuesArgs): PlainValues {
  if (!/^[a-z0-9.-]+$/.test(args.hostname)) throw new Error(`grafana: ${args.hostname} is no host name`);
  const sidecarSecurity = restrictedContainerSecurity(GRAFANA_UID);
  return {
    enabled: true,
    fullnameOverride: GRAFANA_SERVICE,
    defaultDashboardsEditable: false,
    image: { ...GRAFANA_PINS.image },
    admin: {
      existingSecret: GRAFANA_SECRETS.admin.name,
      userKey: GRAFANA_SECRETS.admin.userKey,
      passwordKey: GRAFANA_SECRETS.admin.passwordKey,
    },
    "grafana.ini": grafanaIni(args),
    envValueFrom: {
      ...(args.oidc
        ? {
            GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: secretEnv(
              GRAFANA_SECRETS.oauth.name,
              GRAFANA_SECRETS.oauth.key,
            ),
          }
        : {}),
      ...(args.indexer
        ? { [INDEXER_PASSWORD_ENV]: secretEnv(GRAFANA_SECRETS.indexer.name, GRAFANA_SECRETS.indexer.key) }
        : {}),
      ...(args.ha ? haEnv() : {}),
    },
    plugins: args.indexer
      ? [`${GRAFANA_PINS.opensearchPlugin.id}@${GRAFANA_PINS.opensearchPlugin.version}`]
      : [],
    extraSecretMounts: [
      {
        name: "fortress-ca",
        mountPath: CA_DIR,
        secretName: args.tlsSecret,
        readOnly: true,
        defaultMode: 0o444,
        items: [{ key: "ca.crt", path: "ca.crt" }],
      },
    ],
    service: { portName: "http" },
    ingress: { enabled: false },
    // No volume: dashboards and data sources are provisioned; with replicas the state is in PostgreSQL.
    persistence: { enabled: false },
    ...(args.ha ? haValues(args.ha) : {}),
    initChownData: { enabled: false },
    testFramework: { enabled: false },
    rbac: { create: true, namespaced: true, useExistingRole: SIDECAR_ROLE, pspEnabled: false },
    securityContext: restrictedPodSecurity(GRAFANA_UID),
    containerSecurityContext: restrictedContainerSecurity(GRAFANA_UID),
    resources: grafanaResources(args.memoryMib),
    sidecar: {
      image: { ...GRAFANA_PINS.sidecar },
      resources: GRAFANA_RESOURCES.sidecar,
      securityContext: sidecarSecurity,
      dashboards: {
        enabled: true,
        label: "grafana_dashboard",
        labelValue: "1",
        searchNamespace: null,
        resource: "configmap",
        // disableDelete false: a dashboard whose ConfigMap goes is deleted, not left behind as an ordinary,
        // editable one (grafana pkg/services/provisioning/dashboards/file_reader.go, DisableDeletion).
        provider: { allowUiUpdates: false, disableDelete: false },
      },
      datasources: {
        enabled: true,
        label: "grafana_datasource",
        labelValue: "1",
        searchNamespace: null,
        resource: "configmap",
        uid: DATASOURCE_UIDS.prometheus,
        alertmanager: { enabled: true, uid: DATASOURCE_UIDS.alertmanager },
      },
    },
    additionalDataSources: additionalDataSources(args),
  };
}
