/**
 * Containment on the Wazuh manager as one SSH step (the house style of
 * components/response/wazuh/managerBridge.ts: a script rendered by a pure function, the host key
 * pinned, secrets on stdin, `logging: "none"`). It installs:
 * - fortress-contain (/usr/local/sbin, root 0755: no secret in it) and its root-only configuration
 *   /etc/fortress/contain.json (0600), which holds the containment key's secret: it comes on stdin,
 *   never in the script or on a command line;
 * - the active response where execd runs it, /var/ossec/active-response/bin/fortress-contain-ar
 *   (root:wazuh 0750, like the package's own: wazuh/wazuh@v4.14.6 src/init/inst-functions.sh); execd
 *   runs it as root with the wazuh group (src/os_execd/main.c sets the group only), so it reads
 *   contain.json;
 * - the records directory (/var/lib/fortress-contain, root 0700) and the fortress-contain-expire
 *   service and timer, which release expired containments every minute;
 * - with the rescan: the manager's rescan key (root 0600, on stdin) and the Greenbone VM's host key
 *   pinned in its own known_hosts; without it, neither (removed if there).
 * Re-runnable: every file is installed whole again, the timer enabled again; nothing of Wazuh restarts
 * (execd runs the script afresh for each alert). The `<command>`/`<active-response>` blocks reach
 * ossec.conf through the siem layer: WazuhManagerArgs.commands gets CONTAIN_COMMAND and
 * activeResponses gets containResponse() (components/siem/manager/ossecConf.ts).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { NODE_EXPORTER_TEXTFILE_DIR } from "../../../vocabulary/monitoring";
import { type SshHost, sshConnection } from "../../siem/contract";
import {
  CONTAIN_PATHS,
  type ContainConfigInput,
  containActiveResponse,
  containProgram,
  EXPIRE_UNIT,
  renderContainConfig,
} from "./program";
import { knownHostsLine, RESCAN_KEY_PATH, RESCAN_KNOWN_HOSTS_PATH, rescanArgv } from "./rescanAccess";

/** Where the firewall's CA goes on the manager, when the caller gives one. */
export const FIREWALL_CA_PATH = "/etc/fortress/opnsense-ca.pem";

