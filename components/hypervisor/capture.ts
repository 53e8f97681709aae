/**
 * The hypervisor's share of traffic capture: the capture NIC of a VM that asks for one, and the
 * hookscript that re-applies the mirror on the capture VM's node whenever a VM there starts.
 *
 * Why a hookscript: a VM's taps are made anew at each start (qemu-server src/PVE/QemuServer.pm,
 * `"tap${vmid}i$i"`), without the tc filters the old ones had, and the mirror filters that point at the
 * capture VM's tap go stale when that VM restarts. Proxmox runs a VM's hookscript with phase
 * `post-start` after every start (src/PVE/QemuServer.pm `vm_start_nolock`), and a failing
 * `post-start` hook only warns (pve-guest-common src/PVE/GuestHelpers.pm `exec_hookscript`, no
 * `$stop_on_error`): the hook can never keep a VM from starting. The hook must be an executable file
 * in a snippets directory (`check_hookscript`), hence the file mode (set over SFTP by the provider:
 * bpg proxmoxtf/resource/file.go → proxmox/ssh/client.go Chmod).
 *
 * Why not a udev rule on tap creation: the tap exists before qemu-server's bridge script plugs it, and
 * plugging ends with `tap_rate_limit` (pve-common src/PVE/Network.pm `tap_plug`), which for a NIC with
 * a rate limit adds a plain `ingress` qdisc and dies if that fails (`setup_tc_rate_limit`, `run`): a
 * clsact put there first would make such a VM fail to start. `post-start` comes after all that.
 *
 * Only root may set `hookscript` (qemu-server src/PVE/API2/Qemu.pm `$check_vm_modify_config_perm`:
 * "only root can set '$opt' config"; an API token is never root@pam), so it is set over SSH with
 * `qm set`, as the GPU's ROM file is (gpuRom.ts), and the VMs ignore the field.
 *
 * What it does not cover: a NIC hot-plugged into a running VM (no start, no hook), VMs Fortress does not
 * manage, and a VM replaced under the same id (the attach command's inputs do not change, so it does
 * not run again): the node's `fortress-mirror.timer` (components/sensors/zeek/mirror.ts) catches those.
 * A hooked VM moved to another node does not start there: `pre-start` hooks stop the start when the
 * script is missing (src/PVE/QemuServer.pm, `exec_hookscript($conf, $vmid, 'pre-start', 1)`).
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CAPTURE_HOOKSCRIPT, CAPTURE_VLAN, MIRROR_COMMAND } from "../../vocabulary/capture";
import type { HypervisorArgs } from "./args";

/** Proxmox calls it as `<script> <vmid> <phase>` (pve-docs qm.adoc, guest-example-hookscript.pl). */
export function captureHookScript(): string {
  return [
    "#!/bin/bash",
    "# Fortress: re-applies the traffic mirror into the Zeek VM's capture NIC after a VM on this node starts.",
    'phase="${2:-}"',
    `if [ "$phase" = post-start ] && [ -x ${MIRROR_COMMAND} ]; then`,
    `  ${MIRROR_COMMAND} apply 2>&1 | logger -t fortress-mirror || true`,
    "fi",
    "exit 0",
    "",
  ].join("\n");
}

export function captureHookFileId(datastoreId: string): string {
  return `${datastoreId}:snippets/${CAPTURE_HOOKSCRIPT}`;
}

/** The hookscript on one node's snippet datastore, executable (root-only) as Proxmox requires. */
export function captureHookFile(
  name: string,
  node: string,
  datastoreId: string,
  opts: pulumi.CustomResourceOptions,
): proxmoxve.FileLegacy {
  return new proxmoxve.FileLegacy(
    name,
    {
      nodeName: node,
      contentType: "snippets",
      datastoreId,
      fileMode: "0700",
      sourceRaw: { fileName: CAPTURE_HOOKSCRIPT, data: captureHookScript() },
    },
    { ...opts, deleteBeforeReplace: true },
  );
}

/**
 * The capture NIC (net1): on the lab bridge under a tag no network uses, so the bridge forwards it
 * nothing; the firewall stays on (the VM's input policy drops what could reach it) as for every NIC.
 */
export function captureNetworkDevice(bridge: string): proxmoxve.types.input.VmLegacyNetworkDevice {
  return { bridge, vlanId: CAPTURE_VLAN, firewall: true, model: "virtio" };
}

/** The nodes that run a capture VM: every VM there carries the hookscript. */
export function captureNodes(vms: readonly { node: string; captureNic?: boolean }[]): Set<string> {
  return new Set(vms.filter((vm) => vm.captureNic === true).map((vm) => vm.node));
}

const AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo -n"; fi';

/** Sets the hookscript on each VM (idempotent: `qm set` writes the same value again). */
export function hookAttachScript(vmIds: readonly number[], fileId: string): string {
  return [
    "set -eu",
    AS_ROOT,
    ...vmIds.map((id) => `$as_root qm set ${id} --hookscript ${fileId}`),
    ...vmIds.map(
      (id) =>
        `$as_root qm config ${id} | grep -qx 'hookscript: ${fileId}' || { echo "VM ${id} has no hookscript ${fileId}" >&2; exit 1; }`,
    ),
  ].join("\n");
}

/** Takes it off again, from the VMs that still exist. */
export function hookDetachScript(vmIds: readonly number[]): string {
  return [
    "set -eu",
    AS_ROOT,
    ...vmIds.map(
      (id) =>
        `if $as_root qm config ${id} >/dev/null 2>&1; then $as_root qm set ${id} --delete hookscript; fi`,
    ),
  ].join("\n");
}

/**
 * The hookscript file on a capture node and the command that sets it on every VM there, over SSH as
 * root (see above).
 */
export function captureHooks(
  name: string,
  node: string,
  machines: readonly { node: string; machine: proxmoxve.VmLegacy }[],
  args: HypervisorArgs,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const ssh = args.connection.nodes.find((candidate) => candidate.name === node);
  if (!ssh) throw new Error(`internal: no SSH address for node ${node}`);
  const vms = machines.filter((entry) => entry.node === node).map((entry) => entry.machine);
  const file = captureHookFile(`${name}-file`, node, args.snippetDatastore, opts);
  const fileId = captureHookFileId(args.snippetDatastore);
  const scripts = pulumi.all(vms.map((vm) => vm.vmId)).apply((ids) => {
    const sorted = [...ids].sort((a, b) => a - b);
    return { create: hookAttachScript(sorted, fileId), delete: hookDetachScript(sorted) };
  });
  const attach = new command.remote.Command(
    `${name}-attach`,
    {
      connection: {
        host: ssh.address,
        user: args.connection.sshUser,
        privateKey: pulumi.secret(args.connection.sshPrivateKey),
        hostKey: ssh.sshHostKey,
      },
      create: scripts.create,
      delete: scripts.delete,
      logging: "none",
      triggers: [scripts.create, file.id],
    },
    // Replaced delete-first: created first, the new attach would be undone by the old one's delete.
    { parent: opts.parent, dependsOn: [file, ...vms], deleteBeforeReplace: true },
  );
  return [file, attach];
}
