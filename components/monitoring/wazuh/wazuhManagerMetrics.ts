/**
 * The Wazuh manager's agent and queue metrics as a textfile for the manager's own node exporter
 * (NodeExporterHost on the manager VM reads /var/lib/prometheus/node-exporter): the program, its
 * root-only configuration with the read-only API user's password, a systemd timer every 30 s
 * (install.ts). The user is the manager's (WazuhManager.metricsApi, apiUsers.ts METRICS_ACCOUNT).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { type SshHost, sshConnection } from "../../siem/contract";
import { API_CA_PATH, API_PORT } from "../../siem/manager/install";
import { wazuhMetricsInstallScript } from "./install";
import { renderWazuhMetricsConfig, WAZUH_METRICS_PATHS } from "./program";

export interface WazuhManagerMetricsArgs {
  /** The manager VM. */
  readonly host: SshHost;
  /** The read-only API user and its password (WazuhManager.metricsApi). */
  readonly api: { readonly username: string; readonly password: pulumi.Input<string> };
  /** What must be in place first: the manager's API users step, the node exporter on the manager. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

export class WazuhManagerMetrics extends pulumi.ComponentResource {
  readonly install: command.remote.Command;
  /** The textfile on the manager (its node exporter serves it under the `node` job). */
  readonly textfile: string = WAZUH_METRICS_PATHS.textfile;

  constructor(name: string, args: WazuhManagerMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.wazuhManagerMetrics, name, { host: args.host.name, user: args.api.username }, opts);
    const config = pulumi.output(args.api.password).apply((password) =>
      Buffer.from(
        renderWazuhMetricsConfig({
          url: `https://localhost:${API_PORT}`,
          username: args.api.username,
          password,
          caFile: API_CA_PATH,
        }),
      ).toString("base64"),
    );
    const script = wazuhMetricsInstallScript();
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: sshConnection(args.host),
        create: script,
        stdin: pulumi.secret(pulumi.interpolate`${config}\n`),
        logging: "none",
        triggers: [script, pulumi.secret(config)],
      },
      {
        parent: this,
        dependsOn: [...(args.dependsOn ?? [])],
        additionalSecretOutputs: ["stdin"],
      },
    );
    this.registerOutputs({ textfile: this.textfile });
  }
}
