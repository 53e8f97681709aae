/**
 * The live drill's SSH transport, with a stand-in `ssh` that records what it was given: the private key
 * only as a 0600 file, the VM's host key pinned from the plan with strict checking and no other
 * known_hosts, batch mode, the input on stdin, and nothing left behind.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openSshTransport } from "../../scenario/live/ssh";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nKEY-CANARY-0123\n-----END OPENSSH PRIVATE KEY-----";
const VM = {
  name: "workstation-1",
  address: "10.10.40.23",
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPLANKEY",
};

describe("the live drill's SSH transport", () => {
  let dir = "";
  let fake = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fortress-fake-ssh-"));
    fake = join(dir, "ssh");
    // Records argv (one per line), the files it names, and stdin; answers like a remote `cat`.
    writeFileSync(
      fake,
      `#!/bin/sh
out=${dir}
printf '%s\\n' "$@" > "$out/argv"
while [ $# -gt 0 ]; do
  case "$1" in
    -i) cp "$2" "$out/key"; stat -c %a "$2" > "$out/key-mode" ;;
    UserKnownHostsFile=*) cp "\${1#UserKnownHostsFile=}" "$out/known_hosts" ;;
  esac
  shift
done
cat > "$out/stdin"
echo done
exit 3
`,
    );
    chmodSync(fake, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("pins the plan's host key, keeps the private key out of argv, sends the input on stdin", async () => {
    const transport = openSshTransport("fortress", KEY, { binary: fake });
    const result = await transport.run(
      VM,
      "cat > '/home/fortress/Downloads/x.txt'",
      Buffer.from("sample bytes"),
    );
    assert.deepEqual(result, { code: 3, stdout: "done\n", stderr: "" });
    const argv = readFileSync(join(dir, "argv"), "utf8").trim().split("\n");
    assert.ok(!argv.join(" ").includes("KEY-CANARY"), "the private key is not an argument");
    for (const option of [
      "StrictHostKeyChecking=yes",
      "BatchMode=yes",
      "IdentitiesOnly=yes",
      "GlobalKnownHostsFile=/dev/null",
    ])
      assert.ok(argv.includes(option), option);
    assert.deepEqual(argv.slice(-3), [
      "fortress@10.10.40.23",
      "--",
      "cat > '/home/fortress/Downloads/x.txt'",
    ]);
    assert.equal(readFileSync(join(dir, "known_hosts"), "utf8"), `10.10.40.23 ${VM.hostKey}\n`);
    assert.equal(readFileSync(join(dir, "key"), "utf8"), `${KEY}\n`);
    assert.equal(readFileSync(join(dir, "key-mode"), "utf8").trim(), "600");
    assert.equal(readFileSync(join(dir, "stdin"), "utf8"), "sample bytes");
    const keyDir = argv[argv.indexOf("-i") + 1]!.replace(/\/id$/, "");
    assert.equal(statSync(keyDir).mode & 0o777, 0o700);
    await transport.close();
    assert.equal(existsSync(keyDir), false, "the key's directory is removed");
  });
});
