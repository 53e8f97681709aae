/**
 * The zone policy's input and the firewall objects it compiles to. The OPNsense specs use the field
 * names of OPNsense's MVC models one to one (opnsense/core `models/OPNsense/Firewall/Alias.xml` and
 * `Filter.xml`, `rules.rule`): they are the models' typed fields (components/opnsense/fields.ts),
 * encoded by `toFields` (components/opnsense/toFields.ts). The Proxmox specs use the argument names of
 * `@muhlba91/pulumi-proxmoxve` 8.x: `firewall.IpsetLegacy` and `cluster.firewall.security.GroupLegacy`.
 */
import type { AliasFields, RuleFields, RuleProtocol } from "../opnsense/fields";
import { type NetworkPurpose, ZONE_KEYWORDS, type ZoneKeyword } from "../../vocabulary/zones";

/** The network purposes; the compiler treats management and quarantine specially. */
export type ZonePurpose = NetworkPurpose;

/** One VLAN as the compiler needs it. */
export interface ZoneNetwork {
  readonly name: string;
  readonly vlan: number;
  /** IPv4 network, e.g. `10.10.20.0/24`. */
  readonly cidr: string;
  /** The firewall's address on this VLAN. */
  readonly gateway: string;
  readonly purpose: ZonePurpose;
  /** The OPNsense interface identifier the VLAN is assigned to (`opt3`, …): where its rules live. */
  readonly interface: string;
}

export { ZONE_KEYWORDS, type ZoneKeyword };

/**
 * One entry of `fortress:zones`: traffic that `from` may open towards `to`. Everything not granted
 * by an entry is dropped. See stacks/config/zones.ts for the meaning of each keyword.
 */
export interface ZoneEntry {
  /** A declared network. */
  readonly from: string;
  /** A declared network, or `internet` (anything not private), `firewall` (the firewall's address on the source VLAN), `any`. */
  readonly to: string;
  /** Service names of components/network/services.ts, or `all` (every protocol and port). */
  readonly services: readonly string[] | "all";
}

/**
 * A flow Fortress derives from the lab, not an entry the admin writes (stacks/hostFlows.ts): `from`
 * may open `services` towards one host, `address` in network `to`, and nothing else of `to`. The
 * agents' link to the Wazuh manager is one: every zone with agents reaches the manager's address on
 * 1514/1515, and a quarantine network on 1514 alone (the only flow that may leave one).
 */
export interface HostFlow {
  /** A declared network. */
  readonly from: string;
  /** The declared network the host is on. */
  readonly to: string;
  /** The host's name (its VM's), for the rule descriptions. */
  readonly host: string;
  /** The host's IPv4 address, inside `to`. */
  readonly address: string;
  /** Service names of vocabulary/services.ts. */
  readonly services: readonly string[];
}

/**
 * A scanner's reach, derived by Fortress (stacks/scanTargets.ts): the vulnerability scanner's one
 * address, on network `from`, may open every protocol and port of network `to`, and nothing else
 * leaves its network by this flow. A scan needs every port (Greenbone's port lists and alive tests
 * are TCP, UDP and ICMP), so it is the one derived flow with no service list; its source is one host,
 * never a network.
 */
export interface ScanFlow {
  /** The declared network the scanner is on. */
  readonly from: string;
  /** The scanner's name (its VM's), for the rule descriptions. */
  readonly host: string;
  /** The scanner's IPv4 address, inside `from`. */
  readonly address: string;
  /** The declared network it scans. */
  readonly to: string;
}

/**
 * A host of the lab that calls the firewall's own API, derived by Fortress (stacks/hostFlows.ts
 * `firewallApiClients`): the Wazuh manager, where the containment action runs (fortress-contain:
 * `firewall/alias_util/add` and `diagnostics/firewall/kill_states`). The firewall's API answers to
 * management alone (the zone compiler blocks every other zone from the firewall's addresses), so this
 * is the one opening beside it: from the host's one address, on its network's interface, to the API's
 * address and TCP port (the host and port of `fortress:opnsense.url`: FirewallApiEndpoint), nothing else.
 */
