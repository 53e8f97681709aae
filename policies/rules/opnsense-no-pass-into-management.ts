import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  type NetworkRecord,
  networksOf,
  OPNSENSE,
  opnsenseFields,
  type OpnsenseRule,
  opnsenseRules,
} from "../lib/resources";

const DEFAULT_UNTRUSTED = ["users", "iot", "guest", "quarantine"];
const DEFAULT_MANAGEMENT = ["management"];

/** An inclusive IPv4 range as numbers. */
type Range = readonly [number, number];

function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    return undefined;
  }
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** `10.0.0.0/8`, `10.10.10.1` or `10.10.10.1-10.10.10.9` as a range; undefined for anything else. */
export function ipv4Range(text: string): Range | undefined {
  const trimmed = text.trim();
  const dash = trimmed.split("-");
  if (dash.length === 2) {
    const [from, to] = dash.map((part) => ipv4(part.trim()));
    return from !== undefined && to !== undefined && from <= to ? [from, to] : undefined;
  }
  const [address, bits, ...rest] = trimmed.split("/");
  if (rest.length > 0 || address === undefined) return undefined;
  const base = ipv4(address);
  if (base === undefined) return undefined;
  if (bits === undefined) return [base, base];
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

const overlaps = (a: Range, b: Range) => a[0] <= b[1] && b[0] <= a[1];

/** Whether the union of `ranges` covers all of `target`. */
function covers(ranges: readonly Range[], target: Range): boolean {
  let next = target[0];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start > next) break;
    if (end >= next) next = end + 1;
    if (next > target[1]) return true;
  }
  return next > target[1];
}

/** What an OPNsense address field can stand for: address ranges, and whether some of it is unknown. */
interface Addresses {
  readonly ranges: readonly Range[];
  readonly unknown: readonly string[];
  /** `any`: every address. */
  readonly all: boolean;
}

const ALL: Addresses = { ranges: [[0, 2 ** 32 - 1]], unknown: [], all: true };

/** Content types of aliases that never hold private (lab) addresses. */
const PUBLIC_ONLY_ALIASES = new Set(["geoip", "asn"]);

class AddressResolver {
  private readonly aliases = new Map<string, Record<string, string>>();

  constructor(
    resources: readonly PolicyResource[],
    private readonly networks: readonly NetworkRecord[],
  ) {
    for (const resource of resources) {
      if (resource.type !== OPNSENSE("alias")) continue;
      const fields = opnsenseFields(resource.props);
      if (fields?.name) this.aliases.set(fields.name, fields);
    }
  }

  resolve(value: string | undefined, seen: ReadonlySet<string> = new Set()): Addresses {
    const name = (value ?? "any").trim();
    if (name === "" || name === "any") return ALL;
    const range = ipv4Range(name);
    if (range) return { ranges: [range], unknown: [], all: false };
    if (/^[0-9a-f:]+(\/\d+)?$/i.test(name) && name.includes(":"))
      return { ranges: [], unknown: [], all: false };
    // `(self)` is every address of the firewall, the management network's gateway among them.
    if (name === "(self)") return this.gateways();
    const byInterface = this.networks.find((network) => network.interface === name);
    if (byInterface) return this.ofCidr(byInterface.cidr, name);
    const byInterfaceAddress = this.networks.find((network) => `${network.interface}ip` === name);
    if (byInterfaceAddress) return this.ofCidr(byInterfaceAddress.gateway, name);
    const alias = this.aliases.get(name);
    if (alias && !seen.has(name)) return this.ofAlias(alias, new Set([...seen, name]));
    const zone = /^fz_net_(.+)$/.exec(name)?.[1];
    const network = this.networks.find((candidate) => candidate.name === zone);
    if (network) return this.ofCidr(network.cidr, name);
    return { ranges: [], unknown: [name], all: false };
  }

  private gateways(): Addresses {
    return {
      ranges: this.networks.flatMap((network) => {
        const range = ipv4Range(network.gateway);
        return range ? [range] : [];
      }),
      unknown: [],
      all: false,
    };
  }

  private ofCidr(cidr: string, name: string): Addresses {
    const range = ipv4Range(cidr);
    return range ? { ranges: [range], unknown: [], all: false } : { ranges: [], unknown: [name], all: false };
  }

  private ofAlias(alias: Record<string, string>, seen: ReadonlySet<string>): Addresses {
    const type = alias.type ?? "";
    if (PUBLIC_ONLY_ALIASES.has(type)) return { ranges: [], unknown: [], all: false };
    if (type !== "host" && type !== "network") return { ranges: [], unknown: [alias.name ?? ""], all: false };
    const entries = String(alias.content ?? "")
      .split(/[\n,]/)
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    const parts = entries.map((entry) =>
      ipv4Range(entry)
        ? this.resolve(entry)
        : this.aliases.has(entry)
          ? this.resolve(entry, seen)
          : undefined,
    );
    return {
      ranges: parts.flatMap((part) => part?.ranges ?? []),
      unknown: entries
        .filter((_, index) => parts[index] === undefined)
        .concat(parts.flatMap((part) => part?.unknown ?? [])),
      all: parts.some((part) => part?.all),
    };
  }
}

