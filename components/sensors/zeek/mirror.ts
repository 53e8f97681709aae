/**
 * The mirror on the Zeek VM's Proxmox node, as code: a command over SSH that installs `fortress-mirror`
 * and its config, applies it, and checks that every source is mirrored (failing loudly otherwise); on
 * delete it runs `remove` and deletes both files. The hypervisor's hookscript (components/hypervisor/
 * capture.ts) runs `apply` again after every VM start on that node; a systemd timer on the node runs
 * `check` every 30 s and `apply` when it fails, for what no hook sees (a hot-plugged NIC, a VM migrated
 * onto the node, a VM replaced under the same id, which the hook command does not re-run for, and a
 * running VM's rate change, where Proxmox deletes and re-adds the tap's ingress qdisc and the mirror
 * filter on it: pve-common src/PVE/Network.pm setup_tc_rate_limit).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CAPTURE_NIC_INDEX, MIRROR_COMMAND, MIRROR_CONFIG } from "../../../vocabulary/capture";
import { MIRROR_SCRIPT } from "./mirrorScript";

export type MirrorMode = "vm-taps" | "uplink";

export interface MirrorArgs {
  /** vm-taps: what every other VM of the node sends plus what arrives on the uplink; uplink: the NIC both ways. */
  readonly mode: MirrorMode;
  /** The node's physical NIC (the bridge port), e.g. eno1. */
  readonly uplink: string;
  /** A NIC of the node cabled to a managed switch's SPAN port: its frames are mirrored too. */
  readonly spanNic?: string;
}

export interface ProxmoxNodeSsh {
  readonly name: string;
  readonly address: string;
  readonly user: string;
  readonly privateKey: pulumi.Input<string>;
  /** The node's SSH host key line: pinned (pulumi-command skips the check when none is given). */
  readonly hostKey: string;
}

/** Linux interface names: at most 15 bytes (IFNAMSIZ - 1), no slash, colon or space. */
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

export function mirrorConfig(vmId: number, args: MirrorArgs): string {
  if (!Number.isInteger(vmId) || vmId < 100) throw new Error(`internal: VM id ${vmId}`);
  for (const name of [args.uplink, ...(args.spanNic ? [args.spanNic] : [])])
    if (!IFNAME.test(name)) throw new Error(`${name} is not a network interface name`);
  if (args.spanNic === args.uplink) throw new Error("the SPAN NIC cannot be the uplink");
  return [
    `target=tap${vmId}i${CAPTURE_NIC_INDEX}`,
    `own_prefix=tap${vmId}i`,
    `mode=${args.mode}`,
    `uplink=${args.uplink}`,
    ...(args.spanNic ? [`span=${args.spanNic}`] : []),
    "",
  ].join("\n");
}

const UNIT_DIR = "/etc/systemd/system";

export function mirrorUnits(): { service: string; timer: string } {
  return {
    service: [
      "[Unit]",
      "Description=Fortress: re-apply the traffic mirror into the Zeek VM's capture NIC when it is not in place",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=/bin/sh -c '${MIRROR_COMMAND} check >/dev/null 2>&1 || ${MIRROR_COMMAND} apply'`,
      "",
    ].join("\n"),
    timer: [
      "[Unit]",
      "Description=Fortress: check the traffic mirror every 30 seconds",
      "",
      "[Timer]",
      "OnBootSec=1min",
      "OnUnitActiveSec=30s",
      "AccuracySec=5s",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "",
    ].join("\n"),
  };
}

const AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo -n"; fi';

function writeFile(path: string, content: string, mode: string, marker: string): string[] {
  if (content.includes(marker)) throw new Error(`internal: content contains ${marker}`);
  return [
    `$as_root tee '${path}' >/dev/null <<'${marker}'`,
    content.trimEnd(),
    marker,
    `$as_root chmod ${mode} '${path}'`,
  ];
}

export function mirrorInstallScript(config: string): string {
  return [
    "set -eu",
    AS_ROOT,
    `$as_root install -d -m 0755 '${MIRROR_CONFIG.replace(/\/[^/]+$/, "")}'`,
    ...writeFile(MIRROR_COMMAND, MIRROR_SCRIPT, "0755", "FORTRESS_MIRROR_SCRIPT"),
    ...writeFile(MIRROR_CONFIG, config, "0644", "FORTRESS_MIRROR_CONF"),
    ...writeFile(
      `${UNIT_DIR}/fortress-mirror.service`,
      mirrorUnits().service,
      "0644",
      "FORTRESS_MIRROR_SERVICE",
    ),
    ...writeFile(`${UNIT_DIR}/fortress-mirror.timer`, mirrorUnits().timer, "0644", "FORTRESS_MIRROR_TIMER"),
    `$as_root ${MIRROR_COMMAND} apply`,
    `$as_root ${MIRROR_COMMAND} check`,
    "$as_root systemctl daemon-reload",
    "$as_root systemctl enable --now fortress-mirror.timer >/dev/null 2>&1",
  ].join("\n");
}

export function mirrorRemoveScript(): string {
  return [
    "set -eu",
    AS_ROOT,
    // The timer first, or it would put the mirror back.
    "$as_root systemctl disable --now fortress-mirror.timer >/dev/null 2>&1 || true",
    `$as_root rm -f '${UNIT_DIR}/fortress-mirror.service' '${UNIT_DIR}/fortress-mirror.timer'`,
    "$as_root systemctl daemon-reload",
    `if [ -x ${MIRROR_COMMAND} ]; then $as_root ${MIRROR_COMMAND} remove; fi`,
    `$as_root rm -f '${MIRROR_COMMAND}' '${MIRROR_CONFIG}'`,
    `$as_root rmdir '${MIRROR_CONFIG.replace(/\/[^/]+$/, "")}' 2>/dev/null || true`,
  ].join("\n");
}

export function nodeMirror(
  name: string,
  node: ProxmoxNodeSsh,
  vmId: pulumi.Input<number>,
  args: MirrorArgs,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const create = pulumi.output(vmId).apply((id) => mirrorInstallScript(mirrorConfig(id, args)));
  return new command.remote.Command(
    name,
    {
      connection: {
        host: node.address,
        user: node.user,
        privateKey: pulumi.secret(node.privateKey),
        hostKey: node.hostKey,
      },
      create,
      delete: mirrorRemoveScript(),
      logging: "none",
      triggers: [create],
    },
    // Replaced delete-first: created first, the new mirror would be removed by the old one's delete.
    { ...opts, deleteBeforeReplace: true },
  );
}
