/**
 * How the endpoint layer's enrollments are recognised in a plan, written once for the component that
 * makes them (components/endpoint/endpoint.ts) and the policy that judges them
 * (policies/rules/every-vm-has-an-agent.ts): an enrollment is an SSH command whose `triggers` carry
 * this marker and the VM's id (an output of the VM, so the command depends on it).
 */
export const WAZUH_ENROLLMENT_MARKER = "fortress:wazuh-agent-enrollment";

/** VM tags of guests that are not enrolled: the Wazuh manager is not an agent of itself. */
export const AGENT_EXEMPT_TAGS: readonly string[] = ["wazuh-manager"];

/**
 * The agent-side active response that scans a new or changed file on the lab's clamd
 * (components/endpoint/clamav/activeResponse.ts): its file name under active-response/bin on each
 * agent, and the name the manager's ossec.conf gives its `<command>` and `<active-response>`
 * (components/siem/manager/ossecConf.ts).
 */
export const CLAMDSCAN_COMMAND = "fortress-clamdscan";

/**
 * The FIM rules whose alerts name a file that is there to scan (wazuh/wazuh@v4.14.6
 * ruleset/rules/0015-ossec_rules.xml): 554 "File added to the system", 550 "Integrity checksum
 * changed". Not 553 (deleted: nothing left to scan).
 */
export const FIM_NEW_OR_CHANGED_RULES = [554, 550] as const;
