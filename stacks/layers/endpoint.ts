/**
 * Maps the lab model onto the endpoint layer: the enrollment plan (stacks/enrollment.ts: which VM
 * joins which Wazuh agent group) with each role's profile, and the Endpoint component over it, given
 * the manager's endpoint from the siem layer (an Output of what built the manager, never an address
 * rebuilt from config) and the hypervisor's VMs (address, pinned host key).
 */
import { Endpoint } from "../../components/endpoint/endpoint";
import { profileFor } from "../../components/endpoint/agentConf";
import type { ManagerEndpoint } from "../../components/siem/contract";
import { agentGroupOf, enrollmentPlan } from "../enrollment";
import { firewallRef } from "./connections";
import type { LayerInputs } from "./types";
import type * as pulumi from "@pulumi/pulumi";

/** The group a physical device joins: the workstation's (downloads watched in real time). */
export const PHYSICAL_PROFILE_ROLE = "workstation";

/** Where an admin finds the enrollment password (the siem layer's secret output). */
export const ENROLLMENT_PASSWORD_WHERE = "pulumi stack output wazuhEnrollmentPassword --show-secrets";

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
      vms: enrollmentPlan(lab.vms, lab.config.services).map(({ vm, role, group }) => {
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
          profile: profileFor(role, group),
          vmId: machine.vmId,
          // The hypervisor keeps GPU VMs out of its barrier (they may not start): so does this layer.
          ...(planned.role.gpu ? { detached: true } : {}),
        };
      }),
      physical: profileFor(PHYSICAL_PROFILE_ROLE, agentGroupOf(PHYSICAL_PROFILE_ROLE)),
      passwordWhere: ENROLLMENT_PASSWORD_WHERE,
      ...(lab.config.opnsense
        ? { firewall: { ref: firewallRef(inputs), ready: inputs.upstream.network.preflight } }
        : {}),
    },
    opts,
  );
}
