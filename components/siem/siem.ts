/**
 * The siem layer: the Wazuh indexer and dashboard in the cluster, and the manager on a VM of its own
 * (components/siem/manager/), installed over SSH once the indexer is there for its Filebeat. Hands
 * each consumer of the indexer its own index-scoped user (`IndexerAccess`), never admin, the agents
 * the manager's endpoint (`ManagerEndpoint`), and keeps the break-glass admin as a secret output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { InternalCa } from "../platform/internalCa";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { IndexerAccess, ManagerEndpoint, SshHost } from "./contract";
import { MANAGER_DASHBOARD_API_USER, WazuhManager } from "./manager/manager";
import type { ActiveResponse, ArCommand, Integration } from "./manager/ossecConf";
import * as random from "@pulumi/random";
import { WazuhDashboard, type WazuhDashboardArgs } from "./dashboard";
import { WazuhIndexer } from "./indexer";
import { DASHBOARD_LABELS } from "./labels";
import { retention, type Retention, type SnapshotSchedule, DEFAULT_SNAPSHOTS } from "./retention";
import type { IndexerUserName } from "./securityConfig";

export const SIEM_TYPE = COMPONENT_TYPES.siem;

/** The indexer's consumers, each with its own user (securityConfig.ts INDEXER_USERS). */
export type IndexerConsumer =
  "filebeat" | "thehive" | "cortex" | "vector" | "exporter" | "grafana" | "vector-aggregator";
const CONSUMER_USERS: Readonly<Record<IndexerConsumer, IndexerUserName>> = {
  filebeat: "fortress-filebeat",
  thehive: "fortress-thehive",
  cortex: "fortress-cortex",
  vector: "fortress-vector",
  exporter: "fortress-exporter",
  grafana: "fortress-grafana",
  "vector-aggregator": "fortress-vector-aggregator",
};

export interface SiemArgs {
  /** The namespace the platform layer made for the layer (fortress-siem). */
  readonly namespace: string;
  readonly clusterIssuer: string;
  readonly caCertificatePem: pulumi.Input<string>;
  readonly storageClass: string;
  /** The snapshot repository's class: the RWX (NFS) class when the lab has one, so snapshots leave the node. */
  readonly snapshotStorageClass: string;
  /** Whether that class gives ReadWriteMany volumes (a cluster's repository must be shared). */
  readonly snapshotShared: boolean;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  /** The dashboard's DNS name. */
  readonly dashboardHostname: string;
  /** The node label of the indexer pool. */
  readonly indexerNodeSelector: Readonly<Record<string, string>>;
  /** The indexer's size (the profile's), its data volume and the lab's ingest estimate: retention follows from them. */
  readonly indexer: {
    /** Nodes: 1, or an odd 3 or more (a cluster). */
    readonly replicas: number;
    /** Each node's memory and JVM heap, MiB. */
    readonly memoryMib: number;
    readonly heapMib: number;
    /**
     * False on a cluster whose nodes' vm.max_map_count Fortress does not set (an existing one): the
     * indexer then stores without mmap (`node.store.allow_mmap: false`), which OpenSearch's bootstrap
     * check (enforced for a cluster) asks of nodes below 262144.
     */
    readonly mmap?: boolean;
    /** Each node's data claim. */
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
  /** The manager's VM, when the lab plans one: the manager is installed on it over SSH. */
  readonly manager?: {
    readonly host: SshHost;
    /**
     * Where the manager's Filebeat reaches the indexer: the indexer node's address (k3s's ServiceLB),
     * or with `loadBalancer` the address an existing cluster's load balancer hands the route.
     */
    readonly indexerNodeAddress: string;
    /** indexerNodeAddress is the existing cluster's load-balancer address (components/siem/indexerRoute.ts). */
    readonly loadBalancer?: boolean;
    /** The lab's internal CA with its key: signs the manager's API and enrollment certificate. */
    readonly ca: InternalCa;
    /** The firewall's address on the manager's network: the only syslog sender. */
    readonly syslogSources: readonly string[];
    /**
     * The shipper VMs' addresses (Vector on the Zeek and Greenbone VMs, components/shipping): the
     * indexer's route admits each, beside the manager; they dial the indexer node's address as it does.
     */
    readonly indexerSources?: readonly string[];
    /** The response layer's blocks (stacks/managerResponse.ts): Wazuh → TheHive, containment. */
    readonly response?: {
      readonly integrations: readonly Integration[];
      readonly commands: readonly ArCommand[];
      readonly activeResponses: readonly ActiveResponse[];
    };
  };
}

export class Siem extends pulumi.ComponentResource {
  readonly indexer: WazuhIndexer;
  readonly dashboard: WazuhDashboard;
  readonly retention: Retention;
  /** The break-glass administrator of the indexer (password secret). */
  readonly breakGlass: { readonly username: string; readonly password: pulumi.Output<string> };
  readonly dashboardUrl: string;
  /** The manager on its VM, when the lab plans one. */
  readonly manager: WazuhManager | undefined;

