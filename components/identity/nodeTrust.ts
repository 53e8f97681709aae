/**
 * Puts the lab's internal CA into each Proxmox node's system trust store, so that Proxmox VE's OpenID
 * client can reach Keycloak (whose certificate that CA signs) for discovery and the code exchange.
 *
 * Proxmox's OpenID realm (pve-access-control `src/PVE/API2/OpenId.pm`) calls `PVE::RS::OpenId`, the
 * Rust crate proxmox-openid (proxmox/proxmox-rs `proxmox-openid/src/http_client.rs`): ureq with
 * `TlsProvider::NativeTls` (OpenSSL on Debian) and `RootCerts::PlatformVerifier`, i.e. the system's
 * trust store (changelog 1.0.2-1: "use TLS platform verifier to ensure the trust DB from the system is
 * actually used"). A new agent is built per request, so no daemon restart is needed. On Debian that
 * store is /etc/ssl/certs, which `update-ca-certificates` builds from, among others,
 * /usr/local/share/ca-certificates/*.crt (only files ending in `.crt` are read).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export const CA_TRUST_FILE = "/usr/local/share/ca-certificates/fortress-ca.crt";

export interface NodeTrustArgs {
  readonly nodes: readonly { readonly name: string; readonly address: string }[];
  readonly sshUser: string;
  readonly sshPrivateKey: pulumi.Input<string>;
  /** The CA certificate (PEM). Public: it is the only thing sent. */
  readonly caCertificatePem: pulumi.Input<string>;
}

/** Root runs it directly; any other SSH user through passwordless sudo. */
const AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo -n"; fi';

/** Reads the PEM on stdin, refuses anything that is not one certificate, installs it, rebuilds the store. */
export function installScript(): string {
  return [
    "set -eu",
    AS_ROOT,
    'tmp="$(mktemp)"',
    "trap 'rm -f \"$tmp\"' EXIT",
    'cat > "$tmp"',
    'openssl x509 -in "$tmp" -noout',
    `$as_root install -D -m 0644 -o root -g root "$tmp" ${CA_TRUST_FILE}`,
    "$as_root update-ca-certificates",
  ].join("\n");
}

export function removeScript(): string {
  return [
    "set -eu",
    AS_ROOT,
    `$as_root rm -f ${CA_TRUST_FILE}`,
    "$as_root update-ca-certificates --fresh",
  ].join("\n");
}

/** One command per node. */
export function trustCaOnNodes(
  name: string,
  args: NodeTrustArgs,
  parent: pulumi.Resource,
): command.remote.Command[] {
  const privateKey = pulumi.secret(args.sshPrivateKey);
  return args.nodes.map(
    (node) =>
      new command.remote.Command(
        `${name}-${node.name}`,
        {
          connection: { host: node.address, user: args.sshUser, privateKey },
          create: installScript(),
          update: installScript(),
          delete: removeScript(),
          // A new certificate runs `update`, which installs it over the old one.
          stdin: args.caCertificatePem,
          // Nothing secret goes in or out, but every remote command logs nothing (one rule, checked
          // plan-wide); a failing command still reports its output in the error.
          logging: "none",
        },
        // A replacement must not run the old one's delete (rm) after the new one's install.
        { parent, deleteBeforeReplace: true },
      ),
  );
}
