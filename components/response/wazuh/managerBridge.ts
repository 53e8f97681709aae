/**
 * The manager's side of Wazuh → TheHive, as one SSH step (the house style of
 * components/siem/manager/manager.ts: a script rendered by a pure function, the host key pinned, the
 * secret on stdin, `logging: "none"`): the integration script where integratord runs it
 * (/var/ossec/integrations/custom-thehive, root:wazuh 0750 like the package's own integrations:
 * wazuh/wazuh@v4.14.6 src/init/inst-functions.sh), the CA that signed TheHive's certificate, and the
 * service account's API key (root:wazuh 0640: integratord runs integrations as the wazuh group).
 *
 * integratord looks for each integration's file once, when it starts, and disables for good one whose
 * file is missing ("Unable to enable integration for: '%s'. File not found inside '%s'.":
 * src/os_integrator/integrator.c). The `<integration>` blocks reach ossec.conf through the siem layer,
 * before this step, so a manager started then has the block and no script. Hence: a file is installed
 * only when its content differs, and when the script was replaced — or integratord, still running, was
 * started before the script's last change (a run that failed between the two) — the manager is
 * reloaded: `systemctl reload wazuh-manager` runs `wazuh-control reload` (src/init/templates/
 * wazuh-manager.service ExecReload), which restarts every daemon but wazuh-execd
 * (src/init/wazuh-server.sh: `reload` drops wazuh-execd from DAEMONS before restart_service, and
 * start_service skips a daemon still running), so the active responses' timers (containments) live
 * on. The key and the CA need no restart: the script reads them at each alert.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { type SshHost, sshConnection } from "../../siem/contract";
import {
  THEHIVE_CA_FILE,
  THEHIVE_INTEGRATION_PATH,
  THEHIVE_KEY_FILE,
  theHiveIntegrationScript,
} from "./integration";

const QUOTABLE_PATH = /^\/[A-Za-z0-9/._-]+$/;
/** integratord's pid file (wazuh-server.sh pstatus: var/run/<daemon>-<pid>.pid under the install dir). */
const INTEGRATORD_PIDS = "/var/ossec/var/run/wazuh-integratord-*.pid";

const quotable = (path: string): string => {
  if (!QUOTABLE_PATH.test(path)) throw new Error(`internal: ${path} cannot be quoted`);
  return path;
};

/** Stage `content` in the work directory (base64, so no quoting or here-document can break it). */
function stage(name: string, content: string): string {
  const encoded = Buffer.from(content, "utf8").toString("base64");
  return `printf '%s' '${encoded}' | base64 -d > "$work/${name}"`;
}

/**
 * The step's script, run as the VM's admin user with sudo like the manager's install: the key comes
 * on stdin (one line) into a 0700 staging directory, never into the script or a command line.
 * `root` prefixes every path (tests run the script in a scratch directory; empty on the manager).
 */
export function managerBridgeScript(
  caCertificatePem: string,
  script = theHiveIntegrationScript(),
  root = "",
): string {
  if (!caCertificatePem.includes("-----BEGIN CERTIFICATE-----"))
    throw new Error("the CA of TheHive's certificate is not a PEM certificate");
  const at = (path: string) => quotable(`${root}${path}`);
  const dir = THEHIVE_KEY_FILE.slice(0, THEHIVE_KEY_FILE.lastIndexOf("/"));
  return [
    "#!/bin/sh",
    "# Rendered by Fortress (components/response/wazuh/managerBridge.ts).",
    "set -eu",
    "umask 077",
    "work=$(mktemp -d)",
    `trap 'rm -rf "$work"' EXIT`,
    "getent group wazuh >/dev/null || { echo 'no wazuh group: is wazuh-manager installed?' >&2; exit 1; }",
    "IFS= read -r key || true",
    'if [ -z "$key" ]; then echo "no TheHive API key on stdin" >&2; exit 1; fi',
    `printf '%s\n' "$key" > "$work/thehive.key"`,
    "unset key",
    stage("thehive-ca.pem", caCertificatePem),
    stage("custom-thehive", script),
    `sudo install -d -o root -g wazuh -m 0750 '${at(dir)}'`,
    "# place NAME PATH MODE: install the staged file only when its content differs; owner and mode always.",
    "place() {",
    '  if sudo cmp -s "$work/$1" "$2"; then',
    '    sudo chown root:wazuh "$2"',
    '    sudo chmod "$3" "$2"',
    "    return 1",
    "  fi",
    '  sudo install -o root -g wazuh -m "$3" "$work/$1" "$2"',
    '  echo "installed $2"',
    "}",
    `place thehive.key '${at(THEHIVE_KEY_FILE)}' 0640 || true`,
    `place thehive-ca.pem '${at(THEHIVE_CA_FILE)}' 0644 || true`,
    "reload=",
    `if place custom-thehive '${at(THEHIVE_INTEGRATION_PATH)}' 0750; then reload="the integration script changed"; fi`,
    "# integratord, if it runs, must have started after the script's last change (it checks once).",
    "# var/run is root:wazuh 0770 (src/init/inst-functions.sh): listed and read with sudo.",
    `for pidfile in $(sudo find '${at(INTEGRATORD_PIDS.slice(0, INTEGRATORD_PIDS.lastIndexOf("/")))}' -maxdepth 1 -name 'wazuh-integratord-*.pid'); do`,
    '  pid=$(sudo cat "$pidfile")',
    '  age=$(ps -o etimes= -p "$pid" | tr -d " ") || continue',
    '  [ -n "$age" ] || continue',
    `  if [ $(( $(date +%s) - age )) -lt "$(sudo stat -c %Y '${at(THEHIVE_INTEGRATION_PATH)}')" ]; then`,
    '    reload="${reload:-integratord started before the integration script was in place}"',
    "  fi",
    "done",
    'if [ -n "$reload" ]; then',
    "  if systemctl is-active --quiet wazuh-manager; then",
    '    echo "reloading wazuh-manager ($reload): every daemon but wazuh-execd restarts"',
    "    sudo systemctl reload wazuh-manager",
    "  else",
    "    echo 'wazuh-manager is not running: it finds the script when it starts'",
    "  fi",
    "fi",
    "echo 'Wazuh -> TheHive: integration, CA and key in place'",
    "",
  ].join("\n");
}

export interface ManagerBridgeArgs {
  readonly host: SshHost;
  /** The Wazuh service account's API key (read from TheHive.wazuhBridge.keySecret once `ready`). */
  readonly key: pulumi.Input<string>;
  readonly caCertificatePem: pulumi.Input<string>;
}

export function managerBridge(
  name: string,
  args: ManagerBridgeArgs,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const script = pulumi.output(args.caCertificatePem).apply((pem) => managerBridgeScript(pem));
  return new command.remote.Command(
    name,
    {
      connection: sshConnection(args.host),
      create: script,
      stdin: pulumi.secret(pulumi.interpolate`${args.key}\n`),
      logging: "none",
      // A new key or script is a new run; the key's digest stays out of the state's plain fields.
      triggers: [script, pulumi.secret(args.key)],
    },
    { ...opts, additionalSecretOutputs: ["stdin"] },
  );
}
