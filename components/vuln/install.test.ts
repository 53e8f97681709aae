import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run, shellcheck } from "../../test/support/debianTools";
import { CERT_DIR, GVMD_SOCKET, renderCompose } from "./compose";
import { GVM_PROGRAM, GVM_PROGRAM_PATH, RESCAN_EXIT_CODES } from "./gvmProgram";
import {
  ADMIN_PASSWORD_PATH,
  RESCAN_PATH,
  SCAN_KEY_PATH,
  TMPFILES,
  exportUnits,
  installScript,
  RECONCILE_ATTEMPTS,
  reconcileScript,
  rescanScript,
} from "./install";
import { DOCKER_APT, DOCKER_PACKAGES } from "./pins";
import { authorizedKeyLine, scanUserScript } from "./scanUser";
import { desiredState } from "./targets";
import { SAMPLE_DIGESTS } from "./sample.fixtures";
import { pinScript, renderEnv } from "./imagePins";

const CERT = "-----BEGIN CERTIFICATE-----\nGREENBONE-CERT\n-----END CERTIFICATE-----\n";
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFortressScanKeyForTests0000000000000000000 fortress";
const script = installScript({
  compose: renderCompose({ bindAddress: "10.0.10.40", fqdn: "greenbone-1.lab.example" }),
  certificatePem: CERT,
  program: GVM_PROGRAM,
});
const configured = installScript({
  compose: renderCompose({ bindAddress: "10.0.10.40", fqdn: "greenbone-1.lab.example" }),
  certificatePem: CERT,
  program: GVM_PROGRAM,
  env: renderEnv(SAMPLE_DIGESTS),
});

function clean(text: string, shell: "sh" | "bash") {
  const result = shellcheck(text, shell);
  assert.equal(result.status, 0, result.stdout);
}

