/**
 * How Pulumi itself logs in to Proxmox: never as root@pam with a password (the provider's `username`
 * and `password`, or a ticket, bpg/terraform-provider-proxmox fwprovider/provider.go), whose session
 * holds every privilege on every node, and not with a token of root@pam, whose privileges cannot be
 * told from the plan. Fortress logs in with a privilege-separated token of its own user.
 */
import type { PolicyResource, ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { PROXMOX_PROVIDER_TYPE } from "../../vocabulary/proxmoxTypes";
import { knownString } from "../lib/resources";

const ROOT = "root@pam";
const isRootUser = (value: string | undefined) => value?.trim().toLowerCase() === ROOT;

/**
 * The provider's `ssh` block: an object, or the JSON string the engine makes of a provider's object
 * inputs (as the plan shows `insecure: "false"`); undefined when secret or absent.
 */
function sshOf(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
}

/** What is wrong with how one provider resource logs in. */
function judgeProvider(
  provider: Pick<PolicyResource, "name" | "props">,
  reportViolation: ReportViolation,
): void {
  const props = provider.props;
  const name = provider.name;
  const fix =
    "log in with apiToken (fortress@pve!pulumi=…, privilege-separated, granted narrow roles on /pool/fortress) instead";
  const secretBy =
    props.password !== undefined ? "password" : props.authTicket !== undefined ? "ticket" : undefined;
  if (isRootUser(knownString(props.username)) && secretBy) {
    reportViolation(
      `the Proxmox provider ${name} logs in as root@pam with a ${secretBy}, a session with every privilege on every node: ${fix}`,
    );
  }
  const token = knownString(props.apiToken);
  if (token !== undefined && isRootUser(token.split("!")[0])) {
    reportViolation(
      `the Proxmox provider ${name} uses an API token of root@pam, whose privileges (unless separated) are root's: ${fix}`,
    );
  }
  const ssh = sshOf(props.ssh);
  if (ssh?.password !== undefined) {
    reportViolation(
      `the Proxmox provider ${name} logs in to the nodes over SSH with a password (ssh.password): give it ssh.privateKey (or the agent) instead`,
    );
  }
}

export const proxmoxProviderLogin: ResourceValidationPolicy = {
  name: "proxmox-provider-login",
  description:
    "The Proxmox provider does not log in as root@pam: no username root@pam with a password or ticket, no root@pam API token, and no SSH password to the nodes; it uses a privilege-separated API token of a Fortress user and an SSH key.",
  enforcementLevel: "mandatory",
  // A resource policy: the policy SDK hands provider resources to those (pulumi/pulumi-policy#323 reads
  // `args.type === "pulumi:providers:…"` in one).
  validateResource: (args, reportViolation) => {
    if (args.type === PROXMOX_PROVIDER_TYPE) judgeProvider(args, reportViolation);
  },
};
