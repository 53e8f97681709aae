/**
 * The siem layer: the Wazuh indexer and dashboard in the cluster (the manager runs on a VM of its own,
 * components/siem/manager/, which the composition adds beside them). Hands each consumer of the
 * indexer its own index-scoped user (`IndexerAccess`), never admin, and keeps the break-glass admin
 * as a secret output.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { IndexerAccess } from "./contract";
import { WazuhDashboard } from "./dashboard";
import { WazuhIndexer } from "./indexer";
import { DASHBOARD_LABELS } from "./labels";
import { retention, type Retention, type SnapshotSchedule, DEFAULT_SNAPSHOTS } from "./retention";
import type { IndexerUserName } from "./securityConfig";

export const SIEM_TYPE = COMPONENT_TYPES.siem;

/** The indexer's consumers, each with its own user (securityConfig.ts INDEXER_USERS). */
export type IndexerConsumer = "filebeat" | "thehive" | "cortex" | "vector";
const CONSUMER_USERS: Readonly<Record<IndexerConsumer, IndexerUserName>> = {
  filebeat: "fortress-filebeat",
  thehive: "fortress-thehive",
  cortex: "fortress-cortex",
  vector: "fortress-vector",
};

export interface SiemArgs {
  /** The namespace the platform layer made for the layer (fortress-siem). */
  readonly namespace: string;
  readonly clusterIssuer: string;
  readonly caCertificatePem: pulumi.Input<string>;
  readonly storageClass: string;
  /** The snapshot repository's class: the RWX (NFS) class when the lab has one, so snapshots leave the node. */
  readonly snapshotStorageClass: string;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  /** The dashboard's DNS name. */
  readonly dashboardHostname: string;
  /** The node label of the indexer pool. */
  readonly indexerNodeSelector: Readonly<Record<string, string>>;
  /** The indexer's data volume and the lab's ingest estimate: retention follows from them. */
  readonly indexer: {
    readonly dataGi: number;
    readonly snapshotGi: number;
    readonly ingestGbPerDay: number;
    readonly maxRetentionDays: number;
    readonly snapshots?: SnapshotSchedule;
  };
  /** Keycloak: the realm's issuer, the `wazuh-dashboard` client and the groups that map to roles. */
  readonly oidc?: {
    readonly issuerUrl: string;
    readonly clientId: string;
    readonly clientSecret: pulumi.Input<string>;
    readonly adminGroup: string;
    readonly userGroup: string;
    /** Keycloak's namespace and the ingress controller's, which the pods reach for OIDC. */
    readonly namespaces: readonly string[];
  };
  /** The namespaces of the later consumers (TheHive and Cortex: response; Vector: monitoring). */
  readonly consumerNamespaces: readonly string[];
  /** The manager VM, once it is built. */
  readonly manager?: {
    readonly address: string;
    readonly indexerNodeAddress: string;
    /** The manager's Wazuh API, https://<address or name> without the port (an Output of what built it). */
    readonly api?: { readonly url: pulumi.Input<string> };
  };
}

export class Siem extends pulumi.ComponentResource {
  readonly indexer: WazuhIndexer;
  readonly dashboard: WazuhDashboard;
  readonly retention: Retention;
  /** The break-glass administrator of the indexer (password secret). */
  readonly breakGlass: { readonly username: string; readonly password: pulumi.Output<string> };
  readonly dashboardUrl: string;
  /**
   * The Wazuh API user the dashboard's Wazuh app signs in with (password secret): the manager must
   * create it (with a role that lets `run_as` map people to their Wazuh RBAC roles).
   */
  readonly dashboardApiUser: { readonly username: string; readonly password: pulumi.Output<string> };

