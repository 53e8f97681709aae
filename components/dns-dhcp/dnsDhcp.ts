/* eslint-disable max-lines-per-function -- split pending: issue #9 items 4 and 8 (a 123-line constructor of OPNsense literals, to become typed models) */
/**
 * The DNS and DHCP layer: an Unbound host override for every host under the internal domain, and a
 * DHCP reservation for every host's MAC (Kea, or Dnsmasq), so that a VM that falls back to DHCP still
 * gets its one address; and the DHCP server itself switched on for the networks' interfaces, without
 * which neither serves anything.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FirewallRef } from "../opnsense/provider";
import {
  DnsmasqDhcpSettings,
  dnsmasqDhcpOffFields,
  DnsmasqSettings,
  dnsmasqGeneralFields,
  hostOverrideFields,
  KeaDhcpv4Settings,
  keaGeneralFields,
  OpnsenseItem,
} from "../opnsense/resources";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const DNS_DHCP_TYPE = COMPONENT_TYPES.dnsDhcp;

export interface DnsHost {
  readonly name: string;
  /**
   * Names the host's resources when several hosts share a name (one override per address of a
   * round-robin name, such as the Kubernetes API on every k3s server); defaults to the name.
   */
  readonly key?: string;
  readonly description?: string;
  readonly address: string;
  /** Hosts without one (the Proxmox nodes) get a name but no DHCP reservation. */
  readonly mac?: string;
  /** The network (by name) the host's address belongs to. */
  readonly network: string;
}

export interface DhcpNetwork {
  readonly name: string;
  readonly cidr: string;
  /** The OPNsense interface the network's VLAN is assigned to (Dnsmasq ranges are per interface). */
  readonly interface: string;
  readonly dhcp: { readonly start: string; readonly end: string };
}

export interface DnsDhcpArgs {
  readonly firewall: FirewallRef;
  readonly domain: string;
  readonly dhcp: "kea" | "dnsmasq";
  readonly networks: readonly DhcpNetwork[];
  readonly hosts: readonly DnsHost[];
  /** Waits for this before touching the firewall (the network layer's preflight). */
  readonly firewallReady?: pulumi.Resource;
}

export class DnsDhcp extends pulumi.ComponentResource {
  /** Fully qualified name per host. */
  readonly names: Readonly<Record<string, string>>;
  /** The DHCP server's general settings (on, and on which interfaces); absent without networks. */
  readonly dhcpServer?: KeaDhcpv4Settings | DnsmasqSettings;

  constructor(name: string, args: DnsDhcpArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DNS_DHCP_TYPE, name, {}, opts);
    const after = { parent: this, ...(args.firewallReady ? { dependsOn: [args.firewallReady] } : {}) };
    const firewall = args.firewall;
    const interfaces = [
      ...new Set(args.networks.map((network) => network.interface).filter((i) => i !== "")),
    ];
    const ready = args.firewallReady ? [args.firewallReady] : [];

    for (const host of args.hosts) {
      new OpnsenseItem(
        "hostOverride",
        `${name}-dns-${host.key ?? host.name}`,
        {
          firewall,
          fields: hostOverrideFields({
            hostname: host.name,
            domain: args.domain,
            address: host.address,
            description: host.description ?? `fortress ${host.name}`,
          }),
        },
        after,
      );
    }

    if (args.dhcp === "kea") {
      const subnets = new Map(
        args.networks.map((network) => [
          network.name,
          new OpnsenseItem(
            "keaSubnet",
            `${name}-kea-subnet-${network.name}`,
            {
              firewall,
              fields: {
                subnet: network.cidr,
                pools: `${network.dhcp.start} - ${network.dhcp.end}`,
                option_data_autocollect: "1",
                description: `fortress ${network.name}`,
              },
            },
            after,
          ),
        ]),
      );
      for (const host of args.hosts) {
        if (!host.mac) continue;
        const subnet = subnets.get(host.network);
        if (!subnet) throw new Error(`host ${host.name} is on ${host.network}, which has no DHCP subnet`);
        new OpnsenseItem(
          "keaReservation",
          `${name}-dhcp-${host.key ?? host.name}`,
          {
            firewall,
            fields: {
              subnet: subnet.uuid,
              ip_address: host.address,
              hw_address: host.mac.toLowerCase(),
              hostname: host.name,
              description: `fortress ${host.name}`,
            },
          },
          { parent: this },
        );
      }
      // After the subnets, so that Kea starts with them; and after Dnsmasq's DHCP is off on the same
      // interfaces: a fresh install ships Dnsmasq serving DHCP on lan (src/etc/config.xml.sample), and two
      // servers answering one network hand out conflicting leases. Its DNS, if used, is left alone.
      if (interfaces.length > 0) {
        const dnsmasqDhcpOff = new DnsmasqDhcpSettings(
          `${name}-dnsmasq-dhcp-off`,
          { firewall, fields: dnsmasqDhcpOffFields(interfaces) },
          after,
        );
        this.dhcpServer = new KeaDhcpv4Settings(
          `${name}-kea`,
          { firewall, fields: keaGeneralFields(interfaces) },
          { parent: this, dependsOn: [...subnets.values(), dnsmasqDhcpOff, ...ready] },
        );
      }
    } else {
      const ranges = new Map(
        args.networks.map((network) => [
          network.name,
          new OpnsenseItem(
            "dnsmasqRange",
            `${name}-dnsmasq-range-${network.name}`,
            {
              firewall,
              fields: {
                interface: network.interface,
                start_addr: network.dhcp.start,
                end_addr: network.dhcp.end,
                domain_type: "range",
                description: `fortress ${network.name}`,
              },
            },
            after,
          ),
        ]),
      );
      for (const host of args.hosts) {
        if (!host.mac) continue;
        const range = ranges.get(host.network);
        if (!range) throw new Error(`host ${host.name} is on ${host.network}, which has no DHCP range`);
        new OpnsenseItem(
          "dnsmasqHost",
          `${name}-dhcp-${host.key ?? host.name}`,
          {
            firewall,
            fields: {
              host: host.name,
              domain: args.domain,
              ip: host.address,
              hwaddr: host.mac.toLowerCase(),
              descr: `fortress ${host.name}`,
            },
          },
          { parent: this, dependsOn: [range, ...ready] },
        );
      }
      if (interfaces.length > 0) {
        this.dhcpServer = new DnsmasqSettings(
          `${name}-dnsmasq`,
          { firewall, fields: dnsmasqGeneralFields(interfaces) },
          { parent: this, dependsOn: [...ranges.values(), ...ready] },
        );
      }
    }

    this.names = Object.fromEntries(args.hosts.map((host) => [host.name, `${host.name}.${args.domain}`]));
    this.registerOutputs({ names: this.names });
  }
}
