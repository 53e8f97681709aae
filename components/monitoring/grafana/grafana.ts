/**
 * Grafana's part of the monitoring layer (`fortress:monitoring:Grafana`): what kube-prometheus-stack's
 * Grafana needs beside its values. The admin account (a generated password, never the chart's), the
 * Keycloak client secret and the indexer password as Secrets the pod reads by env; the ConfigMaps-only
 * Role its sidecars use; the five dashboards as ConfigMaps the sidecar provisions read-only; the
 * certificate and the HTTPS ingress. `values` is the `grafana:` subtree to give the stack's chart.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { internalCertificate, tlsSecretName } from "../../kubernetes/certificate";
import type { PlainValues } from "../../kubernetes/helmRelease";
import { httpsIngress } from "../../kubernetes/ingress";
import { Postgres, type PostgresDatabase } from "../../identity/postgres";
import type { Dashboard } from "../contract";
import { type DashboardInput, dashboards } from "./dashboards";
import { GRAFANA_POD, type GrafanaNetworkArgs, grafanaPolicies } from "./policies";
import {
  ADMIN_USER,
  GRAFANA_SECRETS,
  GRAFANA_SERVICE,
  type GrafanaValuesArgs,
  grafanaValues,
  SIDECAR_ROLE,
} from "./values";

export const GRAFANA_TYPE = COMPONENT_TYPES.grafana;
/** The label and value kube-prometheus-stack's dashboard sidecar looks for. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;
export const CERTIFICATE_ID = "grafana";

export interface GrafanaArgs {
  /** The monitoring namespace (fortress-monitoring), plain: the chart renders at preview. */
  readonly namespace: string;
  /** The DNS name browsers use (stacks/hostnames.ts `grafana`). */
  readonly hostname: string;
  readonly clusterIssuer: string;
  readonly ingressClassName: string;
  /** Keycloak (the identity layer's issuerUrl, clientIds.grafana, clientSecrets.grafana). None: local admin only. */
  readonly oidc?: {
    readonly issuerUrl: string;
    readonly clientId: string;
    readonly clientSecret: pulumi.Input<string>;
  };
  /** The Wazuh indexer: its in-cluster URL and Grafana's read-only user (siem indexerAccess("grafana")). */
  readonly indexer?: {
    readonly url: string;
    readonly username: string;
    readonly password: pulumi.Input<string>;
  };
  /** Loki's HTTP API in the cluster, and its tenant when it runs with auth_enabled. */
  readonly loki?: { readonly url: string; readonly tenant?: string };
  readonly dashboards: DashboardInput;
  /** Who reaches Grafana and whom it reaches (its NetworkPolicies: policies.ts). */
  readonly network: GrafanaNetworkArgs;
  /** The container's memory (limit = request), MiB, from the lab's profile; none: the default (values.ts grafanaResources). */
  readonly memoryMib?: number;
  /**
   * More than one pod (the profile's `workloads.grafana.replicas`): a PostgreSQL of Grafana's own on a
   * protected claim of `storageClass`, the alerting peers, a PDB and anti-affinity (`resilience`:
   * required, else preferred). None: one pod on its SQLite, as always.
   */
  readonly replicas?: { readonly count: number; readonly resilience: boolean; readonly storageClass: string };
}

/** Grafana's own PostgreSQL when it runs replicas (components/identity/postgres.ts). */
export const GRAFANA_DB: PostgresDatabase = {
  name: "grafana",
  user: "grafana",
  service: "grafana-postgres",
  port: 5432,
  secret: GRAFANA_SECRETS.database.name,
};

/** A dashboard as the ConfigMap the sidecar loads (one JSON file, named by the dashboard's uid). */
export function dashboardConfigMapData(dashboard: Dashboard): Record<string, string> {
  return { [`${dashboard.uid}.json`]: `${JSON.stringify(dashboard.model, null, 2)}\n` };
}

export class Grafana extends pulumi.ComponentResource {
  /** The `grafana:` subtree of kube-prometheus-stack's values (plain data, no secret). */
  readonly values: PlainValues;
  readonly url: string;
  readonly adminUser: string;
  /** The break-glass admin's password (secret). */
  readonly adminPassword: pulumi.Output<string>;
  readonly dashboards: readonly Dashboard[];
  /** The objects the chart's pod needs before it starts: give them to the chart as dependsOn. */
  readonly prerequisites: readonly pulumi.Resource[];
  /** Grafana's PostgreSQL, with replicas only. */
  readonly postgres?: Postgres;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GRAFANA_TYPE, name, { hostname: args.hostname }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    const tlsSecret = tlsSecretName(CERTIFICATE_ID);
    const ha = args.replicas && args.replicas.count > 1 ? args.replicas : undefined;
    const valuesArgs: GrafanaValuesArgs = {
      hostname: args.hostname,
      tlsSecret,
      ...(args.oidc ? { oidc: { issuerUrl: args.oidc.issuerUrl, clientId: args.oidc.clientId } } : {}),
      ...(args.indexer ? { indexer: { url: args.indexer.url, username: args.indexer.username } } : {}),
      ...(args.loki ? { loki: args.loki } : {}),
      ...(args.memoryMib !== undefined ? { memoryMib: args.memoryMib } : {}),
      ...(ha
        ? {
            ha: {
              replicas: ha.count,
              resilience: ha.resilience,
              database: {
                host: `${GRAFANA_DB.service}.${ns}.svc:${GRAFANA_DB.port}`,
                name: GRAFANA_DB.name,
                user: GRAFANA_DB.user,
              },
            },
          }
        : {}),
    };
    this.values = grafanaValues(valuesArgs);
    this.url = `https://${args.hostname}`;
    this.adminUser = ADMIN_USER;

