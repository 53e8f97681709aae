/**
 * Renders cloud-init user-data for a Fortress VM: one admin user that logs in by SSH key only,
 * time from the gateway's chrony, the guest agent, and the data disk formatted and mounted once.
 * It carries no secret: the admin's public key is all it needs.
 */
import * as yaml from "js-yaml";

export interface UserDataArgs {
  readonly hostname: string;
  readonly fqdn: string;
  readonly timezone: string;
  readonly adminUser: string;
  readonly sshPublicKeys: readonly string[];
  readonly ntpServers: readonly string[];
  /** The data disk's SCSI slot (1 for scsi1), when the VM has one. */
  readonly dataDiskSlot?: number;
}

/** Where a VM's data disk is mounted; the layers above keep their state there. */
export const DATA_MOUNT = "/srv/data";

const DATA_LABEL = "fortress-data";

function dataDiskDevice(slot: number): string {
  return `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi${slot}`;
}

export function renderUserData(args: UserDataArgs): string {
  const dataDisk =
    args.dataDiskSlot === undefined
      ? {}
      : {
          fs_setup: [
            {
              label: DATA_LABEL,
              filesystem: "ext4",
              device: dataDiskDevice(args.dataDiskSlot),
              overwrite: false,
            },
          ],
          mounts: [
            [
              `LABEL=${DATA_LABEL}`,
              DATA_MOUNT,
              "ext4",
              "defaults,nofail,x-systemd.device-timeout=30s",
              "0",
              "2",
            ],
          ],
        };
  const document = {
    hostname: args.hostname,
    fqdn: args.fqdn,
    prefer_fqdn_over_hostname: false,
    manage_etc_hosts: true,
    timezone: args.timezone,
    users: [
      {
        name: args.adminUser,
        groups: ["sudo"],
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: [...args.sshPublicKeys],
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    ssh_deletekeys: true,
    package_update: true,
    package_upgrade: true,
    packages: ["qemu-guest-agent", "chrony"],
    ntp: { enabled: true, ntp_client: "chrony", servers: [...args.ntpServers] },
    ...dataDisk,
    runcmd: [["systemctl", "enable", "--now", "qemu-guest-agent"]],
  };
  return `#cloud-config\n${yaml.dump(document, { lineWidth: -1, noRefs: true })}`;
}
