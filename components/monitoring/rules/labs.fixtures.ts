/**
 * The rule inputs of two labs: the home lab (Pulumi.home.yaml through the config door, its VMs, nodes
 * and agent groups as the plan has them) and a minimal lab (one node, no SIEM volume, no sensors,
 * no backups, no containment). The lead builds the real input the same way from the plan.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { validateConfig } from "../../../stacks/config/load";
import { enrollmentPlan } from "../../../stacks/enrollment";
import { readStackConfig, stackConfigSource } from "../../../stacks/plan/stackConfig";
import { DISK_WATERMARKS } from "../../siem/opensearchYml";
import { SNAPSHOT_REPOSITORY } from "../../siem/retention";
import { CAPTURE_GUEST_INTERFACE } from "../../../vocabulary/capture";
import type { AlertRulesInput } from "./input";

export function homeLabInput(): AlertRulesInput {
  const { model } = validateConfig(
    stackConfigSource(readStackConfig(join(__dirname, "..", "..", "..", "Pulumi.home.yaml"))),
  );
  assert.ok(model, "the home config is valid");
  const groups = new Map<string, number>();
  for (const enrollment of enrollmentPlan(model.vms, model.config.services))
    groups.set(enrollment.group, (groups.get(enrollment.group) ?? 0) + 1);
  const zeek = model.vms.find((vm) => vm.role.name === "zeek");
  return {
    proxmoxNodes: model.config.nodes.map((node) => node.proxmoxNode),
    vms: model.vms.map((vm) => ({
      name: vm.name,
      role: vm.role.name,
      layer: vm.role.layer,
      node: vm.node.proxmoxNode,
      stateful: vm.role.stateful,
    })),
    firewall: true,
    logSources: [
      { source: "opnsense-syslog", componentId: "opnsense_syslog" },
      { source: "suricata", componentId: "suricata_eve" },
      ...(zeek ? [{ source: "zeek" as const, componentId: "zeek_logs" }] : []),
    ],
    capture: {
      ...(zeek ? { zeek: { role: zeek.role.name, device: CAPTURE_GUEST_INTERFACE } } : {}),
      suricata: { devices: ["vtnet1"] },
    },
    indexer: { watermarks: DISK_WATERMARKS, snapshots: { repository: SNAPSHOT_REPOSITORY, maxAgeHours: 26 } },
    volumes: [
      {
        name: "Prometheus",
        layer: "monitoring",
        namespace: "fortress-monitoring",
        claim: "prometheus-",
        prefix: true,
      },
      { name: "Loki", layer: "monitoring", namespace: "fortress-monitoring", claim: "storage-loki-0" },
    ],
    vzdump: {
      storage: model.config.proxmox.backup.storage,
      nodes: model.config.nodes.map((node) => node.proxmoxNode),
    },
    agentGroups: [...groups].map(([group, expected]) => ({ group, expected })),
    containment: true,
    certificates: true,
  };
}

export const MINIMAL_LAB: AlertRulesInput = {
  proxmoxNodes: ["pve1"],
  vms: [{ name: "k3s-1", role: "k3s-server", layer: "platform", node: "pve1", stateful: true }],
  firewall: false,
  logSources: [],
  capture: {},
  volumes: [],
  agentGroups: [],
  containment: false,
  certificates: false,
};