    const password = new random.RandomPassword(
      `${name}-admin-password`,
      { length: 40, special: false },
      child,
    );
    this.adminPassword = pulumi.secret(password.result);
    const secret = (id: string, secretName: string, data: Record<string, pulumi.Input<string>>) =>
      new k8s.core.v1.Secret(
        `${name}-${id}`,
        { metadata: { name: secretName, namespace: ns }, type: "Opaque", stringData: data },
        { ...child, additionalSecretOutputs: ["stringData", "data"] },
      );
    const { admin, oauth, indexer } = GRAFANA_SECRETS;
    const shared = ha ? this.sharedState(name, ns, ha.storageClass) : undefined;
    this.postgres = shared?.postgres;
    const secrets = [
      secret("admin", admin.name, { [admin.userKey]: ADMIN_USER, [admin.passwordKey]: this.adminPassword }),
      ...(args.oidc
        ? [secret("oauth", oauth.name, { [oauth.key]: pulumi.secret(args.oidc.clientSecret) })]
        : []),
      ...(args.indexer
        ? [secret("indexer", indexer.name, { [indexer.key]: pulumi.secret(args.indexer.password) })]
        : []),
      ...(shared?.resources ?? []),
    ];

    // The sidecars list and watch ConfigMaps in the namespace, and nothing else (the chart's own Role
    // would also read every Secret of it: grafana chart templates/role.yaml).
    const role = new k8s.rbac.v1.Role(
      `${name}-sidecar-role`,
      {
        metadata: { name: SIDECAR_ROLE, namespace: ns },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
      },
      child,
    );

    this.dashboards = dashboards(args.dashboards);
    for (const dashboard of this.dashboards) {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${dashboard.uid}`,
        {
          metadata: { name: `dashboard-${dashboard.uid}`, namespace: ns, labels: { ...DASHBOARD_LABEL } },
          data: dashboardConfigMapData(dashboard),
        },
        child,
      );
    }

    const certificate = internalCertificate(
      `${name}-certificate`,
      {
        id: CERTIFICATE_ID,
        namespace: ns,
        dnsNames: [args.hostname, GRAFANA_SERVICE, `${GRAFANA_SERVICE}.${ns}.svc`],
        clusterIssuer: args.clusterIssuer,
      },
      child,
    );
    httpsIngress(
      `${name}-ingress`,
      {
        name: GRAFANA_SERVICE,
        namespace: ns,
        host: args.hostname,
        service: GRAFANA_SERVICE,
        tlsSecret,
        ingressClassName: args.ingressClassName,
      },
      { ...child, dependsOn: [certificate] },
    );
    const policies = grafanaPolicies(name, ns, { ...args.network, ...(ha ? { peers: true } : {}) }, child);
    this.prerequisites = [...secrets, role, certificate, ...policies];
    this.registerOutputs({ url: this.url, adminUser: this.adminUser, adminPassword: this.adminPassword });
  }

  /**
   * What replicas share: the PostgreSQL (its Secret `grafana-db` holds the password GF_DATABASE_PASSWORD
   * reads) and one `security.secret_key` for every pod, generated (Grafana encrypts the data sources'
   * secrets in the database with it; its built-in default is public: conf/defaults.ini).
   */
  private sharedState(
    name: string,
    ns: string,
    storageClass: string,
  ): { postgres: Postgres; resources: pulumi.Resource[] } {
    const child = { parent: this };
    const postgres = new Postgres(
      `${name}-db`,
      {
        namespace: ns,
        storageClass,
        clientLabels: GRAFANA_POD,
        client: { id: "grafana", database: GRAFANA_DB, type: COMPONENT_TYPES.grafanaPostgres },
        protectedClaim: true,
      },
      child,
    );
    const key = new random.RandomPassword(`${name}-secret-key-random`, { length: 40, special: false }, child);
    const { secretKey } = GRAFANA_SECRETS;
    const secret = new k8s.core.v1.Secret(
      `${name}-secret-key`,
      {
        metadata: { name: secretKey.name, namespace: ns },
        type: "Opaque",
        stringData: { [secretKey.key]: pulumi.secret(key.result) },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    return { postgres, resources: [postgres, postgres.secret, secret] };
  }
}
