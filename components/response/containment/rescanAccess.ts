/**
 * The rescan hop (issue 14, "Rescan"): after a containment, the active response on the Wazuh manager
 * asks the Greenbone VM to scan the contained host's network, over SSH with a key of its own that can
 * do that and nothing else.
 *
 * On the Greenbone VM (rescanAccessScript, run by rescanAccessOnGreenbone): a system user
 * `fortress-rescan` whose one authorized key is the manager's, with `restrict` (no forwarding, no pty,
 * no ~/.ssh/rc), `from=` the manager's address and `command=` the forced-command wrapper; sshd runs
 * the wrapper instead of what the client asked and hands it the request in SSH_ORIGINAL_COMMAND
 * (openssh-portable@V_9_2_P1, Debian 12's, sshd.8 "AUTHORIZED_KEYS FILE FORMAT": command, from,
 * restrict; session.c runs it with the user's shell and `-c`, so the user has /bin/sh). The wrapper
 * accepts exactly `fortress-rescan <a known target>` and runs `sudo -n <rescanPath> <target>`
 * (the Greenbone component's `rescanPath`, components/vuln/install.ts RESCAN_PATH); the sudoers rule
 * allows that command with those arguments alone. On the manager (onManager.ts): the private key and a known_hosts line pinning the Greenbone
 * VM's host key, both root-only, and `rescanArgv` as contain.json's rescan.argv.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { type SshHost, sshConnection } from "../../siem/contract";

/**
 * fortress-rescan's usage exit code, which the wrapper answers a refused request with (the vuln
 * layer's components/vuln/gvmProgram.ts RESCAN_EXIT_CODES.usage; the response layer does not import the
 * vuln layer, so the Greenbone side's path comes in as `rescanPath`, the Greenbone component's output).
 */
export const RESCAN_USAGE_EXIT = 2;

export const RESCAN_USER = "fortress-rescan";
export const RESCAN_HOME = "/var/lib/fortress-rescan";
export const RESCAN_WRAPPER_PATH = "/usr/local/sbin/fortress-rescan-ssh";
export const RESCAN_SUDOERS_PATH = "/etc/sudoers.d/fortress-rescan";
/** On the manager: the key and the Greenbone VM's pinned host key (root-only: the AR runs as root). */
export const RESCAN_KEY_PATH = "/etc/fortress/rescan.key";
export const RESCAN_KNOWN_HOSTS_PATH = "/etc/fortress/rescan.known_hosts";

const TARGET = /^[a-z0-9][a-z0-9-]*$/;
const WORD = /^[A-Za-z0-9_./=:-]+$/;

function checkTargets(targets: readonly string[]): string[] {
  if (targets.length === 0) throw new Error("the rescan access needs at least one scan target");
  for (const target of targets)
    if (!TARGET.test(target)) throw new Error(`${target} is not a Fortress scan target name`);
  return [...new Set(targets)].sort();
}

const PATH = /^\/[A-Za-z0-9/._-]+$/;

function checkPath(rescanPath: string): string {
  if (!PATH.test(rescanPath)) throw new Error(`${rescanPath} is not an absolute program path`);
  return rescanPath;
}

/** What the wrapper runs on the Greenbone VM: fortress-rescan as root, through its sudoers rule. */
export const sudoRescan = (rescanPath: string): string[] => ["sudo", "-n", checkPath(rescanPath)];

/**
 * The forced command: `fortress-rescan <target>` for a known target runs the rescan (`run` + target:
 * on the VM sudoRescan(rescanPath)); anything else is refused with the usage exit code, its text never
 * echoed nor evaluated (the request is compared whole with each allowed string).
 */
export function rescanWrapper(targets: readonly string[], run: readonly string[]): string {
  for (const word of run) if (!WORD.test(word)) throw new Error(`internal: ${word} cannot be quoted`);
  const cases = checkTargets(targets).map((target) => `  'fortress-rescan ${target}') target=${target} ;;`);
  return [
    "#!/bin/sh",
    "# Rendered by Fortress (components/response/containment/rescanAccess.ts): the forced command of the",
    "# Wazuh manager's rescan key. sshd runs it whatever the client asked, with the request in",
    "# SSH_ORIGINAL_COMMAND; only `fortress-rescan <a Fortress scan target>` is run.",
    "set -eu",
    'request="${SSH_ORIGINAL_COMMAND-}"',
    'case "$request" in',
    ...cases,
    "  *)",
    "    logger -t fortress-rescan-ssh -p auth.warning 'refused a request that is not fortress-rescan <a known target>' 2>/dev/null || true",
    "    echo 'fortress-rescan-ssh: only \"fortress-rescan <target>\" of a Fortress scan target is allowed' >&2",
    `    exit ${RESCAN_USAGE_EXIT}`,
    "    ;;",
    "esac",
    `exec ${run.map((word) => `'${word}'`).join(" ")} "$target"`,
    "",
  ].join("\n");
}

/** sudoers: the rescan user may run fortress-rescan as root with one known target name, nothing else. */
export function rescanSudoers(targets: readonly string[], rescanPath: string): string {
  const commands = checkTargets(targets).map((target) => `${checkPath(rescanPath)} ${target}`);
  return [
    "# Rendered by Fortress (components/response/containment/rescanAccess.ts).",
    `${RESCAN_USER} ALL=(root) NOPASSWD: ${commands.join(", ")}`,
    "",
  ].join("\n");
}

