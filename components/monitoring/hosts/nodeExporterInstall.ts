/**
 * The shell script that installs Debian's node exporter on a VM or a Proxmox node over SSH (house
 * style: components/shipping/install.ts), rendered by a pure function. In order:
 * 1. `sudo` is the admin user's on a VM; on a Proxmox node reached as root without sudo (Proxmox ships
 *    none) it is the command itself;
 * 2. the host's Debian release picks the exact package version (pins.ts), any other release stops;
 * 3. a drop-in for the package's unit, placed before the package so that its first start already
 *    uses it: ExecStart with the host's own address as the only listen address (the package's default
 *    is every address, the public side of a node included) and Debian's textfile directory. The
 *    package's conffile /etc/default/prometheus-node-exporter stays as shipped: no dpkg prompt on an
 *    upgrade, and its ARGS are not read (ExecStart is Fortress's);
 * 4. prometheus-node-exporter at that version, without its recommended collectors, held;
 * 5. the textfile directory, root-owned and world-readable (the exporter's user reads it, Fortress's
 *    root programs write it);
 * 6. the service restarted only when something changed, else started; then it must be active.
 * A re-run with the same inputs changes nothing on the host.
 */
import { isIPv4 } from "node:net";
import { ENSURE_DIR_FUNCTION, pinnedPackages, PROLOGUE, stage } from "../../shipping/shell";
import {
  type DebianRelease,
  NODE_EXPORTER_BINARY,
  NODE_EXPORTER_DROP_IN,
  NODE_EXPORTER_PORT,
  NODE_EXPORTER_UNIT,
  NODE_EXPORTER_VERSIONS,
  nodeExporterPackage,
  TEXTFILE_DIR,
} from "./pins";

const ACTIVE_ATTEMPTS = 15;
const ACTIVE_INTERVAL_S = 2;

/** On a Proxmox node reached as root there is no sudo: the script's `sudo` is then the command itself. */
export const ROOT_WITHOUT_SUDO =
  'if [ "$(id -u)" -eq 0 ] && ! command -v sudo >/dev/null 2>&1; then sudo() { "$@"; }; fi';

/** The unit's drop-in, as Fortress writes it. */
export function nodeExporterDropIn(listenAddress: string): string {
  if (!isIPv4(listenAddress))
    throw new Error(`node exporter: ${listenAddress} is no IPv4 address to listen on`);
  return [
    "# Fortress: the node exporter listens on this host's own address only; textfiles from Debian's directory.",
    "[Service]",
    "ExecStart=",
    `ExecStart=${NODE_EXPORTER_BINARY} --web.listen-address=${listenAddress}:${NODE_EXPORTER_PORT} --collector.textfile.directory=${TEXTFILE_DIR}`,
    "",
  ].join("\n");
}

const RELEASES = Object.keys(NODE_EXPORTER_VERSIONS) as DebianRelease[];

/** The host's Debian release, refused unless a version is pinned for it (before anything changes). */
function checkRelease(): string[] {
  return [
    "codename=$(sudo sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)",
    'case "$codename" in',
    `  ${RELEASES.join("|")}) ;;`,
    "  *)",
    `    echo "node exporter: Debian release '$codename' has no pinned version (${RELEASES.join(", ")})" >&2`,
    "    exit 1",
    "    ;;",
    "esac",
  ];
}

function packageByRelease(): string[] {
  return [
    'case "$codename" in',
    ...RELEASES.flatMap((release) => [
      `  ${release})`,
      ...pinnedPackages([nodeExporterPackage(release)]).map((line) => `    ${line}`),
      "    ;;",
    ]),
    "esac",
  ];
}

export interface NodeExporterInstallArgs {
  /** The host's own address (a VM's static address, a node's management address): the only one it listens on. */
  readonly listenAddress: string;
}

export function nodeExporterInstallScript(args: NodeExporterInstallArgs): string {
  const dropIn = nodeExporterDropIn(args.listenAddress);
  return [
    ROOT_WITHOUT_SUDO,
    ...PROLOGUE,
    ...ENSURE_DIR_FUNCTION,
    ...checkRelease(),
    ...stage("fortress.conf", dropIn, "FORTRESS_NODE_EXPORTER_DROP_IN"),
    `place "$work/fortress.conf" ${NODE_EXPORTER_DROP_IN} 644 root root`,
    'if [ -n "$changed" ]; then sudo systemctl daemon-reload; fi',
    ...packageByRelease(),
    `ensure_dir 755 root root ${TEXTFILE_DIR}`,
    `sudo systemctl enable ${NODE_EXPORTER_UNIT} >/dev/null 2>&1`,
    `if [ -n "$changed" ]; then sudo systemctl restart ${NODE_EXPORTER_UNIT}; else sudo systemctl start ${NODE_EXPORTER_UNIT}; fi`,
    `for _ in $(seq 1 ${ACTIVE_ATTEMPTS}); do`,
    `  if systemctl is-active --quiet ${NODE_EXPORTER_UNIT}; then exit 0; fi`,
    `  sleep ${ACTIVE_INTERVAL_S}`,
    "done",
    `echo "${NODE_EXPORTER_UNIT} on $(hostname) is not active after ${ACTIVE_ATTEMPTS * ACTIVE_INTERVAL_S} s" >&2`,
    `sudo journalctl -u ${NODE_EXPORTER_UNIT} -n 20 --no-pager >&2 || true`,
    "exit 1",
  ].join("\n");
}
