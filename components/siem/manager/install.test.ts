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
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
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
const urlKey = (url: string) => sha256(url).slice(0, 16);

function tool(name: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${name}`]);
  if (found.status !== 0)
    throw new Error(`${name} is not installed (Debian: apt-get install ${name === "gpg" ? "gpg" : name})`);
}

const SUDO = `#!/bin/bash
out=()
for a in "$@"; do
  case "$a" in
    "$TMPROOT"/*|/dev/*) out+=("$a") ;;
    /*) out+=("$SANDBOX$a") ;;
    *) out+=("$a") ;;
  esac
done
set -- "\${out[@]}"
case "$1" in
  install)
    shift; args=(); owner=""; group=""
    while [ $# -gt 0 ]; do
      case "$1" in -o) owner=$2; shift 2 ;; -g) group=$2; shift 2 ;; *) args+=("$1"); shift ;; esac
    done
    command install "\${args[@]}" || exit $?
    [ -z "$owner" ] || echo "$owner $group" > "\${args[-1]}.owner"
    exit 0 ;;
  stat)
    p="\${@: -1}"; echo "$(command stat -c %a "$p") $(cat "$p.owner" 2>/dev/null || echo '? ?')"; exit 0 ;;
esac
exec "$@"
`;
const STUBS: Record<string, string> = {
  sudo: SUDO,
  "apt-get": `#!/bin/sh
echo "apt-get $*" >> "$LOG"
if [ "$1" = install ]; then for a in "$@"; do case "$a" in *=*) echo "\${a%%=*} \${a#*=}" >> "$SANDBOX/dpkg-state" ;; esac; done; fi
`,
  "apt-mark": `#!/bin/sh\necho "apt-mark $*" >> "$LOG"\n`,
  "dpkg-query": `#!/bin/sh
for name; do :; done
v=$(awk -v n="$name" '$1 == n { v = $2 } END { print v }' "$SANDBOX/dpkg-state" 2>/dev/null)
[ -n "$v" ] || exit 1
printf '%s installed' "$v"
`,
  systemctl: `#!/bin/sh\necho "systemctl $*" >> "$LOG"\n`,
  "cloud-init": "#!/bin/sh\nexit 0\n",
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

interface Sandbox {
  readonly root: string;
  readonly log: string;
  readonly env: NodeJS.ProcessEnv;
  serve(url: string, content: string): void;
}

function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "fortress-manager-"));
  const [bin, root, www, tmp] = ["bin", "root", "www", "tmp"].map((name) => join(dir, name)) as [
    string,
    string,
    string,
    string,
  ];
  for (const path of [bin, root, www, tmp]) mkdirSync(path);
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  const keystore = join(root, "var/ossec/bin/wazuh-keystore");
  mkdirSync(join(root, "var/ossec/bin"), { recursive: true });
  writeFileSync(
    keystore,
    `#!/bin/sh\necho "wazuh-keystore $*" >> "$LOG"\ncat > "$SANDBOX/wazuh-keystore-$4"\n`,
  );
  chmodSync(keystore, 0o755);
  const log = join(dir, "log");
  writeFileSync(log, "");
  return {
    root,
    log,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      SANDBOX: root,
      TMPROOT: tmp,
      TMPDIR: tmp,
      WWW: www,
      LOG: log,
    },
    serve: (url, content) => writeFileSync(join(www, urlKey(url)), content),
  };
}

/** A signing key made for the test, armored, and its fingerprint. */
function testKey(): { armored: string; fingerprint: string } {
  const home = mkdtempSync(join(tmpdir(), "fortress-gpg-"));
  const env = { ...process.env, GNUPGHOME: home };
  // No pipes for the generation: gpg starts an agent that would hold them open.
  const made = spawnSync(
    "gpg",
    [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      "Fortress test <test@fortress.invalid>",
      "ed25519",
      "sign",
      "never",
    ],
    { env, stdio: "ignore" },
  );
  spawnSync("gpgconf", ["--kill", "gpg-agent"], { env, stdio: "ignore" });
  assert.equal(made.status, 0, "gpg could not make a test key");
  const armored = spawnSync("gpg", ["--batch", "--armor", "--export"], { env, encoding: "utf8" }).stdout;
  const colons = spawnSync("gpg", ["--batch", "--with-colons", "--list-keys"], {
    env,
    encoding: "utf8",
  }).stdout;
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1];
  assert.ok(fingerprint);
  return { armored, fingerprint };
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

function run(box: Sandbox, script: string, stdin: string) {
  writeFileSync(box.log, "");
  const result = spawnSync("bash", ["-c", script], {
    input: stdin,
    env: box.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { ...result, log: readFileSync(box.log, "utf8") };
}

/** Every file under the sandbox with its mtime and content digest. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, `${statSync(path).mtimeMs} ${sha256(readFileSync(path, "utf8"))}`);
    }
  return files;
}

const ownerOf = (box: Sandbox, path: string) =>
  `${(statSync(join(box.root, path)).mode & 0o777).toString(8)} ${readFileSync(join(box.root, `${path}.owner`), "utf8").trim()}`;

describe("the manager's install script", () => {
  let key: { armored: string; fingerprint: string };
  let apt: AptRepository;
  const stdin = (enrollment: string) => `${enrollment}\nINDEXER-PASSWORD-CANARY\n${KEY_PEM}`;

  before(() => {
    for (const name of ["gpg", "bash", "shellcheck"]) tool(name);
    key = testKey();
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
    const first = run(box, installScript(argsFor(apt)), stdin("ENROLL-CANARY-1"));
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
    assert.equal(run(box, script, stdin("ENROLL-CANARY-1")).status, 0);
    const before = snapshot(box.root);
    const second = run(box, script, stdin("ENROLL-CANARY-1"));
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.log, /apt-get install|restart|keystore add|wazuh-keystore/);
    assert.match(second.log, /systemctl start wazuh-manager filebeat/);
    assert.deepEqual(snapshot(box.root), before);
    const third = run(box, script, stdin("ENROLL-CANARY-2"));
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.log, /systemctl restart wazuh-manager filebeat/);
    assert.doesNotMatch(third.log, /apt-get install|keystore add/);
    assert.equal(readFileSync(join(box.root, AUTHD_PASS_PATH), "utf8"), "ENROLL-CANARY-2\n");
  });

  it("refuses a repository key whose fingerprint is not the pinned one, before installing anything", () => {
    const box = ready();
    const other = { ...apt, keyFingerprint: "0DCFCA5547B19D2A6099506096B3EE5F29111145" };
    const result = run(box, installScript(argsFor(other)), stdin("E"));
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `is not the Wazuh signing key 0DCFCA5547B19D2A6099506096B3EE5F29111145 \\(got: ${key.fingerprint}\\)`,
      ),
    );
    assert.doesNotMatch(result.log, /apt-get install/);
    assert.ok(!existsSync(join(box.root, WAZUH_APT.keyring)));
  });

  it("refuses a key file that carries a second key beside the pinned one", () => {
    const box = ready();
    box.serve(apt.keyUrl, key.armored + testKey().armored);
    const result = run(box, installScript(argsFor(apt)), stdin("E"));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /is not the Wazuh signing key/);
  });

  it("refuses a module file or template whose sha256 differs, before placing it", () => {
    const box = ready();
    box.serve("https://files.test/module.yml", "module_version: 0.1\n# changed\n");
    const result = run(box, installScript(argsFor(apt)), stdin("E"));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /https:\/\/files\.test\/module\.yml does not match its pinned sha256/);
    assert.ok(!existsSync(join(box.root, "usr/share/filebeat/module/wazuh/module.yml")));
  });

  it("stops when stdin carries no TLS key", () => {
    const box = ready();
    const result = run(box, installScript(argsFor(apt)), "E\nP\n");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no TLS key on stdin/);
  });
});
