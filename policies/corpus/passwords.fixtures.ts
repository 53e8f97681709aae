/** Class 3: password logins in every form cloud-init accepts, and in the guests' own inputs. */
import { gzipSync } from "node:zlib";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { planResource } from "../lib/build";
import { FILE_TYPE, VM_TYPE } from "../lib/resources";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";
import type { Corpus, CorpusCase, Lab } from "./lab.fixtures";

/** Key-only user-data, as pulumi preview shows a snippet the offline plan redacts. */
const KEY_ONLY = `#cloud-config
hostname: misp-1
users:
  - name: fortress
    groups: [sudo]
    sudo: ALL=(ALL) NOPASSWD:ALL
    lock_passwd: true
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFortressSeedLabReplaceWithYourOwnPublicKey0 admin@laptop
disable_root: true
ssh_pwauth: false
runcmd:
  - [systemctl, enable, --now, qemu-guest-agent]
`;

const userData = (lab: Lab, data: string) =>
  lab.edit(lab.named(FILE_TYPE, "hypervisor-misp-1-user-data"), (inputs) => ({
    ...inputs,
    sourceRaw: { ...(inputs.sourceRaw as object), data },
  }));

const SSHD_ON = "PasswordAuthentication yes\n";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const gzB64 = (text: string) => gzipSync(Buffer.from(text)).toString("base64");

const PWAUTH_FIXTURE = "cloud-init-no-password: ssh_pwauth turned on";

const pwauth = (value: string): CorpusCase => ({
  name: `ssh_pwauth: ${value}`,
  policy: "cloud-init-no-password",
  variantOf: PWAUTH_FIXTURE,
  build: (lab) => userData(lab, KEY_ONLY.replace("ssh_pwauth: false", `ssh_pwauth: ${value}`)),
});

const appended = (name: string, text: string, variantOf?: string): CorpusCase => ({
  name,
  policy: "cloud-init-no-password",
  ...(variantOf ? { variantOf } : {}),
  build: (lab) => userData(lab, `${KEY_ONLY}${text}`),
});

const writeFile = (encoding: string, content: string) =>
  `write_files:\n  - path: /etc/ssh/sshd_config.d/60-corpus.conf\n    encoding: ${encoding}\n    content: ${content}\n`;

const vmAccount = (lab: Lab) =>
  lab.edit(lab.named(VM_TYPE, "misp-1"), (inputs) => ({
    ...inputs,
    initialization: {
      ...(inputs.initialization as object),
      userAccount: { username: "fortress", password: "[secret]" },
    },
  }));

