import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CA_TRUST_FILE, installScript, removeScript } from "./nodeTrust";

const KEYCLOAK = "keycloak.lab.example";

/**
 * Runs the node scripts with bash and the real openssl, against stand-ins for the commands that
 * would change the machine (install, update-ca-certificates, sudo, id), which log what they were asked.
 */
describe("the CA trust scripts run on each Proxmox node", () => {
  let dir = "";
  let certificate = "";
  const log = () => readFileSync(join(dir, "log"), "utf8").trim().split("\n");

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fortress-trust-"));
    const made = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, "ca.key"),
        "-subj",
        "/CN=Fortress test CA",
        "-days",
        "1",
      ],
      { encoding: "utf8" },
    );
    assert.equal(made.status, 0, made.stderr);
    certificate = made.stdout;
    const shim = (command: string, body: string) => {
      writeFileSync(join(dir, command), `#!/bin/bash\necho "${command} $*" >> "${dir}/log"\n${body}\n`);
      chmodSync(join(dir, command), 0o755);
    };
    shim("id", "echo 1000");
    shim("sudo", '[ "$1" = "-n" ] || exit 9; shift; "$@"');
    // install -D -m 0644 -o root -g root <source> <target>: keep a copy of what would be installed.
    shim("install", `cp "\${@: -2:1}" "${dir}/installed"`);
    shim("update-ca-certificates", "true");
    // getent hosts <name>: only the Keycloak name the test says resolves does (exit 2: not found, as glibc's).
    shim(
      "getent",
      `[ "$1" = hosts ] && [ "$2" = "${KEYCLOAK}" ] && [ -e "${dir}/resolves" ] || exit 2; echo "10.0.20.5 $2"`,
    );
    // Only the trust file's removal is faked; the script's own temporary file is really removed.
    shim("rm", 'case "$*" in *ca-certificates*) ;; *) /bin/rm "$@" ;; esac');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (script: string, stdin: string, resolves = true) => {
    writeFileSync(join(dir, "log"), "");
    if (resolves) writeFileSync(join(dir, "resolves"), "");
    else rmSync(join(dir, "resolves"), { force: true });
    return spawnSync("bash", ["-c", script], {
      input: stdin,
      encoding: "utf8",
      env: { PATH: `${dir}:/usr/bin:/bin` },
    });
  };

  it("installs the certificate as a .crt under /usr/local/share/ca-certificates, then rebuilds the store", () => {
    const result = run(installScript(KEYCLOAK), certificate);
    assert.equal(result.status, 0, result.stderr);
    assert.match(CA_TRUST_FILE, /^\/usr\/local\/share\/ca-certificates\/[^/]+\.crt$/);
    assert.equal(readFileSync(join(dir, "installed"), "utf8"), certificate);
    const calls = log().filter((line) => !/^(id|rm) /.test(line));
    assert.deepEqual(
      calls.map((line) => line.split(" ")[0]),
      ["getent", "sudo", "install", "sudo", "update-ca-certificates"],
      "Keycloak's name checked first; not root: through sudo -n, installed before the store is rebuilt",
    );
    assert.equal(calls[0], `getent hosts ${KEYCLOAK}`);
    assert.match(calls[2], new RegExp(`-m 0644 -o root -g root \\S+ ${CA_TRUST_FILE}$`));
  });

  it("refuses what is not a certificate, before touching the node", () => {
    const result = run(
      installScript(KEYCLOAK),
      "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n",
    );
    assert.notEqual(result.status, 0);
    assert.deepEqual(
      log().filter((line) => !/^(id|rm|getent) /.test(line)),
      [],
    );
  });

  it("fails before touching the node when the node cannot resolve Keycloak's name, saying what to set (issue 8 review)", () => {
    const result = run(installScript(KEYCLOAK), certificate, false);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, new RegExp(`${KEYCLOAK.replace(/\./g, "\\.")} does not resolve`));
    assert.match(result.stderr, /System > DNS/);
    assert.match(result.stderr, /\/etc\/resolv\.conf/);
    assert.match(result.stderr, /management/);
    assert.deepEqual(
      log().filter((line) => !/^(id|rm) /.test(line)),
      [`getent hosts ${KEYCLOAK}`],
      "nothing installed",
    );
  });

  it("refuses a Keycloak host name that is not a DNS name (it goes into a shell script)", () => {
    assert.throws(() => installScript("keycloak.lab.example; rm -rf /"), /not a DNS name/);
  });

  it("removes the certificate and rebuilds the store from scratch on delete", () => {
    const result = run(removeScript(), "");
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      log().filter((line) => !/^(id|sudo) /.test(line)),
      [`rm -f ${CA_TRUST_FILE}`, "update-ca-certificates --fresh"],
    );
  });
});
