/**
 * The enrollment plan: which Fortress VM enrolls as a Wazuh agent in which agent group. Every VM the
 * lab builds is an agent while `wazuh-agent` is enabled, except the manager's own VM (the manager
 * analyses its own logs; an agent beside it would enroll the manager with itself). Each VM role is
 * one group, `fortress-<role>`, so that a role's centralised agent.conf (FIM paths, log collection)
 * reaches exactly its VMs. Pure: no Pulumi, no I/O.
 */
import { type RoleName, ROLE_NAMES } from "./catalog";

/** The role whose VM runs the Wazuh manager: it is not enrolled as an agent. */
export const MANAGER_ROLE = "wazuh-manager" satisfies RoleName;

/**
 * A group id the Wazuh API accepts: `_group_names` in wazuh/wazuh@v4.14.6:api/api/validator.py
 * (`^(?!^(\.{1,2}|all)$)[A-Za-z0-9.\-_]+$`, the pattern `InputValidator.group` applies too), at most
 * 128 characters (spec.yaml `CreateGroupBody.group_id.maxLength`; the framework's own limit,
 * `InputValidator.check_length`, is 255), and not `default`, the group every manager already has
 * (framework/wazuh/agent.py `create_group` refuses it).
 */
export const WAZUH_GROUP_ID = /^(?!^(\.{1,2}|all)$)[A-Za-z0-9.\-_]+$/;
export const WAZUH_GROUP_ID_MAX_LENGTH = 128;

export function isWazuhGroupId(name: string): boolean {
  return (
    WAZUH_GROUP_ID.test(name) && name.length <= WAZUH_GROUP_ID_MAX_LENGTH && name.toLowerCase() !== "default"
  );
}

const GROUP_PREFIX = "fortress-";

/** The agent group of a VM role: `fortress-k3s-server`, `fortress-workstation`, … */
export function agentGroupOf(role: RoleName): string {
  const group = `${GROUP_PREFIX}${role}`;
  if (!isWazuhGroupId(group)) throw new Error(`internal: ${group} is not a valid Wazuh group id`);
  return group;
}

/** Every group the catalog's roles may need, the manager's excepted. */
export const AGENT_GROUPS: readonly string[] = ROLE_NAMES.filter((role) => role !== MANAGER_ROLE).map(
  agentGroupOf,
);

/** One VM's enrollment. */
export interface Enrollment {
  readonly vm: string;
  readonly role: RoleName;
  readonly group: string;
}

/** What the plan reads of a VM: its name and its role's name. */
export interface EnrollableVm {
  readonly name: string;
  readonly role: { readonly name: RoleName };
}

/**
 * The enrollment of every VM but the manager's, by VM name; none while `wazuh-agent` is off (the
 * service needs `wazuh-manager`, so an enabled agent always has a manager to enroll with).
 */
export function enrollmentPlan(vms: readonly EnrollableVm[], services: readonly string[]): Enrollment[] {
  if (!services.includes("wazuh-agent")) return [];
  return vms
    .filter((vm) => vm.role.name !== MANAGER_ROLE)
    .map((vm) => ({ vm: vm.name, role: vm.role.name, group: agentGroupOf(vm.role.name) }))
    .sort((a, b) => a.vm.localeCompare(b.vm));
}
