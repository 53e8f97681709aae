import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { cloudInitFindings, cloudInitNoPassword } from "./cloud-init-no-password";
import { KEY_ONLY, snippet, vm } from "./cloud-init-no-password.fixtures";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([cloudInitNoPassword], resources)).map((violation) => violation.message);

describe("cloud-init-no-password", () => {
  it("accepts the key-only user-data", () => {
    assert.deepEqual(cloudInitFindings(KEY_ONLY), []);
  });

  it("names the snippet file, what it does and the fix, on the file", async () => {
    const file = snippet("misp-1", KEY_ONLY.replace("ssh_pwauth: false", "ssh_pwauth: true"));
    const [violation, ...rest] = await evaluatePolicies([cloudInitNoPassword], [file]);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, file.urn);
    assert.match(
      violation?.message ?? "",
      /^cloud-init snippet fortress-misp-1-user-data\.yaml sets ssh_pwauth: true \(password SSH logins\): log in with SSH keys only/,
    );
  });

  it("reads YAML 1.1 booleans as cloud-init does", () => {
    assert.deepEqual(cloudInitFindings("#cloud-config\nssh_pwauth: yes\n"), [
      "sets ssh_pwauth: true (password SSH logins)",
    ]);
    assert.deepEqual(cloudInitFindings("#cloud-config\nssh_pwauth: 'off'\n"), []);
    assert.deepEqual(cloudInitFindings("#cloud-config\nusers:\n  - name: a\n    lock_passwd: no\n"), [
      "unlocks the password of user a (lock_passwd: false)",
    ]);
  });

  it("finds passwords on every user, the default user and the single user key", () => {
    const data = `#cloud-config
password: hunter2
user: {name: ubuntu, plain_text_passwd: hunter2}
users:
  - default
  - {name: a, passwd: $6$x}
  - {name: b, hashed_passwd: $6$y, lock_passwd: true}
`;
    assert.deepEqual(cloudInitFindings(data), [
      "sets a password for the default user (password:)",
      "gives user a a password (passwd)",
      "gives user b a password (hashed_passwd)",
      "gives user ubuntu a password (plain_text_passwd)",
    ]);
  });

  it("flags any chpasswd block, even one that only sets expiry", () => {
    assert.deepEqual(cloudInitFindings("#cloud-config\nchpasswd:\n  expire: false\n"), [
      "has a chpasswd block",
    ]);
  });

  it("catches passwords set from shell commands and sshd config written by the snippet", () => {
    const data = `#cloud-config
write_files:
  - path: /etc/ssh/sshd_config.d/50-pw.conf
    content: |
      PasswordAuthentication yes
runcmd:
  - echo 'fortress:hunter2' | chpasswd
  - usermod --password x fortress
`;
    assert.deepEqual(cloudInitFindings(data), [
      "writes PasswordAuthentication yes for sshd",
      "pipes a password into chpasswd",
      "sets a password with usermod",
    ]);
    assert.deepEqual(cloudInitFindings("#!/bin/sh\necho root:toor | passwd\n"), [
      "pipes a password into passwd",
    ]);
  });

  it("reports #cloud-config that does not parse, and skips redacted snippets", async () => {
    assert.match(cloudInitFindings("#cloud-config\nusers: [\n")[0] ?? "", /does not parse as YAML/);
    assert.deepEqual(await messages(snippet("secret", "[secret]")), []);
  });

  it("flags a VM user account password whatever its value, secret or not", async () => {
    for (const password of ["[secret]", "hunter2", ""]) {
      const [message] = await messages(vm("vm-1", { userAccount: { username: "fortress", password } }));
      assert.match(message ?? "", /^VM vm-1 sets initialization\.userAccount\.password/);
    }
    assert.deepEqual(
      await messages(vm("vm-2", { userAccount: { username: "fortress", keys: ["ssh-ed25519 A"] } })),
      [],
    );
  });
});
