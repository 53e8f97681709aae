/**
 * Compiles the zone matrix (`fortress:zones`) into firewall objects: OPNsense aliases and filter
 * rules, and, for defense in depth, Proxmox IP sets and security groups. Pure: no resources, no I/O.
 * The same input always gives the same output, whatever the order of the entries.
 *
 * OPNsense, per VLAN interface, inbound, in sequence order:
 *   1. (management only) anti-lockout: management → this firewall, https and ssh; sequences 1, 2, …
 *      before every other rule. To `(self)`, every address of the firewall: it is the rule that must
 *      not fail, and its source is the management network alone.
 *   1a. (with the `quarantine` service) the containment rules, first on every VLAN interface after the
 *      anti-lockout: a pass from the contained hosts (`fz_quarantine`, an external alias) to the
 *      Wazuh manager on 1514/TCP, on the scanner's interface a pass from the scanner's address to
 *      them (the rescan after a containment), then logged blocks from and to them (quarantine.ts).
 *   2. passes to `firewall`: to the firewall's address on the source VLAN (its gateway).
 *   2a. the passes of the hosts that call the firewall's API (`firewallApiClients`: the Wazuh manager,
 *      for containment): from the host's one address to the API's address and port (firewallApi.ts).
 *   3. a logged block to `(self)`, when the VLAN has any pass beyond step 2: the firewall's address on
 *      another VLAN lies inside that VLAN's network, and its WAN address is "internet", so without it
 *      `users → servers (https)` would also open the firewall's web UI at the servers gateway.
 *   4. a logged block to each quarantine network, when the VLAN has a `to: any` entry.
 *   5. passes to networks (by VLAN), to `internet` (`!fz_private`), to `any`, then the host flows
 *      Fortress derives (`hostFlows`: to one address, e.g. the agents' link to the Wazuh manager), then
 *      the scan flows (`scanFlows`: from the scanner's one address to a whole network, every protocol).
 *   6. default deny: a logged block from any, to any, IPv4 and IPv6, last.
 * Nothing leaves a quarantine network but host flows of QUARANTINE_FLOW_SERVICES (a contained host
 * keeps its agent link), and nothing enters one.
 * Passes are IPv4 (`inet`); blocks cover both families (`inet46`), and so does the anti-lockout: it
 * must let the management network in by whichever family the default deny after it would block. A
 * pass is logged when its destination may lie in the management network. Sequence numbers are `vlan × 200 + n`, the default
 * deny at `vlan × 200 + 199`, so adding a VLAN does not renumber the others.
 */
import { MAX_ZONE_NAME_LENGTH, QUARANTINE_FLOW_SERVICES } from "../../vocabulary/zones";
import { addressRange, covers } from "../../vocabulary/addresses";
import { type ServiceMatch, type ServiceName, serviceMatches, serviceRank } from "../../vocabulary/services";
import {
  type ResolvedEntry,
  type ResolvedHostFlow,
  type ResolvedScanFlow,
  resolve,
  sortEntries,
  targetName,
} from "./zoneInput";
import { quarantineAlias, quarantineRules, type ResolvedQuarantine, resolveQuarantine } from "./quarantine";
import { firewallApiPasses } from "./firewallApi";
import type {
  AliasSpec,
  CompiledProxmoxFirewall,
  CompiledZones,
  IpSetSpec,
  RuleProtocol,
  RuleSpec,
  SecurityGroupRuleSpec,
  SecurityGroupSpec,
  ZoneNetwork,
  ZonePolicyInput,
} from "./types";

/** RFC 1918 §3: the private address blocks. */
export const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

export const PRIVATE_ALIAS = "fz_private";

export { MAX_ZONE_NAME_LENGTH, QUARANTINE_FLOW_SERVICES };
export { QUARANTINE_ALIAS } from "./quarantine";

/** The services the anti-lockout rule keeps open from the management network. */
export const ANTI_LOCKOUT_SERVICES: readonly ServiceName[] = ["https", "ssh"];

/** Sequence numbers per VLAN: `vlan × RULES_PER_VLAN + n`; the last one is the default deny. */
export const RULES_PER_VLAN = 200;

const underscored = (name: string) => name.replaceAll("-", "_");

