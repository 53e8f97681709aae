/**
 * What OPNsense address fields stand for: `any`, CIDRs and ranges, interface names and addresses,
 * `(self)`, the zone aliases and (nested) host/network aliases, resolved to IPv4 ranges, with what
 * cannot be resolved kept apart. Shared by the policies that judge what a rule lets through.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type NetworkRecord, OPNSENSE, opnsenseFields } from "./resources";

/** An inclusive IPv4 range as numbers. */
export type Range = readonly [number, number];

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

export const overlaps = (a: Range, b: Range) => a[0] <= b[1] && b[0] <= a[1];

/** Whether the union of `ranges` covers all of `target`. */
export function covers(ranges: readonly Range[], target: Range): boolean {
  let next = target[0];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start > next) break;
    if (end >= next) next = end + 1;
    if (next > target[1]) return true;
  }
  return next > target[1];
}

/** What an OPNsense address field can stand for: address ranges, and whether some of it is unknown. */
export interface Addresses {
  readonly ranges: readonly Range[];
  readonly unknown: readonly string[];
  /** `any`: every address. */
  readonly all: boolean;
}

export const ALL: Addresses = { ranges: [[0, 2 ** 32 - 1]], unknown: [], all: true };

/** Content types of aliases that never hold private (lab) addresses. */
const PUBLIC_ONLY_ALIASES = new Set(["geoip", "asn"]);

export class AddressResolver {
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
