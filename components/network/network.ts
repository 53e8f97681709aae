/**
 * The network layer: the zone policy made real. On OPNsense, after a preflight of the firewall:
 * a VLAN device per network, the zone aliases and the filter rules compiled from the matrix. On
 * Proxmox: the same zones as IP sets and security groups. VMs reach their VLAN through the
 * VLAN-aware bridge and a tag on the NIC (the hypervisor layer); no SDN zone or vnets, which the
 * VMs would not use and whose apply (`PUT /cluster/sdn`) would also apply SDN edits not Fortress's.
 */
import { createHash } from "node:crypto";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import type { PreflightNeeds } from "../opnsense/preflight";
import type { FirewallRef } from "../opnsense/provider";
import { OpnsenseAlias, OpnsenseRule, OpnsenseVlan, Preflight } from "../opnsense/resources";
import type {
  FirewallApiClient,
  FirewallApiEndpoint,
  HostFlow,
  QuarantineInput,
  RuleSpec,
  ScanFlow,
  ZoneEntry,
  ZoneNetwork,
} from "./types";
import { firewallApiEndpoint } from "./firewallApi";
import { quarantineRecord } from "./quarantine";
import { compileProxmoxFirewall, compileZones, securityGroupName } from "./zoneRules";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const NETWORK_TYPE = COMPONENT_TYPES.network;

export interface NetworkArgs {
  readonly firewall: FirewallRef;
  /** The firewall's physical interface that carries the VLANs. */
  readonly trunk: string;
  readonly networks: readonly ZoneNetwork[];
  readonly zones: readonly ZoneEntry[];
  /** Flows Fortress derives, host-scoped (the agents' link to the Wazuh manager): see types.ts. */
  readonly hostFlows?: readonly HostFlow[];
  /** The vulnerability scanner's flows, source-host-scoped: see types.ts. */
  readonly scanFlows?: readonly ScanFlow[];
  /**
   * With the `quarantine` service on: the external alias `fz_quarantine` and its rules first on every
   * VLAN interface (quarantine.ts); the manager a contained host still reports to.
   */
  readonly quarantine?: QuarantineInput;
  /**
   * The hosts that call the firewall's API (the Wazuh manager, for containment): each gets one pass to
   * the API's address and port, the host and port of `firewall.url`, which must then be an IPv4 address.
   */
  readonly firewallApiClients?: readonly FirewallApiClient[];
  /** What the whole deployment needs of the firewall: checked before anything changes. */
  readonly preflight: Omit<PreflightNeeds, "interfaces">;
  readonly proxmox: {
    /** The Proxmox provider the layers share (built once by the composition root). */
    readonly provider: proxmoxve.Provider;
  };
}

/**
 * A rule's resource name follows its description (unique: it names the matrix entry and service), not
 * its sequence, so that a rule inserted before it updates its sequence in place instead of replacing it.
 * It reads as the entry (`users-servers-https`); the description's hash keeps it unique where two
 * descriptions read alike once reduced to `[a-z0-9-]`.
 */
function ruleKey(rule: RuleSpec): string {
  const words = rule.description
    .replace(/^fortress( zones)?:\s*/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${words}-${descriptionHash(rule).slice(0, 8)}`;
}

/** The API clients and the endpoint they reach, recorded for the pack and the plan (nothing without clients). */
function firewallApiRecord(
  clients: readonly FirewallApiClient[],
  url: string,
): { firewallApiClients?: readonly FirewallApiClient[]; firewallApi?: FirewallApiEndpoint } {
  if (clients.length === 0) return {};
  const endpoint = firewallApiEndpoint(url);
  if (!endpoint)
    throw new Error(
      `network: ${clients.map((client) => client.host).join(", ")} must reach the firewall's API, but ${url} names no IPv4 address for the rule to open`,
    );
  return { firewallApiClients: clients, firewallApi: endpoint };
}

