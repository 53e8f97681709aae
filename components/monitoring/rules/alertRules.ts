/**
 * The lab's alert rules (issue 15), a pure function of what the lab runs: node, VM and firewall down,
 * disks filling, the indexer's health and watermarks, agents, log sources, capture drops,
 * certificates, backups and the containment. Every alert carries `severity` and `layer` (contract.ts),
 * and `node`/`role` where it concerns a host, for Alertmanager's grouping and inhibition.
 *
 * Kept valid for Debian's promtool 2.42 and for the Prometheus 3 the chart deploys: no regex that
 * relies on `.` not matching a newline, no `holt_winters` (renamed in 3.0), and range windows far wider
 * than the scrape interval, so that 3.0's left-open ranges change no result
 * (prometheus/prometheus@v3.1.0:docs/migration.md "PromQL").
 */
import * as yaml from "js-yaml";
import type { AlertRule, RuleGroup } from "../contract";
import { availabilityRules } from "./availability";
import type { AlertRulesInput } from "./input";
import { pipelineRules } from "./pipeline";
import { storageRules } from "./storage";

export type { AlertRulesInput } from "./input";

export const RULE_GROUPS = {
  availability: "fortress-availability",
  storage: "fortress-storage",
  pipeline: "fortress-pipeline",
} as const;

/** The interval every group is evaluated at. */
export const RULE_INTERVAL = "1m";

function checkInput(input: AlertRulesInput): void {
  const names = new Set<string>();
  for (const vm of input.vms) {
    if (names.has(vm.name)) throw new Error(`rules: VM ${vm.name} is listed twice`);
    names.add(vm.name);
    if (!input.proxmoxNodes.includes(vm.node))
      throw new Error(`rules: VM ${vm.name} runs on ${vm.node}, which is not a Proxmox node of the lab`);
  }
  for (const group of input.agentGroups)
    if (!(Number.isInteger(group.expected) && group.expected >= 1))
      throw new Error(`rules: agent group ${group.group} expects ${group.expected} agents`);
  const components = input.logSources.map((source) => source.componentId);
  if (new Set(components).size !== components.length)
    throw new Error("rules: two log sources share a component");
}

export function alertRules(input: AlertRulesInput): RuleGroup[] {
  checkInput(input);
  const groups: RuleGroup[] = [
    { name: RULE_GROUPS.availability, interval: RULE_INTERVAL, rules: availabilityRules(input) },
    { name: RULE_GROUPS.storage, interval: RULE_INTERVAL, rules: storageRules(input) },
    { name: RULE_GROUPS.pipeline, interval: RULE_INTERVAL, rules: pipelineRules(input) },
  ];
  return groups.filter((group) => group.rules.length > 0);
}

/** Every alerting rule of the groups. */
export function alertsOf(groups: readonly RuleGroup[]): AlertRule[] {
  return groups.flatMap((group) => group.rules.filter((rule): rule is AlertRule => "alert" in rule));
}

/** A rule file as `promtool check rules` and Prometheus's `rule_files` read it (`groups:`). */
export function ruleFileYaml(groups: readonly RuleGroup[]): string {
  return yaml.dump({ groups }, { lineWidth: -1, noRefs: true, sortKeys: false });
}
