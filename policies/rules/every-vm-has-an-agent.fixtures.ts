import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { VM_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { WAZUH_ENROLLMENT_MARKER } from "../../vocabulary/agents";
import { REMOTE_COMMAND_TYPE } from "./every-vm-has-an-agent";

export const hypervisor = layerComponent("hypervisor");
export const endpoint = layerComponent("endpoint");

export const vm = (
  name: string,
  tags: readonly string[] = [],
  inputs: Record<string, unknown> = {},
): PlanResource =>
  planResource(
    VM_TYPE,
    name,
    { name, nodeName: "pve1", tags: ["fortress", ...tags], ...inputs },
    { parent: hypervisor },
  );

/** The endpoint layer's enrollment of a VM: its triggers carry the marker and the VM's id (a dependency). */
export const enrollment = (
  of: PlanResource,
  triggers: readonly unknown[] = [WAZUH_ENROLLMENT_MARKER, "fortress-k3s-agent", 101],
) =>
  planResource(
    REMOTE_COMMAND_TYPE,
    `${of.name}-wazuh-agent`,
    { create: "set -eu\n…", triggers, logging: "none" },
    { parent: endpoint, dependsOn: [of] },
  );

const agent = vm("k3s-agent-1", ["k3s", "k3s-agent"]);
const workstation = vm("workstation-1", ["workstation"]);
const manager = vm("wazuh-manager-1", ["wazuh-manager"]);

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "every VM enrolled, the manager exempt",
      resources: [
        hypervisor,
        endpoint,
        agent,
        workstation,
        manager,
        enrollment(agent),
        enrollment(workstation),
      ],
    },
    { name: "no endpoint layer in the plan yet: nothing to judge", resources: [hypervisor, agent] },
  ],
  failing: [
    {
      name: "a VM without an enrollment",
      resources: [hypervisor, endpoint, agent, workstation, enrollment(agent)],
    },
    {
      name: "a command on the VM that is not marked as an enrollment",
      resources: [hypervisor, endpoint, agent, enrollment(agent, ["some-other-command"])],
    },
  ],
};
