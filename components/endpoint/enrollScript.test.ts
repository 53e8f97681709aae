import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import {
  AUTHD_PASS,
  CLIENT_KEYS,
  enrollScript,
  physicalEnrollCommand,
  WAZUH_AGENT_VERSION,
  WAZUH_KEY_FINGERPRINT,
} from "./enrollScript";
import { AGENT_PATHS } from "./clamav/activeResponse";
import { clamavAgentFiles } from "./clamav/agentSide";
import { CLAMDSCAN_DEB_VERSION } from "./clamav/pins";
import { shellcheck } from "../../test/support/debianTools";

const PASSWORD = "enrollment-secret-from-random";
const CLAMAV_FILES = clamavAgentFiles({ host: "10.10.20.11", port: 3310 });

/**
 * Stand-ins for the machine's tools, each recording its call in $LOG: apt-get "installs" by writing
 * ossec.conf (with the WAZUH_MANAGER it was given, as the package's register_configure_agent.sh does)
 * and agent-auth into the root; agent-auth writes a key; systemctl keeps enabled/active in files.
 */
function stubs(dir: string, root: string, fingerprint: string): void {
  const stub = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  stub("sudo", 'exec "$@"');
  stub("cloud-init", "exit 0");
  stub(
    "curl",
    'echo "curl $*" >> "$LOG"; while [ $# -gt 0 ]; do if [ "$1" = -o ]; then shift; out=$1; fi; shift; done; echo KEY > "$out"',
  );
  stub(
    "gpg",
    `echo "gpg $*" >> "$LOG"; if [ "$1" = --show-keys ]; then echo 'pub:-:4096:1:96B3EE5F29111145:::::::'; echo 'fpr:::::::::${fingerprint}:'; else cat; fi`,
  );
  stub(
    "apt-get",
    [
      'echo "apt-get $* WAZUH_MANAGER=${WAZUH_MANAGER:-} WAZUH_AGENT_GROUP=${WAZUH_AGENT_GROUP:-}" >> "$LOG"',
      'if [ "$1" = install ]; then',
      `  mkdir -p "${root}/var/lib"`,
      '  for arg in "$@"; do case "$arg" in *=*) echo "${arg#*=}" > "' +
        root +
        '/var/lib/${arg%%=*}.version";; esac; done',
      "fi",
      'if [ "$1" = install ] && [[ " $* " == *" wazuh-agent="* ]]; then',
      `  mkdir -p "${root}/var/ossec/etc" "${root}/var/ossec/bin"`,
      `  printf '<ossec_config><client><server><address>%s</address></server></client></ossec_config>\\n' "$WAZUH_MANAGER" > "${root}/var/ossec/etc/ossec.conf"`,
      `  printf '#!/bin/bash\\necho "agent-auth $*" >> "$LOG"; cat "${root}${AUTHD_PASS}" >> "$LOG.pass"; echo "001 $6 any KEY" > "${root}${CLIENT_KEYS}"\\n' > "${root}/var/ossec/bin/agent-auth"`,
      `  chmod 755 "${root}/var/ossec/bin/agent-auth"`,
      "fi",
    ].join("\n"),
  );
  stub("dpkg-query", `for pkg; do :; done; cat "${root}/var/lib/$pkg.version" 2>/dev/null || exit 1`);
  stub(
    "apt-mark",
    `echo "apt-mark $*" >> "$LOG"; held="${root}/held"; case "$1" in hold) echo "$2" >> "$held";; unhold) grep -vx "$2" "$held" > "$held.new" 2>/dev/null; mv "$held.new" "$held" 2>/dev/null || true;; showhold) cat "$held" 2>/dev/null || true;; esac`,
  );
  stub(
    "systemctl",
    [
      'echo "systemctl $*" >> "$LOG"',
      'case "$1" in',
      `  is-enabled) [ -f "${root}/enabled" ];;`,
      `  is-active) [ -f "${root}/active" ];;`,
      `  enable) touch "${root}/enabled";;`,
      `  start|restart) touch "${root}/active";;`,
      "esac",
    ].join("\n"),
  );
  // install(1) as a user: -o/-g need root, so they are dropped (the mode is kept).
  stub(
    "install",
    'args=(); while [ $# -gt 0 ]; do case "$1" in -o|-g) shift;; *) args+=("$1");; esac; shift; done; exec /usr/bin/install "${args[@]}"',
  );
}