  constructor(name: string, args: SiemArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SIEM_TYPE, name, { namespace: args.namespace, dashboard: args.dashboardHostname }, opts);
    const child = { parent: this };
    // A cluster holds one replica of each Wazuh shard: the alerts template Filebeat loads sets
    // `index.auto_expand_replicas: "0-1"` (wazuh/wazuh@v4.14.6 extensions/elasticsearch/7.x/wazuh-template.json),
    // so 0 on one node and 1 from two nodes on; the disk is every node's claim.
    const nodes = args.indexer.replicas;
    this.retention = retention({
      dataDiskGb: args.indexer.dataGi * nodes,
      ...(nodes > 1 ? { replicas: 1 } : {}),
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
        snapshotShared: args.snapshotShared,
        replicas: nodes,
        memoryMib: args.indexer.memoryMib,
        heapMib: args.indexer.heapMib,
        ...(args.indexer.mmap === false ? { mmap: false } : {}),
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
              manager: {
                address: args.manager.host.address,
                indexerNodeAddress: args.manager.indexerNodeAddress,
                shipperAddresses: args.manager.indexerSources ?? [],
                ...(args.manager.loadBalancer ? { loadBalancer: true } : {}),
              },
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
    const planned = args.manager;
    this.manager = planned
      ? new WazuhManager(
          `${name}-manager`,
          {
            host: planned.host,
            indexer: this.indexerAccess("filebeat"),
            ca: planned.ca,
            syslogSources: planned.syslogSources,
            ...(planned.response ?? {}),
            ...(args.oidc
              ? { dashboardGroups: { adminGroup: args.oidc.adminGroup, userGroup: args.oidc.userGroup } }
              : {}),
          },
          // The route first: Filebeat ships to it as soon as the manager is installed.
          {
            ...child,
            dependsOn: [
              this.indexer.statefulSet,
              ...(this.indexer.managerRoute
                ? [this.indexer.managerRoute.service, this.indexer.managerRoute.networkPolicy]
                : []),
            ],
          },
        )
      : undefined;
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
        ...this.managerApiAccess(name, planned?.host),
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

  /** The manager as the agents reach it; an error when the lab plans no manager VM. */
  get managerEndpoint(): ManagerEndpoint {
    if (!this.manager)
      throw new Error("siem: the lab plans no Wazuh manager VM (enable wazuh-manager in fortress:services)");
    return this.manager.endpoint;
  }

  /**
   * What the dashboard's Wazuh app signs in with: wazuh-wui, the API user the package makes for the
   * dashboard (with run_as), whose shipped password the manager has replaced by a random one. Without
   * a manager the app still gets a random password, so the image never writes its wazuh-wui default.
   */
  private managerApiAccess(
    name: string,
    host: SshHost | undefined,
  ): Pick<WazuhDashboardArgs, "apiUser" | "managerApi"> {
    const manager = this.manager;
    if (manager && host)
      return {
        apiUser: { username: MANAGER_DASHBOARD_API_USER, password: manager.dashboardApiPassword },
        managerApi: { url: manager.install.id.apply(() => `https://${host.fqdn}`), address: host.address },
      };
    const password = new random.RandomPassword(
      `${name}-dashboard-api-password`,
      { length: 40, special: false },
      { parent: this },
    );
    return { apiUser: { username: MANAGER_DASHBOARD_API_USER, password: password.result } };
  }

  /**
   * A consumer's access: its own user and the URL it reaches the indexer on. From a VM (the manager's
   * Filebeat always; Vector on the sensor and vulnerability VMs with `from: "vm"`): the address
   * outside the cluster, which exists once the manager is given, and which admits only the manager
   * and `indexerSources`. In the cluster: the Service's name.
   */
  indexerAccess(consumer: IndexerConsumer, from: "cluster" | "vm" = "cluster"): IndexerAccess {
    const url = consumer === "filebeat" || from === "vm" ? this.indexer.externalUrl : this.indexer.url;
    if (!url)
      throw new Error(
        "siem: VMs (the manager's Filebeat, shippers) reach the indexer only once the manager is given",
      );
    const username = CONSUMER_USERS[consumer];
    return {
      url,
      caCertificatePem: this.indexer.caCertificatePem,
      username,
      password: this.indexer.passwords[username],
    };
  }
}
