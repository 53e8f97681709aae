/**
 * The alert rules' input from the lab (components/monitoring/rules/input.ts): the Proxmox nodes, the
 * planned VMs, which log sources and capture interfaces exist, the indexer's watermarks and snapshots,
 * the volumes whose filling matters, the vzdump job, the Wazuh agent groups with the number of agents
 * each should hold, the containment. Pure: what the plan decides, nothing from a live system.
 */
import type { AlertRulesInput, RuleLogSource } from "../components/monitoring/rules/input";
import { LOG_SOURCE_COMPONENTS } from "../components/monitoring/logs/aggregatorConfig";
import { DISK_WATERMARKS } from "../components/siem/opensearchYml";
import { CAPTURE_GUEST_INTERFACE } from "../vocabulary/capture";
import { isLayerEnabled } from "./config/checks";
import { enrollmentPlan } from "./enrollment";
import type { LabModel } from "./lab";
import { containsHosts } from "./managerResponse";
import { firewallScrapeGranted } from "./monitoringTargets";

/** The volumes of the monitoring layer itself, by claim (Prometheus's numbered by its StatefulSet). */
export interface MonitoredClaims {
  /** Prometheus's claim (prometheusClaimName: the StatefulSet's `<template>-<statefulset>-0`). */
  readonly prometheus: string;
  readonly loki: string;
  readonly namespace: string;
}

export function alertRulesInput(lab: LabModel, claims: MonitoredClaims): AlertRulesInput {
  const { config } = lab;
  const services = new Set<string>(config.services);
  const groups = new Map<string, number>();
  for (const enrollment of enrollmentPlan(lab.vms, config.services))
    groups.set(enrollment.group, (groups.get(enrollment.group) ?? 0) + 1);
  const zeek = services.has("zeek") ? lab.vms.find((vm) => vm.role.name === "zeek") : undefined;
  const firewall = firewallScrapeGranted(config);
  const suricata = services.has("suricata") && isLayerEnabled(config.layers, "sensors");
  const logSources: RuleLogSource[] = [
    ...(config.opnsense && isLayerEnabled(config.layers, "network")
      ? [{ source: "opnsense-syslog" as const, componentId: LOG_SOURCE_COMPONENTS.opnsense }]
      : []),
    // Not Suricata: OPNsense's EVE syslog output carries alerts alone (its suricata.yaml template), so a
    // quiet quarter of an hour is the normal case, not a silent sensor.
    ...(zeek ? [{ source: "zeek" as const, componentId: LOG_SOURCE_COMPONENTS.zeek }] : []),
  ];
  const indexer = services.has("wazuh-indexer") && isLayerEnabled(config.layers, "siem");
  const backup = config.proxmox.backup;
  return {
    proxmoxNodes: config.nodes.map((node) => node.proxmoxNode),
    vms: lab.vms.map((vm) => ({
      name: vm.name,
      role: vm.role.name,
      layer: vm.role.layer,
      node: vm.node.proxmoxNode,
      stateful: vm.role.stateful,
    })),
    firewall,
    logSources,
    capture: {
      ...(zeek ? { zeek: { role: zeek.role.name, device: CAPTURE_GUEST_INTERFACE } } : {}),
      // Suricata reads the VLANs off the trunk: its drops show on the trunk device (netdev collector).
      ...(suricata && firewall && config.opnsense ? { suricata: { devices: [config.opnsense.trunk] } } : {}),
    },
    // No snapshot rule: the exporter's monitoring-only role may not read snapshots
    // (`cluster:admin/snapshot/*`), so its snapshots collector is off and the metric never exists.
    ...(indexer ? { indexer: { watermarks: DISK_WATERMARKS } } : {}),
    volumes: [
      {
        name: "Prometheus",
        layer: "monitoring",
        namespace: claims.namespace,
        claim: claims.prometheus,
      },
      { name: "Loki", layer: "monitoring", namespace: claims.namespace, claim: claims.loki },
    ],
    ...(backup
      ? { vzdump: { storage: backup.storage, nodes: config.nodes.map((node) => node.proxmoxNode) } }
      : {}),
    agentGroups: [...groups].map(([group, expected]) => ({ group, expected })),
    containment: containsHosts(lab),
    // cert-manager's metrics are not scraped (its chart's ServiceMonitor would need the operator's CRDs
    // before the platform layer): the certificate rules stay out until they are.
    certificates: false,
  };
}
