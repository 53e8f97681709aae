/**
 * Compiles the zone matrix (`fortress:zones`) into firewall objects: OPNsense aliases and filter
 * rules, and, for defense in depth, Proxmox IP sets and security groups. Pure: no resources, no I/O.
 * The same input always gives the same output, whatever the order of the entries.
 *
 * OPNsense, per VLAN interface, inbound, in sequence order:
 *   1. (management only) anti-lockout: management → this firewall, https and ssh; sequences 1, 2, …
 *      before every other rule. To `(self)`, every address of the firewall: it is the rule that must
 *      not fail, and its source is the management network alone.
 *   2. passes to `firewall`: to the firewall's address on the source VLAN (its gateway).
 *   3. a logged block to `(self)`, when the VLAN has any pass beyond step 2: the firewall's address on
 *      another VLAN lies inside that VLAN's network, and its WAN address is "internet", so without it
 *      `users → servers (https)` would also open the firewall's web UI at the servers gateway.
 *   4. a logged block to each quarantine network, when the VLAN has a `to: any` entry.
 *   5. passes to networks (by VLAN), to `internet` (`!fz_private`), to `any`.
 *   6. default deny: a logged block from any, to any, IPv4 and IPv6, last.
 * Passes are IPv4 (`inet`); blocks cover both families (`inet46`), and so does the anti-lockout: it
 * must let the management network in by whichever family the default deny after it would block. A
 * pass is logged when its destination may lie in the management network. Sequence numbers are `vlan × 200 + n`, the default
 * deny at `vlan × 200 + 199`, so adding a VLAN does not renumber the others.
 */
import { MAX_ZONE_NAME_LENGTH } from "../../vocabulary/zones";
import { addressRange, covers } from "../../vocabulary/addresses";
import {
  isServiceName,
  type ServiceMatch,
  type ServiceName,
  serviceMatches,
  serviceRank,
} from "../../vocabulary/services";
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

export { MAX_ZONE_NAME_LENGTH };

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

// ---- input resolution -----------------------------------------------------------------------------

type Target =
  | { readonly kind: "firewall" }
  | { readonly kind: "network"; readonly network: ZoneNetwork }
  | { readonly kind: "internet" }
  | { readonly kind: "any" };

interface ResolvedEntry {
  readonly from: ZoneNetwork;
  readonly to: Target;
  /** Sorted by the service table's order; undefined for `all`. */
  readonly services: readonly ServiceName[] | undefined;
}

const TARGET_ORDER: Record<Target["kind"], number> = { firewall: 0, network: 1, internet: 2, any: 3 };

const targetName = (target: Target) => (target.kind === "network" ? target.network.name : target.kind);

function byVlan(networks: readonly ZoneNetwork[]): ZoneNetwork[] {
  return [...networks].sort((a, b) => a.vlan - b.vlan || a.name.localeCompare(b.name));
}

/**
 * Looks every name up. The config checks (stacks/config/zones.ts) report these problems to the admin
 * with a path and a hint; here they can only be a caller's bug, so they throw.
 */
