/**
 * The time layer: chrony on OPNsense as the one time source of every VLAN (serving only the lab's
 * networks), and each Proxmox node's time zone. VMs point their chrony at their gateway through
 * cloud-init (the hypervisor layer); the zone matrix allows NTP to the firewall only.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { SERVICES } from "../../vocabulary/services";
import type { FirewallRef } from "../opnsense/provider";
import { MINIMUM_VERSION } from "../opnsense/preflight";
import { ChronySettings, Preflight } from "../opnsense/resources";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const TIME_TYPE = COMPONENT_TYPES.time;

export interface TimeArgs {
  readonly firewall: FirewallRef;
  /** Upstream servers chrony on the firewall follows. */
  readonly upstream: readonly string[];
  /** The lab's networks, the only clients chrony answers. */
  readonly clientNetworks: readonly string[];
  readonly timezone: string;
  readonly proxmox: {
    /** The Proxmox provider the layers share (built once by the composition root). */
    readonly provider: proxmoxve.Provider;
    /** The Proxmox nodes by their name in Proxmox. */
    readonly nodes: readonly string[];
  };
  /** Waits for this before touching the firewall (the network layer's preflight). */
  readonly firewallReady?: pulumi.Resource;
}

/**
 * The port chrony serves NTP on: the one the zone matrix opens. os-chrony's `port` is written as
 * chrony.conf's `port` directive, the NTP server port, and defaults to 323 (opnsense/plugins
 * net/chrony/.../Chrony/General.xml and templates/OPNsense/Chrony/chrony.conf): left alone, clients
 * asking on 123 get no answer.
 */
export const NTP_PORT = SERVICES.ntp.udp[0];

export class Time extends pulumi.ComponentResource {
  readonly chrony: ChronySettings;
  /** OPNsense's own ntpd must be off: it holds UDP 123 (components/opnsense/preflight.ts ABSENT_SERVICES). */
  readonly ntpdOff: Preflight;

  constructor(name: string, args: TimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TIME_TYPE, name, {}, opts);
    this.ntpdOff = new Preflight(
      `${name}-ntpd-off`,
      {
        firewall: args.firewall,
        needs: {
          minimumVersion: MINIMUM_VERSION,
          plugins: [],
          probes: ["core/service/search"],
          interfaces: [],
          absentServices: ["ntpd"],
        },
      },
      { parent: this, ...(args.firewallReady ? { dependsOn: [args.firewallReady] } : {}) },
    );
    this.chrony = new ChronySettings(
      `${name}-chrony`,
      {
        firewall: args.firewall,
        fields: {
          enabled: true,
          port: NTP_PORT,
          peers: args.upstream,
          allowednetworks: args.clientNetworks,
        },
      },
      { parent: this, dependsOn: [this.ntpdOff] },
    );
    for (const node of args.proxmox.nodes) {
      new proxmoxve.TimeLegacy(
        `${name}-tz-${node}`,
        { nodeName: node, timeZone: args.timezone },
        { parent: this, provider: args.proxmox.provider },
      );
    }
    this.registerOutputs({});
  }
}