export const networkAliasName = (network: string) => `fz_net_${underscored(network)}`;

export const serviceAliasName = (match: ServiceMatch) =>
  `fz_svc_${underscored(match.service)}${match.suffix ? `_${match.suffix}` : ""}`;

export const ipSetName = (network: string) => `fz-${network}`;

export const securityGroupName = (network: string) => `fz-${network}`;

/** What a rule's description says about the matrix entry and the part of it the rule carries. */
function entryDescription(entry: ResolvedEntry, what: string): string {
  return `fortress zones: ${entry.from.name} → ${targetName(entry.to)} (${what})`;
}

const matchLabel = (match: ServiceMatch) =>
  match.suffix ? `${match.service}/${match.suffix}` : match.service;

function ruleProtocol(match: ServiceMatch): RuleProtocol {
  if (match.transports.length === 2) return "TCP/UDP";
  return match.transports[0] === "tcp" ? "TCP" : "UDP";
}

/** Whether an IPv4 network lies inside RFC 1918's private blocks. */
function isPrivate(cidr: string): boolean {
  const block = addressRange(cidr);
  if (block?.family !== "ipv4") throw new Error(`zone compiler: ${cidr} is not an IPv4 network`);
  return RFC1918.flatMap((range) => addressRange(range) ?? []).some((outer) => covers([outer], block));
}

// ---- OPNsense -------------------------------------------------------------------------------------

/**
 * The aliases: one network alias per zone, `fz_private` (RFC 1918 plus any lab network outside it, so
 * that `internet` = `!fz_private` never includes a lab network), one port alias per service match in
 * use (the anti-lockout's https and ssh always).
 */
function compileAliases(
  networks: readonly ZoneNetwork[],
  entries: readonly ResolvedEntry[],
  hostFlows: readonly ResolvedHostFlow[],
  quarantine: ResolvedQuarantine | undefined,
): AliasSpec[] {
  const networkAliases = networks.map((network): AliasSpec => ({
    enabled: true,
    name: networkAliasName(network.name),
    type: "network",
    content: [network.cidr],
    description: `Fortress zone ${network.name} (VLAN ${network.vlan}, ${network.purpose})`,
  }));
  const outside = networks.filter((network) => !isPrivate(network.cidr)).map((network) => network.cidr);
  const privateAlias: AliasSpec = {
    enabled: true,
    name: PRIVATE_ALIAS,
    type: "network",
    content: [...RFC1918, ...outside],
    description: "Fortress: private ranges (RFC 1918) and the lab's networks; internet is everything else",
  };
  const used = new Set<ServiceName>(ANTI_LOCKOUT_SERVICES);
  for (const entry of entries) for (const service of entry.services ?? []) used.add(service);
  for (const flow of hostFlows) for (const service of flow.services) used.add(service);
  if (quarantine?.reportsTo) for (const service of quarantine.services) used.add(service);
  const portAliases = [...used]
    .sort((a, b) => serviceRank(a) - serviceRank(b))
    .flatMap(serviceMatches)
    .map((match): AliasSpec => ({
      enabled: true,
      name: serviceAliasName(match),
      type: "port",
      content: match.ports.map(String),
      description: `Fortress service ${matchLabel(match)}: ${match.ports.join(", ")}/${match.transports.join("+")}`,
    }));
  return [...networkAliases, privateAlias, ...portAliases, ...(quarantine ? [quarantineAlias()] : [])];
}

type RuleBody = Omit<RuleSpec, "sequence">;

const PASS_DEFAULTS = {
  enabled: true,
  action: "pass",
  quick: true,
  direction: "in",
  ipprotocol: "inet",
  source_not: false,
  destination_not: false,
} as const;

const BLOCK_DEFAULTS = { ...PASS_DEFAULTS, action: "block", ipprotocol: "inet46", log: true } as const;

function destinationOf(entry: ResolvedEntry): Pick<RuleSpec, "destination_net" | "destination_not"> {
  switch (entry.to.kind) {
    case "firewall":
      return { destination_net: entry.from.gateway, destination_not: false };
    case "network":
      return { destination_net: networkAliasName(entry.to.network.name), destination_not: false };
    case "internet":
      return { destination_net: PRIVATE_ALIAS, destination_not: true };
    case "any":
      return { destination_net: "any", destination_not: false };
  }
}