function resolve(input: ZonePolicyInput): { networks: ZoneNetwork[]; entries: ResolvedEntry[] } {
  const networks = byVlan(input.networks);
  const byName = new Map(networks.map((network) => [network.name, network]));
  if (byName.size !== networks.length) throw new Error("zone compiler: network names are not unique");
  if (new Set(networks.map((network) => network.vlan)).size !== networks.length) {
    throw new Error("zone compiler: VLAN ids are not unique");
  }
  for (const network of networks) {
    if (network.name.length > MAX_ZONE_NAME_LENGTH) {
      throw new Error(`zone compiler: network name ${network.name} is longer than ${MAX_ZONE_NAME_LENGTH}`);
    }
  }
  const seen = new Set<string>();
  const entries = input.zones.map((entry, index): ResolvedEntry => {
    const fail = (message: string) => new Error(`zone compiler: zones[${index}]: ${message}`);
    const from = byName.get(entry.from);
    if (!from) throw fail(`unknown source network ${entry.from}`);
    if (from.purpose === "quarantine") throw fail("nothing may leave a quarantine network");
    const to: Target | undefined =
      entry.to === "firewall" || entry.to === "internet" || entry.to === "any"
        ? { kind: entry.to }
        : byName.has(entry.to)
          ? { kind: "network", network: byName.get(entry.to) as ZoneNetwork }
          : undefined;
    if (!to) throw fail(`unknown destination ${entry.to}`);
    if (to.kind === "network" && to.network.purpose === "quarantine") {
      throw fail("nothing may enter a quarantine network");
    }
    if (to.kind === "network" && to.network === from) throw fail("a network cannot be its own destination");
    const key = `${from.name}→${targetName(to)}`;
    if (seen.has(key)) throw fail(`${key} is granted twice`);
    seen.add(key);
    if (to.kind === "any" && from.purpose !== "management")
      throw fail("to: any is only for the management network");
    if (entry.services === "all") {
      if (from.purpose !== "management") throw fail("services: all is only for the management network");
      return { from, to, services: undefined };
    }
    const services = entry.services.map((name) => {
      if (!isServiceName(name)) throw fail(`unknown service ${name}`);
      return name;
    });
    if (new Set(services).size !== services.length) throw fail("a service is listed twice");
    if (services.length === 0) throw fail("no services");
    return { from, to, services: [...services].sort((a, b) => serviceRank(a) - serviceRank(b)) };
  });
  return { networks, entries };
}

function sortEntries(entries: readonly ResolvedEntry[]): ResolvedEntry[] {
  return [...entries].sort(
    (a, b) =>
      a.from.vlan - b.from.vlan ||
      TARGET_ORDER[a.to.kind] - TARGET_ORDER[b.to.kind] ||
      (a.to.kind === "network" && b.to.kind === "network" ? a.to.network.vlan - b.to.network.vlan : 0),
  );
}

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
function compileAliases(networks: readonly ZoneNetwork[], entries: readonly ResolvedEntry[]): AliasSpec[] {
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
  return [...networkAliases, privateAlias, ...portAliases];
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
) {
  const own = entries.filter((entry) => entry.from === network);
  const toFirewall = own.filter((entry) => entry.to.kind === "firewall");
  const beyond = own.filter((entry) => entry.to.kind !== "firewall");
  const block = (destination: string, description: string): RuleBody => ({
    ...BLOCK_DEFAULTS,
    interface: network.interface,
    protocol: "any",
    source_net: "any",
    destination_net: destination,
    destination_port: "",
    description,
  });
  const rules: RuleBody[] = toFirewall.flatMap(passRules);
  if (beyond.length > 0) {
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
  rules.push(...beyond.flatMap(passRules));
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
  const { networks, entries: unsorted } = resolve(input);
  const entries = sortEntries(unsorted);
  const managements = networks.filter((network) => network.purpose === "management");
  if (managements.length === 0)
    throw new Error("zone compiler: no management network for the anti-lockout rule");
  const antiLockout = managements
    .flatMap(antiLockoutRules)
    .map((rule, index): RuleSpec => ({ ...rule, sequence: 1 + index }));
  if (antiLockout.length >= RULES_PER_VLAN) throw new Error("zone compiler: too many anti-lockout rules");
  const rules = [
    ...antiLockout,
    ...networks.flatMap((network) => interfaceRules(network, networks, entries)),
  ];
  const compiled = { aliases: compileAliases(networks, entries), rules };
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
 * `firewall` do not concern VM ingress.
 */
export function compileProxmoxFirewall(input: ZonePolicyInput): CompiledProxmoxFirewall {
  const { networks, entries: unsorted } = resolve(input);
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
      return {
        name: securityGroupName(zone.name),
        comment: `Fortress zone ${zone.name}: what the zone matrix lets in`,
        rules: [intraZone, ...granted],
      };
    });
  return { ipSets, securityGroups };
}
