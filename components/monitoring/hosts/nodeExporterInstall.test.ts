/**
 * The node exporter's install script: shellcheck, and run for real in the shared install sandbox
 * (test/support/installSandbox.ts: apt-get, dpkg-query, systemctl stubbed, `sudo` moving absolute
 * paths under the sandbox) on a bookworm VM and a trixie Proxmox node.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { run, shellcheck } from "../../../test/support/debianTools";
import { ownerOf, runIn, type Sandbox, sandbox, snapshot, tool } from "../../../test/support/installSandbox";
import { nodeExporterDropIn, nodeExporterInstallScript, ROOT_WITHOUT_SUDO } from "./nodeExporterInstall";
import { DEBIAN_UNIT, NODE_EXPORTER_DROP_IN, NODE_EXPORTER_VERSIONS, TEXTFILE_DIR } from "./pins";

const ADDRESS = "10.10.20.31";
const script = nodeExporterInstallScript({ listenAddress: ADDRESS });

function host(codename: string): Sandbox {
  const box = sandbox();
  mkdirSync(join(box.root, "etc"), { recursive: true });
  writeFileSync(join(box.root, "etc/os-release"), `ID=debian\nVERSION_CODENAME=${codename}\n`);
  return box;
}

describe("the node exporter's install script", () => {
  before(() => tool("bash"));

  it("passes bash -n and shellcheck", () => {
    const syntax = run("bash", ["-n"], { input: script });
    assert.equal(syntax.status, 0, syntax.stderr);
    const checked = shellcheck(script, "bash");
    assert.equal(checked.status, 0, checked.stdout);
  });

  it("listens on the host's own address only, and refuses anything that is no IPv4 address", () => {
    assert.match(
      nodeExporterDropIn(ADDRESS),
      /^ExecStart=\n^ExecStart=\/usr\/bin\/prometheus-node-exporter --web\.listen-address=10\.10\.20\.31:9100 --collector\.textfile\.directory=\/var\/lib\/prometheus\/node-exporter$/m,
    );
    assert.doesNotMatch(nodeExporterDropIn(ADDRESS), /0\.0\.0\.0|listen-address=:/);
    for (const bad of ["0.0.0.0.1", "host; rm -rf /", "", "::1"])
      assert.throws(() => nodeExporterInstallScript({ listenAddress: bad }), /no IPv4 address/);
  });

  for (const [codename, version] of Object.entries(NODE_EXPORTER_VERSIONS))
    it(`on ${codename} installs ${version} held, without recommends, writes the defaults and starts the service`, () => {
      const box = host(codename);
      const result = runIn(box, script, "");
      assert.equal(result.status, 0, result.stderr);
      assert.match(
        result.log,
        new RegExp(
          `apt-get install -y -qq --no-install-recommends .*prometheus-node-exporter=${version.replace(/[.+]/g, "\\$&")}( |$)`,
          "m",
        ),
      );
      assert.match(result.log, /apt-mark hold prometheus-node-exporter/);
      assert.equal(readFileSync(join(box.root, NODE_EXPORTER_DROP_IN), "utf8"), nodeExporterDropIn(ADDRESS));
      assert.equal(ownerOf(box, NODE_EXPORTER_DROP_IN), "644 root root");
      assert.match(result.log, /systemctl restart prometheus-node-exporter/);
      // The drop-in is in place before the package's first start.
      const order = result.log.split("\n");
      const placed = order.findIndex((line) => line.includes(NODE_EXPORTER_DROP_IN));
      const installed = order.findIndex((line) => line.startsWith("apt-get install"));
      assert.ok(placed >= 0 && placed < installed, "the drop-in is placed before the install");
      assert.ok(order.indexOf("systemctl daemon-reload") < installed);
    });

  it("gives Debian's unit an ExecStart systemd accepts (systemd-analyze verify of the unit with the drop-in)", () => {
    tool("systemd-analyze", "systemd");
    const dir = mkdtempSync(join(tmpdir(), "fortress-node-exporter-"));
    // An executable that exists here stands in for the package's binary.
    const unit = `${DEBIAN_UNIT}\n${nodeExporterDropIn(ADDRESS).replace(/^#.*\n/, "")}`.replaceAll(
      "/usr/bin/prometheus-node-exporter",
      "/bin/true",
    );
    writeFileSync(join(dir, "prometheus-node-exporter.service"), unit);
    const verified = run("systemd-analyze", ["verify", join(dir, "prometheus-node-exporter.service")]);
    assert.equal(verified.status, 0, verified.stderr);
  });

  it("changes nothing on a re-run, and restarts when the address changes", () => {
    const box = host("bookworm");
    assert.equal(runIn(box, script, "").status, 0);
    const first = snapshot(box.root);
    const again = runIn(box, script, "");
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.log, /apt-get install|systemctl restart/);
    assert.match(again.log, /systemctl start prometheus-node-exporter/);
    assert.deepEqual(snapshot(box.root), first);
    const moved = runIn(box, nodeExporterInstallScript({ listenAddress: "10.10.20.32" }), "");
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(moved.log, /systemctl restart prometheus-node-exporter/);
    assert.doesNotMatch(moved.log, /apt-get install/);
  });

  it("makes the textfile directory root-owned and readable when the package did not", () => {
    const box = host("trixie");
    const result = runIn(box, script, "");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(ownerOf(box, TEXTFILE_DIR), "755 root root");
  });

  it("stops on a Debian release without a pinned version, before installing anything", () => {
    const box = host("bullseye");
    const result = runIn(box, script, "");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Debian release 'bullseye' has no pinned version/);
    assert.doesNotMatch(result.log, /apt-get|systemctl/);
  });

  it("runs as root on a node without sudo: its `sudo` is the command itself, and a VM's sudo stays sudo", () => {
    const asRoot = run("bash", [
      "-c",
      `id() { echo 0; }; PATH=/nonexistent; ${ROOT_WITHOUT_SUDO}; sudo echo ran`,
    ]);
    assert.equal(asRoot.stdout.trim(), "ran", asRoot.stderr);
    const asAdmin = run("bash", [
      "-c",
      `id() { echo 1000; }; PATH=/nonexistent; ${ROOT_WITHOUT_SUDO}; sudo echo ran`,
    ]);
    assert.notEqual(asAdmin.status, 0);
    assert.ok(script.startsWith(`${ROOT_WITHOUT_SUDO}\n`));
  });
});
