import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";
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

  it("reads ssh_pwauth as cloud-init's util.is_true does: true, 1, on, yes in any case and blanks", () => {
    for (const value of ["yes", "true", "1", "'On'", "' YES '", "TRUE", '"1"']) {
      assert.equal(cloudInitFindings(`#cloud-config\nssh_pwauth: ${value}\n`).length, 1, value);
    }
    for (const value of ["'off'", "false", "0", "unchanged", "y", "2", "no"]) {
      assert.deepEqual(cloudInitFindings(`#cloud-config\nssh_pwauth: ${value}\n`), [], value);
    }
    assert.deepEqual(cloudInitFindings("#cloud-config\nssh_pwauth: false\nssh_pwauth: true\n"), [
      "sets ssh_pwauth: true (password SSH logins)",
    ]);
    assert.deepEqual(cloudInitFindings("#cloud-config\nusers:\n  - name: a\n    lock_passwd: no\n"), [
      "unlocks the password of user a (lock_passwd: false)",
    ]);
  });

  it("reads lock_passwd with Python's truthiness, over YAML as PyYAML reads it", () => {
    const lock = (value: string) =>
      cloudInitFindings(`#cloud-config\nusers:\n  - name: a\n    lock_passwd: ${value}\n`);
    for (const value of [
      "false",
      "no",
      "Off",
      "''",
      '""',
      "~",
      "null",
      "",
      "[]",
      "{}",
      "0",
      "0.0",
      "0_0",
      "0x0",
    ]) {
      assert.equal(lock(value).length, 1, `unlocks: ${JSON.stringify(value)}`);
      assert.match(lock(value)[0] ?? "", /^unlocks the password of user a \(lock_passwd: /);
    }
    for (const value of ["true", "yes", '"false"', "'no'", "'0'", "1", ".nan", "0e0", "[false]", "{a: 0}"]) {
      assert.deepEqual(lock(value), [], `locks: ${JSON.stringify(value)}`);
    }
    assert.deepEqual(cloudInitFindings("#cloud-config\nusers:\n  - name: a\n"), []);
  });

  it("reports write_files whose content cloud-init fetches from a URI, and PermitEmptyPasswords yes", () => {
    const fetched = `#cloud-config
write_files:
  - path: /etc/ssh/sshd_config.d/50-remote.conf
    source:
      uri: https://config.example/sshd.conf
  - path: /etc/motd
    source: {uri: ""}
    content: hello
`;
    assert.deepEqual(cloudInitFindings(fetched), [
      "takes a file's content from https://config.example/sshd.conf at boot, which the pack cannot read (write_files /etc/ssh/sshd_config.d/50-remote.conf)",
    ]);
    for (const line of [
      "PermitEmptyPasswords yes",
      "permitemptypasswords=YES",
      '"PermitEmptyPasswords" "yes"',
    ]) {
      assert.deepEqual(cloudInitFindings(`#!/bin/sh\necho '${line}' >> /etc/ssh/sshd_config\n`), [
        "lets sshd accept empty passwords (PermitEmptyPasswords yes) (user-data)",
      ]);
    }
    assert.deepEqual(
      cloudInitFindings("#!/bin/sh\necho 'PermitEmptyPasswords no' >> /etc/ssh/sshd_config\n"),
      [],
    );
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

  it("counts chpasswd entries in the old list (string or list) and the new users form, not expiry alone", () => {
    assert.deepEqual(cloudInitFindings("#cloud-config\nchpasswd:\n  expire: false\n"), []);
    const forms = [
      "chpasswd:\n  list: |\n    root:toor\n    fortress:RANDOM\n",
      "chpasswd:\n  list:\n    - root:toor\n    - fortress:RANDOM\n",
      "chpasswd:\n  users:\n    - {name: root, password: toor}\n    - {name: fortress, type: RANDOM}\n",
    ];
    for (const form of forms) {
      assert.deepEqual(
        cloudInitFindings(`#cloud-config\n${form}`),
        ["sets 2 password(s) with chpasswd"],
        form,
      );
    }
  });

  it("decodes write_files in every encoding cloud-init reads, and reads runcmd/bootcmd lines of both forms", () => {
    const line = "PasswordAuthentication yes\n";
    const b64 = Buffer.from(line).toString("base64");
    const gz = gzipSync(Buffer.from(line)).toString("base64");
    const found = (config: string) =>
      cloudInitFindings(`#cloud-config\n${config}`).map((finding) => finding.split(" (")[0]);
    for (const [encoding, content] of [
      ["b64", b64],
      ["BASE64", b64],
      ["gz+b64", gz],
      ["gzip+base64", gz],
    ]) {
      assert.deepEqual(
        found(
          `write_files:\n  - path: /etc/ssh/sshd_config.d/a.conf\n    encoding: ${encoding}\n    content: ${content}\n`,
        ),
        ["turns sshd password logins on"],
        encoding,
      );
    }
    assert.deepEqual(
      found(
        "bootcmd:\n  - [sed, -i, 's/^#*PasswordAuthentication.*/PasswordAuthentication yes/', /etc/ssh/sshd_config]\n",
      ),
      ["turns sshd password logins on"],
    );
    assert.deepEqual(found(`runcmd:\n  - echo ${b64} | base64 -d >> /etc/ssh/sshd_config\n`), [
      "turns sshd password logins on",
    ]);
    assert.deepEqual(
      found("runcmd:\n  - echo 'KbdInteractiveAuthentication=YES' > /etc/ssh/sshd_config.d/k.conf\n"),
      ["turns sshd password logins on"],
    );
    assert.deepEqual(
      found(
        "write_files:\n  - path: /etc/ssh/sshd_config.d/a.conf\n    content: PasswordAuthentication no\n",
      ),
      [],
    );
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
      "turns sshd password logins on (PasswordAuthentication yes or keyboard-interactive) (write_files /etc/ssh/sshd_config.d/50-pw.conf)",
      "pipes a password into chpasswd (runcmd[0])",
      "sets a password with usermod/useradd (runcmd[1])",
    ]);
    assert.deepEqual(cloudInitFindings("#!/bin/sh\necho root:toor | passwd\n"), [
      "pipes a password into passwd (user-data)",
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
    const container = planResource(pulumiTypeOf(proxmoxve.ContainerLegacy), "ct", {
      initialization: { hostname: "ct-1", userAccount: { password: "[secret]" } },
    });
    assert.match(
      (await messages(container))[0] ?? "",
      /^container ct-1 sets initialization\.userAccount\.password/,
    );
    for (const contentType of [undefined, "snippets"]) {
      const file = {
        ...snippet("x", "#cloud-config\nssh_pwauth: on\n"),
        inputs: {
          ...snippet("x", "").inputs,
          contentType,
          sourceRaw: { data: "#cloud-config\nssh_pwauth: on\n" },
        },
      };
      assert.equal((await messages(file)).length, 1, String(contentType));
    }
    assert.deepEqual(
      await messages(vm("vm-2", { userAccount: { username: "fortress", keys: ["ssh-ed25519 A"] } })),
      [],
    );
  });
});
