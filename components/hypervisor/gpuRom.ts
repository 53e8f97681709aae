/**
 * The shell scripts that put a GPU's ROM file on its VM's hostpci entry and take it off again.
 *
 * Only root@pam may set `romfile`, and qemu-server checks the entry's old value on every update too
 * (src/PVE/API2/Qemu.pm `check_hostpci_perm`, "only root@pam can set 'romfile' option"): an API
 * token can neither set it nor, once it is set, change the entry at all. So both run `qm` as root,
 * through `sudo -n` when the SSH user is not root.
 *
 * On a running VM, qemu-server keeps a hostpci change pending and applies it at the next start
 * (`vmconfig_apply_pending` in src/PVE/QemuServer.pm `vm_start_nolock`): the VM is shut down
 * gracefully (hard-stopped only if that fails within the timeout) and started again.
 */

export const ROM_DIR = "/usr/share/kvm";
/** Seconds a guest gets to shut down before it is stopped. */
export const SHUTDOWN_TIMEOUT_S = 180;

export interface RomScriptArgs {
  readonly vmId: number;
  readonly mappingName: string;
  readonly romFile: string;
  /** Where qemu-server looks for `romfile` (a relative name is read from /usr/share/kvm). */
  readonly romDir?: string;
}

const AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo -n"; fi';

function restartIfRunning(vmId: number): string[] {
  return [
    `if $as_root qm status ${vmId} | grep -q 'status: running'; then`,
    `  $as_root qm shutdown ${vmId} --timeout ${SHUTDOWN_TIMEOUT_S} || $as_root qm stop ${vmId}`,
    `  $as_root qm start ${vmId}`,
    "fi",
  ];
}

const hostpci = (args: RomScriptArgs) => `mapping=${args.mappingName},pcie=1,rombar=1`;

/** Checks the ROM is on the node, sets it, and restarts a running VM so that it boots with it. */
export function romSetScript(args: RomScriptArgs): string {
  const rom = `${args.romDir ?? ROM_DIR}/${args.romFile}`;
  return [
    "set -eu",
    AS_ROOT,
    `test -f ${rom} || { echo "${rom} is missing on this node: copy the GPU's VBIOS there (README, GPU host setup)" >&2; exit 1; }`,
    `$as_root qm set ${args.vmId} --hostpci0 ${hostpci(args)},romfile=${args.romFile}`,
    ...restartIfRunning(args.vmId),
  ].join("\n");
}

/**
 * Gives the entry back as the VM resource declares it (no ROM), so that the API token can manage
 * it again; nothing to do when the VM is gone already.
 */
export function romRemoveScript(args: RomScriptArgs): string {
  return [
    "set -eu",
    AS_ROOT,
    `$as_root qm config ${args.vmId} >/dev/null 2>&1 || exit 0`,
    `$as_root qm set ${args.vmId} --hostpci0 ${hostpci(args)}`,
    ...restartIfRunning(args.vmId),
  ].join("\n");
}