/** Whether the entry's destination may lie in the management network (its passes are then logged). */
function reachesManagement(entry: ResolvedEntry): boolean {
  switch (entry.to.kind) {
    case "firewall":
      return entry.from.purpose === "management";
    case "network":
      return entry.to.network.purpose === "management";
    case "internet":
      return false;
    case "any":
      return true;
  }
}

function passRules(entry: ResolvedEntry): RuleBody[] {
  const common = {
    ...PASS_DEFAULTS,
    interface: entry.from.interface,
    source_net: networkAliasName(entry.from.name),
    ...destinationOf(entry),
    log: reachesManagement(entry),
  };
  if (!entry.services) {
    return [
      { ...common, protocol: "any", destination_port: "", description: entryDescription(entry, "all") },
    ];
  }
  return entry.services.flatMap(serviceMatches).map((match) => ({
    ...common,
    protocol: ruleProtocol(match),
    destination_port: serviceAliasName(match),
    description: entryDescription(entry, matchLabel(match)),
  }));
}

/** What a host flow's rules and group rules say: `fortress flows: users → wazuh-manager-1 10.10.20.7 (wazuh-agent)`. */
function hostFlowDescription(flow: ResolvedHostFlow, what: string): string {
  return `fortress flows: ${flow.from.name} → ${flow.host} ${flow.address} (${what})`;
}

/** A host flow's passes: to the one address, logged when they leave quarantine or enter management. */
function hostFlowRules(flow: ResolvedHostFlow): RuleBody[] {
  return flow.services.flatMap(serviceMatches).map((match) => ({
    ...PASS_DEFAULTS,
    interface: flow.from.interface,
    source_net: networkAliasName(flow.from.name),
    destination_net: flow.address,
    destination_not: false,
    protocol: ruleProtocol(match),
    destination_port: serviceAliasName(match),
    log: flow.from.purpose === "quarantine" || flow.to.purpose === "management",
    description: hostFlowDescription(flow, matchLabel(match)),
  }));
}

/** What a scan flow's rule and group rule say: `fortress scans: greenbone-1 10.10.20.9 → users (all)`. */
function scanFlowDescription(flow: ResolvedScanFlow): string {
  return `fortress scans: ${flow.host} ${flow.address} → ${flow.to.name} (all)`;
}

/** A scan flow's pass: from the scanner's address alone, every protocol, logged when it enters management. */
function scanFlowRule(flow: ResolvedScanFlow): RuleBody {
  return {
    ...PASS_DEFAULTS,
    interface: flow.from.interface,
    source_net: flow.address,
    destination_net: networkAliasName(flow.to.name),
    destination_not: false,
    protocol: "any",
    destination_port: "",
    log: flow.to.purpose === "management",
    description: scanFlowDescription(flow),
  };
}

function antiLockoutRules(management: ZoneNetwork): RuleBody[] {
  return ANTI_LOCKOUT_SERVICES.flatMap(serviceMatches).map((match) => ({
    ...PASS_DEFAULTS,
    ipprotocol: "inet46",
    interface: management.interface,
    protocol: ruleProtocol(match),
    source_net: networkAliasName(management.name),
    destination_net: "(self)",
    destination_port: serviceAliasName(match),
    log: true,
    description: `fortress: ${management.name} anti-lockout (${matchLabel(match)})`,
  }));
}

