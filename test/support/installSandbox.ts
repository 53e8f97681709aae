/**
 * A sandbox to run an install script for real (as components/siem/manager/install.test.ts does): the
 * host commands it calls are stubs on PATH (apt-get, apt-mark, dpkg-query, systemctl, curl, user and
 * group tools), `sudo` runs the command with absolute paths moved under the sandbox and records the
 * owner beside each file `install -o/-g` places, and gpg is Debian's own. Users and groups live in a
 * file of the sandbox ("group: member member"). Every stubbed command's arguments go to a log, so a
 * test can prove that no secret is ever an argument.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const urlKey = (url: string) => sha256(url).slice(0, 16);

const SUDO = `#!/bin/bash
echo "sudo $*" >> "$LOG"
if [ "$1" = -u ]; then shift 2; fi
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

/** Groups: "$SANDBOX/groups", one "name: member member" line each. */
const GROUP_TOOLS: Record<string, string> = {
  getent: `#!/bin/sh
[ "$1" = group ] || exit 2
grep -q "^$2:" "$SANDBOX/groups" 2>/dev/null
`,
  groupadd: `#!/bin/sh
echo "groupadd $*" >> "$LOG"
for g; do :; done
echo "$g:" >> "$SANDBOX/groups"
`,
  useradd: `#!/bin/sh
echo "useradd $*" >> "$LOG"
for u; do :; done
echo "user:$u" >> "$SANDBOX/users"
echo "$u: $u" >> "$SANDBOX/groups"
`,
  usermod: `#!/bin/sh
echo "usermod $*" >> "$LOG"
[ "$1" = -a ] && [ "$2" = -G ] || exit 2
sed -i "s/^$3:\\(.*\\)$/$3:\\1 $4/" "$SANDBOX/groups"
`,
  gpasswd: `#!/bin/sh
echo "gpasswd $*" >> "$LOG"
[ "$1" = -d ] || exit 2
sed -i "/^$3:/s/ $2\\b//g" "$SANDBOX/groups"
`,
  id: `#!/bin/sh
case "$1" in
  -nG) grep " $2\\b" "$SANDBOX/groups" | cut -d: -f1 | tr '\\n' ' '; echo ;;
  -u) if [ -n "$2" ]; then grep -qx "user:$2" "$SANDBOX/users" 2>/dev/null; else exec /usr/bin/id -u; fi ;;
  *) exec /usr/bin/id "$@" ;;
esac
`,
};

const STUBS: Record<string, string> = {
  sudo: SUDO,
  ...GROUP_TOOLS,
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
  systemctl: `#!/bin/sh\necho "systemctl $*" >> "$LOG"\nexit 0\n`,
  journalctl: `#!/bin/sh\nexit 0\n`,
  "cloud-init": "#!/bin/sh\nexit 0\n",
  ss: `#!/bin/sh\necho "UNCONN 0 0 0.0.0.0:2055 0.0.0.0:*"\n`,
  curl: `#!/bin/sh
echo "curl $*" >> "$LOG"
out=""
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done
key=$(printf '%s' "$url" | sha256sum | cut -c1-16)
[ -f "$WWW/$key" ] || exit 22
cp "$WWW/$key" "$out"
`,
};

export interface Sandbox {
  readonly root: string;
  readonly log: string;
  readonly env: NodeJS.ProcessEnv;
  serve(url: string, content: string): void;
  /** Puts a group with its members in the sandbox's group file. */
  group(name: string, members: readonly string[]): void;
  groups(): Record<string, string[]>;
}

export function tool(name: string, pkg = name): void {
  const found = spawnSync("sh", ["-c", `command -v ${name}`]);
  if (found.status !== 0) throw new Error(`${name} is not installed (Debian: apt-get install ${pkg})`);
}

export function sandbox(extraStubs: Readonly<Record<string, string>> = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "fortress-install-"));
  const [bin, root, www, tmp] = ["bin", "root", "www", "tmp"].map((name) => join(dir, name)) as [
    string,
    string,
    string,
    string,
  ];
  for (const path of [bin, root, www, tmp]) mkdirSync(path);
  for (const [name, body] of Object.entries({ ...STUBS, ...extraStubs })) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  const log = join(dir, "log");
  writeFileSync(log, "");
  writeFileSync(join(root, "groups"), "");
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
    group: (name, members) =>
      writeFileSync(join(root, "groups"), `${name}:${members.map((m) => ` ${m}`).join("")}\n`, { flag: "a" }),
    groups: () =>
      Object.fromEntries(
        readFileSync(join(root, "groups"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => {
            const [name, members = ""] = line.split(":");
            return [name as string, members.split(" ").filter(Boolean)];
          }),
      ),
  };
}

export function runIn(box: Sandbox, script: string, stdin: string) {
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
export function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, `${statSync(path).mtimeMs} ${sha256(readFileSync(path, "utf8"))}`);
    }
  return files;
}

export const ownerOf = (box: Sandbox, path: string) =>
  `${(statSync(join(box.root, path)).mode & 0o7777).toString(8)} ${readFileSync(join(box.root, `${path}.owner`), "utf8").trim()}`;

/** Signing keys made for the test, armored, with their fingerprints. */
export function testKeys(count: number): { armored: string; fingerprint: string }[] {
  return Array.from({ length: count }, (_, index) => {
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
        `Fortress test ${index} <test@fortress.invalid>`,
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
  });
}