describe("Greenbone install script", () => {
  it("passes shellcheck, as do the reconcile, scan-user, rescan, pin and digests scripts", () => {
    clean(script, "bash");
    clean(configured, "bash");
    clean(pinScript(), "sh");
    const desired = JSON.stringify(desiredState([{ name: "servers", hosts: ["10.0.20.0/24"] }], true));
    clean(reconcileScript(desired, true), "bash");
    clean(reconcileScript(desired, false), "bash");
    clean(scanUserScript({ publicKey: PUBLIC_KEY, scannerAddress: "10.0.10.40" }), "bash");
    clean(rescanScript(), "sh");
    clean(readFileSync(join(__dirname, "../../scripts/greenbone-digests.sh"), "utf8"), "sh");
    assert.equal(run("bash", ["-n"], { input: script }).status, 0);
  });

  it("trusts Docker's key only by its fingerprint, and installs pinned, held packages", () => {
    assert.ok(script.includes(`if [ "$fprs" != '${DOCKER_APT.keyFingerprint}' ]; then`));
    for (const p of DOCKER_PACKAGES) assert.ok(script.includes(`${p.name}=${p.version}`), p.name);
    assert.match(
      script,
      /apt-mark hold docker-ce docker-ce-cli containerd\.io docker-compose-plugin python3/,
    );
  });

  it("reads the secrets from stdin into root-only files, never into the script or an argument", () => {
    assert.match(script, /IFS= read -r admin_password/);
    assert.ok(script.includes(`place "$work/admin-password" '${ADMIN_PASSWORD_PATH}' 600 root root`));
    assert.ok(script.includes(`place "$work/tls.key" '${CERT_DIR}/server.key' 600 root root`));
    assert.ok(script.includes(`place "$work/fortress_gvm.py" '${GVM_PROGRAM_PATH}' 700 root root`));
    assert.doesNotMatch(script, /--new-password|--password=/);
    assert.ok(script.includes(CERT.trim()));
    const reconcile = reconcileScript("{}", true);
    assert.ok(reconcile.includes(`place "$work/scan-key" '${SCAN_KEY_PATH}' 600 root root`));
    assert.ok(!reconcileScript("{}", false).includes("scan-key"));
  });

  it("reconcile: retries only on 75 (feed objects not loaded yet, a task running), any other code ends it", () => {
    const reconcile = reconcileScript("{}", false);
    // The loop, run with a stand-in for sudo that answers 75 twice, then 0; and one that answers 6.
    const loop = reconcile.slice(reconcile.indexOf("for _ in"));
    const stub = (codes: string) =>
      `n=0; codes=(${codes}); sudo() { n=$((n+1)); echo "try $n"; return "\${codes[$((n-1))]}"; }; sleep() { :; }\n${loop}`;
    const retried = run("bash", ["-c", stub("75 75 0")]);
    assert.equal(retried.status, 0, retried.stderr);
    assert.equal(retried.stdout.trim().split("\n").length, 3);
    const failed = run("bash", ["-c", stub("6 0")]);
    assert.equal(failed.status, 6);
    assert.equal(failed.stdout.trim(), "try 1");
    const waiting = run("bash", ["-c", stub(Array(RECONCILE_ATTEMPTS).fill("75").join(" "))]);
    assert.equal(waiting.status, 75);
    assert.match(waiting.stderr, /next pulumi up carries on/);
  });

  it("brings compose up by its project, restarts nginx on a new certificate, and waits for gvmd to set the password", () => {
    assert.match(
      script,
      /docker compose -p greenbone-community-edition -f \/opt\/greenbone\/compose\.yaml --env-file \/opt\/greenbone\/\.env up -d/,
    );
    assert.match(script, /\*'\/opt\/greenbone\/certs\/'\*\) sudo docker compose .* restart nginx/);
    assert.ok(
      script.includes(`sudo test -S '${GVMD_SOCKET}' && sudo /usr/bin/python3 ${GVM_PROGRAM_PATH} password`),
    );
  });

  it("keeps gvmd's socket under a root-only directory, and exports every 15 minutes", () => {
    assert.equal(
      TMPFILES,
      "d /run/fortress-greenbone 0700 root root -\nd /run/fortress-greenbone/gvmd 0777 root root -\n",
    );
    const { service, timer } = exportUnits();
    assert.match(service, new RegExp(`ExecStart=/usr/bin/python3 ${GVM_PROGRAM_PATH} export`));
    assert.match(timer, /OnCalendar=\*:0\/15/);
  });

  it("fortress-rescan: one argument or usage exit 2, then the program's rescan", () => {
    const rescan = rescanScript();
    for (const [what, code] of Object.entries(RESCAN_EXIT_CODES))
      assert.ok(rescan.includes(`#   ${code}  ${what}`));
    const noArgs = run("sh", ["-s"], { input: rescan });
    assert.equal(noArgs.status, RESCAN_EXIT_CODES.usage);
    assert.match(noArgs.stderr, /usage: fortress-rescan <target-name>/);
    assert.ok(rescan.includes(`exec /usr/bin/python3 ${GVM_PROGRAM_PATH} rescan "$1"`));
    assert.equal(RESCAN_PATH, "/usr/local/sbin/fortress-rescan");
  });
});

describe("scan user", () => {
  it("accepts the key only from the scanner, with restrict, for fortress-scan", () => {
    assert.equal(
      authorizedKeyLine({ publicKey: PUBLIC_KEY, scannerAddress: "10.0.10.40" }),
      'restrict,from="10.0.10.40" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFortressScanKeyForTests0000000000000000000 fortress-scan',
    );
    assert.throws(
      () => authorizedKeyLine({ publicKey: "ssh-rsa AAAA x", scannerAddress: "10.0.10.40" }),
      /ed25519/,
    );
    assert.throws(() => authorizedKeyLine({ publicKey: PUBLIC_KEY, scannerAddress: "any" }), /IPv4/);
  });

  it("gives no sudo and no password, and refuses a sudoers entry naming it", () => {
    const text = scanUserScript({ publicKey: PUBLIC_KEY, scannerAddress: "10.0.10.40" });
    assert.match(text, /sudo usermod -p "\*" "\$user"/);
    assert.match(text, /gpasswd -d "\$user" "\$group"/);
    assert.match(text, /a sudoers entry names \$user/);
    assert.doesNotMatch(text, /NOPASSWD|usermod -aG/);
  });
});
