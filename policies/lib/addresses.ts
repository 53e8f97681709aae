/**
 * What OPNsense address fields stand for: `any`, CIDRs and ranges, interface names and addresses,
 * `(self)`, the zone aliases and (nested) host/network aliases, resolved to IPv4 and IPv6 ranges, with
 * what cannot be resolved kept apart. Shared by the policies that judge what a rule lets through.
 */
import type { PolicyResource } from "@pulumi/policy";
import { addressRange, type AddressRange, everyAddress } from "../../vocabulary/addresses";
import { type NetworkRecord, OPNSENSE, opnsenseFields } from "./resources";

/** What an OPNsense address field can stand for: address ranges, and whether some of it is unknown. */
export interface Addresses {
  readonly ranges: readonly AddressRange[];
  readonly unknown: readonly string[];
  /** `any`: every address. */
  readonly all: boolean;
}

export const ALL: Addresses = {
  ranges: [everyAddress("ipv4"), everyAddress("ipv6")],
  unknown: [],
  all: true,
};

/** Content types of aliases that never hold private (lab) addresses. */
const PUBLIC_ONLY_ALIASES = new Set(["geoip", "asn"]);

export class AddressResolver {
  private readonly aliases = new Map<string, Record<string, string>>();
  /** Rules share a handful of values (`fz_private`, the zone aliases): each is resolved once. */
  private readonly resolved = new Map<string, Addresses>();

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

  resolve(value: string | undefined, seen?: ReadonlySet<string>): Addresses {
    if (seen !== undefined) return this.resolveUncached(value, seen);
    const key = value ?? "any";
    let addresses = this.resolved.get(key);
    if (!addresses) {
      addresses = this.resolveUncached(value, new Set());
      this.resolved.set(key, addresses);
    }
    return addresses;
  }

  private resolveUncached(value: string | undefined, seen: ReadonlySet<string>): Addresses {
    const name = (value ?? "any").trim();
    if (name === "" || name === "any") return ALL;
    // source_net/destination_net hold several values, comma-separated (Filter.xml: NetworkAliasField, Multiple).
    if (name.includes(",")) return union(name.split(",").map((part) => this.resolve(part, seen)));
    const range = addressRange(name);
    if (range) return { ranges: [range], unknown: [], all: false };
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
        const range = addressRange(network.gateway);
        return range ? [range] : [];
      }),
      unknown: [],
      all: false,
    };
  }

  private ofCidr(cidr: string, name: string): Addresses {
    const range = addressRange(cidr);
    return range ? { ranges: [range], unknown: [], all: false } : { ranges: [], unknown: [name], all: false };
  }

  private ofAlias(alias: Record<string, string>, seen: ReadonlySet<string>): Addresses {
    const type = alias.type ?? "";
    if (PUBLIC_ONLY_ALIASES.has(type)) return { ranges: [], unknown: [], all: false };
    if (type !== "host" && type !== "network" && type !== "networkgroup") {
      return { ranges: [], unknown: [alias.name ?? ""], all: false };
    }
    const all = String(alias.content ?? "")
      .split(/[\n,]/)
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    // `!entry` in a host or network alias excludes it from the rest (opnsense/core
    // models/OPNsense/Firewall/FieldTypes/AliasContentField.php, "exclude address or network").
    const excluded = this.resolve(
      all
        .filter((entry) => entry.startsWith("!"))
        .map((entry) => entry.slice(1))
        .join(",") || "0.0.0.0/32",
      seen,
    );
    const entries = all.filter((entry) => !entry.startsWith("!"));
    const parts = entries.map((entry) =>
      addressRange(entry)
        ? this.resolve(entry)
        : this.aliases.has(entry)
          ? this.resolve(entry, seen)
          : undefined,
    );
    const included: Addresses = {
      ranges: parts.flatMap((part) => part?.ranges ?? []),
      unknown: entries
        .filter((_, index) => parts[index] === undefined)
        .concat(parts.flatMap((part) => part?.unknown ?? [])),
      all: parts.some((part) => part?.all),
    };
    return all.length === entries.length ? included : without(included, excluded);
  }
}

/** Every address any of `parts` stands for. */
export function union(parts: readonly Addresses[]): Addresses {
  return {
    ranges: parts.flatMap((part) => part.ranges),
    unknown: parts.flatMap((part) => part.unknown),
    all: parts.some((part) => part.all),
  };
}

/** `ranges` less `excluded` (what cannot be resolved of the exclusion is left in: it may be excluded or not). */
export function without(addresses: Addresses, excluded: Addresses): Addresses {
  const base = addresses.all ? [...ALL.ranges] : [...addresses.ranges];
  const ranges = base.flatMap((range) =>
    excluded.ranges.reduce<AddressRange[]>(
      (pieces, cut) =>
        pieces.flatMap((piece) => {
          if (piece.family !== cut.family || cut.last < piece.first || cut.first > piece.last) return [piece];
          const left = cut.first > piece.first ? [{ ...piece, last: cut.first - 1n }] : [];
          const right = cut.last < piece.last ? [{ ...piece, first: cut.last + 1n }] : [];
          return [...left, ...right];
        }),
      [range],
    ),
  );
  return { ranges, unknown: [...addresses.unknown, ...excluded.unknown], all: false };
}