export interface FirewallApiClient {
  /** The declared network the host is on: its interface carries the pass. */
  readonly from: string;
  /** The host's name (its VM's), for the rule description. */
  readonly host: string;
  /** The host's IPv4 address, inside `from`. */
  readonly address: string;
  /** Why it calls the API, for the rule description (`containment`). */
  readonly why: string;
}

/** Where the firewall's API answers: the IPv4 host and the port of `fortress:opnsense.url`. */
export interface FirewallApiEndpoint {
  readonly address: string;
  readonly port: number;
}

/**
 * Containment on the firewall (the `quarantine` service, components/network/quarantine.ts): an
 * external alias `fz_quarantine` whose pf table the containment action fills, and rules on every VLAN
 * interface that cut its hosts off, but for their link to the Wazuh manager.
 */
export interface QuarantineInput {
  /** The Wazuh manager a contained host still reports to (1514/TCP); absent while the manager is off. */
  readonly reportsTo?: {
    /** Its VM's name, for the rule descriptions. */
    readonly host: string;
    /** Its IPv4 address. */
    readonly address: string;
    /** The declared network it is on. */
    readonly network: string;
  };
}

export interface ZonePolicyInput {
  readonly networks: readonly ZoneNetwork[];
  readonly zones: readonly ZoneEntry[];
  /** Flows Fortress derives, host-scoped; none by default. */
  readonly hostFlows?: readonly HostFlow[];
  /** The scanner's flows Fortress derives, source-host-scoped; none by default. */
  readonly scanFlows?: readonly ScanFlow[];
  /** Containment rules and alias; none (undefined) while the `quarantine` service is off. */
  readonly quarantine?: QuarantineInput;
  /** The hosts that call the firewall's API (firewallApi.ts); none by default. */
  readonly firewallApiClients?: readonly FirewallApiClient[];
  /** Where the API answers; required when there are clients. */
  readonly firewallApi?: FirewallApiEndpoint;
}

// ---- OPNsense -------------------------------------------------------------------------------------

/** An item of the `firewall/alias` model: the OPNsense model's typed fields. */
export type AliasSpec = AliasFields;

export type { RuleProtocol };

/** An item of the `firewall/filter` model: the OPNsense model's typed fields. */
export type RuleSpec = RuleFields;

export interface CompiledZones {
  readonly aliases: readonly AliasSpec[];
  readonly rules: readonly RuleSpec[];
}

// ---- Proxmox --------------------------------------------------------------------------------------

/** A cluster-level `firewall.IpsetLegacy` (no nodeName / vmId). */
export interface IpSetSpec {
  /** `[A-Za-z][A-Za-z0-9_-]+`, at most 64 characters (pve-firewall `ipset-name`). */
  readonly name: string;
  readonly comment: string;
  readonly cidrs: readonly { readonly name: string; readonly comment: string }[];
}

/** A rule of `cluster.firewall.security.GroupLegacy` (`GroupLegacyRule`). */
export interface SecurityGroupRuleSpec {
  readonly type: "in";
  readonly action: "ACCEPT" | "DROP" | "REJECT";
  /** `+<ipset>`, or one address (a scan flow's scanner). */
  readonly source: string;
  readonly dest: string;
  /** Absent: every protocol. */
  readonly proto?: "tcp" | "udp";
  /** Comma-separated ports; absent: every port. */
  readonly dport?: string;
  readonly log: "nolog" | "info";
  readonly comment: string;
  readonly enabled: boolean;
}

/** A `cluster.firewall.security.GroupLegacy`, attached to the VMs of its zone. */
export interface SecurityGroupSpec {
  /** `[A-Za-z][A-Za-z0-9_-]+`, 2–18 characters (pve-firewall `pve-security-group-name`). */
  readonly name: string;
  readonly comment: string;
  readonly rules: readonly SecurityGroupRuleSpec[];
}

export interface CompiledProxmoxFirewall {
  readonly ipSets: readonly IpSetSpec[];
  readonly securityGroups: readonly SecurityGroupSpec[];
}