  constructor(name: string, args: SiemArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SIEM_TYPE, name, { namespace: args.namespace, dashboard: args.dashboardHostname }, opts);
    const child = { parent: this };
    this.retention = retention({
      dataDiskGb: args.indexer.dataGi,
      ingestGbPerDay: args.indexer.ingestGbPerDay,
      maxDays: args.indexer.maxRetentionDays,
    });
    this.indexer = new WazuhIndexer(
      `${name}-indexer`,
      {
        namespace: args.namespace,
        clusterIssuer: args.clusterIssuer,
        caCertificatePem: args.caCertificatePem,
        storageClass: args.storageClass,
        dataGi: args.indexer.dataGi,
        snapshotStorageClass: args.snapshotStorageClass,
        snapshotGi: args.indexer.snapshotGi,
        nodeSelector: args.indexerNodeSelector,
        ...(args.oidc
          ? {
              oidc: {
                issuerUrl: args.oidc.issuerUrl,
                adminGroup: args.oidc.adminGroup,
                userGroup: args.oidc.userGroup,
              },
            }
          : {}),
        keycloakNamespaces: args.oidc?.namespaces ?? [],
        ...(args.manager
          ? {
              manager: { address: args.manager.address, indexerNodeAddress: args.manager.indexerNodeAddress },
            }
          : {}),
        consumerNamespaces: args.consumerNamespaces,
        dashboardLabels: DASHBOARD_LABELS,
        retentionDays: this.retention.days,
        snapshots: args.indexer.snapshots ?? DEFAULT_SNAPSHOTS,
      },
      child,
    );
    const indexerUrl = `https://wazuh-indexer.${args.namespace}.svc:9200`;
    // The Wazuh API's password rule asks for upper and lower case, a digit and a symbol; the symbols
    // are ones a plain YAML scalar keeps (wazuh_app_config.sh writes it unquoted into wazuh.yml).
    const apiPassword = new random.RandomPassword(
      `${name}-dashboard-api-password`,
      {
        length: 40,
        special: true,
        overrideSpecial: ".+-",
        minUpper: 2,
        minLower: 2,
        minNumeric: 2,
        minSpecial: 2,
      },
      child,
    );
    this.dashboardApiUser = { username: "fortress-dashboard", password: pulumi.secret(apiPassword.result) };
    const api = args.manager?.api;
    this.dashboard = new WazuhDashboard(
      `${name}-dashboard`,
      {
        namespace: args.namespace,
        hostname: args.dashboardHostname,
        clusterIssuer: args.clusterIssuer,
        ingressClassName: args.ingressClassName,
        ingressNamespace: args.ingressNamespace,
        indexerUrl,
        indexerUser: {
          username: "fortress-dashboard",
          password: this.indexer.passwords["fortress-dashboard"],
        },
        ...(args.oidc
          ? {
              oidc: {
                issuerUrl: args.oidc.issuerUrl,
                clientId: args.oidc.clientId,
                clientSecret: args.oidc.clientSecret,
                namespaces: args.oidc.namespaces,
              },
            }
          : {}),
        apiUser: this.dashboardApiUser,
        ...(args.manager && api ? { managerApi: { url: api.url, address: args.manager.address } } : {}),
      },
      { ...child, dependsOn: [this.indexer.statefulSet] },
    );
    this.dashboardUrl = this.dashboard.url;
    this.breakGlass = {
      username: "fortress-breakglass",
      password: this.indexer.passwords["fortress-breakglass"],
    };
    this.registerOutputs({ dashboardUrl: this.dashboardUrl, retentionDays: this.retention.days });
  }

  /**
   * A consumer's access: its own user and the URL it reaches the indexer on (the manager's Filebeat:
   * the address outside the cluster, which exists once the manager is given).
   */
  indexerAccess(consumer: IndexerConsumer): IndexerAccess {
    const url = consumer === "filebeat" ? this.indexer.externalUrl : this.indexer.url;
    if (!url)
      throw new Error("siem: the manager's Filebeat reaches the indexer only once the manager is given");
    const username = CONSUMER_USERS[consumer];
    return {
      url,
      caCertificatePem: this.indexer.caCertificatePem,
      username,
      password: this.indexer.passwords[username],
    };
  }
}
