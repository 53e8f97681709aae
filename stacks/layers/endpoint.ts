/**
 * Maps the lab model onto the endpoint layer: the enrollment plan (stacks/enrollment.ts: which VM
 * joins which Wazuh agent group) with each role's profile, and the Endpoint component over it, given
 * the manager's endpoint from the siem layer (an Output of what built the manager, never an address
 * rebuilt from config) and the hypervisor's VMs (address, pinned host key). With the `clamav` service
 * on, the lab's one clamd runs in the layer's namespace on the platform's cluster, and every
 * enrollment installs the agent side pointing at it.
 */
import { Endpoint } from "../../components/endpoint/endpoint";
import { profileFor } from "../../components/endpoint/agentConf";
import type { ManagerEndpoint } from "../../components/siem/contract";
import type { ClamavArgs } from "../../components/endpoint/clamav/clamav";
import { namespaceOf } from "../cluster";
import { agentGroupOf, enrollmentPlan } from "../enrollment";
import { AGENT_ZONE_PURPOSES, routeTarget } from "../hostFlows";
import { firewallRef } from "./connections";
import type { LayerInputs } from "./types";
import type * as pulumi from "@pulumi/pulumi";

/** The group a physical device joins: the workstation's (downloads watched in real time). */
export const PHYSICAL_PROFILE_ROLE = "workstation";

/** Where an admin finds the enrollment password (the siem layer's secret output). */
export const ENROLLMENT_PASSWORD_WHERE = "pulumi stack output wazuhEnrollmentPassword --show-secrets";

/** The Clamav component's arguments, or none while the `clamav` service is off. */
function clamavArgs(inputs: LayerInputs<"hypervisor" | "network" | "platform">): ClamavArgs | undefined {
  const { lab } = inputs;
  if (!(lab.config.services as readonly string[]).includes("clamav")) return undefined;
  const baseline = inputs.upstream.platform.baseline;
  if (!baseline) throw new Error("internal: the endpoint layer runs clamd without the platform's baseline");
  const namespace = namespaceOf("endpoint");
  if (!baseline.namespaces[namespace])
    throw new Error(`internal: the platform baseline has no namespace ${namespace}`);
  const clamd = routeTarget(lab, "clamd");
  if (!clamd)
    throw new Error(
      "the clamav service needs Fortress's k3s servers (ServiceLB's addresses), or on an existing cluster platform.cluster.loadBalancer.clamd",
    );
  return {
    namespace,
    storageClass: baseline.storageClasses.default,
    agentNetworks: lab.config.networks
      .filter((network) => AGENT_ZONE_PURPOSES.includes(network.purpose))
      .map((network) => network.cidr),
    serviceAddress: clamd.address,
    ...(clamd.loadBalancer ? { loadBalancer: true } : {}),
    ...(lab.config.clamav?.mirror === undefined ? {} : { mirror: lab.config.clamav.mirror }),
  };
}

export function buildEndpoint(
  inputs: LayerInputs<"hypervisor" | "network" | "platform">,
  manager: ManagerEndpoint,
  opts: pulumi.ComponentResourceOptions,
): Endpoint {
  const { lab, secrets } = inputs;
  const { hypervisor } = inputs.upstream;
  const byName = new Map(lab.vms.map((vm) => [vm.name, vm]));
  const clamav = clamavArgs(inputs);
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
      ...(clamav ? { clamav } : {}),
    },
    { ...opts, providers: { kubernetes: inputs.upstream.platform.provider } },
  );
}
