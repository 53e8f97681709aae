/**
 * What the offline lab is made of, from a lab model (the door's: stacks/config/load.ts validateConfig),
 * never typed by hand: the plan's workstation and manager, the manager's `<integration>` blocks as the
 * siem layer renders them (stacks/managerResponse.ts), the containment's lab part as the response layer
 * renders contain.json from it (stacks/containment.ts containmentPlan; stacks/layers/response.ts
 * containmentArgs), the Greenbone VM and its scan targets (stacks/scanTargets.ts), and, for each hop the
 * lab does not have, why it is skipped. Pure: no I/O.
 */
import type { Integration } from "../../components/siem/manager/ossecConf";
import { isLayerEnabled } from "../../stacks/config/checks";
import { type ContainmentPlan, containmentPlan } from "../../stacks/containment";
import { MANAGER_ROLE } from "../../stacks/enrollment";
import type { LabModel, PlannedVm } from "../../stacks/lab";
import { containsHosts, managerResponse } from "../../stacks/managerResponse";
import { SCANNER_ROLE, scanTargets } from "../../stacks/scanTargets";
import type { HopSkips } from "../endpoints";

/** The role of the plan's workstation VM (stacks/catalog.ts), the only host the file is dropped on. */
export const WORKSTATION_ROLE = "workstation";

export interface LabHost {
  readonly name: string;
  readonly ip: string;
}

export interface OfflineLabConfig {
  /** The lab's profile (fortress:lab.profile, or the door's default). */
  readonly profile: string;
  /** The plan's workstation VM, with its network's range (the burst's hosts are on it too). */
  readonly workstation: LabHost & { readonly cidr: string };
  /** The plan's Wazuh manager VM. */
  readonly manager: LabHost;
  /** The manager's `<integration>` blocks (Wazuh → TheHive), hooks at the lab's TheHive hostname. */
  readonly integrations: readonly Integration[];
  /** contain.json's lab part (allow-list, networks, servers, hold, rescan targets); absent: nothing is contained. */
  readonly containment?: ContainmentPlan;
  /** The Greenbone VM the active response's rescan reaches, with the scan targets it reconciled. */
  readonly greenbone?: LabHost & { readonly targets: Readonly<Record<string, readonly string[]>> };
  /** Greenbone's scan targets, name → CIDRs (none without a scanner). */
  readonly scanTargets: Readonly<Record<string, readonly string[]>>;
  /** Hop 5's tries: the manager and a Proxmox node, with the allow-list's own reason for each. */
  readonly allowListed: readonly { readonly address: string; readonly why: string }[];
  readonly skipped: HopSkips;
}

function only(lab: LabModel, role: string, what: string): PlannedVm {
  const vm = lab.vms.find((candidate) => candidate.role.name === role);
  if (!vm)
    throw new Error(
      `no ${what} in this lab (no VM of role ${role} in the plan): the worked example needs one`,
    );
  return vm;
}

/** Why the containment does not run (stacks/managerResponse.ts containsHosts), or undefined when it does. */
function noContainment(lab: LabModel): string | undefined {
  if (containsHosts(lab)) return undefined;
  if (!isLayerEnabled(lab.config.layers, "response"))
    return "no containment in this lab: layers.response is off";
  return "no containment in this lab: fortress:services has no quarantine";
}

function noTheHive(lab: LabModel, integrations: readonly Integration[]): string | undefined {
  if (integrations.length > 0) return undefined;
  if (!lab.config.services.includes("thehive")) return "no TheHive in this lab";
  return isLayerEnabled(lab.config.layers, "response")
    ? `no TheHive in this lab: it runs on k3s, and platform.mode is ${lab.config.platform.mode}`
    : "no TheHive in this lab: layers.response is off";
}

/**
 * The rescan runs where the response layer gives the containment a Greenbone VM: a scanner VM in the
 * plan and the vuln layer on (stacks/layers/response.ts containmentArgs: `scanner && scanning`).
 */
function scanner(lab: LabModel): { vm?: PlannedVm; skip?: string } {
  const vm = lab.vms.find((candidate) => candidate.role.name === SCANNER_ROLE);
  if (!vm) return { skip: "no Greenbone in this lab" };
  if (!isLayerEnabled(lab.config.layers, "vuln"))
    return { skip: "no rescan in this lab: layers.vuln is off" };
  return { vm };
}

/** The manager's and a Proxmox node's allow-list entries: hop 5 asks to contain each. */
function allowListed(lab: LabModel, plan: ContainmentPlan, manager: PlannedVm) {
  const node = lab.config.nodes[0];
  return [manager.ip, ...(node ? [node.address] : [])].map((address) => {
    const entry = plan.allow.find((allowed) => allowed.cidr === `${address}/32`);
    if (!entry) throw new Error(`internal: ${address} is not on the lab's allow-list`);
    return { address, why: entry.why };
  });
}

/**
 * The host the file lands on: the plan's workstation VM, or, in a lab without one (the smb profile: the
 * business's own PCs are the endpoints), a user's PC on the users network at its DHCP range's first
 * address, enrolled as the README's "Wazuh agents" says for hosts Fortress does not build.
 */
function endpoint(lab: LabModel): { name: string; ip: string; cidr: string } {
  const planned = lab.vms.filter((vm) => vm.role.name === WORKSTATION_ROLE);
  if (planned.length > 0) {
    const workstation = only(lab, WORKSTATION_ROLE, "workstation");
    return { name: workstation.name, ip: workstation.ip, cidr: workstation.networkConfig.cidr };
  }
  const users = lab.config.networks.find((network) => network.purpose === "users");
  if (!users)
    throw new Error("no workstation VM and no users network in this lab: no endpoint for the worked example");
  return { name: "user-pc", ip: users.dhcp.start, cidr: users.cidr };
}

export function offlineLabConfig(lab: LabModel): OfflineLabConfig {
  const manager = only(lab, MANAGER_ROLE, "Wazuh manager");
  for (const service of ["wazuh-agent", "clamav"] as const)
    if (!lab.config.services.includes(service))
      throw new Error(`no ${service} in this lab: the worked example starts with the agent's ClamAV scan`);
  const integrations = managerResponse(lab)?.integrations ?? [];
  const containSkip = noContainment(lab);
  const plan = containSkip ? undefined : containmentPlan(lab);
  const found = scanner(lab);
  const targets = Object.fromEntries(scanTargets(lab).map((target) => [target.name, target.hosts]));
  const theHiveSkip = noTheHive(lab, integrations);
  const rescanSkip = containSkip ?? found.skip;
  return {
    profile: lab.config.lab.profile,
    workstation: endpoint(lab),
    manager: { name: manager.name, ip: manager.ip },
    integrations,
    ...(plan ? { containment: plan } : {}),
    ...(found.vm && plan ? { greenbone: { name: found.vm.name, ip: found.vm.ip, targets } } : {}),
    scanTargets: targets,
    allowListed: plan ? allowListed(lab, plan, manager) : [],
    skipped: {
      ...(theHiveSkip ? { theHive: theHiveSkip } : {}),
      ...(containSkip ? { containment: containSkip } : {}),
      ...(rescanSkip ? { rescan: rescanSkip } : {}),
    },
  };
}
