/**
 * The rescan hop's access on the Greenbone VM: the forced-command wrapper run for real against the fake
 * gvmd (through components/vuln/gvmProgram's rescan), the sudoers rule checked by visudo, the
 * authorized_keys line read by ssh-keygen, and the install script run in the install sandbox.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { shellcheck } from "../../../test/support/debianTools";
import { ownerOf, runIn, sandbox, tool } from "../../../test/support/installSandbox";
import {
  RESCAN_EXIT_CODES,
  RESCAN_PATH,
  type RescanLab,
  startRescanLab,
} from "../../../test/greenbone/rescanLab";
import { runAsync } from "../../../test/opnsense/containHarness";
import {
  authorizedKeyLine,
  knownHostsLine,
  RESCAN_USAGE_EXIT,
  RESCAN_SUDOERS_PATH,
  RESCAN_WRAPPER_PATH,
  rescanAccessScript,
  rescanArgv,
  rescanSudoers,
  rescanWrapper,
  sudoRescan,
} from "./rescanAccess";

const TARGETS = ["servers", "users"];

function realKey(): string {
  tool("ssh-keygen", "openssh-client");
  const dir = mkdtempSync(join(tmpdir(), "fortress-key-"));
  const made = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "key")]);
  assert.equal(made.status, 0);
  return readFileSync(join(dir, "key.pub"), "utf8");
}

describe("the forced-command wrapper on the Greenbone VM", () => {
  let scanner: RescanLab;
  let wrapper = "";
  before(async () => {
    scanner = await startRescanLab(TARGETS);
    const dir = mkdtempSync(join(tmpdir(), "fortress-wrapper-"));
    wrapper = join(dir, "wrapper");
    writeFileSync(wrapper, rescanWrapper(TARGETS, scanner.direct));
  });
  after(async () => scanner.close());

  // Asynchronously: the fake gvmd answers from this process.
  const request = async (original: string | undefined) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...scanner.env };
    delete env.SSH_ORIGINAL_COMMAND;
    if (original !== undefined) env.SSH_ORIGINAL_COMMAND = original;
    const ran = await runAsync("sh", [wrapper], { env });
    return { status: ran.code, stdout: ran.stdout, stderr: ran.stderr };
  };

  it("passes shellcheck, runs sudo -n fortress-rescan on the VM, and refuses with fortress-rescan's usage code", () => {
    assert.equal(RESCAN_USAGE_EXIT, RESCAN_EXIT_CODES.usage);
    const script = rescanWrapper(TARGETS, sudoRescan(RESCAN_PATH));
    const result = shellcheck(script, "sh");
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(script, new RegExp(`^exec 'sudo' '-n' '${RESCAN_PATH}' "\\$target"$`, "m"));
  });

  it("starts a known target's scan for `fortress-rescan <target>`", async () => {
    const ran = await request("fortress-rescan users");
    assert.equal(ran.status, RESCAN_EXIT_CODES.started, ran.stderr);
    assert.match(ran.stdout.trim(), /^[0-9a-f-]{36}$/);
    assert.deepEqual(scanner.started(), ["users"]);
  });

  it("refuses everything else with the usage code, runs nothing, and never evaluates the request", async () => {
    const marker = join(tmpdir(), `fortress-wrapper-pwned-${process.pid}`);
    for (const original of [
      undefined,
      "",
      "fortress-rescan",
      "fortress-rescan guest",
      "fortress-rescan users; touch " + marker,
      "fortress-rescan users\ntouch " + marker,
      "fortress-rescan $(touch " + marker + ")",
      " fortress-rescan users",
      "sh",
      "scp -t /tmp",
    ]) {
      const ran = await request(original);
      assert.equal(ran.status, RESCAN_EXIT_CODES.usage, JSON.stringify(original));
      assert.match(ran.stderr, /only "fortress-rescan <target>"/);
    }
    assert.equal(spawnSync("test", ["-e", marker]).status, 1, "no request was run");
    assert.deepEqual(scanner.started(), ["users"], "and no scan started");
  });

  it("refuses target names that are not Fortress's and commands it could not quote", () => {
    assert.throws(() => rescanWrapper(["users; reboot"], scanner.direct), /not a Fortress scan target name/);
    assert.throws(() => rescanWrapper([], scanner.direct), /at least one/);
    assert.throws(() => sudoRescan("fortress-rescan; reboot"), /not an absolute program path/);
    assert.throws(() => rescanWrapper(TARGETS, ["sudo", "$(reboot)"]), /cannot be quoted/);
  });
});

describe("the rescan user's sudoers rule and key", () => {
  it("lets the user run fortress-rescan with a known target alone (visudo accepts it)", () => {
    tool("visudo", "sudo");
    const rule = rescanSudoers(TARGETS, RESCAN_PATH);
    assert.match(
      rule,
      new RegExp(
        `^fortress-rescan ALL=\\(root\\) NOPASSWD: ${RESCAN_PATH} servers, ${RESCAN_PATH} users$`,
        "m",
      ),
    );
    const dir = mkdtempSync(join(tmpdir(), "fortress-sudoers-"));
    writeFileSync(join(dir, "rule"), rule);
    const checked = spawnSync("visudo", ["-cq", "-f", join(dir, "rule")], { encoding: "utf8" });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    writeFileSync(join(dir, "bad"), rule.replace("NOPASSWD:", "NOPASSWD"));
    assert.notEqual(spawnSync("visudo", ["-cq", "-f", join(dir, "bad")]).status, 0, "visudo does check");
  });

  it("binds the manager's key to the wrapper, from the manager's address, with every restriction (ssh-keygen reads it)", () => {
    const key = realKey();
    const line = authorizedKeyLine(key, "10.10.20.64");
    assert.ok(
      line.startsWith(`restrict,from="10.10.20.64",command="${RESCAN_WRAPPER_PATH}" ssh-ed25519 `),
      line,
    );
    const dir = mkdtempSync(join(tmpdir(), "fortress-authorized-"));
    writeFileSync(join(dir, "authorized_keys"), line);
    const read = spawnSync("ssh-keygen", ["-l", "-f", join(dir, "authorized_keys")], { encoding: "utf8" });
    assert.equal(read.status, 0, read.stderr);
    assert.match(read.stdout, /ED25519/);
    assert.throws(() => authorizedKeyLine("ssh-rsa AAAA", "10.10.20.64"), /ed25519/);
    assert.throws(() => authorizedKeyLine(key, "10.10.20.0/24"), /IPv4 address/);
  });

  it("pins the Greenbone host key for the manager's ssh, which checks it strictly", () => {
    assert.equal(
      knownHostsLine("10.10.20.9", "ssh-ed25519 AAAAC3Nz comment\n"),
      "10.10.20.9 ssh-ed25519 AAAAC3Nz\n",
    );
    const argv = rescanArgv("10.10.20.9");
    assert.equal(argv[0], "/usr/bin/ssh");
    for (const option of ["StrictHostKeyChecking=yes", "BatchMode=yes", "IdentitiesOnly=yes"])
      assert.ok(argv.includes(option), option);
    assert.deepEqual(argv.slice(-2), ["10.10.20.9", "fortress-rescan"]);
  });
});

describe("the Greenbone side's install script", () => {
  const key = realKey().trim();
  const script = rescanAccessScript({
    publicKey: key,
    from: "10.10.20.64",
    targets: TARGETS,
    rescanPath: RESCAN_PATH,
  });

  it("passes shellcheck", () => {
    const result = shellcheck(script, "sh");
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it("creates the user once, places the wrapper, the checked sudoers rule and the root-owned key, re-runnably", () => {
    tool("visudo", "sudo");
    const box = sandbox({
      usermod: `#!/bin/sh\necho "usermod $*" >> "$LOG"\n[ "$1" = -p ] || exit 2\n`,
    });
    mkdirSync(join(box.root, RESCAN_PATH.slice(0, RESCAN_PATH.lastIndexOf("/"))), { recursive: true });
    writeFileSync(join(box.root, RESCAN_PATH), "#!/bin/sh\n", { mode: 0o750 });
    mkdirSync(join(box.root, "etc/sudoers.d"), { recursive: true });
    const first = runIn(box, script, "");
    assert.equal(first.status, 0, first.stderr + first.log);
    assert.match(
      first.log,
      /useradd --system --home-dir '?\S*\/var\/lib\/fortress-rescan'? --create-home --shell \/bin\/sh fortress-rescan/,
    );
    assert.match(first.log, /usermod -p \* fortress-rescan/);
    assert.equal(ownerOf(box, RESCAN_WRAPPER_PATH), "755 root root");
    assert.equal(ownerOf(box, RESCAN_SUDOERS_PATH), "440 root root");
    assert.equal(
      readFileSync(join(box.root, RESCAN_SUDOERS_PATH), "utf8"),
      rescanSudoers(TARGETS, RESCAN_PATH),
    );
    assert.equal(ownerOf(box, "/var/lib/fortress-rescan/.ssh/authorized_keys"), "640 root fortress-rescan");
    assert.equal(
      readFileSync(join(box.root, "/var/lib/fortress-rescan/.ssh/authorized_keys"), "utf8"),
      authorizedKeyLine(key, "10.10.20.64"),
    );
    const again = runIn(box, script, "");
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.log, /useradd/, "the user exists: not made twice");
  });

  it("stops when the Greenbone install is not done (no fortress-rescan)", () => {
    const box = sandbox();
    const ran = runIn(box, script, "");
    assert.notEqual(ran.status, 0);
    assert.match(ran.stderr, /is the Greenbone install done/);
  });
});
