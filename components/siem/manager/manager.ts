/**
 * The Wazuh manager on a Fortress VM of its own (issue 12, "manager on a VM"), installed and
 * configured over SSH: Wazuh's apt repository (key checked by fingerprint), wazuh-manager and
 * Filebeat pinned and held, ossec.conf and the local rules rendered here, Filebeat shipping alerts
 * to the indexer with the manager's own index-scoped user, and every shipped credential replaced:
 * the enrollment password (authd.pass), the API users `wazuh` and `wazuh-wui`, plus Fortress's own
 * API user with a role for group management only. The API and authd present a certificate from the
 * lab's internal CA, so agents and the endpoint layer verify the manager.
 *
 * State and backup: the VM is stateful. What must be backed up (and restored together) is
 * `MANAGER_BACKUP_PATHS`: the agent registry (etc/client.keys, queue/db/global.db), the groups and
 * their agent.conf (etc/shared), the RBAC database (api/configuration/security), the keystore, the
 * alerts archive (logs), and Filebeat's registry. Everything else is rebuilt by re-running this
 * component. Its own stateful resources, the API admin password and the TLS key, are `protect`ed:
 * losing the password from the state would lock Fortress out of the API it has already rotated.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { InternalCa } from "../../platform/internalCa";
import { vmTlsIdentity } from "../../platform/vmTls";
import type { IndexerAccess, ManagerEndpoint, SshHost } from "../contract";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import {
  apiUsersScript,
  type DashboardGroups,
  METRICS_ACCOUNT,
  METRICS_API_USER,
  type SHIPPED_API_USERS,
} from "./apiUsers";
import { renderFilebeatYml } from "./filebeat";
import { API_CA_PATH, API_PORT, installScript } from "./install";
import {
  DEFAULT_ACTIVE_RESPONSES,
  DEFAULT_COMMANDS,
  DEFAULT_LOCAL_RULES,
  type ActiveResponse,
  type ArCommand,
  type Integration,
  renderLocalDecoders,
  renderLocalRules,
  renderOssecConf,
} from "./ossecConf";
import { WAZUH_FILEBEAT_MODULE, WAZUH_TEMPLATE } from "./pins";

export const WAZUH_MANAGER_TYPE = COMPONENT_TYPES.wazuhManager;
/** The API user the package makes for the dashboard's Wazuh app (with run_as); its password is rotated here. */
export const MANAGER_DASHBOARD_API_USER = "wazuh-wui" satisfies keyof typeof SHIPPED_API_USERS;
/** The API user Fortress manages agent groups with. */
export const FORTRESS_API_USER = "fortress-groups";

/** What a backup of the manager VM must hold (see the header). */
export const MANAGER_BACKUP_PATHS = [
  "/var/ossec/etc",
  "/var/ossec/queue/db",
  "/var/ossec/api/configuration",
  "/var/ossec/var/multigroups",
  "/var/ossec/logs/alerts",
  "/var/ossec/logs/archives",
  "/var/lib/filebeat",
] as const;

export interface WazuhManagerArgs {
  readonly host: SshHost;
  /** The manager's (Filebeat's) own index-scoped user on the indexer. */
  readonly indexer: IndexerAccess;
  /** The lab's internal CA: signs the API's certificate (the platform layer makes it). */
  readonly ca: InternalCa;
  /** The firewall's address(es) on the servers network: the only syslog senders. */
  readonly syslogSources: readonly string[];
  /**
   * The Keycloak groups the dashboard's users sign in with (OpenSearch backend roles): the API-users
   * step maps them by security rule to the Wazuh API roles `administrator` and `readonly`, which the
   * dashboard's run_as logins get. Absent without Keycloak: then no group rule is added.
   */
  readonly dashboardGroups?: DashboardGroups;
  readonly commands?: readonly ArCommand[];
  readonly activeResponses?: readonly ActiveResponse[];
  readonly feedUpdateInterval?: string;
  /** `<integration>` blocks (the response layer's Wazuh → TheHive: TheHive.wazuhBridge.integrations). */
  readonly integrations?: readonly Integration[];
}

/** An API password the framework accepts: 8–64 characters with upper, lower, digit and symbol. */
function apiPassword(name: string, parent: pulumi.Resource, protect = false): random.RandomPassword {
  return new random.RandomPassword(
    name,
    {
      length: 32,
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 2,
      // Symbols the framework counts (`[^A-Za-z0-9]`) and that need no quoting in JSON or YAML.
      overrideSpecial: "-_.+=",
    },
    { parent, protect, additionalSecretOutputs: ["result"] },
  );
}

