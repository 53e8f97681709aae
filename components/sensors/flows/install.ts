/**
 * The firewall's NetFlow collector on the Zeek VM, installed over SSH by a script rendered here (house
 * style: components/siem/manager/install.ts):
 * 1. Debian's nfdump, pinned and held (bookworm: 1.7.1-2+deb12u1);
 * 2. Debian's own nfcapd instance switched off: the package's generator starts `nfdump@<name>` for each
 *    /etc/nfdump/<name>.conf with `options` set, and ships default.conf listening on 2055 as root
 *    (/lib/systemd/system-generators/nfdump-generator, nfdump@.service); default.conf is replaced by one
 *    without options;
 * 3. a system user `fortress-flows` running nfcapd (an unprivileged port, no root needed) and the
 *    converter; the stream directory owned by it, group SHIPPED_LOGS_GROUP (setgid), files 0640;
 * 4. nfcapd as `fortress-nfcapd.service`: bound to the VM's address, one `-n ident,IP,dir` per firewall
 *    address so that packets from any other sender are dropped ("Unknown flow source",
 *    phaag/nfdump@v1.7.1 src/collector/collector_inline.c `GetFlowSource`), files rotated every
 *    5 minutes (`-t`), LZ4-compressed (`-y`), expired at each rotation (`-e`) by the limits
 *    `nfexpire -u` keeps in each directory's .nfstat (nfexpire(1)): the data directory is bounded;
 * 5. the converter (converter.ts) every minute by a timer, into the stream directory the shipper reads.
 * A re-run with the same inputs changes nothing on the host.
 */
import {
  ENSURE_DIR_FUNCTION,
  ENSURE_LOGS_GROUP,
  pinnedPackages,
  PROLOGUE,
  SHIPPED_LOGS_GROUP,
  stage,
} from "../../shipping/shell";
import { CONVERTER_PROGRAM } from "./converter";

/** bookworm's nfdump (`apt-cache policy nfdump` on Debian 12: 1.7.1-2+deb12u1, bookworm/main). */
export const NFDUMP_PACKAGE = { name: "nfdump", version: "1.7.1-2+deb12u1" } as const;

export const FLOW_USER = "fortress-flows";
export const FLOW_PATHS = {
  home: "/var/lib/fortress-flows",
  /** nfcapd's files, one directory per flow source. */
  data: "/var/lib/fortress-flows/nfcapd",
  state: "/var/lib/fortress-flows/converted",
  /** The JSON lines the shipper reads. */
  stream: "/var/log/fortress/netflow",
  converter: "/usr/local/lib/fortress/nfcapd-to-json",
  nfcapdUnit: "/etc/systemd/system/fortress-nfcapd.service",
  converterUnit: "/etc/systemd/system/fortress-flows-json.service",
  converterTimer: "/etc/systemd/system/fortress-flows-json.timer",
  debianDefaultConf: "/etc/nfdump/default.conf",
} as const;

/** The glob the shipper's stream reads. */
export const FLOW_STREAM_GLOB = `${FLOW_PATHS.stream}/*.json`;

export interface FlowRetention {
  /** Most bytes of flow files kept, all sources together (nfexpire -s). */
  readonly maxSizeMb: number;
  /** Most days kept (nfexpire -t). */
  readonly maxDays: number;
  /** Hours a converted JSON file stays for the shipper. */
  readonly jsonHours: number;
}

export const DEFAULT_FLOW_RETENTION: FlowRetention = { maxSizeMb: 2048, maxDays: 14, jsonHours: 24 };

