/**
 * The fields of each OPNsense model Fortress manages, typed as callers write them: booleans, numbers
 * and lists, under the model's own field names (opnsense/core `models/OPNsense/**.xml`, opnsense/plugins
 * for chrony), so that a model's identity, replace-on and list fields are keys of its interface.
 * `toFields` (toFields.ts) encodes them into what the API takes and the state keeps: strings, booleans
 * as "1"/"0", lists joined with the model's separator.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A VLAN device (Interfaces/Vlan.xml `vlan`). */
export interface VlanFields {
  /** The physical interface the VLAN rides on, e.g. igb1. */
  readonly if: string;
  readonly tag: number;
  /** 802.1p priority code point, 0–7. */
  readonly pcp: number;
  readonly descr: string;
}

/** An item of the `firewall/alias` model (Firewall/Alias.xml `aliases.alias`). */
export interface AliasFields {
  readonly enabled: boolean;
  /** AliasNameField: at most 31 characters of `[A-Za-z0-9_]`, not a reserved word or service name. */
  readonly name: string;
  /** `external`: a pf table OPNsense leaves to others (its content stays empty in config). */
  readonly type: "host" | "network" | "port" | "external";
  /** AliasContentField: entries, stored one a line. */
  readonly content: readonly string[];
  readonly description: string;
}

/** OPNsense's ProtocolField values used here: upper case, `any` lower case. */
export type RuleProtocol = "any" | "TCP" | "UDP" | "TCP/UDP";

/** An item of the `firewall/filter` model (Firewall/Filter.xml `rules.rule`). */
export interface RuleFields {
  readonly enabled: boolean;
  /** FilterSequenceField, 1–999999: the order within the rule's interface. */
  readonly sequence: number;
  readonly action: "pass" | "block" | "reject";
  readonly quick: boolean;
  /** InterfaceField: one interface identifier. */
  readonly interface: string;
  readonly direction: "in";
  /** `inet` for passes (the lab is IPv4); `inet46` for blocks, so that IPv6 is dropped as well. */
  readonly ipprotocol: "inet" | "inet46";
  readonly protocol: RuleProtocol;
  /** NetworkAliasField: `any`, `(self)`, an alias name, an address or a network. */
  readonly source_net: string;
  readonly source_not: boolean;
  readonly destination_net: string;
  readonly destination_not: boolean;
  /** PortField: a port alias name, or "" for any port. */
  readonly destination_port: string;
  readonly log: boolean;
  /** DescriptionField: at most 255 bytes; unique, it identifies the rule (see models.ts). */
  readonly description: string;
}

/** An Unbound host override (Unbound/Unbound.xml `hosts.host`). */
export interface HostOverrideFields {
  readonly enabled: boolean;
  readonly hostname: string;
  readonly domain: string;
  readonly rr: "A" | "AAAA";
  /** The address the name resolves to. */
  readonly server: string;
  readonly description: string;
}

/** A Kea DHCPv4 subnet (Kea/KeaDhcpv4.xml `subnets.subnet4`). */
export interface KeaSubnetFields {
  /** The subnet's CIDR. */
  readonly subnet: string;
  /** One pool, written `<first> - <last>`. */
  readonly pools: string;
  /** OPNsense fills the router, DNS and NTP options in from the interface it serves. */
  readonly option_data_autocollect: boolean;
  readonly description: string;
}

/** A Kea DHCPv4 reservation (Kea/KeaDhcpv4.xml `reservations.reservation`). */
export interface KeaReservationFields {
  /** The uuid of the subnet it belongs to. */
  readonly subnet: pulumi.Input<string>;
  readonly ip_address: string;
  readonly hw_address: string;
  readonly hostname: string;
  readonly description: string;
}

/** A Dnsmasq DHCP range (Dnsmasq/Dnsmasq.xml `dhcp_ranges`). */
export interface DnsmasqRangeFields {
  /** The OPNsense interface the range serves. */
  readonly interface: string;
  readonly start_addr: string;
  readonly end_addr: string;
  readonly domain_type: "range" | "interface";
  readonly description: string;
}