export class WazuhManager extends pulumi.ComponentResource {
  readonly endpoint: ManagerEndpoint;
  /** The API user `wazuh-wui`'s password (secret), for the dashboard's wazuh.yml: the dashboard logs in as it. */
  readonly dashboardApiPassword: pulumi.Output<string>;
  /**
   * The read-only API user the monitoring layer's metrics textfile reads agents and daemon stats as
   * (apiUsers.ts METRICS_ACCOUNT), and its password (secret).
   */
  readonly metricsApi: { readonly username: string; readonly password: pulumi.Output<string> };
  readonly install: command.remote.Command;
  readonly apiUsers: command.remote.Command;
  /** Read by the lab model's backup plan. */
  readonly backupPaths: readonly string[] = MANAGER_BACKUP_PATHS;

  constructor(name: string, args: WazuhManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      WAZUH_MANAGER_TYPE,
      name,
      { host: args.host.name, fqdn: args.host.fqdn, syslogSources: [...args.syslogSources] },
      opts,
    );
    const { host } = args;

    const enrollment = new random.RandomPassword(
      `${name}-enrollment`,
      { length: 32, special: false },
      { parent: this, additionalSecretOutputs: ["result"] },
    );
    const wazuhPassword = apiPassword(`${name}-api-wazuh`, this, true);
    const wuiPassword = apiPassword(`${name}-api-wazuh-wui`, this);
    const fortressPassword = apiPassword(`${name}-api-fortress`, this);
    const metricsPassword = apiPassword(`${name}-api-metrics`, this);

    // The API's and authd's key and certificate from the internal CA (components/platform/vmTls.ts).
    const { key, certificate } = vmTlsIdentity(name, host, args.ca, this);

    const ossecConf = args.indexer.url.apply((url) =>
      renderOssecConf({
        syslogAllowedIps: args.syslogSources,
        indexerHosts: [url],
        commands: args.commands ?? DEFAULT_COMMANDS,
        activeResponses: args.activeResponses ?? DEFAULT_ACTIVE_RESPONSES,
        feedUpdateInterval: args.feedUpdateInterval ?? "60m",
        integrations: args.integrations ?? [],
      }),
    );
    const script = pulumi
      .all([
        ossecConf,
        args.indexer.url,
        args.indexer.caCertificatePem,
        certificate.certPem,
        args.ca.certificatePem,
      ])
      .apply(([conf, url, indexerCa, cert, apiCa]) =>
        installScript({
          files: {
            ossecConf: conf,
            localRules: renderLocalRules(DEFAULT_LOCAL_RULES),
            localDecoders: renderLocalDecoders(),
            filebeatYml: renderFilebeatYml({ hosts: [url], username: args.indexer.username }),
            indexerCaPem: indexerCa,
            tlsCertificatePem: cert,
            apiCaPem: apiCa,
          },
          indexerUsername: args.indexer.username,
          template: WAZUH_TEMPLATE,
          module: WAZUH_FILEBEAT_MODULE,
        }),
      );
    const connection: command.types.input.remote.ConnectionArgs = {
      host: host.address,
      user: host.user,
      privateKey: pulumi.secret(host.privateKey),
      hostKey: host.hostKey,
    };

    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection,
        create: script,
        stdin: pulumi.secret(
          pulumi.interpolate`${enrollment.result}\n${args.indexer.password}\n${key.privateKeyPem}`,
        ),
        // The script carries no secret, but its output may name files holding them: never logged.
        logging: "none",
        triggers: [script],
      },
      { parent: this, additionalSecretOutputs: ["stdin"] },
    );

    this.apiUsers = new command.remote.Command(
      `${name}-api-users`,
      {
        connection,
        create: apiUsersScript(API_CA_PATH, args.dashboardGroups, undefined, [METRICS_ACCOUNT]),
        stdin: pulumi.secret(
          pulumi
            .all([wazuhPassword.result, wuiPassword.result, fortressPassword.result, metricsPassword.result])
            .apply(([wazuh, wazuhWui, password, metrics]) =>
              JSON.stringify({
                wazuh,
                wazuhWui,
                username: FORTRESS_API_USER,
                password,
                accounts: { [METRICS_API_USER]: metrics },
              }),
            ),
        ),
        logging: "none",
        triggers: [this.install.id],
      },
      { parent: this, dependsOn: [this.install], additionalSecretOutputs: ["stdin"] },
    );

    this.dashboardApiPassword = pulumi.secret(wuiPassword.result);
    this.metricsApi = { username: METRICS_API_USER, password: pulumi.secret(metricsPassword.result) };
    this.endpoint = {
      address: pulumi.unsecret(this.install.connection.apply((c) => c.host)),
      fqdn: host.fqdn,
      apiUrl: this.install.id.apply(() => `https://${host.fqdn}:${API_PORT}`),
      apiUsername: FORTRESS_API_USER,
      apiPassword: pulumi.secret(fortressPassword.result),
      apiCaCertificatePem: args.ca.certificatePem,
      enrollmentPassword: pulumi.secret(enrollment.result),
      ready: [this.install, this.apiUsers],
    };
    this.registerOutputs({
      address: this.endpoint.address,
      apiUrl: this.endpoint.apiUrl,
      apiUsername: FORTRESS_API_USER,
      backupPaths: [...MANAGER_BACKUP_PATHS],
    });
  }
}
