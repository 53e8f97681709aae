/**
 * What the monitoring layer scrapes outside the cluster, derived from the lab (issue 15): the node
 * exporter on every Fortress VM that is no k3s node (the chart's DaemonSet covers those) and on every
 * Proxmox node, the Proxmox API of every node (the Proxmox exporter's `target`), and the firewall's own
 * node exporter. Prometheus runs in the general pool (stacks/catalog.ts), so the scrapes leave from the
 * general k3s agents' network; each one that crosses the firewall is a flow Fortress derives to the
 * target's one address (never a zone-wide pass), and the firewall's own exporter is a service the
 * admin's zone matrix must grant (`<that network> → firewall: node-exporter`), checked at the door.
 *
 * Pure: no Pulumi, no I/O.
 */
import type { HostFlow } from "../components/network/types";
import { TARGET_LABELS, type TargetLabel } from "../components/monitoring/contract";
import { isLayerEnabled } from "./config/checks";
import type { NetworkConfig, PlainConfig } from "./config/schema";
import { K3S_POOL_ROLES, K3S_ROLES, ROLES, type RoleName } from "./catalog";
import type { LabModel } from "./lab";
import { poolHosts } from "./cluster";

/** The role label of a Proxmox node and of the firewall (a VM's is its role's name). */
export const HOST_ROLES = { proxmoxNode: "proxmox-node", firewall: "firewall" } as const;

/**
 * A host whose node exporter Prometheus scrapes, with the labels its target carries. `node` is the
 * node's name as Proxmox knows it (nodes[].proxmoxNode), the one the Proxmox exporter's series carry,
 * so that a node's alerts and its VMs' share the label Alertmanager inhibits by.
 */
export interface MonitoredHost {
  readonly name: string;
  readonly address: string;
  /** The declared network the host is on. */
  readonly network: string;
  readonly labels: { readonly layer: string; readonly role: string; readonly node: string };
}

/** Whether the lab monitors at all: the monitoring layer and the `prometheus` service on. */
export function monitors(config: Pick<PlainConfig, "layers" | "services">): boolean {
  return isLayerEnabled(config.layers, "monitoring") && config.services.includes("prometheus");
}

/** The Fortress VMs that get the node exporter from the Debian package: every VM that is no k3s node. */
export function exporterVms(lab: LabModel): MonitoredHost[] {
  return lab.vms
    .filter((vm) => !K3S_ROLES.has(vm.role.name as RoleName))
    .map((vm) => ({
      name: vm.name,
      address: vm.ip,
      network: vm.networkConfig.name,
      labels: { layer: vm.role.layer, role: vm.role.name, node: vm.node.proxmoxNode },
    }));
}

function managementNetwork(config: Pick<PlainConfig, "networks">): NetworkConfig | undefined {
  return config.networks.find((network) => network.purpose === "management");
}

/** The Proxmox nodes: their node exporter, and their API for the Proxmox exporter. */
export function proxmoxHosts(lab: LabModel): MonitoredHost[] {
  const management = managementNetwork(lab.config);
  if (!management) return [];
  return lab.config.nodes.map((node) => ({
    name: node.name,
    address: node.address,
    network: management.name,
    labels: { layer: "hypervisor", role: HOST_ROLES.proxmoxNode, node: node.proxmoxNode },
  }));
}

/** The networks Prometheus's scrapes leave from: those of the general k3s agents. */
export function scrapeSourceNetworks(lab: LabModel): string[] {
  return [...new Set(poolHosts(lab.vms, "general").map((vm) => vm.networkConfig.name))];
}

/**
 * The scrapes that cross the firewall, as flows to each target's one address: the node exporter on
 * the VMs and the nodes, and the Proxmox API (8006) of each node for the Proxmox exporter. None while
 * the lab does not monitor.
 */
export function monitoringFlows(lab: LabModel): HostFlow[] {
  if (!monitors(lab.config)) return [];
  const sources = scrapeSourceNetworks(lab);
  const flow = (host: MonitoredHost, services: readonly string[]) =>
    sources
      .filter((from) => from !== host.network)
      .map((from): HostFlow => ({
        from,
        to: host.network,
        host: host.name,
        address: host.address,
        services,
      }));
  return [
    ...exporterVms(lab).flatMap((host) => flow(host, ["node-exporter"])),
    ...proxmoxHosts(lab).flatMap((host) => flow(host, ["node-exporter", "proxmox-ui"])),
  ];
}

/** The target labels of a monitored host, by the contract's label names. */
export function targetLabels(host: MonitoredHost): Record<TargetLabel, string> {
  return {
    [TARGET_LABELS.layer]: host.labels.layer,
    [TARGET_LABELS.role]: host.labels.role,
    [TARGET_LABELS.node]: host.labels.node,
  };
}

/**
 * Whether Prometheus scrapes the firewall's own node exporter: only where the admin's zone matrix
 * lets the scrape in, from the network of the general k3s agents (ROLES' network for the pool:
 * servers), as `{ from: servers, to: firewall, services: [node-exporter] }`. Otherwise the firewall
 * goes unscraped: the plan then holds no `monitoring-opnsense-exporter`.
 */
export function firewallScrapeGranted(
  config: Pick<PlainConfig, "layers" | "services" | "networks" | "zones">,
): boolean {
  if (!monitors(config) || !isLayerEnabled(config.layers, "network")) return false;
  const source = generalNetwork(config);
  if (!source) return false;
  return config.zones.some(
    (zone) =>
      zone.from === source.name &&
      zone.to === "firewall" &&
      (zone.services === "all" || zone.services.includes("node-exporter")),
  );
}

function generalNetwork(config: Pick<PlainConfig, "networks">): NetworkConfig | undefined {
  const purpose = ROLES[K3S_POOL_ROLES.general].network;
  return config.networks.find((network) => network.purpose === purpose);
}