/** A Dnsmasq host (Dnsmasq/Dnsmasq.xml `hosts`). */
export interface DnsmasqHostFields {
  readonly host: string;
  readonly domain: string;
  readonly ip: string;
  readonly hwaddr: string;
  readonly descr: string;
}

/** The syslog-ng levels OPNsense offers for a destination (Syslog/Syslog.xml `level` OptionValues). */
export type SyslogLevel = "debug" | "info" | "notice" | "warn" | "err" | "crit" | "alert" | "emerg";

/**
 * A remote syslog destination (Syslog/Syslog.xml `destinations.destination`, the same fields at 25.7,
 * 26.1 and 26.7). `facility` is left empty: every facility.
 */
export interface SyslogDestinationFields {
  readonly enabled: boolean;
  /** OptionField udp4/tcp4/udp6/tcp6/tls4/tls6; tls needs a `certificate` (Syslog.php performValidation). */
  readonly transport: "udp4" | "tcp4";
  /** HostnameField: an address or a host name; an address must match the transport's family. An output: the manager's address. */
  readonly hostname: pulumi.Input<string>;
  readonly port: number;
  /** RFC 5424 framing instead of BSD syslog. */
  readonly rfc5424: boolean;
  /** The levels sent (empty: all). */
  readonly level: readonly SyslogLevel[];
  /**
   * The applications sent (empty or left out: all; templates/OPNsense/Syslog/syslog-ng-destinations.conf
   * makes one `program("…")` filter clause each). Names from `configctl syslog list applications`.
   */
  readonly program?: readonly string[];
  readonly description: string;
}

/** Kea DHCPv4's general settings: Kea starts only when enabled, on these interfaces. */
export interface KeaSettingsFields {
  readonly enabled: boolean;
  /** Interface identifiers: lan, opt1 … */
  readonly interfaces: readonly string[];
}

/** Dnsmasq's general settings: on, listening on these interfaces. */
export interface DnsmasqSettingsFields {
  readonly enable: boolean;
  readonly interface: readonly string[];
}

/** Dnsmasq's DHCP settings: the interfaces it serves no DHCP on (its DNS carries on). */
export interface DnsmasqDhcpSettingsFields {
  readonly no_interface: readonly string[];
}

/** The chrony plugin's general settings (opnsense/plugins net/chrony Chrony/General.xml). */
export interface ChronyFields {
  readonly enabled: boolean;
  /** The NTP server port (chrony.conf `port`). */
  readonly port: number;
  /** Upstream servers. */
  readonly peers: readonly string[];
  /** The only client networks chrony answers. */
  readonly allowednetworks: readonly string[];
}

/**
 * The os-node_exporter plugin's general settings (opnsense/plugins sysutils/node_exporter
 * NodeExporter/General.xml, plugin 1.2: the same fields at 25.7, 26.1 and 26.7). The collector switches
 * are BooleanFields whose defaults 26.1 dropped (25.7 had cpu, exec, filesystem, loadavg, meminfo,
 * netdev, time on): the rc.conf template turns every one that is empty off
 * (templates/OPNsense/NodeExporter/node_exporter `--no-collector.*`), so Fortress sets them all.
 */
export interface NodeExporterFields {
  readonly enabled: boolean;
  /** NetworkField without a netmask: the one address it listens on (default 0.0.0.0, every address). */
  readonly listenaddress: string;
  readonly listenport: number;
  readonly cpu: boolean;
  readonly exec: boolean;
  readonly filesystem: boolean;
  readonly loadavg: boolean;
  readonly meminfo: boolean;
  readonly netdev: boolean;
  readonly time: boolean;
  /** Off by the template's default: `--collector.devstat` only when set. */
  readonly devstat: boolean;
  readonly ntp: boolean;
  readonly zfs: boolean;
}

