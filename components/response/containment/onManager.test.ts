/**
 * The manager's containment step: its script run for real in the install sandbox
 * (test/support/installSandbox.ts: `sudo` moves absolute paths under the sandbox and records owners,
 * systemctl is logged), its units checked by systemd-analyze, and the Pulumi resource under mocks.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { shellcheck } from "../../../test/support/debianTools";
import { ownerOf, runIn, sandbox, snapshot, tool } from "../../../test/support/installSandbox";
import {
  CONTAIN_PATHS,
  containActiveResponse,
  containProgram,
  EXPIRE_UNIT,
  renderContainConfig,
} from "./program";
import { containmentInstallScript, containmentOnManager, expireUnits, FIREWALL_CA_PATH } from "./onManager";
import { RESCAN_KEY_PATH, RESCAN_KNOWN_HOSTS_PATH, knownHostsLine } from "./rescanAccess";

const SECRET = "contain-secret-CANARY-0123456789";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nRESCAN-KEY-CANARY\n-----END OPENSSH PRIVATE KEY-----\n";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFortressGreenboneHostKeyForTheTest0000000000";
const CA = "-----BEGIN CERTIFICATE-----\nMIIBfortresstestca\n-----END CERTIFICATE-----\n";
const CONFIG = renderContainConfig({
  url: "https://10.10.10.1",
  key: "fortress-contain",
  secret: SECRET,
  allow: [{ cidr: "10.10.10.0/24", why: "the management network" }],
  internal: ["10.10.40.0/24"],
  logFile: CONTAIN_PATHS.auditLog,
  releaseAfter: 86400,
});
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("containment on the Wazuh manager: the script", () => {
  // The install itself, without the closing preflight (no firewall here to prove the key on: below).
  const withRescan = containmentInstallScript({
    knownHosts: knownHostsLine("10.10.20.9", HOST_KEY),
    firewallCaPem: CA,
    preflight: false,
  });
  const without = containmentInstallScript({ preflight: false });

  it("ends, in a deployment, with fortress-contain preflight, and stops with a hint when it fails", () => {
    const deployed = containmentInstallScript();
    assert.equal(shellcheck(deployed, "sh").status, 0);
    const lines = deployed.trimEnd().split("\n");
    assert.match(lines.at(-2) ?? "", /fortress-contain --config \/etc\/fortress\/contain\.json preflight/);
    const box = prepare();
    // A firewall that is not there: 127.0.0.1:9 refuses at once, fortress-contain gives up after its retries.
    const unreachable = renderContainConfig({
      url: "https://127.0.0.1:9",
      key: "fortress-contain",
      secret: SECRET,
      allow: [{ cidr: "10.10.10.0/24", why: "the management network" }],
      internal: ["10.10.40.0/24"],
      logFile: CONTAIN_PATHS.auditLog,
      attempts: 1,
    });
    const ran = runIn(box, deployed, `${b64(unreachable)}\n`);
    assert.notEqual(ran.status, 0);
    assert.match(
      ran.stderr,
      /fortress-contain preflight failed: the containment key \(fortress:containmentApiKey\)/,
    );
    assert.ok(!ran.stderr.includes(SECRET) && !ran.log.includes(SECRET));
  });

  it("passes shellcheck, with and without the rescan", () => {
    for (const script of [withRescan, without]) {
      const result = shellcheck(script, "sh");
      assert.equal(result.status, 0, result.stdout + result.stderr);
    }
  });

  it("carries no secret: the configuration and the key come on stdin", () => {
    for (const script of [withRescan, without]) {
      assert.ok(!script.includes(SECRET) && !script.includes("RESCAN-KEY-CANARY"));
      assert.match(script, /IFS= read -r config/);
    }
  });

  const prepare = () => {
    tool("install", "coreutils");
    const box = sandbox();
    box.group("wazuh", []);
    for (const dir of ["usr/local/sbin", "var/ossec/active-response/bin", "etc/systemd/system"])
      mkdirSync(join(box.root, dir), { recursive: true });
    return box;
  };

  it("installs every file with its owner and mode, and enables the expiry timer; secrets never on a command line", () => {
    const box = prepare();
    const ran = runIn(box, withRescan, `${b64(CONFIG)}\n${b64(KEY)}\n`);
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(ownerOf(box, CONTAIN_PATHS.config), "600 root root");
    assert.equal(readFileSync(join(box.root, CONTAIN_PATHS.config), "utf8"), CONFIG);
    assert.equal(ownerOf(box, CONTAIN_PATHS.program), "755 root root");
    assert.equal(readFileSync(join(box.root, CONTAIN_PATHS.program), "utf8"), containProgram());
    assert.equal(ownerOf(box, CONTAIN_PATHS.activeResponse), "750 root wazuh");
    assert.equal(readFileSync(join(box.root, CONTAIN_PATHS.activeResponse), "utf8"), containActiveResponse());
    assert.equal(ownerOf(box, RESCAN_KEY_PATH), "600 root root");
    assert.equal(readFileSync(join(box.root, RESCAN_KEY_PATH), "utf8"), KEY);
    assert.equal(readFileSync(join(box.root, RESCAN_KNOWN_HOSTS_PATH), "utf8"), `10.10.20.9 ${HOST_KEY}\n`);
    assert.equal(readFileSync(join(box.root, FIREWALL_CA_PATH), "utf8"), CA);
    assert.equal(ownerOf(box, `/etc/systemd/system/${EXPIRE_UNIT}.timer`), "644 root root");
    assert.match(ran.log, new RegExp(`systemctl enable --now ${EXPIRE_UNIT}\\.timer`));
    assert.match(ran.log, /install -d -o root -g root -m 0700 \/etc\/fortress \/var\/lib\/fortress-contain/);
    assert.ok(!ran.log.includes(SECRET) && !ran.log.includes("RESCAN-KEY-CANARY"), ran.log);
  });

  it("is re-runnable: a second run leaves the same files; without the rescan its key and host pin go", () => {
    const box = prepare();
    const stdin = `${b64(CONFIG)}\n${b64(KEY)}\n`;
    assert.equal(runIn(box, withRescan, stdin).status, 0);
    const first = new Map(
      [...snapshot(box.root)].map(([path, stamp]) => [path, stamp.split(" ")[1]] as const),
    );
    const again = runIn(box, withRescan, stdin);
    assert.equal(again.status, 0, again.stderr);
    const second = new Map(
      [...snapshot(box.root)].map(([path, stamp]) => [path, stamp.split(" ")[1]] as const),
    );
    assert.deepEqual(second, first);
    const off = runIn(box, without, `${b64(CONFIG)}\n\n`);
    assert.equal(off.status, 0, off.stderr);
    assert.ok(!existsSync(join(box.root, RESCAN_KEY_PATH)));
    assert.ok(!existsSync(join(box.root, RESCAN_KNOWN_HOSTS_PATH)));
  });

  it("stops before touching the manager without a configuration, or a rescan key the rescan needs", () => {
    const box = prepare();
    const empty = runIn(box, withRescan, "");
    assert.notEqual(empty.status, 0);
    assert.match(empty.stderr, /no contain\.json on stdin/);
    const noKey = runIn(box, withRescan, `${b64(CONFIG)}\n\n`);
    assert.notEqual(noKey.status, 0);
    assert.match(noKey.stderr, /no rescan key on stdin/);
    assert.ok(!existsSync(join(box.root, CONTAIN_PATHS.config)), "nothing placed");
    const notJson = runIn(box, without, `${b64("{not json")}\n\n`);
    assert.notEqual(notJson.status, 0);
    assert.ok(!existsSync(join(box.root, CONTAIN_PATHS.config)));
  });

  it("has expiry units systemd accepts (systemd-analyze verify), the service running fortress-contain expire every minute", () => {
    tool("systemd-analyze", "systemd");
    const dir = mkdtempSync(join(tmpdir(), "fortress-units-"));
    const program = join(dir, "fortress-contain");
    writeFileSync(program, "#!/bin/sh\n");
    chmodSync(program, 0o755);
    const units = expireUnits();
    assert.match(
      units.service,
      new RegExp(`^ExecStart=${CONTAIN_PATHS.program} --by ${EXPIRE_UNIT} expire$`, "m"),
    );
    assert.match(units.timer, /^OnUnitActiveSec=1min$/m);
    writeFileSync(join(dir, `${EXPIRE_UNIT}.service`), units.service.replace(CONTAIN_PATHS.program, program));
    writeFileSync(join(dir, `${EXPIRE_UNIT}.timer`), units.timer);
    const verified = spawnSync(
      "systemd-analyze",
      ["verify", join(dir, `${EXPIRE_UNIT}.timer`), join(dir, `${EXPIRE_UNIT}.service`)],
      { encoding: "utf8" },
    );
    assert.equal(verified.status, 0, verified.stderr);
    assert.equal(verified.stderr.trim(), "");
  });
});

describe("containment on the Wazuh manager: the resource", () => {
  it("sends the configuration and key as secrets on stdin, logs nothing, and points the rescan at the Greenbone VM", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    const step = containmentOnManager(
      "contain",
      {
        host: {
          name: "wazuh-manager-1",
          address: "10.10.20.64",
          fqdn: "wazuh-manager-1.lab",
          hostKey: "ssh-ed25519 AAAAmanager",
          user: "fortress",
          privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nadmin\n-----END OPENSSH PRIVATE KEY-----\n",
        },
        config: {
          url: "https://10.10.10.1",
          key: "fortress-contain",
          secret: pulumi.secret(SECRET),
          allow: [{ cidr: "10.10.10.0/24", why: "the management network" }],
          internal: ["10.10.20.0/24", "10.10.40.0/24"],
          servers: ["10.10.20.0/24"],
          releaseAfter: 3600,
        },
        firewallCaPem: CA,
        rescan: {
          privateKey: pulumi.secret(KEY),
          greenbone: { address: "10.10.20.9", hostKey: HOST_KEY },
          targets: { "10.10.40.0/24": "users" },
        },
      },
      {},
    );
    const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));
    assert.equal(await pulumi.isSecret(step.stdin as pulumi.Output<string>), true);
    const stdin = (await value(step.stdin as pulumi.Output<string>)) ?? "";
    const [configLine = "", keyLine = ""] = stdin.split("\n");
    const config = JSON.parse(Buffer.from(configLine, "base64").toString("utf8")) as Record<string, unknown>;
    assert.equal(config.secret, SECRET);
    assert.equal(config.log_file, CONTAIN_PATHS.auditLog, "the manager logs to the file it reads");
    assert.equal(
      config.metrics_dir,
      "/var/lib/prometheus/node-exporter",
      "the counters go to the manager's node exporter",
    );
    assert.equal(config.syslog, undefined, "never to its own remoted");
    assert.equal(config.ca_file, FIREWALL_CA_PATH);
    assert.deepEqual((config.rescan as { argv: string[] }).argv.slice(-4), [
      "-l",
      "fortress-rescan",
      "10.10.20.9",
      "fortress-rescan",
    ]);
    assert.equal(Buffer.from(keyLine, "base64").toString("utf8"), KEY);
    const script = (await value(step.create as pulumi.Output<string>)) ?? "";
    assert.ok(!script.includes(SECRET) && !script.includes("RESCAN-KEY-CANARY"));
    assert.ok(script.includes(b64(`10.10.20.9 ${HOST_KEY}\n`)), "the Greenbone host key pinned");
    assert.equal(await value(step.logging as pulumi.Output<string>), "none");
  });
});
