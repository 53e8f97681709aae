import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { shellcheck } from "../../../test/support/debianTools";
import {
  THEHIVE_CA_FILE,
  THEHIVE_INTEGRATION_PATH,
  THEHIVE_KEY_FILE,
  theHiveIntegrationScript,
} from "./integration";
import { managerBridgeScript } from "./managerBridge";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBfortresstestca\n-----END CERTIFICATE-----\n";

describe("the manager's side of Wazuh → TheHive", () => {
  const script = managerBridgeScript(CA);

  it("passes shellcheck", () => {
    const result = shellcheck(script, "sh");
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it("installs the script, the CA and the key root:wazuh where the integration reads them, the key 0640", () => {
    assert.ok(script.includes(`place custom-thehive '${THEHIVE_INTEGRATION_PATH}' 0750`));
    assert.ok(script.includes(`place thehive-ca.pem '${THEHIVE_CA_FILE}' 0644`));
    assert.ok(script.includes(`place thehive.key '${THEHIVE_KEY_FILE}' 0640`));
    assert.match(script, /sudo install -o root -g wazuh -m "\$3"/);
  });

  it("carries the script and the CA byte for byte, and reads the key only from stdin", () => {
    const decoded = [
      ...script.matchAll(/printf '%s' '([A-Za-z0-9+/=]+)' \| base64 -d > "\$work\/([\w.-]+)"/g),
    ].map((match) => [match[2], Buffer.from(match[1]!, "base64").toString("utf8")]);
    assert.deepEqual(Object.fromEntries(decoded), {
      "thehive-ca.pem": CA,
      "custom-thehive": theHiveIntegrationScript(),
    });
    assert.match(script, /IFS= read -r key/);
    assert.doesNotMatch(script, /api[_-]?key=|Bearer/i);
  });

  it("stops before touching the manager when stdin holds no key (run under sh, sudo absent from the path taken)", () => {
    // Everything before the first sudo only writes into its own temporary directory.
    const head = script.split("\n").filter((line) => !line.startsWith("sudo ") && !line.startsWith("getent"));
    let failed = false;
    try {
      execFileSync("sh", ["-c", head.join("\n")], { input: "", encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      failed = true;
      assert.match(String((error as { stderr?: string }).stderr), /no TheHive API key on stdin/);
    }
    assert.ok(failed);
  });

  it("refuses a CA that is not a PEM certificate", () => {
    assert.throws(() => managerBridgeScript("not a certificate"), /not a PEM certificate/);
  });
});

/**
 * The script run for real under sh in a scratch root, with shims for what needs the manager: sudo runs
 * its command, install and chown drop the owner (no wazuh group here), getent knows `wazuh`, ps
 * answers integratord's age from $AGE, systemctl logs its calls and answers is-active from $ACTIVE.
 */
describe("the manager's side of Wazuh → TheHive, run", () => {
  const base = mkdtempSync(join(tmpdir(), "fortress-bridge-"));
  const bin = join(base, "bin");
  const root = join(base, "root");
  const calls = join(base, "systemctl.log");
  mkdirSync(bin);
  mkdirSync(join(root, "var/ossec/integrations"), { recursive: true });
  mkdirSync(join(root, "var/ossec/var/run"), { recursive: true });
  const shim = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  shim("sudo", 'exec "$@"');
  shim(
    "install",
    'n=$#; i=0; while [ $i -lt $n ]; do a=$1; shift; i=$((i+1)); case $a in -o|-g) shift; i=$((i+1));; *) set -- "$@" "$a";; esac; done; exec /usr/bin/install "$@"',
  );
  shim("chown", "exit 0");
  shim("getent", '[ "$2" = wazuh ] && echo "wazuh:x:999:"');
  shim("ps", 'echo "${AGE:-0}"');
  shim("systemctl", `echo "$*" >> '${calls}'; [ "$1" != is-active ] || [ "\${ACTIVE:-yes}" = yes ]`);

  const run = (key: string, script: string, env: Record<string, string> = {}) => {
    const result = spawnSync("sh", ["-c", managerBridgeScript(CA, script, root)], {
      input: `${key}\n`,
      encoding: "utf8",
      env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  const reloads = () =>
    existsSync(calls)
      ? readFileSync(calls, "utf8")
          .split("\n")
          .filter((l) => l === "reload wazuh-manager").length
      : 0;
  const scriptPath = join(root, THEHIVE_INTEGRATION_PATH);

  it("installs the three files and reloads the manager on the first run (the script was missing when integratord started)", () => {
    writeFileSync(join(root, "var/ossec/var/run/wazuh-integratord-4242.pid"), "4242\n");
    const out = run("key-1", "#!/bin/sh\necho v1\n", { AGE: "3600" });
    assert.equal(readFileSync(scriptPath, "utf8"), "#!/bin/sh\necho v1\n");
    assert.equal(statSync(scriptPath).mode & 0o777, 0o750);
    assert.equal(readFileSync(join(root, THEHIVE_KEY_FILE), "utf8"), "key-1\n");
    assert.equal(statSync(join(root, THEHIVE_KEY_FILE)).mode & 0o777, 0o640);
    assert.equal(readFileSync(join(root, THEHIVE_CA_FILE), "utf8"), CA);
    assert.match(out, /reloading wazuh-manager \(the integration script changed\)/);
    assert.equal(reloads(), 1);
  });

  it("changes and restarts nothing when nothing changed and integratord started after the script", () => {
    const before = statSync(scriptPath).mtimeMs;
    const out = run("key-1", "#!/bin/sh\necho v1\n", { AGE: "0" });
    assert.doesNotMatch(out, /installed|reloading/);
    assert.equal(statSync(scriptPath).mtimeMs, before);
    assert.equal(reloads(), 1);
  });

  it("replaces a new key without a restart (the script reads it at each alert)", () => {
    const out = run("key-2", "#!/bin/sh\necho v1\n", { AGE: "0" });
    assert.match(out, /installed .*thehive\.key/);
    assert.equal(readFileSync(join(root, THEHIVE_KEY_FILE), "utf8"), "key-2\n");
    assert.equal(reloads(), 1);
  });

  it("reloads when the script changes", () => {
    run("key-2", "#!/bin/sh\necho v2\n", { AGE: "0" });
    assert.equal(reloads(), 2);
  });

  it("reloads when integratord is older than the script though nothing changed now (a run that failed before its reload)", () => {
    const past = new Date(Date.now() - 10_000);
    utimesSync(scriptPath, past, past);
    const out = run("key-2", "#!/bin/sh\necho v2\n", { AGE: "60" });
    assert.match(out, /integratord started before the integration script was in place/);
    assert.equal(reloads(), 3);
  });

  it("does not start a stopped manager (it finds the script when it starts)", () => {
    const out = run("key-2", "#!/bin/sh\necho v3\n", { AGE: "0", ACTIVE: "no" });
    assert.match(out, /not running/);
    assert.equal(reloads(), 3);
  });
});
