/**
 * What the SIEM's parts hand each other and the layers after it, typed once: the indexer's access for
 * a consumer (the manager's Filebeat, the dashboard, later TheHive, Cortex and Vector), the manager's
 * endpoint for the agents, and the host a part is installed on over SSH.
 */
import * as pulumi from "@pulumi/pulumi";

/** A Fortress VM a part is installed on over SSH (the hypervisor layer's outputs for it). */
export interface SshHost {
  /** The VM's name in the inventory, e.g. wazuh-manager-1. */
  readonly name: string;
  /** Its planned static address on its network. */
  readonly address: string;
  readonly fqdn: string;
  /** The host key cloud-init gave it, to pin the SSH connection. */
  readonly hostKey: pulumi.Input<string>;
  /** The admin user cloud-init created and its private key. */
  readonly user: string;
  readonly privateKey: pulumi.Input<string>;
}

/** The SSH connection of a remote.Command to `host`: its admin user, the key kept secret, the host key pinned. */
export function sshConnection(host: Pick<SshHost, "address" | "user" | "privateKey" | "hostKey">): {
  host: string;
  user: string;
  privateKey: pulumi.Output<string>;
  hostKey: pulumi.Input<string>;
} {
  return {
    host: host.address,
    user: host.user,
    privateKey: pulumi.secret(host.privateKey),
    hostKey: host.hostKey,
  };
}

/** One consumer's access to the indexer: its own index-scoped user, never admin. */
export interface IndexerAccess {
  /** https URL of the indexer's REST API as this consumer reaches it. */
  readonly url: pulumi.Output<string>;
  /** PEM of the CA that signs the indexer's certificate (the lab's internal CA). */
  readonly caCertificatePem: pulumi.Output<string>;
  readonly username: string;
  readonly password: pulumi.Output<string>;
}

/** The Wazuh manager as agents and the layers after the SIEM reach it. */
export interface ManagerEndpoint {
  /** Its address on the servers network, as an Output of the resources that built it. */
  readonly address: pulumi.Output<string>;
  readonly fqdn: string;
  /** https URL of the Wazuh server API (55000). */
  readonly apiUrl: pulumi.Output<string>;
  /** The API user Fortress manages groups with (never the shipped wazuh or wazuh-wui password). */
  readonly apiUsername: string;
  readonly apiPassword: pulumi.Output<string>;
  /** PEM of the CA that signs the API's certificate. */
  readonly apiCaCertificatePem: pulumi.Output<string>;
  /** The agents' enrollment password (authd.pass on the manager). */
  readonly enrollmentPassword: pulumi.Output<string>;
  /** What must exist before an agent enrolls: the installed, configured, running manager. */
  readonly ready: readonly pulumi.Resource[];
}
