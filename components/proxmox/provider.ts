/**
 * The Proxmox provider, from the lab's connection settings. The composition root builds one that the
 * layers share (stacks/layers/shared.ts) and hands it to them in their args.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";

export interface ProxmoxConnectionArgs {
  /** https URL of the Proxmox API, e.g. https://pve1.home.arpa:8006/ */
  readonly endpoint: string;
  /** `user@realm!tokenid=uuid`; secret. */
  readonly apiToken: pulumi.Input<string>;
  /** Skip TLS verification. Off unless the admin turns it on. */
  readonly insecure: boolean;
  /** SSH to the nodes, which the API needs for snippets (custom cloud-init user-data). */
  readonly sshUser: string;
  readonly sshPrivateKey: pulumi.Input<string>;
  /**
   * Proxmox node names, their management addresses and SSH host keys (`ssh-ed25519 AAAA…`), for SSH.
   * Fortress's own commands pin the key; the bpg provider's SSH client takes none.
   */
  readonly nodes: readonly { readonly name: string; readonly address: string; readonly sshHostKey: string }[];
}

/** `opts` is the provider's options, or just its parent. */
export function proxmoxProvider(
  name: string,
  connection: ProxmoxConnectionArgs,
  opts: pulumi.Resource | pulumi.CustomResourceOptions = {},
): proxmoxve.Provider {
  return new proxmoxve.Provider(
    name,
    {
      endpoint: connection.endpoint,
      apiToken: pulumi.secret(connection.apiToken),
      insecure: connection.insecure,
      ssh: {
        agent: false,
        username: connection.sshUser,
        privateKey: pulumi.secret(connection.sshPrivateKey),
        nodes: connection.nodes.map((node) => ({ name: node.name, address: node.address })),
      },
    },
    pulumi.Resource.isInstance(opts) ? { parent: opts } : opts,
  );
}
