/**
 * The install script, run for real in a sandbox: every host command it calls is a stub on PATH
 * (apt-get, apt-mark, dpkg-query, systemctl, filebeat, curl), `sudo` runs the command with absolute
 * paths moved under the sandbox and owners recorded beside each file, and gpg is Debian's own
 * against a key made for the test. What it proves: the key is accepted only by fingerprint, a
 * download is used only when its sha256 matches, the secrets land in their files and keystores and
 * nowhere else, and a second run with the same inputs changes nothing (no install, no restart, no
 * file touched), while a new enrollment password restarts the manager.
 */
import assert from "node:assert/strict";
import { shellcheck } from "../../../test/support/debianTools";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  ownerOf,
  runIn,
  type Sandbox,
  sandbox as sharedSandbox,
  snapshot,
  testKeys,
  tool,
} from "../../../test/support/installSandbox";
import {
  type AptRepository,
  AUTHD_PASS_PATH,
  API_KEY_PATH,
  installScript,
  type ManagerInstallArgs,
  OSSEC_CONF_PATH,
} from "./install";
import { type PinnedFile, WAZUH_APT } from "./pins";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The manager's own commands, beside the shared sandbox's stubs; curl lets the API's localhost check pass. */
const MANAGER_STUBS: Record<string, string> = {
  filebeat: `#!/bin/sh
echo "filebeat $*" >> "$LOG"
if [ "$2" = create ]; then mkdir -p "$SANDBOX/var/lib/filebeat" && touch "$SANDBOX/var/lib/filebeat/filebeat.keystore"; fi
if [ "$2" = add ]; then cat > "$SANDBOX/filebeat-keystore-$3"; fi
`,
  curl: `#!/bin/sh
out=""
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift 2 ;; *) url=$1; shift ;; esac; done
case "$url" in https://localhost:*) exit 0 ;; esac
key=$(printf '%s' "$url" | sha256sum | cut -c1-16)
[ -f "$WWW/$key" ] || exit 22
cp "$WWW/$key" "$out"
`,
};

/** The commands that ran, without the sudo stub's own lines. */
const ran = (log: string) =>
  log
    .split("\n")
    .filter((line) => !line.startsWith("sudo "))
    .join("\n");

/** The shared install sandbox with the manager's stubs and its wazuh-keystore. */
function sandbox(): Sandbox {
  const box = sharedSandbox(MANAGER_STUBS);
  const keystore = join(box.root, "var/ossec/bin/wazuh-keystore");
  mkdirSync(join(box.root, "var/ossec/bin"), { recursive: true });
  writeFileSync(
    keystore,
    `#!/bin/sh\necho "wazuh-keystore $*" >> "$LOG"\ncat > "$SANDBOX/wazuh-keystore-$4"\n`,
  );
  chmodSync(keystore, 0o755);
  return box;
}

const pinned = (url: string, content: string, path: string): PinnedFile => ({
  url,
  sha256: sha256(content),
  path,
});
const TEMPLATE = '{"index_patterns":["wazuh-alerts-4.x-*"]}\n';
const MODULE = "module_version: 0.1\n";
const KEY_PEM = "-----BEGIN EC PRIVATE KEY-----\nTEST-KEY-CANARY\n-----END EC PRIVATE KEY-----\n";

function argsFor(apt: AptRepository, overrides: Partial<ManagerInstallArgs> = {}): ManagerInstallArgs {
  return {
    files: {
      ossecConf: "<ossec_config>\n  <remote/>\n</ossec_config>\n",
      localRules: '<group name="fortress,"/>\n',
      localDecoders: '<decoder name="fortress-contain"/>\n',
      filebeatYml: "output.elasticsearch:\n  password: ${password}\n",
      indexerCaPem: "-----BEGIN CERTIFICATE-----\nINDEXER-CA\n-----END CERTIFICATE-----\n",
      tlsCertificatePem: "-----BEGIN CERTIFICATE-----\nMANAGER\n-----END CERTIFICATE-----\n",
      apiCaPem: "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n",
    },
    template: pinned("https://files.test/wazuh-template.json", TEMPLATE, "/etc/filebeat/wazuh-template.json"),
    module: [pinned("https://files.test/module.yml", MODULE, "/usr/share/filebeat/module/wazuh/module.yml")],
    indexerUsername: "wazuh-manager-filebeat",
    apt,
    ...overrides,
  };
}

