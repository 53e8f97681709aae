/**
 * The shell script that installs and configures Zeek on the sensor VM over SSH, rendered by a pure
 * function (house style: components/siem/manager/install.ts). In order: the security:zeek apt repository,
 * its key accepted only with the pinned fingerprint; Zeek, ZeekControl and ethtool at pinned versions,
 * held; the `zeek` system user; logs and spool on the data disk; the rendered files, each written only
 * when it differs; the units; Zeek restarted only when something changed, then checked running.
 * A re-run with the same inputs changes nothing on the host. Nothing here is secret.
 */
import { GPG_PACKAGE } from "../../siem/manager/pins";
import {
  captureNicUnit,
  cronUnits,
  networksCfg,
  nodeCfg,
  pruneScript,
  siteScript,
  ZEEK_USER,
  zeekctlCfg,
  zeekDirs,
  zeekUnit,
  type ZeekPaths,
} from "./config";
import { ZEEK_APT, ZEEK_PACKAGES, ZEEK_PREFIX } from "./pins";
import { ENSURE_LOGS_GROUP, PLACE_FUNCTION, SHIPPED_LOGS_GROUP } from "../../shipping/shell";

/** Debian 12's ethtool (`apt-cache policy ethtool` on bookworm: 1:6.1-1), for the capture NIC's offloads. */
export const ETHTOOL_PACKAGE = { name: "ethtool", version: "1:6.1-1" } as const;
export const PRUNE_COMMAND = "/usr/local/sbin/fortress-zeek-prune";
/** The data disk may be this full before the oldest archived logs go. */
export const MAX_DISK_USE_PERCENT = 80;
const READY_ATTEMPTS = 30;
const READY_INTERVAL_S = 2;

export interface ZeekInstallArgs extends ZeekPaths {
  readonly captureInterface: string;
  readonly localNets: readonly string[];
}

function heredoc(name: string, content: string, marker: string): string[] {
  if (content.includes(marker)) throw new Error(`internal: a rendered file contains ${marker}`);
  return [`cat > "$work/${name}" <<'${marker}'`, content.trimEnd(), marker];
}

/** `ln` target from ZeekControl's scripts dir to its config in the spool (zeekctl install.py `relpath`). */
function configLink(spool: string): string {
  const up = `${ZEEK_PREFIX}/share/zeekctl/scripts`.split("/").filter(Boolean).length;
  return `${"../".repeat(up)}${spool.replace(/^\//, "")}/zeekctl-config.sh`;
}

function repositoryAndPackages(): string[] {
  const packages = [...ZEEK_PACKAGES, ETHTOOL_PACKAGE];
  return [
    "export DEBIAN_FRONTEND=noninteractive",
    `if ! command -v gpg >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq ${GPG_PACKAGE.name}=${GPG_PACKAGE.version} >/dev/null; fi`,
    `curl -sfL --retry 3 -o "$work/zeek.key" '${ZEEK_APT.keyUrl}'`,
    'mkdir -p "$work/gnupg" && chmod 0700 "$work/gnupg"',
    `fprs=$(GNUPGHOME="$work/gnupg" gpg --batch --show-keys --with-colons "$work/zeek.key" 2>/dev/null | awk -F: '$1 == "pub" { primary = 1; next } $1 == "fpr" && primary { print $10; primary = 0 }')`,
    `if [ "$fprs" != '${ZEEK_APT.keyFingerprint}' ]; then`,
    `  echo "the key from ${ZEEK_APT.keyUrl} is not the security OBS Project key ${ZEEK_APT.keyFingerprint} (got: $fprs)" >&2`,
    "  exit 1",
    "fi",
    'GNUPGHOME="$work/gnupg" gpg --batch --yes --dearmor -o "$work/zeek.gpg" "$work/zeek.key"',
    `place "$work/zeek.gpg" '${ZEEK_APT.keyring}' 644 root root`,
    `echo 'deb [signed-by=${ZEEK_APT.keyring}] ${ZEEK_APT.source}' > "$work/zeek.list"`,
    `place "$work/zeek.list" '${ZEEK_APT.sourceList}' 644 root root`,
    "need_packages=''",
    ...packages.map(
      (p) =>
        `[ "$(dpkg-query -W -f='\${Version} \${db:Status-Status}' ${p.name} 2>/dev/null || true)" = '${p.version} installed' ] || need_packages=yes`,
    ),
    'if [ -n "$need_packages" ]; then',
    "  sudo apt-get update -qq",
    `  sudo apt-get install -y -qq --no-install-recommends --allow-change-held-packages ${packages.map((p) => `${p.name}=${p.version}`).join(" ")} >/dev/null`,
    '  changed="$changed packages"',
    "fi",
    `sudo apt-mark hold ${packages.map((p) => p.name).join(" ")} >/dev/null`,
  ];
}

