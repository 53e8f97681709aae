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
  DnsmasqHost,
  DnsmasqRange,
  DnsmasqSettings,
  KeaDhcpv4Settings,
  KeaReservation,
  KeaSubnet,
  UnboundHostOverride,
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

/** Where a layer's firewall resources go: under it, after the firewall is ready. */
interface Placement {
  readonly name: string;
  readonly parent: pulumi.ComponentResource;
  readonly firewall: FirewallRef;
  /** The firewall's readiness (the network layer's preflight), if there is one to wait for. */
  readonly ready: readonly pulumi.Resource[];
  /** The networks' OPNsense interfaces, each once. */
  readonly interfaces: readonly string[];
}

const after = (at: Placement) => ({
  parent: at.parent,
  ...(at.ready.length > 0 ? { dependsOn: [...at.ready] } : {}),
});

/** The hosts with a MAC (lower case, as OPNsense stores it), each with its network's DHCP scope. */
function reservations<T>(
  hosts: readonly DnsHost[],
  scopes: ReadonlyMap<string, T>,
  what: "subnet" | "range",
) {
  return hosts.flatMap((host) => {
    if (!host.mac) return [];
    const scope = scopes.get(host.network);
    if (!scope) throw new Error(`host ${host.name} is on ${host.network}, which has no DHCP ${what}`);
    return [{ host, mac: host.mac.toLowerCase(), scope }];
  });
}

function hostOverrides(at: Placement, args: DnsDhcpArgs): void {
  for (const host of args.hosts) {
    new UnboundHostOverride(
      `${at.name}-dns-${host.key ?? host.name}`,
      {
        firewall: at.firewall,
        fields: {
          enabled: true,
          hostname: host.name,
          domain: args.domain,
          rr: "A",
          server: host.address,
          description: host.description ?? `fortress ${host.name}`,
        },
      },
      after(at),
    );
  }
}

/** Kea: a subnet per network, a reservation per host with a MAC, and Kea on for the networks' interfaces. */
function keaServer(at: Placement, args: DnsDhcpArgs): KeaDhcpv4Settings | undefined {
  const firewall = at.firewall;
  const subnets = new Map(
    args.networks.map((network) => [
      network.name,
      new KeaSubnet(
        `${at.name}-kea-subnet-${network.name}`,
        {
          firewall,
          fields: {
            subnet: network.cidr,
            pools: `${network.dhcp.start} - ${network.dhcp.end}`,
            option_data_autocollect: true,
            description: `fortress ${network.name}`,
          },
        },
        after(at),
      ),
    ]),
  );
  for (const { host, mac, scope: subnet } of reservations(args.hosts, subnets, "subnet")) {
    new KeaReservation(
      `${at.name}-dhcp-${host.key ?? host.name}`,
      {
        firewall,
        fields: {
          subnet: subnet.uuid,
          ip_address: host.address,
          hw_address: mac,
          hostname: host.name,
          description: `fortress ${host.name}`,
        },
      },
      { parent: at.parent },
    );
  }
  if (at.interfaces.length === 0) return undefined;
  // After the subnets, so that Kea starts with them; and after Dnsmasq's DHCP is off on the same
  // interfaces: a fresh install ships Dnsmasq serving DHCP on lan (src/etc/config.xml.sample), and two
  // servers answering one network hand out conflicting leases. Its DNS, if used, is left alone.
  const dnsmasqDhcpOff = new DnsmasqDhcpSettings(
    `${at.name}-dnsmasq-dhcp-off`,
    { firewall, fields: { no_interface: at.interfaces } },
    after(at),
  );
  return new KeaDhcpv4Settings(
    `${at.name}-kea`,
    { firewall, fields: { enabled: true, interfaces: at.interfaces } },
    { parent: at.parent, dependsOn: [...subnets.values(), dnsmasqDhcpOff, ...at.ready] },
  );
}

/** Dnsmasq: a range per network, a host per host with a MAC, and Dnsmasq on for the networks' interfaces. */
function dnsmasqServer(at: Placement, args: DnsDhcpArgs): DnsmasqSettings | undefined {
  const firewall = at.firewall;
  const ranges = new Map(
    args.networks.map((network) => [
      network.name,
      new DnsmasqRange(
        `${at.name}-dnsmasq-range-${network.name}`,
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
        after(at),
      ),
    ]),
  );
  for (const { host, mac, scope: range } of reservations(args.hosts, ranges, "range")) {
    new DnsmasqHost(
      `${at.name}-dhcp-${host.key ?? host.name}`,
      {
        firewall,
        fields: {
          host: host.name,
          domain: args.domain,
          ip: host.address,
          hwaddr: mac,
          descr: `fortress ${host.name}`,
        },
      },
      { parent: at.parent, dependsOn: [range, ...at.ready] },
    );
  }
  if (at.interfaces.length === 0) return undefined;
  return new DnsmasqSettings(
    `${at.name}-dnsmasq`,
    { firewall, fields: { enable: true, interface: at.interfaces } },
    { parent: at.parent, dependsOn: [...ranges.values(), ...at.ready] },
  );
}

export class DnsDhcp extends pulumi.ComponentResource {
  /** Fully qualified name per host. */
  readonly names: Readonly<Record<string, string>>;
  /** The DHCP server's general settings (on, and on which interfaces); absent without networks. */
  readonly dhcpServer?: KeaDhcpv4Settings | DnsmasqSettings;

  constructor(name: string, args: DnsDhcpArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DNS_DHCP_TYPE, name, {}, opts);
    const at: Placement = {
      name,
      parent: this,
      firewall: args.firewall,
      ready: args.firewallReady ? [args.firewallReady] : [],
      interfaces: [...new Set(args.networks.map((network) => network.interface).filter((i) => i !== ""))],
    };
    hostOverrides(at, args);
    const server = args.dhcp === "kea" ? keaServer(at, args) : dnsmasqServer(at, args);
    if (server) this.dhcpServer = server;
    this.names = Object.fromEntries(args.hosts.map((host) => [host.name, `${host.name}.${args.domain}`]));
    this.registerOutputs({ names: this.names });
  }
}
