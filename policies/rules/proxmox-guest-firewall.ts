/**
 * The Proxmox firewall around each guest, beyond the NIC's flag (proxmox-vm-nic): the datacenter
 * switch on (while it is off Proxmox applies no guest rule at all: pve-firewall's `enable` option of
 * cluster.fw, proxmox/pve-firewall src/PVE/Firewall.pm), each guest's own firewall enabled with input
 * policy DROP or REJECT (unset is DROP; with ACCEPT whatever its security group does not accept still
 * gets in), and no rule, of a guest, a node, the cluster or a security group, that accepts every source.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type AddressRange, addressRange, covers, everyAddress, overlaps } from "../../vocabulary/addresses";
import { PROXMOX_FIREWALL_TYPES } from "../../vocabulary/proxmoxTypes";
import { type Guest, guestsOf } from "../lib/guests";

type Props = Record<string, unknown>;

/** Named address sets a Proxmox rule can refer to: IP sets (`+name`, `+dc/name`) and aliases (`name`, `dc/name`). */
export type SourceSets = ReadonlyMap<string, readonly string[]>;

/** The IP sets' and aliases' entries by name, as pve-firewall lets rules name them. */
export function sourceSets(resources: readonly PolicyResource[]): SourceSets {
  const sets = new Map<string, string[]>();
  for (const resource of resources) {
    const name = resource.props.name;
    if (typeof name !== "string") continue;
    if (resource.type === PROXMOX_FIREWALL_TYPES.ipSet && Array.isArray(resource.props.cidrs)) {
      const cidrs = (resource.props.cidrs as Props[]).map(
        (cidr) => `${cidr.nomatch === true ? "!" : ""}${String(cidr.name ?? "")}`,
      );
      sets.set(`+${name}`, cidrs);
      sets.set(`+dc/${name}`, cidrs);
    }
    if (resource.type === PROXMOX_FIREWALL_TYPES.alias && typeof resource.props.cidr === "string") {
      sets.set(name, [resource.props.cidr]);
      sets.set(`dc/${name}`, [resource.props.cidr]);
    }
  }
  return sets;
}

/** `ranges` less `holes`. */
function subtract(ranges: readonly AddressRange[], holes: readonly AddressRange[]): AddressRange[] {
  let pieces = [...ranges];
  for (const hole of holes) {
    pieces = pieces.flatMap((piece) =>
      !overlaps(piece, hole)
        ? [piece]
        : [
            ...(piece.first < hole.first ? [{ ...piece, last: hole.first - 1n }] : []),
            ...(hole.last < piece.last ? [{ ...piece, first: hole.last + 1n }] : []),
          ],
    );
  }
  return pieces;
}

/** The addresses a list of addresses, CIDRs, IP sets and aliases stands for. */
function rangesOf(entries: readonly string[], sets: SourceSets, depth: number): AddressRange[] {
  return entries.flatMap((entry) => {
    const range = addressRange(entry);
    if (range) return [range];
    const named = sets.get(entry);
    if (!named || depth > 4) return [];
    // An IP set's `nomatch` entries (`!cidr`) are exclusions: pve-firewall loads them into the kernel
    // ipset as `add <set> <cidr> nomatch` (proxmox/pve-firewall src/PVE/Firewall.pm), so the set is its
    // entries less those, not "all but" them.
    const excluded = named.filter((inner) => inner.startsWith("!")).map((inner) => inner.slice(1));
    const included = named.filter((inner) => !inner.startsWith("!"));
    return subtract(rangesOf(included, sets, depth + 1), rangesOf(excluded, sets, depth + 1));
  });
}

/**
 * Whether a Proxmox rule source stands for every address: empty, `0.0.0.0/0`, `::/0`, a negation
 * (`!x`: all but x), or lists, IP sets (less their nomatch entries) and aliases whose entries add up to
 * one family's every address.
 */
export function isEverySource(source: unknown, sets: SourceSets = new Map()): boolean {
  const text = typeof source === "string" ? source.trim() : "";
  if (text === "" || text === "any") return true;
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.some((entry) => entry.startsWith("!"))) return true;
  const ranges = rangesOf(entries, sets, 0);
  return covers(ranges, everyAddress("ipv4")) || covers(ranges, everyAddress("ipv6"));
}

/** An inbound ACCEPT from every source (a rule with no direction is inbound). */
function acceptsEverything(rule: Props, sets: SourceSets): boolean {
  if (rule.enabled === false || rule.securityGroup !== undefined) return false;
  const action = String(rule.action ?? "").toUpperCase();
  const type = String(rule.type ?? "in").toLowerCase();
  return action === "ACCEPT" && type !== "out" && isEverySource(rule.source, sets);
}

const rulesOf = (resource: PolicyResource) =>
  Array.isArray(resource.props.rules) ? (resource.props.rules as Props[]) : [];

