/**
 * How Pulumi itself logs in to Proxmox: never as root@pam with a password (the provider's `username`
 * and `password`, or a ticket, bpg/terraform-provider-proxmox fwprovider/provider.go), whose session
 * holds every privilege on every node, and not with a token of root@pam, whose privileges cannot be
 * told from the plan. Fortress logs in with a privilege-separated token of its own user.
 */
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { PROXMOX_PROVIDER_TYPE } from "../../vocabulary/proxmoxTypes";
import { knownString } from "../lib/resources";

const ROOT = "root@pam";
const isRootUser = (value: string | undefined) => value?.trim().toLowerCase() === ROOT;

/** What is wrong with how one provider resource logs in. */
function judgeProvider(provider: PolicyResource, reportViolation: ReportViolation): void {
  const props = provider.props;
  const name = provider.name;
  const fix =
    "log in with apiToken (fortress@pve!pulumi=…, privilege-separated, granted narrow roles on /pool/fortress) instead";
  const secretBy =
    props.password !== undefined ? "password" : props.authTicket !== undefined ? "ticket" : undefined;
  if (isRootUser(knownString(props.username)) && secretBy) {
    reportViolation(
      `the Proxmox provider ${name} logs in as root@pam with a ${secretBy}, a session with every privilege on every node: ${fix}`,
      provider.urn,
    );
  }
  const token = knownString(props.apiToken);
  if (token !== undefined && isRootUser(token.split("!")[0])) {
    reportViolation(
      `the Proxmox provider ${name} uses an API token of root@pam, whose privileges (unless separated) are root's: ${fix}`,
      provider.urn,
    );
  }
  const ssh = props.ssh as Record<string, unknown> | undefined;
  if (typeof ssh === "object" && ssh !== null && ssh.password !== undefined) {
    reportViolation(
      `the Proxmox provider ${name} logs in to the nodes over SSH with a password (ssh.password): give it ssh.privateKey (or the agent) instead`,
      provider.urn,
    );
  }
}

export const proxmoxProviderLogin: StackValidationPolicy = {
  name: "proxmox-provider-login",
  description:
    "The Proxmox provider does not log in as root@pam: no username root@pam with a password or ticket, no root@pam API token, and no SSH password to the nodes; it uses a privilege-separated API token of a Fortress user and an SSH key.",
  enforcementLevel: "mandatory",
  // A stack policy: the providers are a handful among thousands of resources.
  validateStack: (args, reportViolation) => {
    for (const resource of args.resources) {
      if (resource.type === PROXMOX_PROVIDER_TYPE) judgeProvider(resource, reportViolation);
    }
  },
};
