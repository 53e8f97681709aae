import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { cloudInitSchema } from "../../test/support/cloudInit";
import { ROLES } from "../../stacks/catalog";
import { DATA_MOUNT, renderUserData, SYSCTL_FILE, type UserDataArgs } from "./userData";

const base: UserDataArgs = {
  hostname: "k3s-agent-1",
  fqdn: "k3s-agent-1.home.arpa",
  timezone: "Europe/Berlin",
  adminUser: "fortress",
  sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest admin@laptop"],
  ntpServers: ["10.10.20.1"],
};

describe("renderUserData", () => {
  const withDisk = renderUserData({ ...base, dataDiskSlot: 1 });
  const parsed = yaml.load(withDisk.replace(/^#cloud-config\n/, "")) as Record<string, any>;

  it("starts with the #cloud-config header", () => {
    assert.ok(withDisk.startsWith("#cloud-config\n"));
  });

  it("creates one admin user that logs in by key only, with root and passwords off", () => {
    assert.deepEqual(
      parsed.users.map((user: { name: string }) => user.name),
      ["fortress"],
    );
    assert.equal(parsed.users[0].lock_passwd, true);
    assert.deepEqual(parsed.users[0].ssh_authorized_keys, base.sshPublicKeys);
    assert.equal(parsed.ssh_pwauth, false);
    assert.equal(parsed.disable_root, true);
    assert.doesNotMatch(withDisk, /^\s*-?\s*(passwd|hashed_passwd|plain_text_passwd|password):|chpasswd/m);
  });

  it("takes time from the gateway with chrony and installs the guest agent", () => {
    assert.deepEqual(parsed.ntp, { enabled: true, ntp_client: "chrony", servers: ["10.10.20.1"] });
    assert.ok(parsed.packages.includes("qemu-guest-agent"));
    assert.equal(parsed.timezone, "Europe/Berlin");
  });

  it("formats the data disk once and mounts it by label", () => {
    assert.equal(parsed.fs_setup[0].overwrite, false);
    assert.match(parsed.fs_setup[0].device, /drive-scsi1$/);
    assert.equal(parsed.mounts[0][1], DATA_MOUNT);
    const without = renderUserData(base);
    assert.doesNotMatch(without, /fs_setup|mounts/);
  });

  it("passes `cloud-init schema`, with and without a data disk", () => {
    for (const document of [withDisk, renderUserData(base)]) {
      const { status, output } = cloudInitSchema(document);
      assert.equal(status, 0, output);
      assert.match(output, /Valid cloud-config/);
    }
  });

  it("gives the VM the host key the program generated, as its only host key, and still passes the schema", () => {
    const hostKey = {
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nhost-key-test\n-----END OPENSSH PRIVATE KEY-----\n",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyTest\n",
    };
    const document = renderUserData({ ...base, hostKey });
    const withKey = yaml.load(document.replace(/^#cloud-config\n/, "")) as Record<string, any>;
    assert.equal(withKey.ssh_deletekeys, true, "the image's own host keys go");
    assert.deepEqual(withKey.ssh_keys, {
      ed25519_private: hostKey.privateKey,
      ed25519_public: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyTest",
    });
    const { status, output } = cloudInitSchema(document);
    assert.equal(status, 0, output);
    assert.equal(parsed.ssh_keys, undefined, "no host key unless one is given");
  });

  it("sets a role's kernel parameters in a sysctl.d file, loads them first, and still passes the schema", () => {
    const document = renderUserData({ ...base, sysctls: ROLES["k3s-indexer"].sysctls ?? {} });
    const withSysctls = yaml.load(document.replace(/^#cloud-config\n/, "")) as Record<string, any>;
    assert.deepEqual(withSysctls.write_files, [
      {
        path: SYSCTL_FILE,
        owner: "root:root",
        permissions: "0644",
        content: "# Fortress: kernel parameters of this VM's role\nvm.max_map_count = 262144\n",
      },
    ]);
    assert.deepEqual(withSysctls.runcmd[0], ["sysctl", "-p", SYSCTL_FILE]);
    const { status, output } = cloudInitSchema(document);
    assert.equal(status, 0, output);
    assert.equal(parsed.write_files, undefined, "no sysctl file unless the role has parameters");
    assert.deepEqual(parsed.runcmd, [["systemctl", "enable", "--now", "qemu-guest-agent"]]);
  });

  it("gives the indexer role vm.max_map_count=262144 (wazuh-kubernetes v4.14.6) and no other role any parameter", () => {
    for (const role of Object.values(ROLES))
      assert.deepEqual(
        role.sysctls,
        role.name === "k3s-indexer" ? { "vm.max_map_count": "262144" } : undefined,
        role.name,
      );
  });

  it("refuses a sysctl key or value that would break the file's lines", () => {
    const cases: Record<string, string>[] = [
      { "vm.max_map_count\nkernel.x": "1" },
      { "vm max": "1" },
      { "vm.max_map_count": "1\nkernel.panic = 0" },
      { "vm.max_map_count": "" },
      { "vm.max_map_count": "1=2" },
    ];
    for (const sysctls of cases)
      assert.throws(() => renderUserData({ ...base, sysctls }), /sysctl/, JSON.stringify(sysctls));
  });

  it("is checked by a validator that can fail", () => {
    const { status } = cloudInitSchema("#cloud-config\nusers: 5\nntp: {enabled: 'yes'}\n");
    assert.notEqual(status, 0);
  });
});
