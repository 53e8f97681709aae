/**
 * What the vulnerability scanner scans, from the lab, never typed by hand (issue 13): one target per
 * network Fortress declares, with the network's whole range, and the firewall flows that let the
 * scanner's one address reach them (components/network/types.ts `ScanFlow`).
 *
 * Scanned: servers, sensors, users and iot (the lab's own hosts and devices). Not scanned:
 * - guest: its devices belong to visitors, not to the lab;
 * - quarantine: nothing enters a quarantine network. A host contained by the `fz_quarantine` alias
 *   stays in its own network and target, but the alias's blocks come before the scan flows on the
 *   firewall, so a scan from another network finds it dead (a host on the scanner's own network is
 *   still scanned: same-VLAN traffic never reaches the firewall). Rescanning a contained host needs a
 *   pass ahead of those blocks, which the response layer will own.
 * - management, unless `fortress:vuln.scanManagement`: a scan needs every protocol and port, and a
 *   pass of every protocol into management from a VM on the servers network is the widest door the
 *   lab would have. Off by default; the admin opts in.
 *
 * Pure: no Pulumi, no I/O.
 */
import type { ScanFlow } from "../components/network/types";
import type { NetworkPurpose } from "../vocabulary/zones";
import type { NetworkConfig } from "./config/schema";

/** The role of the scanner's VM (stacks/catalog.ts). */
export const SCANNER_ROLE = "greenbone";

/** The purposes of the networks scanned by default. */
export const SCANNED_PURPOSES: readonly NetworkPurpose[] = ["servers", "sensors", "users", "iot"];

/** One scan target: a declared network's whole range. */
export interface ScanTarget {
  /**
   * The network's name: Greenbone's target, task and schedule are `fortress-<name>` (the component adds
   * the prefix, which marks the objects Fortress owns), and `fortress-rescan <name>` rescans it.
   */
  readonly name: string;
  readonly network: string;
  /** CIDRs (one per target: the network's). */
  readonly hosts: readonly string[];
}

export interface ScanLab {
  readonly config: {
    readonly services: readonly string[];
    readonly networks: readonly Pick<NetworkConfig, "name" | "purpose" | "cidr">[];
    readonly vuln?: { readonly scanManagement: boolean };
  };
  readonly vms: readonly {
    readonly name: string;
    readonly ip: string;
    readonly role: { readonly name: string };
    readonly networkConfig: Pick<NetworkConfig, "name">;
  }[];
}

/** The networks the scanner scans; none while the greenbone service is off. */
export function scanTargets(lab: ScanLab): ScanTarget[] {
  if (!lab.config.services.includes(SCANNER_ROLE)) return [];
  const purposes = new Set<NetworkPurpose>([
    ...SCANNED_PURPOSES,
    ...(lab.config.vuln?.scanManagement ? (["management"] as const) : []),
  ]);
  return lab.config.networks
    .filter((network) => purposes.has(network.purpose))
    .map((network) => ({ name: network.name, network: network.name, hosts: [network.cidr] }));
}

/** The firewall flows from each scanner VM to every target network but its own. */
export function scanFlows(lab: ScanLab): ScanFlow[] {
  const targets = scanTargets(lab);
  return lab.vms
    .filter((vm) => vm.role.name === SCANNER_ROLE)
    .flatMap((scanner) =>
      targets
        .filter((target) => target.network !== scanner.networkConfig.name)
        .map((target) => ({
          from: scanner.networkConfig.name,
          host: scanner.name,
          address: scanner.ip,
          to: target.network,
        })),
    );
}