function files(args: ZeekInstallArgs): string[] {
  const dirs = zeekDirs(args);
  const cron = cronUnits(PRUNE_COMMAND);
  const units: [string, string][] = [
    ["fortress-zeek-capture-nic.service", captureNicUnit(args.captureInterface)],
    ["zeek.service", zeekUnit()],
    ["zeek-cron.service", cron.service],
    ["zeek-cron.timer", cron.timer],
  ];
  return [
    `mountpoint -q '${args.dataMount}' || { echo "${args.dataMount} is not mounted: Zeek keeps its logs on the data disk" >&2; exit 1; }`,
    `id -u ${ZEEK_USER} >/dev/null 2>&1 || sudo useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin ${ZEEK_USER}`,
    // Group fortress-logs (setgid, so Zeek's files inherit it): the shipper's Vector reads the live
    // logs, which zeekctl keeps in the spool (logs/current links there), and nothing else.
    ENSURE_LOGS_GROUP,
    ...[dirs.root, dirs.logs, dirs.spool].map(
      (dir) => `sudo install -d -m 2750 -o ${ZEEK_USER} -g ${SHIPPED_LOGS_GROUP} '${dir}'`,
    ),
    ...heredoc("node.cfg", nodeCfg(args.captureInterface), "FORTRESS_NODE_CFG"),
    `place "$work/node.cfg" '${ZEEK_PREFIX}/etc/node.cfg' 644 root root`,
    ...heredoc("networks.cfg", networksCfg(args.localNets), "FORTRESS_NETWORKS_CFG"),
    `place "$work/networks.cfg" '${ZEEK_PREFIX}/etc/networks.cfg' 644 root root`,
    ...heredoc("zeekctl.cfg", zeekctlCfg(args), "FORTRESS_ZEEKCTL_CFG"),
    `place "$work/zeekctl.cfg" '${ZEEK_PREFIX}/etc/zeekctl.cfg' 644 root root`,
    ...heredoc("fortress.zeek", siteScript(), "FORTRESS_SITE"),
    `place "$work/fortress.zeek" '${ZEEK_PREFIX}/share/zeek/site/fortress.zeek' 644 root root`,
    // zeekctl install updates this link when it is not already right (install.py make_zeekctl_config_sh):
    // made right here as root, so the zeek user needs no write access to the package's directories.
    `sudo ln -sfn '${configLink(dirs.spool)}' '${ZEEK_PREFIX}/share/zeekctl/scripts/zeekctl-config.sh'`,
    ...heredoc("prune", pruneScript(args, MAX_DISK_USE_PERCENT), "FORTRESS_PRUNE"),
    `place "$work/prune" '${PRUNE_COMMAND}' 755 root root`,
    ...units.flatMap(([name, content], index) => [
      ...heredoc(name, content, `FORTRESS_UNIT_${index}`),
      `place "$work/${name}" '/etc/systemd/system/${name}' 644 root root`,
    ]),
  ];
}

export function installScript(args: ZeekInstallArgs): string {
  return [
    "set -eu",
    "cloud-init status --wait >/dev/null 2>&1 || true",
    "work=$(sudo mktemp -d)",
    `trap 'sudo rm -rf "$work"' EXIT`,
    'sudo chown "$(id -u):$(id -g)" "$work"',
    'chmod 0700 "$work"',
    "changed=''",
    ...PLACE_FUNCTION,
    ...repositoryAndPackages(),
    ...files(args),
    "sudo systemctl daemon-reload",
    "sudo systemctl enable fortress-zeek-capture-nic.service zeek.service zeek-cron.timer >/dev/null 2>&1",
    'if [ -n "$changed" ]; then',
    "  sudo systemctl restart fortress-zeek-capture-nic.service zeek.service",
    "else",
    "  sudo systemctl start fortress-zeek-capture-nic.service zeek.service",
    "fi",
    "sudo systemctl start zeek-cron.timer",
    `for _ in $(seq 1 ${READY_ATTEMPTS}); do`,
    `  if sudo -u ${ZEEK_USER} ${ZEEK_PREFIX}/bin/zeekctl status 2>/dev/null | grep -q ' running '; then exit 0; fi`,
    `  sleep ${READY_INTERVAL_S}`,
    "done",
    `echo "Zeek on $(hostname) is not running after ${READY_ATTEMPTS * READY_INTERVAL_S} s:" >&2`,
    `sudo -u ${ZEEK_USER} ${ZEEK_PREFIX}/bin/zeekctl status >&2 || true`,
    "exit 1",
  ].join("\n");
}