export interface NfcapdSpec {
  /** The address nfcapd binds to (the VM's). */
  readonly bindAddress: string;
  readonly port: number;
  /** The firewall addresses allowed to send. */
  readonly sources: readonly string[];
  /** Where the per-source directories are. */
  readonly dataDir: string;
  /** Seconds between rotations (300 in production, nfcapd's default). */
  readonly rotateSeconds?: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+$/;
const isAddress = (value: string) => IPV4.test(value) || (IPV6.test(value) && value.includes(":"));

/** The flow source's name nfcapd records (`-n ident,…`) and its directory. */
export const sourceIdent = (index: number) => `fw${index}`;

/** nfcapd's arguments, in the foreground (no -D), as the unit and the tests run it. */
export function nfcapdArguments(spec: NfcapdSpec): string[] {
  if (!isAddress(spec.bindAddress)) throw new Error(`flows: ${spec.bindAddress} is no address to bind`);
  if (!Number.isInteger(spec.port) || spec.port < 1024 || spec.port > 65535)
    throw new Error(`flows: ${spec.port} is no unprivileged UDP port`);
  if (spec.sources.length === 0) throw new Error("flows: no firewall address may send flows");
  for (const source of spec.sources)
    if (!isAddress(source)) throw new Error(`flows: ${source} is no firewall address`);
  if (new Set(spec.sources).size !== spec.sources.length) throw new Error("flows: a source repeats");
  if (!/^\/[\w./-]+$/.test(spec.dataDir)) throw new Error(`flows: ${spec.dataDir} is no data directory`);
  const rotate = spec.rotateSeconds ?? 300;
  if (!Number.isInteger(rotate) || rotate < 2)
    throw new Error("flows: nfcapd rotates every 2 s at the least");
  return [
    "-b",
    spec.bindAddress,
    spec.bindAddress.includes(":") ? "-6" : "-4",
    "-p",
    String(spec.port),
    "-t",
    String(rotate),
    "-y",
    "-e",
    ...spec.sources.flatMap((source, index) => [
      "-n",
      `${sourceIdent(index)},${source},${spec.dataDir}/${sourceIdent(index)}`,
    ]),
  ];
}

export function nfcapdUnit(spec: NfcapdSpec): string {
  return [
    "[Unit]",
    "Description=Fortress: nfcapd, the firewall's NetFlow collector",
    "Documentation=man:nfcapd(1)",
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    `User=${FLOW_USER}`,
    `Group=${FLOW_USER}`,
    `ExecStart=/usr/bin/nfcapd ${nfcapdArguments(spec).join(" ")}`,
    "Restart=on-failure",
    "RestartSec=5",
    "UMask=0027",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    `ReadWritePaths=${spec.dataDir}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

export function converterUnits(retention: FlowRetention): { service: string; timer: string } {
  const service = [
    "[Unit]",
    "Description=Fortress: nfcapd's rotated files to JSON lines for the shipper",
    "",
    "[Service]",
    "Type=oneshot",
    `User=${FLOW_USER}`,
    `Group=${SHIPPED_LOGS_GROUP}`,
    "Environment=TZ=UTC",
    "UMask=0027",
    `ExecStart=${FLOW_PATHS.converter} ${FLOW_PATHS.data} ${FLOW_PATHS.stream} ${FLOW_PATHS.state} ${retention.jsonHours}`,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    `ReadWritePaths=${FLOW_PATHS.stream} ${FLOW_PATHS.home}`,
    "",
  ].join("\n");
  const timer = [
    "[Unit]",
    "Description=Fortress: convert nfcapd's rotated files every minute",
    "",
    "[Timer]",
    "OnBootSec=1min",
    "OnUnitActiveSec=1min",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
  return { service, timer };
}

/** Debian's default.conf without options: its generator then starts no instance of its own. */
export const DEBIAN_DEFAULT_CONF = [
  "# Fortress: nfcapd runs as fortress-nfcapd.service; no instance of Debian's nfdump@.service.",
  "options=''",
  "",
].join("\n");

export interface FlowInstallArgs {
  readonly nfcapd: Omit<NfcapdSpec, "dataDir">;
  readonly retention?: FlowRetention;
}

function checkRetention(retention: FlowRetention): void {
  for (const [what, value] of Object.entries(retention))
    if (!(typeof value === "number" && value > 0 && Number.isFinite(value)))
      throw new Error(`flows: retention ${what} must be positive`);
}

export function flowInstallScript(args: FlowInstallArgs): string {
  const retention = args.retention ?? DEFAULT_FLOW_RETENTION;
  checkRetention(retention);
  const spec: NfcapdSpec = { ...args.nfcapd, dataDir: FLOW_PATHS.data };
  const { service, timer } = converterUnits(retention);
  const perSourceMb = Math.max(1, Math.floor(retention.maxSizeMb / spec.sources.length));
  const sourceDirs = spec.sources.map((_, index) => `${FLOW_PATHS.data}/${sourceIdent(index)}`);
  return [
    ...PROLOGUE,
    ...ENSURE_DIR_FUNCTION,
    "if ! command -v python3 >/dev/null 2>&1; then echo 'python3 is missing (the converter needs it)' >&2; exit 1; fi",
    // 1. nfdump, pinned and held.
    ...pinnedPackages([NFDUMP_PACKAGE]),
    // 2. Debian's own instance off.
    ...stage("default.conf", DEBIAN_DEFAULT_CONF, "FORTRESS_NFDUMP_DEFAULT"),
    `place "$work/default.conf" ${FLOW_PATHS.debianDefaultConf} 644 root root`,
    "sudo systemctl disable --now nfdump@default.service >/dev/null 2>&1 || true",
    // 3. The user, the group, the directories.
    ENSURE_LOGS_GROUP,
    `id -u ${FLOW_USER} >/dev/null 2>&1 || sudo useradd --system --user-group --home-dir ${FLOW_PATHS.home} --shell /usr/sbin/nologin ${FLOW_USER}`,
    `ensure_dir 750 ${FLOW_USER} ${FLOW_USER} ${FLOW_PATHS.home} ${FLOW_PATHS.data} ${sourceDirs.join(" ")}`,
    "ensure_dir 755 root root /var/log/fortress",
    `ensure_dir 2750 ${FLOW_USER} ${SHIPPED_LOGS_GROUP} ${FLOW_PATHS.stream}`,
    // nfcapd's expiry limits, per source directory (idempotent: nfexpire -u rewrites the same values).
    ...sourceDirs.map(
      (dir) =>
        `sudo -u ${FLOW_USER} nfexpire -u ${dir} -s ${perSourceMb}M -t ${retention.maxDays}d -w 90 >/dev/null`,
    ),
    // 4. and 5. The converter and the units.
    ...stage("nfcapd-to-json", CONVERTER_PROGRAM, "FORTRESS_FLOWS_CONVERTER"),
    `place "$work/nfcapd-to-json" ${FLOW_PATHS.converter} 755 root root`,
    ...stage("fortress-nfcapd.service", nfcapdUnit(spec), "FORTRESS_NFCAPD_UNIT"),
    `place "$work/fortress-nfcapd.service" ${FLOW_PATHS.nfcapdUnit} 644 root root`,
    ...stage("fortress-flows-json.service", service, "FORTRESS_FLOWS_SERVICE"),
    `place "$work/fortress-flows-json.service" ${FLOW_PATHS.converterUnit} 644 root root`,
    ...stage("fortress-flows-json.timer", timer, "FORTRESS_FLOWS_TIMER"),
    `place "$work/fortress-flows-json.timer" ${FLOW_PATHS.converterTimer} 644 root root`,
    "sudo systemctl daemon-reload",
    "sudo systemctl enable fortress-nfcapd.service fortress-flows-json.timer >/dev/null 2>&1",
    'if [ -n "$changed" ]; then sudo systemctl restart fortress-nfcapd.service; else sudo systemctl start fortress-nfcapd.service; fi',
    "sudo systemctl start fortress-flows-json.timer",
    "for _ in $(seq 1 15); do",
    `  if systemctl is-active --quiet fortress-nfcapd.service && ss -Hlun "sport = :${spec.port}" | grep -q .; then exit 0; fi`,
    "  sleep 2",
    "done",
    `echo "nfcapd on $(hostname) does not listen on udp/${spec.port}" >&2`,
    "sudo journalctl -u fortress-nfcapd.service -n 20 --no-pager >&2 || true",
    "exit 1",
  ].join("\n");
}
