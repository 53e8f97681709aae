/**
 * The blueprint of DESIGN.md §2 as data: the twelve layers and what each depends on, and the services
 * Fortress knows with their layer and the services each needs. The composition root, the lab model,
 * the offline plan, the tests and the policy pack all read this one module.
 */

export const LAYERS = [
  "network",
  "time",
  "dns-dhcp",
  "hypervisor",
  "platform",
  "identity",
  "siem",
  "sensors",
  "endpoint",
  "vuln",
  "response",
  "monitoring",
] as const;

export type LayerName = (typeof LAYERS)[number];

export interface LayerSpec {
  readonly name: LayerName;
  readonly holds: string;
  readonly dependsOn: readonly LayerName[];
}

export const BLUEPRINT: readonly LayerSpec[] = [
  { name: "network", holds: "VLANs, aliases, zone filter rules, bridges", dependsOn: [] },
  { name: "time", holds: "chrony on OPNsense, NTP rules, node time zones", dependsOn: ["network"] },
  { name: "dns-dhcp", holds: "internal domain, host overrides, DHCP reservations", dependsOn: ["time"] },
  { name: "hypervisor", holds: "Proxmox pool, images, VMs, GPU mapping, backups", dependsOn: ["dns-dhcp"] },
  { name: "platform", holds: "k3s, namespaces, NetworkPolicies, CA, storage", dependsOn: ["hypervisor"] },
  { name: "identity", holds: "Keycloak realm and OIDC clients, secrets store", dependsOn: ["platform"] },
  { name: "siem", holds: "Wazuh indexer, manager and dashboard", dependsOn: ["identity"] },
  { name: "sensors", holds: "Suricata, Zeek, log shipping", dependsOn: ["siem"] },
  { name: "endpoint", holds: "Wazuh agents, FIM, ClamAV", dependsOn: ["siem"] },
  { name: "vuln", holds: "Greenbone and inventory-driven scan targets", dependsOn: ["siem"] },
  { name: "response", holds: "TheHive, Cortex, MISP, quarantine", dependsOn: ["siem"] },
  {
    name: "monitoring",
    holds: "Prometheus, Alertmanager, Grafana, Loki, exporters",
    dependsOn: ["response", "sensors", "endpoint", "vuln"],
  },
];

/** Edges as [from, to] where `from` depends on `to` (deployment runs `to` first). */
export const EDGES: readonly (readonly [LayerName, LayerName])[] = BLUEPRINT.flatMap((layer) =>
  layer.dependsOn.map((upstream) => [layer.name, upstream] as const),
);

const byName = new Map(BLUEPRINT.map((layer) => [layer.name, layer]));

export function layerSpec(name: LayerName): LayerSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`unknown layer ${name}`);
  return spec;
}

export function isLayerName(value: string): value is LayerName {
  return byName.has(value as LayerName);
}

/** Every layer `name` depends on, directly or through others. */
export function upstreamOf(name: LayerName): Set<LayerName> {
  const seen = new Set<LayerName>();
  const visit = (layer: LayerName) => {
    for (const upstream of layerSpec(layer).dependsOn) {
      if (!seen.has(upstream)) {
        seen.add(upstream);
        visit(upstream);
      }
    }
  };
  visit(name);
  return seen;
}

/** True when a resource in layer `from` may depend on one in layer `to`. */
export function mayDependOn(from: LayerName, to: LayerName): boolean {
  return from === to || upstreamOf(from).has(to);
}

/**
 * The nearest upstream layers of `name` for which `isBuilt` holds, looking through the ones for
 * which it does not: a layer waits for these, since the ones in between have nothing to wait for.
 */
export function nearestBuiltUpstream(name: LayerName, isBuilt: (layer: LayerName) => boolean): LayerName[] {
  const found = new Set<LayerName>();
  const visit = (layer: LayerName) => {
    for (const upstream of layerSpec(layer).dependsOn) {
      if (isBuilt(upstream)) found.add(upstream);
      else visit(upstream);
    }
  };
  visit(name);
  return LAYERS.filter((layer) => found.has(layer));
}

/** The services Fortress knows (where each runs is the catalog's business: stacks/catalog.ts). */
export const SERVICE_IDS = [
  "k3s",
  "gpu-worker",
  "keycloak",
  "vaultwarden",
  "wazuh-indexer",
  "wazuh-manager",
  "wazuh-dashboard",
  "suricata",
  "zeek",
  "wazuh-agent",
  "clamav",
  "workstation",
  "greenbone",
  "thehive",
  "cortex",
  "misp",
  "quarantine",
  "prometheus",
  "loki",
  "vector",
] as const;

export type ServiceId = (typeof SERVICE_IDS)[number];

/** A service, its layer, and the services it needs enabled. */
export interface ServiceNode {
  readonly id: ServiceId;
  readonly layer: LayerName;
  readonly requires: readonly ServiceId[];
}

/** The service graph: every service once, in SERVICE_IDS order. */
export const SERVICE_GRAPH: readonly ServiceNode[] = [
  { id: "k3s", layer: "platform", requires: [] },
  { id: "gpu-worker", layer: "platform", requires: ["k3s"] },
  { id: "keycloak", layer: "identity", requires: ["k3s"] },
  { id: "vaultwarden", layer: "identity", requires: ["k3s"] },
  { id: "wazuh-indexer", layer: "siem", requires: ["k3s"] },
  { id: "wazuh-manager", layer: "siem", requires: ["wazuh-indexer"] },
  { id: "wazuh-dashboard", layer: "siem", requires: ["wazuh-indexer", "wazuh-manager"] },
  { id: "suricata", layer: "sensors", requires: ["wazuh-manager"] },
  { id: "zeek", layer: "sensors", requires: ["wazuh-indexer"] },
  { id: "wazuh-agent", layer: "endpoint", requires: ["wazuh-manager"] },
  // One central clamd in k3s that the agents' scans stream files to (issue 12): it needs the cluster
  // and the agents that call it.
  { id: "clamav", layer: "endpoint", requires: ["k3s", "wazuh-agent"] },
  // The user's machine of the worked example: an enrolled agent on the users network.
  { id: "workstation", layer: "endpoint", requires: ["wazuh-agent"] },
  { id: "greenbone", layer: "vuln", requires: ["wazuh-manager"] },
  { id: "thehive", layer: "response", requires: ["k3s"] },
  { id: "cortex", layer: "response", requires: ["thehive"] },
  { id: "misp", layer: "response", requires: [] },
  { id: "quarantine", layer: "response", requires: ["wazuh-manager"] },
  { id: "prometheus", layer: "monitoring", requires: ["k3s"] },
  { id: "loki", layer: "monitoring", requires: ["k3s"] },
  { id: "vector", layer: "monitoring", requires: ["loki"] },
];