function tree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else
        files[relative(root, path)] =
          `${(statSync(path).mode & 0o777).toString(8)} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    }
  };
  walk(root);
  return files;
}

function setUp(fingerprint = WAZUH_KEY_FINGERPRINT) {
  const base = mkdtempSync(join(tmpdir(), "fortress-enroll-"));
  const bin = join(base, "bin");
  const root = join(base, "root");
  mkdirSync(bin);
  mkdirSync(root);
  // What every Debian system has.
  mkdirSync(join(root, "etc/apt/sources.list.d"), { recursive: true });
  stubs(bin, root, fingerprint);
  const log = join(base, "calls.log");
  const run = (manager = "10.20.0.5", password = PASSWORD) => {
    writeFileSync(log, "");
    const result = spawnSync(
      "bash",
      [
        "-c",
        enrollScript({
          manager,
          group: "fortress-workstation",
          agentName: "workstation-1",
          root,
          clamav: CLAMAV_FILES,
        }),
      ],
      {
        input: `${password}\n`,
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LOG: log },
      },
    );
    return {
      ...result,
      calls: readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter((line) => line !== ""),
    };
  };
  return { root, run, passLog: `${log}.pass` };
}

describe("the Wazuh agent enrollment script", () => {
  it("on a fresh VM: checks the key's fingerprint, installs the pinned agent, holds it, registers in its group, starts it", () => {
    const { root, run, passLog } = setUp();
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    const calls = first.calls.join("\n");
    assert.match(calls, /gpg --show-keys --with-colons/);
    assert.match(
      calls,
      new RegExp(
        `apt-get install -y -q --allow-downgrades wazuh-agent=${WAZUH_AGENT_VERSION} WAZUH_MANAGER=10.20.0.5 WAZUH_AGENT_GROUP=fortress-workstation`,
      ),
    );
    assert.match(calls, /apt-mark hold wazuh-agent/);
    assert.match(calls, /agent-auth -m 10\.20\.0\.5 -G fortress-workstation -A workstation-1/);
    assert.match(calls, /systemctl restart wazuh-agent/);
    // The password reached agent-auth through authd.pass, and no call carried it.
    assert.equal(readFileSync(passLog, "utf8"), `${PASSWORD}\n`);
    assert.doesNotMatch(calls, new RegExp(PASSWORD));
    assert.equal((statSync(join(root, AUTHD_PASS)).mode & 0o777).toString(8), "640");
    assert.equal(
      (statSync(join(root, "etc/fortress/wazuh-enrollment.pass")).mode & 0o777).toString(8),
      "600",
    );
  });

  it("installs ClamAV's agent side: clamdscan pinned and held, the active response 0750, the client config at the central clamd", () => {
    const { root, run } = setUp();
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    const calls = first.calls.join("\n");
    assert.match(
      calls,
      new RegExp(`apt-get install .*clamdscan=${CLAMDSCAN_DEB_VERSION.replace(/[.+]/g, "\\$&")}`),
    );
    assert.match(calls, /apt-mark hold clamdscan/);
    const script = join(root, AGENT_PATHS.script);
    assert.equal(readFileSync(script, "utf8"), CLAMAV_FILES.script);
    assert.equal((statSync(script).mode & 0o777).toString(8), "750");
    const clientConf = readFileSync(join(root, AGENT_PATHS.clientConf), "utf8");
    assert.equal(clientConf, CLAMAV_FILES.clientConf);
    assert.match(clientConf, /^TCPAddr 10\.10\.20\.11$/m);
    assert.equal((statSync(join(root, AGENT_PATHS.clientConf)).mode & 0o777).toString(8), "640");
    // The installed script runs: execd's `delete` for a scan has nothing to undo.
    const arLog = join(root, "ar.log");
    const installed = readFileSync(script, "utf8").replace(/^AR_LOG=.*$/m, `AR_LOG='${arLog}'`);
    const deleted = spawnSync("sh", ["-c", installed], {
      input: '{"version":1,"command":"delete","parameters":{"alert":{}}}\n',
      encoding: "utf8",
    });
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.match(readFileSync(arLog, "utf8"), /fortress-clamdscan: delete: nothing to undo/);
  });

  it("a changed clamd address rewrites the client config alone", () => {
    const { root, run } = setUp();
    run();
    const script = enrollScript({
      manager: "10.20.0.5",
      group: "fortress-workstation",
      agentName: "workstation-1",
      root,
      clamav: clamavAgentFiles({ host: "10.10.20.12", port: 3310 }),
    });
    writeFileSync(join(root, "..", "calls.log"), "");
    const moved = spawnSync("bash", ["-c", script], {
      input: `${PASSWORD}\n`,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${join(root, "..", "bin")}:${process.env.PATH}`,
        LOG: join(root, "..", "calls.log"),
      },
    });
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(readFileSync(join(root, AGENT_PATHS.clientConf), "utf8"), /^TCPAddr 10\.10\.20\.12$/m);
    assert.doesNotMatch(
      readFileSync(join(root, "..", "calls.log"), "utf8"),
      /apt-get|agent-auth|systemctl restart/,
    );
  });

  it("re-run on an enrolled VM: changes nothing (no install, no registration, no restart, the same files)", () => {
    const { root, run } = setUp();
    assert.equal(run().status, 0);
    const before = tree(root);
    const again = run();
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(tree(root), before);
    const calls = again.calls.join("\n");
    assert.doesNotMatch(calls, /apt-get/);
    assert.doesNotMatch(calls, /agent-auth/);
    assert.doesNotMatch(calls, /curl|gpg/);
    assert.doesNotMatch(calls, /systemctl (restart|start|enable)/);
  });

  it("a new manager address is written into ossec.conf and restarts the agent, without registering it again", () => {
    const { root, run } = setUp();
    run();
    const moved = run("10.20.0.9");
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(
      readFileSync(join(root, "var/ossec/etc/ossec.conf"), "utf8"),
      /<address>10\.20\.0\.9<\/address>/,
    );
    assert.match(moved.calls.join("\n"), /systemctl restart wazuh-agent/);
    assert.doesNotMatch(moved.calls.join("\n"), /agent-auth/);
  });

  it("a new enrollment password replaces authd.pass, and nothing else", () => {
    const { root, run } = setUp();
    run();
    const rotated = run("10.20.0.5", "a-rotated-password");
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.equal(readFileSync(join(root, AUTHD_PASS), "utf8"), "a-rotated-password\n");
    assert.doesNotMatch(rotated.calls.join("\n"), /agent-auth|apt-get/);
  });

  it("stops before installing anything when the key is not Wazuh's", () => {
    const { root, run } = setUp("0".repeat(40));
    const result = run();
    assert.equal(result.status, 1);
    assert.match(result.stderr, /is not Wazuh's signing key/);
    assert.ok(!existsSync(join(root, "usr/share/keyrings/wazuh.gpg")));
    assert.doesNotMatch(result.calls.join("\n"), /apt-get/);
  });

  it("passes shellcheck, as does the command for physical devices", () => {
    for (const script of [
      enrollScript({ manager: "10.20.0.5", group: "fortress-k3s-agent", agentName: "k3s-agent-1" }),
      enrollScript({
        manager: "10.20.0.5",
        group: "fortress-k3s-agent",
        agentName: "k3s-agent-1",
        clamav: CLAMAV_FILES,
      }),
      physicalEnrollCommand({
        manager: "10.20.0.5",
        group: "fortress-physical",
        passwordWhere: "pulumi stack output",
      }),
    ]) {
      const result = shellcheck(script, "bash");
      assert.equal(result.status, 0, result.stdout);
    }
  });

  it("refuses values it cannot write safely into a script", () => {
    assert.throws(
      () => enrollScript({ manager: "10.0.0.1; rm -rf /", group: "g", agentName: "a" }),
      /not safe/,
    );
  });
});
