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
 *
 * Trust is not enough: the node must also resolve Keycloak's name, which only the lab's DNS (Unbound
 * on the firewall) knows. The script checks that first, with the node's own resolver (`getent hosts`,
 * i.e. nsswitch: /etc/hosts, then /etc/resolv.conf), and fails with what to set.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export const CA_TRUST_FILE = "/usr/local/share/ca-certificates/fortress-ca.crt";

export interface NodeTrustArgs {
  /** Each node's SSH host key (`ssh-ed25519 AAAA…`), pinned on its connection. */
  readonly nodes: readonly { readonly name: string; readonly address: string; readonly sshHostKey: string }[];
  readonly sshUser: string;
  readonly sshPrivateKey: pulumi.Input<string>;
  /** The CA certificate (PEM). Public: it is the only thing sent. */
  readonly caCertificatePem: pulumi.Input<string>;
  /** Keycloak's host name (the issuer's), which each node must resolve. */
  readonly keycloakHost: string;
}

/** Root runs it directly; any other SSH user through passwordless sudo. */
const AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo -n"; fi';

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Fails, saying what to set, unless the node resolves `host`. */
function resolvesCheck(host: string): string[] {
  if (!DNS_NAME.test(host)) throw new Error(`Keycloak host ${JSON.stringify(host)} is not a DNS name`);
  const hint =
    `${host} does not resolve on this node, so Proxmox cannot reach Keycloak for OpenID sign-in. ` +
    "Point the DNS server of this node at the firewall management address (the gateway of the " +
    "management network in fortress:networks): Proxmox web UI, the node > System > DNS, which writes " +
    "/etc/resolv.conf. " +
    `Check with: getent hosts ${host}. Then run pulumi up again.`;
  // Single-quoted in the script: the hint must hold no single quote.
  return [`getent hosts ${host} > /dev/null || { echo '${hint.replace(/'/g, "")}' >&2; exit 1; }`];
}

/**
 * Checks that the node resolves Keycloak's name, then reads the PEM on stdin, refuses anything that is
 * not one certificate, installs it and rebuilds the store.
 */
export function installScript(keycloakHost: string): string {
  return [
    "set -eu",
    ...resolvesCheck(keycloakHost),
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
          // Pinned: pulumi-command ignores the host key when none is given (remote/connection.go).
          connection: { host: node.address, user: args.sshUser, privateKey, hostKey: node.sshHostKey },
          create: installScript(args.keycloakHost),
          update: installScript(args.keycloakHost),
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
