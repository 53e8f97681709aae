/**
 * Zeek's files on the sensor VM, rendered by pure functions: ZeekControl's node.cfg, networks.cfg and
 * zeekctl.cfg, Fortress's site script, the systemd units that run it as the unprivileged `zeek` user,
 * and the pruning script that keeps the logs within the data disk.
 */
import { ZEEK_PREFIX } from "./pins";
import { parseCidr } from "../../../vocabulary/addresses";

export const ZEEK_USER = "zeek";

export interface ZeekPaths {
  /** The data disk's mount point (components/cloud-init/userData.ts DATA_MOUNT). */
  readonly dataMount: string;
}

export const zeekDirs = (paths: ZeekPaths) => ({
  root: `${paths.dataMount}/zeek`,
  logs: `${paths.dataMount}/zeek/logs`,
  spool: `${paths.dataMount}/zeek/spool`,
});

/**
 * Where the live JSON logs are (conn.log, dns.log, …): ZeekControl's LogDir/current, a symlink to the
 * standalone node's spool directory; rotated logs move to LogDir/<date>/ (zeekctl archive-log).
 */
export const liveLogDir = (paths: ZeekPaths) => `${zeekDirs(paths).logs}/current`;

/**
 * One standalone Zeek on the capture NIC through AF_PACKET, which is built into Zeek since 5.2
 * (zeek/zeek-af_packet-plugin README: `interface=af_packet::<if>`).
 */
export function nodeCfg(captureInterface: string): string {
  if (!/^[a-z0-9]+$/.test(captureInterface)) throw new Error(`internal: interface ${captureInterface}`);
  return ["[zeek]", "type=standalone", "host=localhost", `interface=af_packet::${captureInterface}`, ""].join(
    "\n",
  );
}

/** Site::local_nets: the lab's networks (zeekctl install.py `read_networks`: "<cidr> <tag>" a line). */
export function networksCfg(localNets: readonly string[]): string {
  if (localNets.length === 0) throw new Error("the Zeek sensor needs the lab's networks as local networks");
  for (const cidr of localNets) if (!parseCidr(cidr)) throw new Error(`not a CIDR: ${cidr}`);
  return [...localNets.map((cidr) => `${cidr}\tFortress lab network`), ""].join("\n");
}

/**
 * ZeekControl's settings: logs and spool on the data disk, hourly rotation, no mail, no expiry by age
 * (the prune timer bounds the logs by disk use instead), and Fortress's site script after local.zeek.
 */
export function zeekctlCfg(paths: ZeekPaths): string {
  const dirs = zeekDirs(paths);
  return [
    "# Written by Fortress; changes here are overwritten.",
    "SendMail =",
    "MailConnectionSummary = 0",
    "MinDiskSpace = 10",
    "LogRotationInterval = 3600",
    "LogExpireInterval = 0",
    "StatsLogExpireInterval = 0",
    `LogDir = ${dirs.logs}`,
    `SpoolDir = ${dirs.spool}`,
    "SitePolicyScripts = local.zeek fortress.zeek",
    "",
  ].join("\n");
}

/** JSON logs (policy/tuning/json-logs.zeek sets LogAscii::use_json=T). */
export function siteScript(): string {
  return ["# Written by Fortress.", "@load policy/tuning/json-logs.zeek", ""].join("\n");
}

/** The capture NIC up, no address, offloads off (the AF_PACKET README's list); run as root before Zeek. */
export function captureNicUnit(captureInterface: string): string {
  const offloads = ["rx", "tx", "sg", "tso", "gso", "gro", "lro"];
  return [
    "[Unit]",
    "Description=Fortress: the Zeek capture NIC up, without an address, offloads off",
    "Before=zeek.service",
    `After=sys-subsystem-net-devices-${captureInterface}.device`,
    `BindsTo=sys-subsystem-net-devices-${captureInterface}.device`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/usr/sbin/ip link set dev ${captureInterface} up`,
    // A feature the virtio NIC has fixed cannot be changed: the leading "-" lets that one pass.
    ...offloads.map((offload) => `ExecStart=-/usr/sbin/ethtool -K ${captureInterface} ${offload} off`),
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/**
 * The hardening both Zeek units share: the `zeek` user with CAP_NET_RAW only (AF_PACKET needs it; the
 * plugin enters promiscuous mode with PACKET_ADD_MEMBERSHIP, which needs no CAP_NET_ADMIN: its README,
 * "Permissions"). Ambient, so that the zeek processes ZeekControl starts inherit it.
 */
const UNPRIVILEGED = [
  `User=${ZEEK_USER}`,
  `Group=${ZEEK_USER}`,
  "AmbientCapabilities=CAP_NET_RAW",
  "CapabilityBoundingSet=CAP_NET_RAW",
  "NoNewPrivileges=yes",
  "ProtectSystem=full",
  "ProtectHome=yes",
  "PrivateTmp=yes",
];

export function zeekUnit(): string {
  return [
    "[Unit]",
    "Description=Zeek network security monitor (Fortress)",
    "Requires=fortress-zeek-capture-nic.service",
    "After=fortress-zeek-capture-nic.service network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    ...UNPRIVILEGED,
    `ExecStart=${ZEEK_PREFIX}/bin/zeekctl deploy`,
    `ExecStop=${ZEEK_PREFIX}/bin/zeekctl stop`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** `zeekctl cron` (restarts a crashed node, archives rotated logs) and then the prune, every 5 minutes. */
export function cronUnits(pruneCommand: string): { service: string; timer: string } {
  return {
    service: [
      "[Unit]",
      "Description=ZeekControl's housekeeping and Fortress's log pruning",
      "After=zeek.service",
      "",
      "[Service]",
      "Type=oneshot",
      ...UNPRIVILEGED,
      `ExecStart=${ZEEK_PREFIX}/bin/zeekctl cron`,
      `ExecStart=${pruneCommand}`,
      "",
    ].join("\n"),
    timer: [
      "[Unit]",
      "Description=ZeekControl's housekeeping every 5 minutes",
      "",
      "[Timer]",
      "OnBootSec=5min",
      "OnUnitActiveSec=5min",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "",
    ].join("\n"),
  };
}

/**
 * Deletes the oldest archived day directories (LogDir/YYYY-MM-DD) while the data disk is fuller than
 * `maxUsePercent`: the logs stay within the disk whatever the traffic. The live logs are never touched.
 */
export function pruneScript(paths: ZeekPaths, maxUsePercent: number): string {
  if (!Number.isInteger(maxUsePercent) || maxUsePercent < 10 || maxUsePercent > 95)
    throw new Error("maxUsePercent must be an integer from 10 to 95");
  const { logs } = zeekDirs(paths);
  return [
    "#!/bin/bash",
    "# Fortress: keeps Zeek's archived logs within the data disk.",
    "set -euo pipefail",
    `logs=${logs}`,
    `max=${maxUsePercent}`,
    'used() { df --output=pcent "$logs" | tail -n 1 | tr -dc 0-9; }',
    'while [ "$(used)" -gt "$max" ]; do',
    '  oldest=$(find "$logs" -mindepth 1 -maxdepth 1 -type d -regex ".*/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]" | sort | sed -n 1p)',
    '  [ -n "$oldest" ] || { echo "fortress-zeek-prune: $logs is over ${max}% with no archive left to delete" >&2; exit 0; }',
    '  rm -rf -- "$oldest"',
    '  echo "fortress-zeek-prune: deleted $oldest"',
    "done",
    "",
  ].join("\n");
}