/** The expiry service and timer: `fortress-contain expire` every minute (and a minute after boot). */
export function expireUnits(): { service: string; timer: string } {
  return {
    service: [
      "[Unit]",
      "Description=Fortress: release contained hosts whose containment has expired",
      "Wants=network-online.target",
      "After=network-online.target",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${CONTAIN_PATHS.program} --by ${EXPIRE_UNIT} expire`,
      "",
    ].join("\n"),
    timer: [
      "[Unit]",
      "Description=Fortress: release expired containments every minute",
      "",
      "[Timer]",
      "OnBootSec=1min",
      "OnUnitActiveSec=1min",
      "AccuracySec=5s",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "",
    ].join("\n"),
  };
}

const QUOTABLE = /^\/[A-Za-z0-9/._-]+$/;

function stage(name: string, content: string): string {
  return `printf '%s' '${Buffer.from(content, "utf8").toString("base64")}' | base64 -d > "$work/${name}"`;
}

function place(name: string, path: string, mode: string, group = "root"): string {
  if (!QUOTABLE.test(path)) throw new Error(`internal: ${path} cannot be quoted`);
  return `sudo install -o root -g ${group} -m ${mode} "$work/${name}" '${path}'`;
}

export interface ManagerScriptInput {
  /** The Greenbone VM's known_hosts line (knownHostsLine); absent: no rescan, its files removed. */
  readonly knownHosts?: string;
  /** The firewall's CA (PEM), installed at FIREWALL_CA_PATH. */
  readonly firewallCaPem?: string;
  readonly program?: string;
  readonly activeResponse?: string;
  /**
   * Whether the script ends with `fortress-contain preflight` (default: yes, always in a deployment).
   * The sandbox tests of the install itself have no firewall to prove the key on.
   */
  readonly preflight?: boolean;
}

/**
 * The step's script, run as the VM's admin user with sudo. Stdin: contain.json in base64 on the first
 * line, the rescan key in base64 on the second (empty without the rescan).
 */
export function containmentInstallScript(input: ManagerScriptInput = {}): string {
  const units = expireUnits();
  const dir = CONTAIN_PATHS.config.slice(0, CONTAIN_PATHS.config.lastIndexOf("/"));
  if (input.firewallCaPem !== undefined && !input.firewallCaPem.includes("-----BEGIN CERTIFICATE-----"))
    throw new Error("the firewall's CA is not a PEM certificate");
  // With the rescan, its key is read and checked before anything is touched.
  const readKey = input.knownHosts
    ? ["IFS= read -r key || true", 'if [ -z "$key" ]; then echo "no rescan key on stdin" >&2; exit 1; fi']
    : [];
  const rescan = input.knownHosts
    ? [
        `printf '%s' "$key" | base64 -d > "$work/rescan.key"`,
        "unset key",
        stage("known_hosts", input.knownHosts),
        place("rescan.key", RESCAN_KEY_PATH, "0600"),
        place("known_hosts", RESCAN_KNOWN_HOSTS_PATH, "0644"),
      ]
    : [`sudo rm -f '${RESCAN_KEY_PATH}' '${RESCAN_KNOWN_HOSTS_PATH}'`];
  return [
    "#!/bin/sh",
    "# Rendered by Fortress (components/response/containment/onManager.ts).",
    "set -eu",
    "umask 077",
    "IFS= read -r config || true",
    'if [ -z "$config" ]; then echo "no contain.json on stdin" >&2; exit 1; fi',
    ...readKey,
    "work=$(mktemp -d)",
    `trap 'rm -rf "$work"' EXIT`,
    "getent group wazuh >/dev/null || { echo 'no wazuh group: is wazuh-manager installed?' >&2; exit 1; }",
    "command -v python3 >/dev/null || { echo 'no python3 on the manager' >&2; exit 1; }",
    `printf '%s' "$config" | base64 -d > "$work/contain.json"`,
    "unset config",
    `python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/contain.json"`,
    stage("fortress-contain", input.program ?? containProgram()),
    stage("fortress-contain-ar", input.activeResponse ?? containActiveResponse()),
    stage("expire.service", units.service),
    stage("expire.timer", units.timer),
    ...(input.firewallCaPem ? [stage("opnsense-ca.pem", input.firewallCaPem)] : []),
    `sudo install -d -o root -g root -m 0700 '${dir}' '${CONTAIN_PATHS.stateDir}'`,
    place("contain.json", CONTAIN_PATHS.config, "0600"),
    ...(input.firewallCaPem ? [place("opnsense-ca.pem", FIREWALL_CA_PATH, "0644")] : []),
    place("fortress-contain", CONTAIN_PATHS.program, "0755"),
    place("fortress-contain-ar", CONTAIN_PATHS.activeResponse, "0750", "wazuh"),
    ...rescan,
    place("expire.service", `/etc/systemd/system/${EXPIRE_UNIT}.service`, "0644"),
    place("expire.timer", `/etc/systemd/system/${EXPIRE_UNIT}.timer`, "0644"),
    "sudo systemctl daemon-reload",
    `sudo systemctl enable --now ${EXPIRE_UNIT}.timer >/dev/null 2>&1`,
    // The key reaches alias_util and kill_states and gets 403 elsewhere, or the deployment stops here.
    ...(input.preflight === false ? [] : [preflightLine()]),
    "echo 'containment: fortress-contain, its active response and the expiry timer in place'",
    "",
  ].join("\n");
}

/** The preflight, with a hint when it fails (its own reason is on stderr above it). */
function preflightLine(): string {
  return `sudo ${CONTAIN_PATHS.program} --config ${CONTAIN_PATHS.config} preflight >/dev/null || { echo 'fortress-contain preflight failed: the containment key (fortress:containmentApiKey) must hold exactly "Diagnostics: PF Table IP addresses" and "Diagnostics: Show States", and the firewall API must be reachable from the manager; run sudo ${CONTAIN_PATHS.program} preflight on the manager to see why' >&2; exit 1; }`;
}

/** ContainConfigInput with the containment key as Pulumi inputs (secrets); logging and rescan set here. */
export type ManagerContainConfig = Omit<ContainConfigInput, "key" | "secret" | "rescan" | "caFile"> & {
  readonly key: pulumi.Input<string>;
  readonly secret: pulumi.Input<string>;
};

export interface ContainmentOnManagerArgs {
  /** The Wazuh manager VM. */
  readonly host: SshHost;
  readonly config: ManagerContainConfig;
  /** The CA that signs the firewall's API certificate (absent: the system's CAs). */
  readonly firewallCaPem?: pulumi.Input<string>;
  /** The rescan hop; absent while the vuln layer's scanner is off. */
  readonly rescan?: {
    /** containmentRescanKey(...).privateKeyOpenssh */
    readonly privateKey: pulumi.Input<string>;
    readonly greenbone: { readonly address: string; readonly hostKey: pulumi.Input<string> };
    /** Scan target per network: CIDR → target name (stacks/scanTargets.ts). */
    readonly targets: Readonly<Record<string, string>>;
    readonly timeout?: number;
  };
}

export function containmentOnManager(
  name: string,
  args: ContainmentOnManagerArgs,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const { rescan } = args;
  const contained = pulumi.all([args.config.key, args.config.secret]).apply(([key, secret]) =>
    renderContainConfig({
      ...args.config,
      key,
      secret,
      logFile: args.config.logFile ?? CONTAIN_PATHS.auditLog,
      // The manager's node exporter (components/monitoring/hosts) serves the counters.
      metricsDir: args.config.metricsDir ?? NODE_EXPORTER_TEXTFILE_DIR,
      ...(args.firewallCaPem ? { caFile: FIREWALL_CA_PATH } : {}),
      ...(rescan
        ? {
            rescan: {
              argv: rescanArgv(rescan.greenbone.address),
              targets: rescan.targets,
              ...(rescan.timeout ? { timeout: rescan.timeout } : {}),
            },
          }
        : {}),
    }),
  );
  const script = pulumi
    .all([rescan ? rescan.greenbone.hostKey : "", args.firewallCaPem ?? ""])
    .apply(([hostKey, pem]) =>
      containmentInstallScript({
        ...(rescan ? { knownHosts: knownHostsLine(rescan.greenbone.address, hostKey) } : {}),
        ...(pem ? { firewallCaPem: pem } : {}),
      }),
    );
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const stdin = pulumi
    .all([contained, rescan ? rescan.privateKey : ""])
    .apply(([config, key]) => `${base64(config)}\n${key ? base64(key) : ""}\n`);
  return new command.remote.Command(
    name,
    {
      connection: sshConnection(args.host),
      create: script,
      stdin: pulumi.secret(stdin),
      logging: "none",
      // A new configuration, key or script is a new run; their text stays out of the state's plain fields.
      triggers: [script, pulumi.secret(stdin)],
    },
    { ...opts, additionalSecretOutputs: ["stdin"] },
  );
}
