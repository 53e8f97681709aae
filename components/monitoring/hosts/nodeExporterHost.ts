/**
 * Debian's node exporter on one host Fortress reaches over SSH: a non-k3s VM (the Wazuh manager, Zeek,
 * Greenbone, MISP, the workstation) or a Proxmox node (components/hypervisor/gpuRom.ts: root, or its
 * SSH user with sudo). The k3s nodes get kube-prometheus-stack's DaemonSet instead. The exporter
 * listens on the host's own address, port 9100 (nodeExporterInstall.ts); its scrape target carries
 * Fortress's target labels (contract.ts TARGET_LABELS).
 */
import { sshConnection } from "../../siem/contract";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import type { ScrapeTarget, TargetLabel } from "../contract";
import { nodeExporterInstallScript } from "./nodeExporterInstall";
import { NODE_EXPORTER_PORT } from "./pins";

/** A host reached over SSH: a VM (siem/contract.ts SshHost) or a Proxmox node (sensors/zeek ProxmoxNodeSsh) fits. */
export interface ExporterSshHost {
  /** The VM's or node's name. */
  readonly name: string;
  /** Its address: SSH goes there and the exporter listens there. */
  readonly address: string;
  readonly user: string;
  readonly privateKey: pulumi.Input<string>;
  /** The host key line, pinned (pulumi-command skips the check when none is given). */
  readonly hostKey: pulumi.Input<string>;
}

export interface NodeExporterHostArgs {
  readonly host: ExporterSshHost;
  /** layer, role (`wazuh-manager`, …, `proxmox-node`) and node (the Proxmox node it runs on, or itself). */
  readonly labels: Readonly<Record<TargetLabel, string>>;
}

export class NodeExporterHost extends pulumi.ComponentResource {
  readonly install: command.remote.Command;
  /** What the `node` scrape job lists for this host (scrapeJobs.ts). */
  readonly target: ScrapeTarget;

  constructor(name: string, args: NodeExporterHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.nodeExporterHost, name, { host: args.host.name, labels: args.labels }, opts);
    const script = nodeExporterInstallScript({ listenAddress: args.host.address });
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: sshConnection(args.host),
        create: script,
        // No secret in the script; its output is not worth the log either.
        logging: "none",
        triggers: [script],
      },
      { parent: this },
    );
    this.target = { address: `${args.host.address}:${NODE_EXPORTER_PORT}`, labels: { ...args.labels } };
    this.registerOutputs({ target: this.target });
  }
}