export const passwordsCorpus: Corpus = {
  violations: [
    pwauth('"On"'),
    pwauth("1"),
    pwauth("' YES '"),
    pwauth('"TRUE"'),
    {
      name: "ssh_pwauth given twice, the last one true",
      policy: "cloud-init-no-password",
      variantOf: PWAUTH_FIXTURE,
      build: (lab) => userData(lab, `${KEY_ONLY}ssh_pwauth: true\n`),
    },
    appended(
      "write_files in plain text",
      "write_files:\n  - path: /etc/ssh/sshd_config.d/60-corpus.conf\n    content: |\n      PasswordAuthentication yes\n",
      "cloud-init-no-password: (test) catches passwords set from shell commands and sshd config written by the snippet",
    ),
    appended("write_files in base64 (b64)", writeFile("b64", b64(SSHD_ON))),
    appended("write_files in gzip+base64", writeFile("gzip+base64", gzB64(SSHD_ON))),
    appended(
      "write_files in gz+b64 with keyboard-interactive",
      writeFile("gz+b64", gzB64("KbdInteractiveAuthentication yes\n")),
    ),
    appended(
      "a runcmd argv list that seds sshd_config",
      "bootcmd:\n  - [sed, -i, 's/^#*PasswordAuthentication .*/PasswordAuthentication yes/', /etc/ssh/sshd_config]\n",
    ),
    appended(
      "a bootcmd string with KEY=value",
      "bootcmd:\n  - echo 'PasswordAuthentication=yes' > /etc/ssh/sshd_config.d/01.conf\n",
    ),
    {
      name: "a runcmd line that hides the setting in base64",
      policy: "cloud-init-no-password",
      build: (lab) =>
        userData(
          lab,
          KEY_ONLY.replace(
            "runcmd:\n",
            `runcmd:\n  - echo ${b64(SSHD_ON)} | base64 -d >> /etc/ssh/sshd_config\n`,
          ),
        ),
    },
    appended(
      "a hashed password on a second user",
      "users:\n  - name: ops\n    hashed_passwd: $6$rounds=4096$abc$def\n",
    ),
    {
      name: "a plain-text password on the key-only user",
      policy: "cloud-init-no-password",
      build: (lab) =>
        userData(
          lab,
          KEY_ONLY.replace("lock_passwd: true", "lock_passwd: true\n    plain_text_passwd: hunter2"),
        ),
    },
    appended("users as a mapping by name with passwd", "users:\n  ops: {passwd: $6$abc}\n"),
    appended(
      "chpasswd's old list, a multi-line string",
      "chpasswd:\n  expire: false\n  list: |\n    fortress:hunter2\n",
    ),
    appended(
      "chpasswd's new users form, RANDOM",
      "chpasswd:\n  users:\n    - {name: fortress, type: RANDOM}\n",
    ),
    appended("a password for the default user", "password: hunter2\n"),
    {
      name: "lock_passwd: null on the key-only user (falsy to cloud-init's Python)",
      policy: "cloud-init-no-password",
      build: (lab) => userData(lab, KEY_ONLY.replace("lock_passwd: true", "lock_passwd: ~")),
    },
    {
      name: "lock_passwd: Off on the key-only user (a YAML 1.1 boolean to PyYAML)",
      policy: "cloud-init-no-password",
      build: (lab) => userData(lab, KEY_ONLY.replace("lock_passwd: true", "lock_passwd: Off")),
    },
    appended(
      "write_files content fetched at boot from a source URI",
      "write_files:\n  - path: /etc/ssh/sshd_config.d/60-corpus.conf\n    source: {uri: 'http://10.10.20.5/sshd.conf'}\n",
    ),
    appended(
      "PermitEmptyPasswords=yes in a write_files drop-in",
      "write_files:\n  - path: /etc/ssh/sshd_config.d/60-corpus.conf\n    content: PermitEmptyPasswords=yes\n",
    ),
    {
      name: "#cloud-config-archive with a part that turns ssh_pwauth on",
      policy: "cloud-init-no-password",
      build: (lab) =>
        userData(
          lab,
          "#cloud-config-archive\n- type: text/cloud-config\n  content: |\n    #cloud-config\n    ssh_pwauth: yes\n",
        ),
    },
    {
      name: "a container's root password",
      policy: "cloud-init-no-password",
      build: (lab) =>
        lab.plus(
          planResource(pulumiTypeOf(proxmoxve.ContainerLegacy), "ct-pw", {
            nodeName: "pve1",
            initialization: { hostname: "ct-pw", userAccount: { password: "[secret]" } },
          }),
        ),
    },
    {
      name: "a VM user account password",
      policy: "cloud-init-no-password",
      variantOf: "cloud-init-no-password: a VM user account with a password",
      build: vmAccount,
    },
  ],
  twins: [
    {
      name: "ssh_pwauth: unchanged, and no",
      build: (lab) => userData(lab, KEY_ONLY.replace("ssh_pwauth: false", "ssh_pwauth: unchanged")),
    },
    {
      name: 'lock_passwd: "false" quoted (a non-empty string: cloud-init locks)',
      build: (lab) => userData(lab, KEY_ONLY.replace("lock_passwd: true", 'lock_passwd: "false"')),
    },
    {
      name: "a write_files entry with an empty source URI and inline content",
      build: (lab) =>
        userData(
          lab,
          `${KEY_ONLY}write_files:\n  - path: /etc/motd\n    source: {uri: ""}\n    content: welcome\n`,
        ),
    },
    {
      name: "chpasswd that only sets expiry",
      build: (lab) => userData(lab, `${KEY_ONLY}chpasswd:\n  expire: true\n`),
    },
    {
      name: "write_files in base64 turning password logins off",
      build: (lab) =>
        userData(
          lab,
          `${KEY_ONLY}${writeFile("b64", b64("PasswordAuthentication no\nKbdInteractiveAuthentication no\n"))}`,
        ),
    },
    {
      name: "runcmd that locks a password and restarts sshd",
      build: (lab) => userData(lab, `${KEY_ONLY}  - passwd -l fortress\n  - [systemctl, restart, ssh]\n`),
    },
  ],
};
