/**
 * Traffic capture, as the hypervisor, the Zeek sensor, the lab model and the pack name it.
 *
 * The Zeek VM's capture NIC is its second NIC (net1), on the lab bridge with a VLAN tag no network
 * uses: nothing on the bridge is forwarded to it, so the only frames it sees are the copies tc mirred
 * puts straight onto its tap (`fortress-mirror`, components/sensors/zeek/mirrorScript.ts). The config
 * check refuses a network with this tag.
 */
export const CAPTURE_VLAN = 4093;

/** The capture NIC's slot: net1, whose tap is `tap<vmid>i1` (qemu-server src/PVE/QemuServer.pm). */
export const CAPTURE_NIC_INDEX = 1;

/**
 * Its name inside a Debian guest: qemu-server puts net1 at PCI slot 19 (0x13) of bus 0
 * (src/PVE/QemuServer/PCI.pm, `net1 => { bus => 0, addr => 19 }`), and systemd's predictable names
 * make that `ens19` (net0, slot 18, is `ens18`).
 */
export const CAPTURE_GUEST_INTERFACE = "ens19";

/** Where the mirror script lives on the Proxmox node; the hookscript calls it. */
export const MIRROR_COMMAND = "/usr/local/sbin/fortress-mirror";

/** Its config file on the node. */
export const MIRROR_CONFIG = "/etc/fortress/mirror.conf";

/** The hookscript snippet's file name on the node's snippet datastore. */
export const CAPTURE_HOOKSCRIPT = "fortress-capture-hook.sh";
