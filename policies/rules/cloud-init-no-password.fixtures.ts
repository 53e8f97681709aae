import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { FILE_TYPE, VM_TYPE } from "../lib/resources";

/** The user-data the hypervisor layer writes: one key-only sudo user, password logins off. */
export const KEY_ONLY = `#cloud-config
hostname: k3s-server-1
users:
  - name: fortress
    groups:
      - sudo
    shell: /bin/bash
    sudo: ALL=(ALL) NOPASSWD:ALL
    lock_passwd: true
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFortressSeedLabReplaceWithYourOwnPublicKey0 admin@laptop
disable_root: true
ssh_pwauth: false
runcmd:
  - [systemctl, enable, --now, qemu-guest-agent]
`;

export const snippet = (name: string, data: string, contentType = "snippets") =>
  planResource(FILE_TYPE, `${name}-user-data`, {
    contentType,
    datastoreId: "local",
    nodeName: "pve1",
    sourceRaw: { data, fileName: `fortress-${name}-user-data.yaml` },
  });

export const vm = (name: string, initialization: Record<string, unknown> = {}) =>
  planResource(VM_TYPE, name, {
    name,
    initialization: { datastoreId: "local-lvm", userDataFileId: `${name}-user-data-id`, ...initialization },
  });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "key-only user-data and a VM that points at it",
      resources: [snippet("k3s-server-1", KEY_ONLY), vm("k3s-server-1")],
    },
    {
      name: "a Proxmox-generated user with keys only, and a non-snippet file",
      resources: [
        vm("misp-1", { userAccount: { username: "fortress", keys: ["ssh-ed25519 AAAA admin@laptop"] } }),
        snippet("iso", "password: not cloud-init", "iso"),
      ],
    },
    {
      name: 'lock_passwd: "false" quoted, a non-empty string, which cloud-init reads as true (locked)',
      resources: [snippet("q", KEY_ONLY.replace("lock_passwd: true", 'lock_passwd: "false"'))],
    },
  ],
  failing: [
    {
      name: "lock_passwd: '' (empty, false to Python: unlocked)",
      resources: [snippet("e", KEY_ONLY.replace("lock_passwd: true", "lock_passwd: ''"))],
    },
    {
      name: "an sshd drop-in fetched at boot from write_files source.uri",
      resources: [
        snippet(
          "f",
          `${KEY_ONLY}write_files:\n  - path: /etc/ssh/sshd_config.d/50-remote.conf\n    source:\n      uri: https://config.example/sshd.conf\n`,
        ),
      ],
    },
    {
      name: "PermitEmptyPasswords yes written by runcmd",
      resources: [
        snippet(
          "g",
          KEY_ONLY.replace(
            "runcmd:\n",
            "runcmd:\n  - echo 'PermitEmptyPasswords yes' >> /etc/ssh/sshd_config\n",
          ),
        ),
      ],
    },
    {
      name: "ssh_pwauth turned on",
      resources: [snippet("a", KEY_ONLY.replace("ssh_pwauth: false", "ssh_pwauth: true"))],
    },
    {
      name: "a hashed password and an unlocked account",
      resources: [
        snippet(
          "b",
          KEY_ONLY.replace(
            "lock_passwd: true",
            "lock_passwd: false\n    hashed_passwd: $6$rounds=4096$salt$hash",
          ),
        ),
      ],
    },
    {
      name: "a chpasswd block",
      resources: [
        snippet(
          "c",
          `${KEY_ONLY}chpasswd:\n  expire: false\n  users:\n    - {name: fortress, password: hunter2}\n`,
        ),
      ],
    },
    {
      name: "a VM user account with a password",
      resources: [vm("d", { userAccount: { username: "fortress", password: "[secret]" } })],
    },
  ],
};