/** Whether a destination (possibly negated) can reach `target`; "unknown" when it cannot be told. */
function reaches(addresses: Addresses, negated: boolean, target: Range): boolean | "unknown" {
  if (!negated) {
    if (addresses.ranges.some((range) => overlaps(range, target))) return true;
    return addresses.unknown.length > 0 ? "unknown" : false;
  }
  if (addresses.all || covers(addresses.ranges, target)) return false;
  return addresses.unknown.length > 0 ? "unknown" : true;
}

const isNegated = (value: string | undefined) => value === "1";

function stringList(value: unknown, fallback: readonly string[]): string[] {
  return Array.isArray(value) ? value.map(String) : [...fallback];
}

export const opnsenseNoPassIntoManagement: StackValidationPolicy = {
  name: "opnsense-no-pass-into-management",
  description:
    "No OPNsense pass rule lets traffic from a users, iot, guest or quarantine network into the management network.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      untrustedPurposes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_UNTRUSTED,
        description: "Network purposes whose traffic must never reach the management network.",
      },
      managementPurposes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_MANAGEMENT,
        description: "Network purposes that make up the management network.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ untrustedPurposes?: unknown; managementPurposes?: unknown }>();
    const untrustedPurposes = new Set(stringList(config.untrustedPurposes, DEFAULT_UNTRUSTED));
    const managementPurposes = new Set(stringList(config.managementPurposes, DEFAULT_MANAGEMENT));
    const networks = networksOf(args.resources);
    const untrusted = networks.filter((network) => untrustedPurposes.has(network.purpose));
    const management = networks.flatMap((network) => {
      const range = managementPurposes.has(network.purpose) ? ipv4Range(network.cidr) : undefined;
      return range ? [{ network, range }] : [];
    });
    if (untrusted.length === 0 || management.length === 0) return;
    const resolver = new AddressResolver(args.resources, networks);

    /** The untrusted networks a rule's traffic can come from, and the management networks it can enter. */
    const flows = (rule: OpnsenseRule, destination: Addresses) => {
      const { fields } = rule;
      const direction = fields.direction ?? "in";
      const onInterfaces = (network: NetworkRecord) =>
        rule.interfaces.length === 0 || rule.interfaces.includes(network.interface);
      const negated = isNegated(fields.destination_not);
      const into = (zones: typeof management) =>
        zones.filter(({ range }) => reaches(destination, negated, range) !== false);
      const from = new Set<NetworkRecord>();
      const targets = new Set<(typeof management)[number]>();
      if (direction === "in" || direction === "any") {
        // Inbound rules filter what enters the firewall on their interfaces: the interface is the source zone.
        const sources = untrusted.filter(onInterfaces);
        const entered = into(management);
        if (sources.length > 0 && entered.length > 0) {
          for (const network of sources) from.add(network);
          for (const zone of entered) targets.add(zone);
        }
      }
      if (direction === "out" || direction === "any") {
        // Outbound rules filter what leaves on their interfaces: the source net says where it came from.
        const source = resolver.resolve(fields.source_net);
        const sourceNegated = isNegated(fields.source_not);
        const sources = untrusted.filter((network) => {
          const range = ipv4Range(network.cidr);
          return range !== undefined && reaches(source, sourceNegated, range) !== false;
        });
        const exits = into(management.filter(({ network }) => onInterfaces(network)));
        if (sources.length > 0 && exits.length > 0) {
          for (const network of sources) from.add(network);
          for (const zone of exits) targets.add(zone);
        }
      }
      return { from: [...from], into: [...targets] };
    };

    for (const rule of opnsenseRules(args.resources)) {
      if (!rule.enabled || rule.fields.action !== "pass") continue;
      const destination = resolver.resolve(rule.fields.destination_net);
      const { from, into } = flows(rule, destination);
      if (from.length === 0 || into.length === 0) continue;
      const negated = isNegated(rule.fields.destination_not);
      const certain = into.some(({ range }) => reaches(destination, negated, range) === true);
      const unresolved = certain
        ? ""
        : ` (${destination.unknown.join(", ")} cannot be resolved to addresses, so it may include management)`;
      const shown = `${negated ? "not " : ""}${rule.fields.destination_net || "any"}`;
      reportViolation(
        `filter rule "${rule.fields.description ?? rule.resource.name}" passes traffic from ${from
          .map((network) => network.name)
          .join(", ")} to ${shown}, which reaches the management network ${into
          .map(({ network }) => `${network.name} (${network.cidr})`)
          .join(
            ", ",
          )}${unresolved}: name a destination that excludes management (a zone alias such as fz_net_servers, ` +
          `or internet as "not fz_private"), or remove the rule`,
        rule.resource.urn,
      );
    }
  },
};