const descriptionHash = (rule: RuleSpec) => createHash("sha256").update(rule.description).digest("hex");

/**
 * The name a rule had before names read as its entry: a stack deployed then keeps its rules, where a
 * replacement would create the new rule while the old one, with the same description, still exists.
 */
const hashOnlyRuleName = (owner: string, rule: RuleSpec) =>
  `${owner}-rule-${rule.interface}-${descriptionHash(rule).slice(0, 12)}`;

/** The management network's interface first, then by each interface's first sequence; in sequence order within. */
function inApplyOrder(rules: readonly RuleSpec[], networks: readonly ZoneNetwork[]): RuleSpec[] {
  const management = new Set(
    networks.filter((network) => network.purpose === "management").map((network) => network.interface),
  );
  const firstSequence = new Map<string, number>();
  for (const rule of rules) {
    firstSequence.set(rule.interface, Math.min(firstSequence.get(rule.interface) ?? Infinity, rule.sequence));
  }
  const interfaceRank = (iface: string) => [management.has(iface) ? 0 : 1, firstSequence.get(iface) ?? 0];
  return [...rules].sort((a, b) => {
    const [ra, rb] = [interfaceRank(a.interface), interfaceRank(b.interface)];
    return (ra[0] ?? 0) - (rb[0] ?? 0) || (ra[1] ?? 0) - (rb[1] ?? 0) || a.sequence - b.sequence;
  });
}

export class Network extends pulumi.ComponentResource {
  /** Downstream OPNsense resources depend on it, so that nothing changes on a firewall that failed it. */
  readonly preflight: Preflight;
  readonly vlanDevices: Readonly<Record<string, OpnsenseVlan>>;
  readonly aliasNames: readonly string[];
  readonly ruleCount: number;
  /** Proxmox security group per destination zone, by network name. */
  readonly securityGroups: Readonly<Record<string, string>>;
  readonly proxmox: proxmoxve.Provider;
  /** On, so that the VMs' firewalls and the zones' security groups take effect. */
  readonly datacenterFirewall: proxmoxve.cluster.FirewallLegacy;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // The zones and the derived host flows, recorded in the state (plain, no secret) so that the
    // policy pack can read them: the zone matrix policy grants the flows' rules from them.
    const hostFlows = args.hostFlows ?? [];
    const scanFlows = args.scanFlows ?? [];
    // The quarantine record (alias name and the manager's address) lets the pack judge its rules, and
    // the API clients' record the firewall-UI and zone-matrix policies the clients' passes.
    const record = { networks: args.networks, zones: args.zones, hostFlows, scanFlows };
    const apiRecord = firewallApiRecord(args.firewallApiClients ?? [], args.firewall.url);
    super(NETWORK_TYPE, name, { ...record, ...quarantineRecord(args.quarantine), ...apiRecord }, opts);
    const policy = { ...record, quarantine: args.quarantine, ...apiRecord };
    const compiled = compileZones(policy);

    this.preflight = new Preflight(
      `${name}-preflight`,
      {
        firewall: args.firewall,
        needs: {
          ...args.preflight,
          interfaces: [],
          // This machine must reach the firewall from one of them: the anti-lockout lets in nothing else.
          managementCidrs: args.networks
            .filter((network) => network.purpose === "management")
            .map((network) => network.cidr),
        },
      },
      { parent: this },
    );
    const afterPreflight = { parent: this, dependsOn: [this.preflight] };

    const vlanDevices: Record<string, OpnsenseVlan> = {};
    for (const network of args.networks) {
      vlanDevices[network.name] = new OpnsenseVlan(
        `${name}-vlan-${network.name}`,
        {
          firewall: args.firewall,
          fields: { if: args.trunk, tag: network.vlan, pcp: 0, descr: `fortress ${network.name}` },
        },
        afterPreflight,
      );
    }
    this.vlanDevices = vlanDevices;

