import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run, shellcheck } from "../../../test/support/debianTools";
import { captureNicUnit, networksCfg, nodeCfg, pruneScript } from "./config";
import { installScript } from "./install";
import { mirrorInstallScript, mirrorRemoveScript, mirrorConfig } from "./mirror";

const ARGS = { dataMount: "/srv/data", captureInterface: "ens19", localNets: ["10.10.10.0/24"] };

function lint(script: string, shell: "bash" | "sh" = "bash"): void {
  const text = script.startsWith("#!") ? script : `#!/bin/${shell}\n${script}`;
  const syntax = run(shell === "bash" ? "bash" : "sh", ["-n"], { input: text });
  assert.equal(syntax.status, 0, syntax.stderr);
  const checked = shellcheck(text, shell);
  assert.equal(checked.status, 0, checked.stdout);
}

describe("the Zeek sensor's scripts", () => {
  it("pass bash -n and shellcheck: the install, the prune, the node's mirror install and removal", () => {
    lint(installScript(ARGS));
    lint(pruneScript(ARGS, 80));
    lint(mirrorInstallScript(mirrorConfig(150, { mode: "vm-taps", uplink: "eno1" })));
    lint(mirrorRemoveScript());
  });

  it("bring the capture NIC up without an address, offloads off, before Zeek", () => {
    const unit = captureNicUnit("ens19");
    assert.match(unit, /Before=zeek\.service/);
    assert.match(unit, /ExecStart=\/usr\/sbin\/ip link set dev ens19 up\n/);
    for (const offload of ["gro", "lro", "tso", "gso"])
      assert.match(unit, new RegExp(`ethtool -K ens19 ${offload} off`));
    assert.doesNotMatch(unit, /ip addr/);
  });

  it("refuse what would break ZeekControl's files", () => {
    assert.throws(() => networksCfg([]), /needs the lab's networks/);
    assert.throws(() => networksCfg(["10.0.0.0/33"]), /not a CIDR/);
    assert.throws(() => nodeCfg("ens19\ninterface=x"), /interface/);
    assert.throws(() => pruneScript(ARGS, 99), /10 to 95/);
  });

  it("accept the zeek key only with the pinned fingerprint, and pin and hold every package", () => {
    const script = installScript(ARGS);
    assert.match(script, /if \[ "\$fprs" != 'AAF3EB044C49C402A9E7B9AE69D1B2AAEE3D166A' \]; then/);
    assert.match(script, /deb \[signed-by=\/usr\/share\/keyrings\/security-zeek\.gpg\]/);
    for (const pkg of ["zeek-8.0-core=8.0.11-0", "zeekctl-8.0=8.0.11-0", "ethtool=1:6.1-1"])
      assert.ok(script.includes(pkg), pkg);
    assert.match(script, /mountpoint -q '\/srv\/data'/);
  });

  it("prune the oldest archived days while the disk is over the limit, never the live logs", () => {
    const dir = mkdtempSync(join(tmpdir(), "zeek-prune-"));
    try {
      const logs = join(dir, "zeek", "logs");
      for (const day of ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "current"])
        mkdirSync(join(logs, day), { recursive: true });
      // A df that reports 50% plus 10% per directory left under the logs.
      const bin = join(dir, "bin");
      mkdirSync(bin);
      writeFileSync(join(bin, "df"), '#!/bin/sh\necho Use%\necho " $((50 + 10 * $(ls "$2" | wc -l)))%"\n');
      chmodSync(join(bin, "df"), 0o755);
      const result = run("bash", ["-c", pruneScript({ dataMount: dir }, 80)], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(readdirSync(logs).sort(), ["2026-11-03", "2026-11-04", "current"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