/**
 * The firewall options of each guest, indexed once: by the guests they depend on, and by
 * `<node>/<vmId or containerId>` (a node-less option matches any node). Matching per guest by scanning
 * every option would be quadratic in a lab of a thousand guests.
 */
function optionsIndex(options: readonly PolicyResource[]) {
  const byDependency = new Set<string>();
  const byId = new Set<string>();
  for (const option of options) {
    for (const dependency of [...option.dependencies, ...Object.values(option.propertyDependencies).flat()]) {
      byDependency.add(dependency.urn);
    }
    const id = option.props.vmId ?? option.props.containerId;
    if (id !== undefined) byId.add(`${String(option.props.nodeName ?? "*")}/${String(id)}`);
  }
  return (guest: Guest) =>
    byDependency.has(guest.resource.urn) ||
    (guest.vmId !== undefined &&
      (byId.has(`${guest.nodeName ?? "?"}/${String(guest.vmId)}`) || byId.has(`*/${String(guest.vmId)}`)));
}

/**
 * An unset (or empty) input policy is DROP: pve-firewall takes `$options->{policy_in} || 'DROP'`
 * (proxmox/pve-firewall src/PVE/Firewall.pm, the guest chains' policy); only ACCEPT lets in what the
 * security group does not accept.
 */
const optionGaps = (props: Props): string[] => {
  const inputPolicy = String(props.inputPolicy ?? "").toUpperCase();
  return [
    ...(props.enabled === true ? [] : [`enabled is ${JSON.stringify(props.enabled ?? "unset")}`]),
    ...(["", "DROP", "REJECT"].includes(inputPolicy)
      ? []
      : [`inputPolicy is ${JSON.stringify(props.inputPolicy)}`]),
  ];
};

export const proxmoxGuestFirewall: StackValidationPolicy = {
  name: "proxmox-guest-firewall",
  description:
    "Proxmox enforces each guest's firewall: the datacenter firewall is on, every guest has firewall options with enabled: true and an inputPolicy that is not ACCEPT (unset is DROP), and no guest, node, cluster or security-group rule accepts every source.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const byType = (type: string) => args.resources.filter((resource) => resource.type === type);
    const options = byType(PROXMOX_FIREWALL_TYPES.guestOptions);
    const sets = sourceSets(args.resources);
    for (const option of options) {
      const gaps = optionGaps(option.props);
      if (gaps.length > 0) {
        reportViolation(
          `firewall options ${option.name} (${option.props.vmId !== undefined ? `VM ${String(option.props.vmId)}` : `container ${String(option.props.containerId ?? "?")}`}): ${gaps.join(", ")}, so traffic the zone's security group does not accept still reaches the guest: set enabled: true, inputPolicy: "DROP"`,
          option.urn,
        );
      }
    }
    for (const resource of [
      ...byType(PROXMOX_FIREWALL_TYPES.rules),
      ...byType(PROXMOX_FIREWALL_TYPES.securityGroup),
    ]) {
      rulesOf(resource).forEach((rule, index) => {
        if (!acceptsEverything(rule, sets)) return;
        reportViolation(
          `${resource.type === PROXMOX_FIREWALL_TYPES.securityGroup ? "security group" : "firewall rules"} ${resource.name} rules[${index}] accepts ${rule.proto ? `${String(rule.proto)} ` : ""}${rule.dport ? `port ${String(rule.dport)} ` : ""}from every source (source ${JSON.stringify(rule.source ?? "")}): accept only from the zones' IP sets (+fz-<zone>) the matrix names`,
          resource.urn,
        );
      });
    }
    const guests = guestsOf(args.resources);
    if (guests.length === 0) return;
    const switches = byType(PROXMOX_FIREWALL_TYPES.datacenter);
    if (switches.length === 0) {
      reportViolation(
        `the stack runs ${guests.length} Proxmox guest(s) but does not turn the datacenter firewall on, and while it is off Proxmox applies no guest firewall: add a proxmoxve.cluster.FirewallLegacy with enabled: true`,
      );
    }
    for (const datacenter of switches.filter((resource) => resource.props.enabled !== true)) {
      reportViolation(
        `the datacenter firewall ${datacenter.name} has enabled ${JSON.stringify(datacenter.props.enabled ?? "unset")}, so Proxmox applies no guest firewall, security group or IP set: set enabled: true`,
        datacenter.urn,
      );
    }
    const hasOptions = optionsIndex(options);
    for (const guest of guests) {
      if (guest.kind.endsWith("template")) continue;
      if (!hasOptions(guest)) {
        reportViolation(
          `${guest.kind} ${guest.name} has no firewall options, so its firewall is off (Proxmox's default) whatever its NICs say: add a proxmoxve.firewall.OptionsLegacy for it with enabled: true, inputPolicy: "DROP"`,
          guest.resource.urn,
        );
      }
    }
  },
};
