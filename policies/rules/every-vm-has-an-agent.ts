import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AGENT_EXEMPT_TAGS, WAZUH_ENROLLMENT_MARKER } from "../../vocabulary/agents";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { guestOf } from "../lib/guests";

export const ENDPOINT_TYPE = COMPONENT_TYPES.endpoint;
export const REMOTE_COMMAND_TYPE = SDK_TYPES.commandRemote;

/** Whether a command is a Wazuh agent enrollment: its triggers carry the marker. */
export function isEnrollment(resource: PolicyResource): boolean {
  if (resource.type !== REMOTE_COMMAND_TYPE) return false;
  const triggers = (resource.props as { triggers?: unknown }).triggers;
  return Array.isArray(triggers) && triggers.includes(WAZUH_ENROLLMENT_MARKER);
}

/** The URNs an enrollment depends on: its dependencies and property dependencies (the VM's id in its triggers). */
function dependedOn(resource: PolicyResource): Set<string> {
  return new Set(
    [...resource.dependencies, ...Object.values(resource.propertyDependencies ?? {}).flat()].map(
      (dependency) => dependency.urn,
    ),
  );
}

export const everyVmHasAnAgent: StackValidationPolicy = {
  name: "every-vm-has-an-agent",
  description:
    "Once the endpoint layer is in the plan, every Fortress guest (VM of any SDK class, clone, container) but the Wazuh manager has a Wazuh agent enrollment for it: an SSH command marked as an enrollment that depends on the guest.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      exemptTags: {
        type: "array",
        items: { type: "string" },
        default: [...AGENT_EXEMPT_TAGS],
        description: "Guest tags of VMs that are not enrolled (the manager itself).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    if (!args.resources.some((resource) => resource.type === ENDPOINT_TYPE)) return;
    const config = args.getConfig<{ exemptTags?: unknown }>();
    const exempt = Array.isArray(config.exemptTags) ? config.exemptTags.map(String) : AGENT_EXEMPT_TAGS;
    const enrolled = new Set<string>();
    for (const resource of args.resources) {
      if (isEnrollment(resource)) for (const urn of dependedOn(resource)) enrolled.add(urn);
    }
    for (const resource of args.resources) {
      const guest = guestOf(resource);
      if (!guest || guest.kind.endsWith("template")) continue;
      if (guest.tags.some((tag) => exempt.includes(tag))) continue;
      if (enrolled.has(resource.urn)) continue;
      reportViolation(
        `${guest.kind} ${guest.name} has no Wazuh agent: the endpoint layer enrolls no agent on it. Give its role a ` +
          "profile (components/endpoint/agentConf.ts ROLE_WATCHES) so the enrollment plan (stacks/enrollment.ts) takes it in, or tag it " +
          `with one of ${exempt.join(", ")} if it is the manager`,
        resource.urn,
      );
    }
  },
};
