/**
 * The manager's side of Wazuh → TheHive, as one SSH step (the house style of
 * components/siem/manager/manager.ts: a script rendered by a pure function, the host key pinned, the
 * secret on stdin, `logging: "none"`): the integration script where integratord runs it
 * (/var/ossec/integrations/custom-thehive, root:wazuh 0750 like the package's own integrations:
 * wazuh/wazuh@v4.14.6 src/init/inst-functions.sh), the CA that signed TheHive's certificate, and the
 * service account's API key (root:wazuh 0640: integratord runs integrations as the wazuh group).
 * Re-runnable: each file is installed whole again; nothing restarts (integratord reads the script and the
 * key at each alert; the `<integration>` blocks go into ossec.conf through WazuhManagerArgs.integrations).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { SshHost } from "../../siem/contract";
import {
  THEHIVE_CA_FILE,
  THEHIVE_INTEGRATION_PATH,
  THEHIVE_KEY_FILE,
  theHiveIntegrationScript,
} from "./integration";

const QUOTABLE_PATH = /^\/[A-Za-z0-9/._-]+$/;

/** Stage `content` in the work directory (base64, so no quoting or here-document can break it). */
function stage(name: string, content: string): string {
  const encoded = Buffer.from(content, "utf8").toString("base64");
  return `printf '%s' '${encoded}' | base64 -d > "$work/${name}"`;
}

/** Install a staged file as root:wazuh with `mode` (install(1) replaces it whole). */
function install(name: string, path: string, mode: string): string {
  if (!QUOTABLE_PATH.test(path)) throw new Error(`internal: ${path} cannot be quoted`);
  return `sudo install -o root -g wazuh -m ${mode} "$work/${name}" '${path}'`;
}

/**
 * The step's script, run as the VM's admin user with sudo like the manager's install: the key comes
 * on stdin (one line) into a 0700 staging directory, never into the script or a command line.
 */
export function managerBridgeScript(caCertificatePem: string, script = theHiveIntegrationScript()): string {
  if (!caCertificatePem.includes("-----BEGIN CERTIFICATE-----"))
    throw new Error("the CA of TheHive's certificate is not a PEM certificate");
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
    `sudo install -d -o root -g wazuh -m 0750 '${dir}'`,
    install("thehive.key", THEHIVE_KEY_FILE, "0640"),
    install("thehive-ca.pem", THEHIVE_CA_FILE, "0644"),
    install("custom-thehive", THEHIVE_INTEGRATION_PATH, "0750"),
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
      connection: {
        host: args.host.address,
        user: args.host.user,
        privateKey: pulumi.secret(args.host.privateKey),
        hostKey: args.host.hostKey,
      },
      create: script,
      stdin: pulumi.secret(pulumi.interpolate`${args.key}\n`),
      logging: "none",
      // A new key or script is a new run; the key's digest stays out of the state's plain fields.
      triggers: [script, pulumi.secret(args.key)],
    },
    { ...opts, additionalSecretOutputs: ["stdin"] },
  );
}
