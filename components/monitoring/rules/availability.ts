/**
 * Node, VM, firewall and target down. The Proxmox side comes from prometheus-pve-exporter
 * (prometheus-pve/prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py): `pve_up{id}`
 * is a node's `online` (id `node/<name>`), a guest's `status == running` (id `qemu/<vmid>`), and
 * `pve_guest_info{id,node,name,type,template,tags}` names the guest and its node. Every alert carries
 * `node` (and a VM's `role`) so that Alertmanager's inhibition (alertmanager/config.ts) silences what
 * runs on a node or VM that is down. `ScrapeTargetDown` is named apart from kube-prometheus-stack's own
 * `TargetDown` (its defaultRules `general.rules`), which counts the share of a job's targets down.
 */
import type { AlertRule } from "../contract";
import type { AlertRulesInput, RuleVm } from "./input";
import { oneOf } from "./promql";

export const NODE_DOWN = "ProxmoxNodeDown";
export const VM_DOWN = "VmDown";
export const FIREWALL_DOWN = "FirewallDown";
export const TARGET_DOWN = "ScrapeTargetDown";

/** The firewall's role label (components/monitoring/hosts scrapeJobs.ts FIREWALL_ROLE). */
export const FIREWALL_ROLE = "firewall";
/** The Proxmox exporter's job (components/monitoring/exporters/proxmoxExporter.ts PROXMOX_JOB). */
export const PROXMOX_SCRAPE_JOB = "proxmox";

function nodeDown(nodes: readonly string[]): AlertRule {
  return {
    alert: NODE_DOWN,
    // Every node reports the whole cluster (the Proxmox job's cluster=1 on each node): one copy per id.
    expr: `label_replace(max by (id) (pve_up{${oneOf(
      "id",
      nodes.map((node) => `node/${node}`),
    )}}), "node", "$1", "id", "node/(.+)") == 0`,
    for: "2m",
    labels: { severity: "critical", layer: "hypervisor" },
    annotations: {
      summary: "Proxmox node {{ $labels.node }} is offline",
      description:
        "The Proxmox cluster reports node {{ $labels.node }} offline for 2 minutes. Every VM on it is down; their own alerts are inhibited.",
    },
  };
}

/** One rule per role: the alert carries the role (a static label) next to the guest's node and name. */
function vmDown(role: string, vms: readonly RuleVm[]): AlertRule {
  const layer = vms[0]?.layer ?? "";
  return {
    alert: VM_DOWN,
    expr: `(max by (id) (pve_up{id=~"qemu/.+"}) == 0) * on (id) group_left (name, node) max by (id, name, node) (pve_guest_info{${oneOf(
      "name",
      vms.map((vm) => vm.name),
    )}})`,
    for: "3m",
    labels: { severity: "critical", layer, role },
    annotations: {
      summary: `VM {{ $labels.name }} (${role}) on {{ $labels.node }} is not running`,
      description:
        "Proxmox reports VM {{ $labels.name }} not running for 3 minutes. Alerts of the targets on it are inhibited.",
    },
  };
}

function firewallDown(): AlertRule {
  return {
    alert: FIREWALL_DOWN,
    expr: `up{role="${FIREWALL_ROLE}"} == 0`,
    for: "2m",
    labels: { severity: "critical", layer: "network", role: FIREWALL_ROLE },
    annotations: {
      summary: "The firewall does not answer Prometheus",
      description:
        "OPNsense's node exporter at {{ $labels.instance }} has not answered for 2 minutes: the firewall, or its route to the servers, is down.",
    },
  };
}

function targetDown(): AlertRule {
  return {
    alert: TARGET_DOWN,
    // Not the Proxmox job's per-node scrapes: a node whose API is gone is ProxmoxNodeDown (the others
    // report it), and its scrape carries no `node` label the node's inhibition could match.
    expr: `up{role!="", role!="${FIREWALL_ROLE}", job!="${PROXMOX_SCRAPE_JOB}"} == 0`,
    for: "5m",
    labels: { severity: "warning", layer: "{{ $labels.layer }}" },
    annotations: {
      summary: "{{ $labels.job }} target {{ $labels.instance }} ({{ $labels.role }}) is down",
      description:
        "Prometheus has not scraped {{ $labels.instance }} (job {{ $labels.job }}, role {{ $labels.role }}, node {{ $labels.node }}) for 5 minutes.",
    },
  };
}

export function availabilityRules(input: AlertRulesInput): AlertRule[] {
  const rules: AlertRule[] = [];
  if (input.proxmoxNodes.length > 0) rules.push(nodeDown(input.proxmoxNodes));
  const byRole = new Map<string, RuleVm[]>();
  for (const vm of input.vms) byRole.set(vm.role, [...(byRole.get(vm.role) ?? []), vm]);
  for (const role of [...byRole.keys()].sort()) rules.push(vmDown(role, byRole.get(role) ?? []));
  if (input.firewall) rules.push(firewallDown());
  rules.push(targetDown());
  return rules;
}
