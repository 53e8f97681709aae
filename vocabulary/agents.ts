/**
 * How the endpoint layer's enrollments are recognised in a plan, written once for the component that
 * makes them (components/endpoint/endpoint.ts) and the policy that judges them
 * (policies/rules/every-vm-has-an-agent.ts): an enrollment is an SSH command whose `triggers` carry
 * this marker and the VM's id (an output of the VM, so the command depends on it).
 */
export const WAZUH_ENROLLMENT_MARKER = "fortress:wazuh-agent-enrollment";

/** VM tags of guests that are not enrolled: the Wazuh manager is not an agent of itself. */
export const AGENT_EXEMPT_TAGS: readonly string[] = ["wazuh-manager"];
