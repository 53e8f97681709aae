/**
 * The firewall's node exporter: OPNsense's `os-node_exporter` plugin (opnsense/plugins
 * sysutils/node_exporter 1.2), installed through the firmware API when the lab asks Fortress to
 * (OpnsensePlugin, components/opnsense/plugin.ts) and configured through its own API
 * (NodeExporterSettings): on, listening on the firewall's address on the servers side (where
 * Prometheus's nodes are) and nowhere else, port 9100, the collectors the dashboards read.
 *
 * Why the plugin and not an API exporter (research/next-layers.md §8): the plugin is FreeBSD's own
 * node_exporter on the firewall, maintained in opnsense/plugins, reading the kernel's counters (CPU,
 * memory, filesystems, every interface's traffic) with no credential at all, and its settings need only
 * "Services: Prometheus Exporter". The API exporter (AthennaMind/opnsense-exporter, "still under heavy
 * development") is another pod holding an API key with a dozen GUI privileges (Diagnostics, Reporting,
 * Status, System, VPN pages): more secret and more privilege for gateway and service states the
 * monitoring layer's dashboards do not use; pf's per-rule counts reach the SIEM as filterlog anyway.
 */
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import type { NodeExporterFields } from "../../opnsense/fields";
import type { FirewallRef } from "../../opnsense/provider";
import { NodeExporterSettings, OpnsensePlugin } from "../../opnsense/resources";
import type { ScrapeJob } from "../contract";
import { NODE_EXPORTER_PORT } from "./pins";
import { opnsenseScrapeJob, type TargetLabels } from "./scrapeJobs";

export const NODE_EXPORTER_PLUGIN = "os-node_exporter";

/** The plugin's settings Fortress writes: every collector switch set, since 26.1's model has no defaults. */
export function nodeExporterFields(listenAddress: string): NodeExporterFields {
  if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(listenAddress))
    throw new Error(`the firewall's node exporter: ${listenAddress} is no IPv4 address`);
  return {
    enabled: true,
    listenaddress: listenAddress,
    listenport: NODE_EXPORTER_PORT,
    cpu: true,
    exec: false,
    filesystem: true,
    loadavg: true,
    meminfo: true,
    netdev: true,
    time: true,
    devstat: false,
    ntp: false,
    zfs: true,
  };
}

export interface OpnsenseNodeExporterArgs {
  readonly firewall: pulumi.Input<FirewallRef>;
  /** The firewall's address on the servers network: the only one the exporter listens on. */
  readonly listenAddress: string;
  /**
   * Install the plugin through the firmware API: the API key then needs "System: Firmware", which
   * also allows updates, reboot and power-off. Off: the plugin is installed by hand (System >
   * Firmware > Plugins) and the preflight checks for it (preflight.ts PLUGIN_ENDPOINTS).
   */
  readonly installPlugin: boolean;
  readonly labels?: Partial<TargetLabels>;
}

export class OpnsenseNodeExporter extends pulumi.ComponentResource {
  readonly plugin: OpnsensePlugin | undefined;
  readonly settings: NodeExporterSettings;
  /** The `opnsense` scrape job. */
  readonly job: ScrapeJob;

  constructor(name: string, args: OpnsenseNodeExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.opnsenseNodeExporter, name, { listenAddress: args.listenAddress }, opts);
    const fields = nodeExporterFields(args.listenAddress);
    this.plugin = args.installPlugin
      ? new OpnsensePlugin(
          `${name}-plugin`,
          { firewall: args.firewall, name: NODE_EXPORTER_PLUGIN },
          { parent: this },
        )
      : undefined;
    this.settings = new NodeExporterSettings(
      `${name}-settings`,
      { firewall: args.firewall, fields },
      { parent: this, ...(this.plugin ? { dependsOn: [this.plugin] } : {}) },
    );
    this.job = opnsenseScrapeJob(args.listenAddress, args.labels);
    this.registerOutputs({ job: this.job });
  }
}