function interfaceRules(
  network: ZoneNetwork,
  networks: readonly ZoneNetwork[],
  entries: readonly ResolvedEntry[],
  hostFlows: readonly ResolvedHostFlow[],
  scanFlows: readonly ResolvedScanFlow[],
  quarantine: ResolvedQuarantine | undefined,
  apiPasses: (network: ZoneNetwork) => RuleBody[],
) {
  const own = entries.filter((entry) => entry.from === network);
  const toFirewall = own.filter((entry) => entry.to.kind === "firewall");
  const beyond = own.filter((entry) => entry.to.kind !== "firewall");
  const flows = hostFlows.filter((flow) => flow.from === network);
  const scans = scanFlows.filter((flow) => flow.from === network);
  const block = (destination: string, description: string): RuleBody => ({
    ...BLOCK_DEFAULTS,
    interface: network.interface,
    protocol: "any",
    source_net: "any",
    destination_net: destination,
    destination_port: "",
    description,
  });
  const rules: RuleBody[] = [
    ...(quarantine
      ? quarantineRules(
          network,
          quarantine,
          (match) => ({
            protocol: ruleProtocol(match),
            destination_port: serviceAliasName(match),
            label: matchLabel(match),
          }),
          scans,
        )
      : []),
    ...toFirewall.flatMap(passRules),
    ...apiPasses(network),
  ];
  if (beyond.length > 0 || flows.length > 0 || scans.length > 0) {
    rules.push(block("(self)", `fortress: ${network.name} → firewall, other addresses and services blocked`));
  }
  if (beyond.some((entry) => entry.to.kind === "any")) {
    for (const quarantine of networks.filter((candidate) => candidate.purpose === "quarantine")) {
      rules.push(
        block(
          networkAliasName(quarantine.name),
          `fortress: ${network.name} → ${quarantine.name} blocked (quarantine)`,
        ),
      );
    }
  }
  rules.push(...beyond.flatMap(passRules), ...flows.flatMap(hostFlowRules), ...scans.map(scanFlowRule));
  if (rules.length > RULES_PER_VLAN - 1) {
    throw new Error(
      `zone compiler: ${network.name} needs ${rules.length} rules, more than ${RULES_PER_VLAN - 1}`,
    );
  }
  const base = network.vlan * RULES_PER_VLAN;
  const deny: RuleSpec = {
    ...block("any", `fortress: ${network.name} default deny`),
    sequence: base + RULES_PER_VLAN - 1,
  };
  return [...rules.map((rule, index): RuleSpec => ({ ...rule, sequence: base + 1 + index })), deny];
}

/** Throws when the compiled policy breaks an invariant no matrix may break. */
export function assertPolicyInvariants(compiled: CompiledZones): void {
  for (const rule of compiled.rules) {
    if (rule.action === "pass" && rule.source_net === "any" && rule.destination_net === "any") {
      throw new Error(`zone compiler: pass rule from any to any: ${rule.description}`);
    }
    if (Buffer.byteLength(rule.description, "utf8") > 255) {
      throw new Error(`zone compiler: description longer than 255 bytes: ${rule.description}`);
    }
  }
  const sequences = compiled.rules.map((rule) => rule.sequence);
  if (new Set(sequences).size !== sequences.length)
    throw new Error("zone compiler: duplicate sequence numbers");
  const descriptions = compiled.rules.map((rule) => rule.description);
  if (new Set(descriptions).size !== descriptions.length)
    throw new Error("zone compiler: duplicate descriptions");
  for (const alias of compiled.aliases) {
    if (!/^[A-Za-z0-9_]{1,31}$/.test(alias.name))
      throw new Error(`zone compiler: bad alias name ${alias.name}`);
  }
  const aliasNames = compiled.aliases.map((alias) => alias.name);
  if (new Set(aliasNames).size !== aliasNames.length) throw new Error("zone compiler: duplicate alias names");
}

export function compileZones(input: ZonePolicyInput): CompiledZones {
  const { networks, entries: unsorted, hostFlows, scanFlows } = resolve(input);
  const entries = sortEntries(unsorted);
  const quarantine = input.quarantine
    ? resolveQuarantine(input.quarantine, new Map(networks.map((network) => [network.name, network])))
    : undefined;
  const apiPasses = firewallApiPasses(input, networks);
  const managements = networks.filter((network) => network.purpose === "management");
  if (managements.length === 0)
    throw new Error("zone compiler: no management network for the anti-lockout rule");
  const antiLockout = managements
    .flatMap(antiLockoutRules)
    .map((rule, index): RuleSpec => ({ ...rule, sequence: 1 + index }));
  if (antiLockout.length >= RULES_PER_VLAN) throw new Error("zone compiler: too many anti-lockout rules");
  const rules = [
    ...antiLockout,
    ...networks.flatMap((network) =>
      interfaceRules(network, networks, entries, hostFlows, scanFlows, quarantine, apiPasses),
    ),
  ];
  const compiled = { aliases: compileAliases(networks, entries, hostFlows, quarantine), rules };
  assertPolicyInvariants(compiled);
  return compiled;
}

