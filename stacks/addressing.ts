/**
 * Static addresses and MACs for VMs, from a hash of the VM's name. A MAC depends on the name alone.
 * An address starts at the name's slot in the network's static pool and probes onward past taken
 * ones, so adding or removing a VM moves another VM only when their probe chains meet (rare in a
 * /24 with a lab's few dozen VMs; the plan shows every address). Pin `vms.<name>.ip` to rule it out.
 */
import { createHash } from "node:crypto";
import { intToIp, ipToInt, parseCidr } from "../vocabulary/addresses";
import type { NetworkConfig } from "./config/schema";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** A locally administered unicast MAC, stable for a name. */
export function macFor(name: string): string {
  const bytes = digest(`mac:${name}`).subarray(0, 5);
  return ["02", ...[...bytes].map((byte) => byte.toString(16).padStart(2, "0"))].join(":").toUpperCase();
}

/** Host addresses of a network that are neither the gateway nor in the DHCP range. */
export function staticPool(network: NetworkConfig): number[] {
  const cidr = parseCidr(network.cidr);
  if (!cidr) return [];
  const gateway = ipToInt(network.gateway);
  const dhcpStart = ipToInt(network.dhcp.start);
  const dhcpEnd = ipToInt(network.dhcp.end);
  const pool: number[] = [];
  for (let address = cidr.first + 1; address < cidr.last; address++) {
    if (address !== gateway && (address < dhcpStart || address > dhcpEnd)) pool.push(address);
  }
  return pool;
}

export interface AddressRequest {
  readonly name: string;
  readonly pinnedIp?: string;
}

export interface Allocation {
  readonly addressOf: ReadonlyMap<string, string>;
  /** Names that found no free address. */
  readonly exhausted: readonly string[];
}

/** Gives each request an address of `network`, keeping pinned and `taken` addresses. */
export function allocateAddresses(
  network: NetworkConfig,
  requests: readonly AddressRequest[],
  taken: ReadonlySet<string>,
): Allocation {
  const pool = staticPool(network);
  const used = new Set([...taken].map(ipToInt));
  const addressOf = new Map<string, string>();
  const exhausted: string[] = [];
  for (const request of requests) {
    if (request.pinnedIp !== undefined) {
      addressOf.set(request.name, request.pinnedIp);
      used.add(ipToInt(request.pinnedIp));
    }
  }
  const floating = requests.filter((request) => request.pinnedIp === undefined);
  for (const request of [...floating].sort((a, b) => a.name.localeCompare(b.name))) {
    const start = pool.length === 0 ? 0 : digest(`ip:${request.name}`).readUInt32BE(0) % pool.length;
    let chosen: number | undefined;
    for (let step = 0; step < pool.length; step++) {
      const candidate = pool[(start + step) % pool.length];
      if (candidate !== undefined && !used.has(candidate)) {
        chosen = candidate;
        break;
      }
    }
    if (chosen === undefined) {
      exhausted.push(request.name);
    } else {
      used.add(chosen);
      addressOf.set(request.name, intToIp(chosen));
    }
  }
  return { addressOf, exhausted };
}