/** The fields of each item model, by model name (models.ts MODELS). */
export interface ItemFields {
  readonly vlan: VlanFields;
  readonly alias: AliasFields;
  readonly rule: RuleFields;
  readonly hostOverride: HostOverrideFields;
  readonly keaSubnet: KeaSubnetFields;
  readonly keaReservation: KeaReservationFields;
  readonly dnsmasqRange: DnsmasqRangeFields;
  readonly dnsmasqHost: DnsmasqHostFields;
  readonly syslogDestination: SyslogDestinationFields;
  readonly idsPolicy: IdsPolicyFields;
}

/** A field's name, as a string. */
export type FieldName<F> = keyof F & string;

/** The fields that are lists: each needs its separator in the model. */
export type ListField<F> = {
  [K in FieldName<F>]-?: NonNullable<F[K]> extends readonly string[] ? K : never;
}[FieldName<F>];

/** The model's fields as the API takes them and the state keeps them: strings, or an output of one. */
export type WireFields<F> = {
  readonly [K in FieldName<F>]: F[K] extends string | number | boolean | readonly string[]
    ? string
    : pulumi.Input<string>;
};

/** Suricata's engine mode (IDS/IDS.xml `general.mode` from 26.1: pcap is IDS, netmap and divert are IPS). */
export type IdsMode = "pcap" | "netmap" | "divert";

/** Suricata's detection profile (IDS/IDS.xml `general.detect.Profile`; "" is Suricata's default). */
export type IdsDetectProfile = "" | "low" | "medium" | "high";

/**
 * The Intrusion Detection `general` settings Fortress manages (IDS/IDS.xml at 25.7, 26.1, 26.7), in
 * the 26.1+ model's names: `mode` is sent as 25.7's `general.ips` there (models.ts IDS_GENERAL
 * `renamed`), and a dotted name is a nested node (`detect.Profile`).
 */
export interface IdsGeneralFields {
  readonly enabled: boolean;
  readonly mode: IdsMode;
  /** InterfaceField, Multiple: the interfaces Suricata listens on (lan, opt1 …). */
  readonly interfaces: readonly string[];
  /** NetworkField AsList: Suricata's HOME_NET (default: the three RFC 1918 networks). */
  readonly homenet: readonly string[];
  /** Suricata's own messages to the system log. */
  readonly syslog: boolean;
  /** Alerts as EVE JSON to the system log (templates/OPNsense/IDS/suricata.yaml: alerts only, facility local5). */
  readonly syslog_eve: boolean;
  readonly "detect.Profile": IdsDetectProfile;
}

/** A rule policy (IDS/IDS.xml `policies.policy`): the rules of some rulesets get `new_action`. */
export interface IdsPolicyFields {
  readonly enabled: boolean;
  /** Lower runs first. */
  readonly prio: number;
  /** The rules' own actions the policy applies to (OptionField Multiple disable|alert|drop). */
  readonly action: readonly ("disable" | "alert" | "drop")[];
  /** ModelRelationField to `files.file` (enabled ones): uuids, as the rulesets resource outputs them. */
  readonly rulesets: string | pulumi.Output<string>;
  readonly new_action: "default" | "alert" | "drop" | "disable";
  readonly description: string;
}

/** NetFlow export (Diagnostics/Netflow.xml, the same fields at 25.7, 26.1, 26.7); dotted names are nested. */
export interface NetflowFields {
  /** InterfaceField Multiple: where flows are captured. */
  readonly "capture.interfaces": readonly string[];
  /** WAN interfaces among them, captured outgoing only (Netflow.php: must be among `capture.interfaces`). */
  readonly "capture.egress_only": readonly string[];
  readonly "capture.version": "v5" | "v9";
  /** IPPortField AsList: `address:port` of each collector. An output: the collector's address. */
  readonly "capture.targets": string | pulumi.Output<string>;
  /** Local collection on the firewall (Insight); it adds 127.0.0.1:2056 to the targets. */
  readonly "collect.enable": boolean;
  readonly activeTimeout: number;
  readonly inactiveTimeout: number;
}
