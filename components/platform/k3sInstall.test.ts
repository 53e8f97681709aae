import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  fetchChecked,
  imagesFileName,
  installScript,
  K3S_IMAGES_DIR,
  K3S_INSTALLER,
  readCaHashScript,
} from "./k3sInstall";

const PAYLOAD = "#!/bin/sh\necho installer ran\n";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Runs the fetch-and-check lines with a `curl` on PATH that serves PAYLOAD, then "runs" the file. */
function runFetch(expected: string): { status: number | null; stderr: string; ran: boolean } {
  const dir = mkdtempSync(join(tmpdir(), "fortress-fetch-"));
  const curl = join(dir, "curl");
  // The stub writes PAYLOAD to the -o file, as curl would after a download.
  writeFileSync(
    curl,
    `#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = -o ]; then shift; out=$1; fi; shift; done\nprintf '%s' '${PAYLOAD}' > "$out"\n`,
  );
  chmodSync(curl, 0o755);
  const script = [
    "set -eu",
    `work=${dir}`,
    ...fetchChecked(K3S_INSTALLER.url, expected, "$work/install.sh", "the k3s installer"),
    `touch ${dir}/ran`,
  ].join("\n");
  const result = spawnSync("sh", ["-c", script], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
  return { status: result.status, stderr: result.stderr, ran: existsSync(join(dir, "ran")) };
}

describe("the k3s install script", () => {
  it("goes on when the download hashes to the pinned sha256", () => {
    const { status, stderr, ran } = runFetch(sha256(PAYLOAD));
    assert.equal(status, 0, stderr);
    assert.ok(ran);
  });

  it("stops before running a download whose sha256 differs, and says which digest it expected", () => {
    const { status, stderr, ran } = runFetch("0".repeat(64));
    assert.equal(status, 1);
    assert.ok(!ran, "the script went on");
    assert.match(stderr, /does not match its pinned sha256 0{64}/);
  });

  it("air-gapped: installs the binary and images from the mirror by digest, checks the version, skips the download", () => {
    const airgap = {
      binaryUrl: "http://mirror.lab/k3s/v1.35.6+k3s1/k3s",
      binarySha256: "a".repeat(64),
      imagesUrl: "http://mirror.lab/k3s/v1.35.6+k3s1/k3s-airgap-images-amd64.tar.zst",
      imagesSha256: "b".repeat(64),
    };
    const script = installScript({
      role: "agent",
      version: "v1.35.6+k3s1",
      config: "---\nserver: https://k3s.lab:6443\n",
      secretFiles: ["/etc/rancher/k3s/token"],
      installer: { url: "http://mirror.lab/k3s/install.sh", sha256: K3S_INSTALLER.sha256 },
      airgap,
    });
    assert.match(script, new RegExp(`echo '${"a".repeat(64)}  '"\\$work/k3s" \\| sha256sum -c`));
    assert.match(script, new RegExp(`echo '${"b".repeat(64)}  '"\\$work/images" \\| sha256sum -c`));
    assert.match(script, /grep -qF 'k3s version v1\.35\.6\+k3s1 '/);
    assert.ok(script.includes(`${K3S_IMAGES_DIR}/k3s-airgap-images-amd64.tar.zst`));
    assert.match(script, /INSTALL_K3S_SKIP_DOWNLOAD=true/);
    assert.ok(script.indexOf("sha256sum -c") < script.indexOf('sh "$work/install.sh"'));
    const syntax = spawnSync("sh", ["-n"], { input: script, encoding: "utf8" });
    assert.equal(syntax.status, 0, syntax.stderr);
    assert.equal(imagesFileName(airgap), "k3s-airgap-images-amd64.tar.zst");
  });

  it("prints only the CA hash from the server's token file, and fails when there is none", () => {
    const dir = mkdtempSync(join(tmpdir(), "fortress-ca-hash-"));
    const sudo = join(dir, "sudo");
    writeFileSync(sudo, '#!/bin/sh\nexec "$@"\n');
    chmodSync(sudo, 0o755);
    const env = { ...process.env, PATH: `${dir}:${process.env.PATH}` };
    const hash = sha256("cluster CA");
    const token = join(dir, "token");
    writeFileSync(token, `K10${hash}::server:super-secret-token\n`);
    const good = spawnSync("sh", ["-c", readCaHashScript(token)], { encoding: "utf8", env });
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout, `${hash}\n`);
    writeFileSync(token, "super-secret-token\n");
    const bare = spawnSync("sh", ["-c", readCaHashScript(token)], { encoding: "utf8", env });
    assert.equal(bare.status, 1);
    assert.equal(bare.stdout, "", "nothing of the token is printed");
    assert.match(bare.stderr, /no cluster CA hash/);
  });
});
