/**
 * IP addresses, IPv4 and IPv6, parsed by ipaddr.js: addresses, CIDRs and ranges as inclusive integer
 * ranges (the pack's reasoning about what a firewall field stands for), and the IPv4 arithmetic the
 * lab model allocates addresses with (lab networks are IPv4).
 *
 * Addresses are read strictly: IPv4 only as four decimal parts without leading zeros
 * (`IPv4.isValidFourPartDecimal`; ipaddr.js's `IPv4.parse` alone also takes `10.1`, `0x0a.0.0.1` and
 * octal parts), IPv6 as `IPv6.isValid` reads it (RFC 4291 §2.2 text forms, embedded IPv4 included).
 */
import ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";

const BITS: Readonly<Record<Family, number>> = { ipv4: 32, ipv6: 128 };

/** One address as a family and an integer. */
export interface Address {
  readonly family: Family;
  readonly value: bigint;
}

/** An inclusive range of addresses of one family. */
export interface AddressRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

const fromBytes = (bytes: readonly number[]) =>
  bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);

/** An address written out in full, else undefined (no CIDRs, names or surrounding blanks). */
export function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { family: "ipv4", value: fromBytes(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) {
    return { family: "ipv6", value: fromBytes(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return undefined;
}

/** Every address of a family: 0.0.0.0/0 or ::/0. */
export function everyAddress(family: Family): AddressRange {
  return { family, first: 0n, last: (1n << BigInt(BITS[family])) - 1n };
}

/** The block of `prefix` bits around `address` (host bits cleared), or undefined for a prefix out of range. */
function block(address: Address, prefix: number): AddressRange | undefined {
  const bits = BITS[address.family];
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const size = 1n << BigInt(bits - prefix);
  const first = (address.value / size) * size;
  return { family: address.family, first, last: first + size - 1n };
}

/**
 * `10.0.0.0/8`, `10.10.10.1`, `10.10.10.1-10.10.10.9`, `fd00::/8`, `::/0` or `fd00::1` as a range
 * (a CIDR with host bits set means its block); undefined for anything else.
 */
export function addressRange(text: string): AddressRange | undefined {
  const trimmed = text.trim();
  const dash = trimmed.split("-");
  if (dash.length === 2) {
    const [from, to] = dash.map((part) => parseAddress(part.trim()));
    if (!from || !to || from.family !== to.family || from.value > to.value) return undefined;
    return { family: from.family, first: from.value, last: to.value };
  }
  const [text_, bits, ...rest] = trimmed.split("/");
  if (rest.length > 0 || text_ === undefined) return undefined;
  const address = parseAddress(text_);
  if (!address) return undefined;
  if (bits === undefined) return { family: address.family, first: address.value, last: address.value };
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return undefined;
  return block(address, Number(bits));
}

export const overlaps = (a: AddressRange, b: AddressRange) =>
  a.family === b.family && a.first <= b.last && b.first <= a.last;

/** Whether the union of `ranges` (of any family) covers all of `target`. */
export function covers(ranges: readonly AddressRange[], target: AddressRange): boolean {
  let next = target.first;
  const sameFamily = ranges.filter((range) => range.family === target.family);
  for (const { first, last } of sameFamily.sort((a, b) =>
    a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  )) {
    if (first > next) break;
    if (last >= next) next = last + 1n;
    if (next > target.last) return true;
  }
  return next > target.last;
}

// ---- IPv4 arithmetic on numbers, for the lab's subnets, ranges and address allocation ---------------

/** A dotted quad, four decimal parts 0-255 without leading zeros. */
export function isIpv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** A dotted quad as a number; the caller has checked it with `isIpv4`. */
export function ipToInt(ip: string): number {
  return Number(fromBytes(ipaddr.IPv4.parse(ip).toByteArray()));
}

export function intToIp(value: number): string {
  return ipaddr.fromByteArray([24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256)).toString();
}

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
  /** First and last address of the block (network and broadcast). */
  readonly first: number;
  readonly last: number;
}

/** Prefixes a lab network may have: from a /8 down to a /30, the smallest block with two hosts. */
const LAB_PREFIXES = { min: 8, max: 30 } as const;

/** Parses a lab network `a.b.c.d/n`; undefined when malformed, outside /8–/30, or when host bits are set. */
export function parseCidr(value: string): Cidr | undefined {
  const [ip, prefixText, ...rest] = value.split("/");
  if (rest.length > 0 || ip === undefined || prefixText === undefined || !isIpv4(ip)) return undefined;
  if (!/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix < LAB_PREFIXES.min || prefix > LAB_PREFIXES.max) return undefined;
  const range = addressRange(value);
  const address = ipToInt(ip);
  if (!range || Number(range.first) !== address) return undefined;
  return { network: address, prefix, first: address, last: Number(range.last) };
}

export function cidrContainsHost(cidr: Cidr, ip: string): boolean {
  const value = ipToInt(ip);
  return value > cidr.first && value < cidr.last;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}
