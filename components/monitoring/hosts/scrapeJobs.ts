/**
 * The scrape jobs for the hosts outside the cluster (contract.ts ScrapeJob): `node`, Debian's node
 * exporter on the non-k3s VMs and the Proxmox nodes (NodeExporterHost), and `opnsense`, the firewall's
 * os-node_exporter plugin (components/opnsense OpnsenseNodeExporter). Both plain http on 9100 at the
 * host's own address: the exporters offer no TLS here (Debian's ARGS and the plugin's model have no
 * web config), and the zone matrix allows only Prometheus to reach them.
 */
import type { ScrapeJob, ScrapeTarget, TargetLabel } from "../contract";
import { NODE_EXPORTER_PORT } from "./pins";

export const NODE_JOB = "node";
export const OPNSENSE_JOB = "opnsense";

/** The role label of a Proxmox node and of the firewall (contract.ts TARGET_LABELS.role). */
export const PROXMOX_NODE_ROLE = "proxmox-node";
export const FIREWALL_ROLE = "firewall";

export type TargetLabels = Readonly<Record<TargetLabel, string>>;

/** A VM's labels: its role's layer and name, the node it runs on. */
export function vmLabels(vm: {
  readonly role: { readonly name: string; readonly layer: string };
  readonly node: string;
}): TargetLabels {
  return { layer: vm.role.layer, role: vm.role.name, node: vm.node };
}

/** A Proxmox node's labels: the hypervisor layer, the node itself. */
export function proxmoxNodeLabels(node: string): TargetLabels {
  return { layer: "hypervisor", role: PROXMOX_NODE_ROLE, node };
}

function checkedTargets(job: string, targets: readonly ScrapeTarget[]): readonly ScrapeTarget[] {
  const seen = new Set<string>();
  for (const target of targets) {
    if (!/^[\w.-]+:\d+$/.test(target.address)) throw new Error(`${job}: ${target.address} is no host:port`);
    if (seen.has(target.address)) throw new Error(`${job}: ${target.address} is listed twice`);
    seen.add(target.address);
    for (const label of ["layer", "role"] as const)
      if (!target.labels[label]) throw new Error(`${job}: ${target.address} has no ${label} label`);
  }
  return targets;
}

/** The `node` job: one target per NodeExporterHost (its `target`). */
export function nodeScrapeJob(targets: readonly ScrapeTarget[]): ScrapeJob {
  if (targets.length === 0) throw new Error("node: no host to scrape");
  return { job: NODE_JOB, scheme: "http", targets: checkedTargets(NODE_JOB, targets) };
}

/**
 * The `opnsense` job: the plugin's node exporter at the firewall's address on the servers side
 * (where Prometheus's nodes are), port 9100 (the plugin model's default, set explicitly).
 */
export function opnsenseScrapeJob(firewallAddress: string, labels?: Partial<TargetLabels>): ScrapeJob {
  const target: ScrapeTarget = {
    address: `${firewallAddress}:${NODE_EXPORTER_PORT}`,
    labels: { layer: "network", role: FIREWALL_ROLE, ...labels },
  };
  return { job: OPNSENSE_JOB, scheme: "http", targets: checkedTargets(OPNSENSE_JOB, [target]) };
}
