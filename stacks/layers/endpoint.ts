/**
 * Maps the lab model onto the endpoint layer: which VM joins which Wazuh agent group (the enrollment
 * plan, pure, kept here in one place until stacks/enrollment.ts lands on main), and the Endpoint
 * component over it, given the manager's endpoint from the siem layer (an Output of what built the
 * manager, never an address rebuilt from config) and the hypervisor's VMs (address, pinned host key).
 *
 * Not registered in ./index.ts yet: the siem layer it needs is not built on this branch. The integrator
 * registers it as `layer({ siem: true, hypervisor: true, network: true }, (inputs, opts) => buildEndpoint(inputs,
 * inputs.upstream.siem.manager, opts))`.
 */
import { Endpoint } from "../../components/endpoint/endpoint";
import { type AgentProfile, profileFor } from "../../components/endpoint/agentConf";
import type { ManagerEndpoint } from "../../components/siem/contract";
import type { LabModel } from "../lab";
import { firewallRef } from "./connections";
import type { LayerInputs } from "./types";
import type * as pulumi from "@pulumi/pulumi";

/** The role of the manager's own VM: it is the manager, not an agent of itself. */
export const MANAGER_ROLE = "wazuh-manager";

/** The group a physical device joins: the workstation's (downloads watched in real time). */
export const PHYSICAL_PROFILE_ROLE = "workstation";

/** Where an admin finds the enrollment password (the siem layer's secret output). */
export const ENROLLMENT_PASSWORD_WHERE = "pulumi stack output wazuhEnrollmentPassword --show-secrets";

export interface PlannedEnrollment {
  readonly vm: string;
  readonly role: string;
  readonly profile: AgentProfile;
}

/** Every Fortress VM but the manager, in name order, with its role's group. */
export function enrollmentPlan(lab: Pick<LabModel, "vms">): PlannedEnrollment[] {
  return lab.vms
    .filter((vm) => (vm.role.name as string) !== MANAGER_ROLE)
    .map((vm) => ({ vm: vm.name, role: vm.role.name, profile: profileFor(vm.role.name) }))
    .sort((a, b) => a.vm.localeCompare(b.vm));
}

export function buildEndpoint(
  inputs: LayerInputs<"hypervisor" | "network">,
  manager: ManagerEndpoint,
  opts: pulumi.ComponentResourceOptions,
): Endpoint {
  const { lab, secrets } = inputs;
  const { hypervisor } = inputs.upstream;
  const byName = new Map(lab.vms.map((vm) => [vm.name, vm]));
  return new Endpoint(
    "endpoint",
    {
      manager,
      vms: enrollmentPlan(lab).map(({ vm, profile }) => {
        const planned = byName.get(vm);
        const machine = hypervisor.vms[vm];
        if (!planned || !machine) throw new Error(`internal: the hypervisor layer has no VM ${vm}`);
        return {
          host: {
            name: vm,
            address: planned.ip,
            fqdn: planned.fqdn,
            hostKey: machine.hostKey,
            user: lab.config.lab.adminUser,
            privateKey: secrets.sshPrivateKey,
          },
          profile,
          vmId: machine.vmId,
        };
      }),
      physical: profileFor(PHYSICAL_PROFILE_ROLE),
      passwordWhere: ENROLLMENT_PASSWORD_WHERE,
      ...(lab.config.opnsense
        ? { firewall: { ref: firewallRef(inputs), ready: inputs.upstream.network.preflight } }
        : {}),
    },
    opts,
  );
}