describe("the manager's install script", () => {
  let key: { armored: string; fingerprint: string };
  let apt: AptRepository;
  const stdin = (enrollment: string) => `${enrollment}\nINDEXER-PASSWORD-CANARY\n${KEY_PEM}`;

  before(() => {
    for (const name of ["gpg", "bash", "shellcheck"]) tool(name);
    [key] = testKeys(1) as [{ armored: string; fingerprint: string }];
    apt = { ...WAZUH_APT, keyUrl: "https://keys.test/GPG-KEY", keyFingerprint: key.fingerprint };
  });

  const ready = () => {
    const box = sandbox();
    box.serve(apt.keyUrl, key.armored);
    box.serve("https://files.test/wazuh-template.json", TEMPLATE);
    box.serve("https://files.test/module.yml", MODULE);
    return box;
  };

  it("passes shellcheck", () => {
    const result = shellcheck(installScript(argsFor(apt)), "sh");
    assert.equal(result.status, 0, result.stdout);
  });

  it("installs the pinned packages, holds them, places every file with its owner and mode, and fills the keystores", () => {
    const box = ready();
    const first = runIn(box, installScript(argsFor(apt)), stdin("ENROLL-CANARY-1"));
    assert.equal(first.status, 0, first.stderr);
    assert.match(
      first.log,
      /apt-get install -y -qq --allow-change-held-packages wazuh-manager=4\.14\.6-1 filebeat=7\.10\.2-2/,
    );
    assert.match(first.log, /apt-mark hold wazuh-manager filebeat/);
    assert.match(first.log, /systemctl restart wazuh-manager filebeat/);
    assert.equal(readFileSync(join(box.root, AUTHD_PASS_PATH), "utf8"), "ENROLL-CANARY-1\n");
    assert.equal(ownerOf(box, AUTHD_PASS_PATH), "640 root wazuh");
    assert.equal(readFileSync(join(box.root, API_KEY_PATH), "utf8"), KEY_PEM);
    assert.equal(ownerOf(box, API_KEY_PATH), "400 wazuh wazuh");
    assert.equal(ownerOf(box, OSSEC_CONF_PATH), "640 root wazuh");
    assert.equal(readFileSync(join(box.root, "usr/share/filebeat/module/wazuh/module.yml"), "utf8"), MODULE);
    assert.equal(readFileSync(join(box.root, "wazuh-keystore-password"), "utf8"), "INDEXER-PASSWORD-CANARY");
    assert.equal(readFileSync(join(box.root, "wazuh-keystore-username"), "utf8"), "wazuh-manager-filebeat\n");
    assert.equal(
      readFileSync(join(box.root, "filebeat-keystore-password"), "utf8"),
      // Exactly the password: Filebeat's keystore keeps every byte of its stdin (libbeat/cmd/keystore.go).
      "INDEXER-PASSWORD-CANARY",
    );
    assert.match(
      readFileSync(join(box.root, WAZUH_APT.sourceList), "utf8"),
      /^deb \[signed-by=\/usr\/share\/keyrings\/wazuh\.gpg\] https:\/\/packages\.wazuh\.com\/4\.x\/apt\/ stable main\n$/,
    );
    // No secret reaches a command line (the log records every stubbed command's arguments).
    assert.doesNotMatch(first.log, /CANARY/);
  });

  it("changes nothing when run again with the same inputs, and restarts only for a new enrollment password", () => {
    const box = ready();
    const script = installScript(argsFor(apt));
    assert.equal(runIn(box, script, stdin("ENROLL-CANARY-1")).status, 0);
    const before = snapshot(box.root);
    const second = runIn(box, script, stdin("ENROLL-CANARY-1"));
    assert.equal(second.status, 0, second.stderr);
    // What ran, not what sudo was asked (the shared sandbox's sudo logs its own line too).
    assert.doesNotMatch(ran(second.log), /apt-get install|restart|keystore add|wazuh-keystore/);
    assert.match(second.log, /systemctl start wazuh-manager filebeat/);
    assert.deepEqual(snapshot(box.root), before);
    const third = runIn(box, script, stdin("ENROLL-CANARY-2"));
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.log, /systemctl restart wazuh-manager filebeat/);
    assert.doesNotMatch(ran(third.log), /apt-get install|keystore add/);
    assert.equal(readFileSync(join(box.root, AUTHD_PASS_PATH), "utf8"), "ENROLL-CANARY-2\n");
  });

  it("refuses a repository key whose fingerprint is not the pinned one, before installing anything", () => {
    const box = ready();
    const other = { ...apt, keyFingerprint: "0DCFCA5547B19D2A6099506096B3EE5F29111145" };
    const result = runIn(box, installScript(argsFor(other)), stdin("E"));
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `is not the Wazuh signing key 0DCFCA5547B19D2A6099506096B3EE5F29111145 \\(got: ${key.fingerprint}\\)`,
      ),
    );
    assert.doesNotMatch(ran(result.log), /apt-get install/);
    assert.ok(!existsSync(join(box.root, WAZUH_APT.keyring)));
  });

  it("refuses a key file that carries a second key beside the pinned one", () => {
    const box = ready();
    box.serve(apt.keyUrl, key.armored + (testKeys(1)[0]?.armored ?? ""));
    const result = runIn(box, installScript(argsFor(apt)), stdin("E"));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /is not the Wazuh signing key/);
  });

  it("refuses a module file or template whose sha256 differs, before placing it", () => {
    const box = ready();
    box.serve("https://files.test/module.yml", "module_version: 0.1\n# changed\n");
    const result = runIn(box, installScript(argsFor(apt)), stdin("E"));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /https:\/\/files\.test\/module\.yml does not match its pinned sha256/);
    assert.ok(!existsSync(join(box.root, "usr/share/filebeat/module/wazuh/module.yml")));
  });

  it("stops when stdin carries no TLS key", () => {
    const box = ready();
    const result = runIn(box, installScript(argsFor(apt)), "E\nP\n");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no TLS key on stdin/);
  });
});