// ---- Proxmox --------------------------------------------------------------------------------------

/**
 * The same matrix as Proxmox objects, enforced again on each VM's NIC: one cluster IP set per zone,
 * and per zone (but quarantine) a security group for the VMs in it, whose in-rules accept what the
 * matrix lets other zones open towards it, plus the zone's own traffic (same-VLAN traffic never
 * crosses OPNsense, so the matrix cannot speak of it; the VMs of one zone, k3s nodes among them, talk
 * to each other). The group has no final drop: the lead sets each VM's firewall options to
 * `enabled: true, inputPolicy: "DROP"`, which drops whatever the group does not accept.
 * Quarantine gets no group: a VM there has no accepting rule at all. Entries to `internet` and
 * `firewall` do not concern VM ingress. A host flow is accepted in the group of its host's zone, to
 * the host's address only. The firewall's own traffic to a VM (OPNsense's syslog to the manager)
 * comes from its address on the VM's VLAN, which the intra-zone rule accepts. A scan flow is accepted
 * in the group of the zone it scans, from the scanner's address only, every protocol.
 */
export function compileProxmoxFirewall(input: ZonePolicyInput): CompiledProxmoxFirewall {
  const { networks, entries: unsorted, hostFlows, scanFlows } = resolve(input);
  const entries = sortEntries(unsorted);
  const ipSets = networks.map((network): IpSetSpec => ({
    name: ipSetName(network.name),
    comment: `Fortress zone ${network.name} (VLAN ${network.vlan}, ${network.purpose})`,
    cidrs: [{ name: network.cidr, comment: network.name }],
  }));
  const securityGroups = networks
    .filter((network) => network.purpose !== "quarantine")
    .map((zone): SecurityGroupSpec => {
      const log = zone.purpose === "management" ? "info" : "nolog";
      const base = {
        type: "in",
        action: "ACCEPT",
        dest: `+${ipSetName(zone.name)}`,
        log,
        enabled: true,
      } as const;
      const intraZone: SecurityGroupRuleSpec = {
        ...base,
        source: `+${ipSetName(zone.name)}`,
        comment: `fortress: ${zone.name} intra-zone (same VLAN)`,
      };
      const granted = entries
        .filter(
          (entry) =>
            entry.from !== zone &&
            (entry.to.kind === "any" || (entry.to.kind === "network" && entry.to.network === zone)),
        )
        .flatMap((entry): SecurityGroupRuleSpec[] => {
          const source = `+${ipSetName(entry.from.name)}`;
          const from = { ...base, source };
          if (!entry.services) return [{ ...from, comment: entryDescription(entry, "all") }];
          return entry.services.flatMap(serviceMatches).flatMap((match) =>
            match.transports.map((proto): SecurityGroupRuleSpec => ({
              ...from,
              proto,
              dport: match.ports.join(","),
              comment: entryDescription(
                entry,
                match.transports.length > 1 ? `${match.service}/${proto}` : matchLabel(match),
              ),
            })),
          );
        });
      const flows = hostFlows
        .filter((flow) => flow.to === zone)
        .flatMap((flow) =>
          flow.services.flatMap(serviceMatches).flatMap((match) =>
            match.transports.map((proto): SecurityGroupRuleSpec => ({
              ...base,
              source: `+${ipSetName(flow.from.name)}`,
              dest: flow.address,
              proto,
              dport: match.ports.join(","),
              log: flow.from.purpose === "quarantine" ? "info" : log,
              comment: hostFlowDescription(
                flow,
                match.transports.length > 1 ? `${match.service}/${proto}` : matchLabel(match),
              ),
            })),
          ),
        );
      return {
        name: securityGroupName(zone.name),
        comment: `Fortress zone ${zone.name}: what the zone matrix lets in`,
        rules: [
          intraZone,
          ...granted,
          ...flows,
          ...scanFlows
            .filter((flow) => flow.to === zone)
            .map((flow): SecurityGroupRuleSpec => ({
              ...base,
              source: flow.address,
              comment: scanFlowDescription(flow),
            })),
        ],
      };
    });
  return { ipSets, securityGroups };
}
