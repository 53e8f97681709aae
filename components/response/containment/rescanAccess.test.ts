/**
 * The rescan hop's access on the Greenbone VM: the forced-command wrapper run for real against the fake
 * gvmd (through components/vuln/gvmProgram's rescan), the sudoers rule checked by visudo, the
 * authorized_keys line read by ssh-keygen, and the install script run in the install sandbox.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
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
  RESCAN_KEY_PATH,
  RESCAN_KNOWN_HOSTS_PATH,
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

  it("says so, and still installs the access, when the Greenbone install is not done yet (no fortress-rescan)", () => {
    tool("visudo", "sudo");
    const box = sandbox({
      usermod: `#!/bin/sh\necho "usermod $*" >> "$LOG"\n[ "$1" = -p ] || exit 2\n`,
    });
    mkdirSync(join(box.root, "etc/sudoers.d"), { recursive: true });
    mkdirSync(join(box.root, "usr/local/sbin"), { recursive: true });
    const ran = runIn(box, script, "");
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stderr, /no \/usr\/local\/sbin\/fortress-rescan yet \(the vuln layer installs it\)/);
    assert.equal(ownerOf(box, RESCAN_WRAPPER_PATH), "755 root root");
  });
});

/** Why the real-sshd test cannot run here, or undefined. */
function noSshd(): string | undefined {
  if (!existsSync("/usr/sbin/sshd"))
    return "no /usr/sbin/sshd (Debian: apt-get install openssh-server; .ci/run installs it)";
  if (process.getuid?.() !== 0) return "sshd's privilege separation needs root";
  return undefined;
}

const freeTcpPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

describe("the rescan through a real sshd (Debian 12's OpenSSH)", { skip: noSshd() }, () => {
  let scanner: RescanLab;
  let dir = "";
  let port = 0;
  let sshd: ChildProcess | undefined;
  let argv: string[] = [];

  before(async () => {
    scanner = await startRescanLab(TARGETS);
    dir = mkdtempSync(join(tmpdir(), "fortress-sshd-"));
    chmodSync(dir, 0o755);
    for (const name of ["host", "manager"])
      assert.equal(
        spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, name)]).status,
        0,
      );
    // The wrapper as rendered, reached through the authorized_keys line as rendered; sshd passes no
    // environment, so a small launcher gives the wrapper the fake gvmd's.
    writeFileSync(join(dir, "wrapper"), rescanWrapper(TARGETS, scanner.direct));
    const env = Object.entries(scanner.env).map(([key, value]) => `${key}='${value}'`);
    writeFileSync(
      join(dir, "launch"),
      `#!/bin/sh
export ${env.join(" ")}
exec sh '${join(dir, "wrapper")}'
`,
    );
    chmodSync(join(dir, "launch"), 0o755);
    const line = authorizedKeyLine(readFileSync(join(dir, "manager.pub"), "utf8"), "127.0.0.1");
    writeFileSync(join(dir, "authorized_keys"), line.replace(RESCAN_WRAPPER_PATH, join(dir, "launch")));
    port = await freeTcpPort();
    mkdirSync("/run/sshd", { recursive: true });
    writeFileSync(
      join(dir, "sshd_config"),
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(dir, "host")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        `PidFile ${join(dir, "sshd.pid")}`,
        "",
      ].join("\n"),
    );
    sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: "ignore" });
    const listening = () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      });
    for (let tries = 0; tries < 50 && !(await listening()); tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    writeFileSync(
      join(dir, "known_hosts"),
      knownHostsLine("127.0.0.1", readFileSync(join(dir, "host.pub"), "utf8")),
    );
    // The manager's argv as rendered, with this test's key, host pin, port and user.
    argv = rescanArgv("127.0.0.1").map((word) =>
      word
        .replace(RESCAN_KEY_PATH, join(dir, "manager"))
        .replace(RESCAN_KNOWN_HOSTS_PATH, join(dir, "known_hosts")),
    );
    const user = argv.indexOf("-l");
    argv[user + 1] = "root";
    argv.splice(1, 0, "-p", String(port));
  });
  after(async () => {
    const server = sshd;
    if (server && server.exitCode === null)
      await new Promise((resolve) => {
        server.once("exit", resolve);
        server.kill();
      });
    await scanner.close();
  });

  it("starts the scan of a known target, refuses anything else, and never connects to an unpinned host key", async () => {
    const started = await runAsync(argv[0] ?? "", [...argv.slice(1), "users"]);
    assert.equal(started.code, RESCAN_EXIT_CODES.started, started.stderr);
    assert.deepEqual(scanner.started(), ["users"]);
    const refused = await runAsync(argv[0] ?? "", [...argv.slice(1), "guest"]);
    assert.equal(refused.code, RESCAN_EXIT_CODES.usage);
    const shell = await runAsync(argv[0] ?? "", [...argv.slice(1, -1), "sh", "-c", "id"]);
    assert.equal(shell.code, RESCAN_EXIT_CODES.usage, "the forced command, whatever the client asks");
    assert.doesNotMatch(shell.stdout, /uid=/);
    writeFileSync(
      join(dir, "known_hosts"),
      knownHostsLine("127.0.0.1", readFileSync(join(dir, "manager.pub"), "utf8")),
    );
    const unpinned = await runAsync(argv[0] ?? "", [...argv.slice(1), "users"]);
    assert.equal(unpinned.code, 255, "ssh refuses a host key that is not the pinned one");
    assert.match(unpinned.stderr, /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });
});
