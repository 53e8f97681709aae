import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
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
    assert.match(script, new RegExp(`-m 0750 "\\$work/custom-thehive" '${THEHIVE_INTEGRATION_PATH}'`));
    assert.match(script, new RegExp(`-m 0644 "\\$work/thehive-ca.pem" '${THEHIVE_CA_FILE}'`));
    assert.match(script, new RegExp(`-m 0640 "\\$work/thehive.key" '${THEHIVE_KEY_FILE}'`));
    for (const line of script.split("\n").filter((l) => l.startsWith("sudo install -o")))
      assert.match(line, /-o root -g wazuh/);
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