    const aliases = compiled.aliases.map(
      (alias) =>
        new OpnsenseAlias(
          `${name}-alias-${alias.name}`,
          { firewall: args.firewall, fields: alias },
          afterPreflight,
        ),
    );
    // A VLAN device must exist before an admin can assign it, so this check comes after the devices.
    const assigned = new Preflight(
      `${name}-assignments`,
      {
        firewall: args.firewall,
        needs: {
          minimumVersion: args.preflight.minimumVersion,
          plugins: [],
          probes: [],
          interfaces: args.networks.map((network) => ({ identifier: network.interface, vlan: network.vlan })),
        },
      },
      // It also waits for the aliases, so that it is the one barrier the rules wait for: a rule
      // depending on every alias would make the graph grow with rules × aliases.
      { parent: this, dependsOn: [...Object.values(vlanDevices), ...aliases] },
    );

    this.aliasNames = compiled.aliases.map((alias) => alias.name);
    // The rules go live one after another, interface by interface, the management network's first, and
    // within an interface in sequence order: the anti-lockout and the passes exist before the default
    // deny that follows them, each apply is probed (components/opnsense/safeApply.ts), and a failure
    // stops the run before the next interface. A destroy removes them in the reverse order.
    let previous: OpnsenseRule | undefined;
    for (const rule of inApplyOrder(compiled.rules, args.networks)) {
      previous = new OpnsenseRule(
        `${name}-rule-${rule.interface}-${ruleKey(rule)}`,
        { firewall: args.firewall, fields: rule },
        {
          parent: this,
          dependsOn: previous ? [assigned, previous] : [assigned],
          aliases: [{ name: hashOnlyRuleName(name, rule) }],
        },
      );
    }
    this.ruleCount = compiled.rules.length;

    this.proxmox = args.proxmox.provider;
    const onProxmox = { parent: this, provider: this.proxmox };
    // Proxmox ignores every VM firewall and security group while the datacenter firewall is off.
    // Host input stays ACCEPT: OPNsense guards the management VLAN, and a DROP here could lock admins out.
    this.datacenterFirewall = new proxmoxve.cluster.FirewallLegacy(
      `${name}-datacenter-firewall`,
      {
        enabled: true,
        ebtables: true,
        inputPolicy: "ACCEPT",
        outputPolicy: "ACCEPT",
        forwardPolicy: "ACCEPT",
      },
      onProxmox,
    );
    const firewall = compileProxmoxFirewall(policy);
    const ipSets = new Map(
      firewall.ipSets.map((ipSet) => [
        ipSet.name,
        new proxmoxve.firewall.IpsetLegacy(
          `${name}-ipset-${ipSet.name}`,
          { name: ipSet.name, comment: ipSet.comment, cidrs: ipSet.cidrs.map((cidr) => ({ ...cidr })) },
          onProxmox,
        ),
      ]),
    );
    for (const group of firewall.securityGroups) {
      // Each group waits for the IP sets its rules name (`+fz-users`), not for every IP set.
      const named = new Set(
        group.rules.flatMap((rule) => [rule.source, rule.dest]).map((ref) => ref.replace(/^\+/, "")),
      );
      const uses = [...ipSets].filter(([ipSetName]) => named.has(ipSetName)).map(([, ipSet]) => ipSet);
      new proxmoxve.cluster.firewall.security.GroupLegacy(
        `${name}-group-${group.name}`,
        { name: group.name, comment: group.comment, rules: group.rules.map((rule) => ({ ...rule })) },
        { ...onProxmox, dependsOn: uses },
      );
    }
    const groupNames = new Set(firewall.securityGroups.map((group) => group.name));
    const securityGroups = Object.fromEntries(
      args.networks
        .filter((network) => groupNames.has(securityGroupName(network.name)))
        .map((network) => [network.name, securityGroupName(network.name)]),
    );
    this.securityGroups = securityGroups;

    this.registerOutputs({ aliasNames: this.aliasNames, ruleCount: this.ruleCount, securityGroups });
  }
}