const PUBLIC_KEY = /^ssh-ed25519 [A-Za-z0-9+/]+=*$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** The one authorized_keys line of the rescan user. */
export function authorizedKeyLine(publicKey: string, from: string): string {
  const key = publicKey.trim().split(/\s+/).slice(0, 2).join(" ");
  if (!PUBLIC_KEY.test(key)) throw new Error("the rescan key is not an OpenSSH ed25519 public key");
  if (!IPV4.test(from)) throw new Error(`${from} is not the manager's IPv4 address`);
  return `restrict,from="${from}",command="${RESCAN_WRAPPER_PATH}" ${key} fortress-contain@wazuh-manager\n`;
}

/** The manager's known_hosts line for the Greenbone VM: its address and the host key cloud-init gave it. */
export function knownHostsLine(address: string, hostKey: string): string {
  const key = hostKey.trim().split(/\s+/).slice(0, 2).join(" ");
  if (!IPV4.test(address)) throw new Error(`${address} is not the Greenbone VM's IPv4 address`);
  if (!/^ssh-[a-z0-9-]+ [A-Za-z0-9+/]+=*$/.test(key))
    throw new Error("the Greenbone host key is not an OpenSSH public key");
  return `${address} ${key}\n`;
}

/** contain.json's rescan.argv: ssh to the Greenbone VM with the rescan key, its host key pinned; the AR appends the target. */
export function rescanArgv(greenboneAddress: string): string[] {
  if (!IPV4.test(greenboneAddress)) throw new Error(`${greenboneAddress} is not an IPv4 address`);
  return [
    "/usr/bin/ssh",
    "-F",
    "none",
    "-i",
    RESCAN_KEY_PATH,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${RESCAN_KNOWN_HOSTS_PATH}`,
    "-o",
    "ConnectTimeout=10",
    "-l",
    RESCAN_USER,
    greenboneAddress,
    "fortress-rescan",
  ];
}

/** Stage `content` in the work directory (base64: no quoting can break it). */
const stage = (name: string, content: string) =>
  `printf '%s' '${Buffer.from(content, "utf8").toString("base64")}' | base64 -d > "$work/${name}"`;

export interface RescanAccessInput {
  /** The manager's rescan key (OpenSSH public key). */
  readonly publicKey: string;
  /** The manager's address: the only source the key is accepted from. */
  readonly from: string;
  /** The Fortress scan target names (stacks/scanTargets.ts). */
  readonly targets: readonly string[];
  /** fortress-rescan on the VM: the Greenbone component's `rescanPath`. */
  readonly rescanPath: string;
}

/** The Greenbone VM's side, as the VM's admin user with sudo; re-runnable (every file installed whole). */
export function rescanAccessScript(input: RescanAccessInput): string {
  const ssh = `${RESCAN_HOME}/.ssh`;
  return [
    "#!/bin/sh",
    "# Rendered by Fortress (components/response/containment/rescanAccess.ts).",
    "set -eu",
    "umask 077",
    "work=$(mktemp -d)",
    `trap 'rm -rf "$work"' EXIT`,
    // The vuln layer installs fortress-rescan; the response layer does not wait for it (sibling layers
    // of the blueprint), so its absence is said, not fatal: until it exists a rescan fails and is
    // logged as rule 100217, and the containment stands.
    `sudo test -x '${checkPath(input.rescanPath)}' || echo 'note: no ${input.rescanPath} yet (the vuln layer installs it): rescans start once it is there' >&2`,
    `id -u ${RESCAN_USER} >/dev/null 2>&1 || sudo useradd --system --home-dir '${RESCAN_HOME}' --create-home --shell /bin/sh ${RESCAN_USER}`,
    // No password at all ('*': no password matches; not '!', which some sshd setups read as locked).
    `sudo usermod -p '*' ${RESCAN_USER}`,
    stage("wrapper", rescanWrapper(input.targets, sudoRescan(input.rescanPath))),
    stage("sudoers", rescanSudoers(input.targets, input.rescanPath)),
    stage("authorized_keys", authorizedKeyLine(input.publicKey, input.from)),
    `sudo visudo -cq -f "$work/sudoers"`,
    `sudo install -o root -g root -m 0755 "$work/wrapper" '${RESCAN_WRAPPER_PATH}'`,
    `sudo install -o root -g root -m 0440 "$work/sudoers" '${RESCAN_SUDOERS_PATH}'`,
    // Owned by root: the user cannot change its own key or options (sshd StrictModes accepts root).
    `sudo install -d -o root -g ${RESCAN_USER} -m 0750 '${ssh}'`,
    `sudo install -o root -g ${RESCAN_USER} -m 0640 "$work/authorized_keys" '${ssh}/authorized_keys'`,
    "echo 'rescan access for the Wazuh manager in place'",
    "",
  ].join("\n");
}

export interface RescanAccessArgs {
  /** The Greenbone VM. */
  readonly host: SshHost;
  readonly publicKey: pulumi.Input<string>;
  readonly from: string;
  readonly targets: readonly string[];
  /** The Greenbone component's `rescanPath`. */
  readonly rescanPath: string;
}

/** The Greenbone side as one SSH step (after the Greenbone install: its RESCAN_PATH must exist). */
export function rescanAccessOnGreenbone(
  name: string,
  args: RescanAccessArgs,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const script = pulumi
    .output(args.publicKey)
    .apply((publicKey) =>
      rescanAccessScript({ publicKey, from: args.from, targets: args.targets, rescanPath: args.rescanPath }),
    );
  return new command.remote.Command(
    name,
    {
      connection: sshConnection(args.host),
      create: script,
      logging: "none",
      triggers: [script],
    },
    opts,
  );
}

/** The manager's rescan key: ed25519, in the state as a secret (tls marks privateKeyOpenssh secret). */
export function containmentRescanKey(name: string, opts: pulumi.CustomResourceOptions): tls.PrivateKey {
  return new tls.PrivateKey(
    name,
    { algorithm: "ED25519" },
    { ...opts, additionalSecretOutputs: ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"] },
  );
}
