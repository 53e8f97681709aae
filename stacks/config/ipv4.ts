/** IPv4 arithmetic on numbers, enough for subnets, ranges and address allocation. */

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIpv4(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 4 && parts.every((part) => OCTET.test(part));
}

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
  /** First and last address of the block (network and broadcast). */
  readonly first: number;
  readonly last: number;
}

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set. */
export function parseCidr(value: string): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const [, ip, prefixText] = match;
  const prefix = Number(prefixText);
  if (!ip || !isIpv4(ip) || prefix < 8 || prefix > 30) return undefined;
  const size = 2 ** (32 - prefix);
  const address = ipToInt(ip);
  if (address % size !== 0) return undefined;
  return { network: address, prefix, first: address, last: address + size - 1 };
}

export function cidrContainsHost(cidr: Cidr, ip: string): boolean {
  const value = ipToInt(ip);
  return value > cidr.first && value < cidr.last;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}
