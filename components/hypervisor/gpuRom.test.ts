import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { romRemoveScript, romSetScript } from "./gpuRom";

/**
 * A node to run the scripts on: `qm` records each call and answers as qemu-server's CLI would for
 * the state given (`qm status` prints `status: running|stopped`; `qm config` fails for a VM that is
 * gone); `sudo` records and runs; `id` says the SSH user's uid.
 */
function node(state: {
  status?: "running" | "stopped";
  shutdownFails?: boolean;
  vmGone?: boolean;
  uid?: number;
}) {
  const dir = mkdtempSync(join(tmpdir(), "fortress-gpu-rom-"));
  const bin = join(dir, "bin");
  const romDir = join(dir, "kvm");
  mkdirSync(bin);
  mkdirSync(romDir);
  const log = join(dir, "calls");
  writeFileSync(log, "");
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool(
    "qm",
    [
      `echo "qm $*" >> ${log}`,
      'case "$1" in',
      `  status) echo "status: ${state.status ?? "running"}" ;;`,
      `  shutdown) exit ${state.shutdownFails ? 1 : 0} ;;`,
      `  config) exit ${state.vmGone ? 2 : 0} ;;`,
      "esac",
    ].join("\n"),
  );
  tool("sudo", `echo "sudo $*" >> ${log}\n[ "$1" = "-n" ] && shift\nexec "$@"`);
  if (state.uid !== undefined) tool("id", `echo ${state.uid}`);
  const run = (script: string) => {
    const result = spawnSync("sh", ["-c", script], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    return {
      status: result.status,
      stderr: result.stderr,
      calls: readFileSync(log, "utf8").trim().split("\n").filter(Boolean),
    };
  };
  return { romDir, run };
}

const ROM = { vmId: 123, mappingName: "fortress-gpu-predator", romFile: "tu104m.rom" };

describe("the GPU ROM file scripts", () => {
  it("sets the ROM as root, then shuts the running VM down gracefully and starts it (a pending hostpci applies at start)", () => {
    const lab = node({ status: "running" });
    writeFileSync(join(lab.romDir, "tu104m.rom"), "vbios");
    const { status, calls } = lab.run(romSetScript({ ...ROM, romDir: lab.romDir }));
    assert.equal(status, 0);
    const qm = calls.filter((call) => call.startsWith("qm "));
    assert.equal(
      qm[0],
      "qm set 123 --hostpci0 mapping=fortress-gpu-predator,pcie=1,rombar=1,romfile=tu104m.rom",
    );
    assert.deepEqual(qm.slice(1), ["qm status 123", "qm shutdown 123 --timeout 180", "qm start 123"]);
    assert.ok(!calls.some((call) => call.startsWith("sudo")), "root needs no sudo");
  });

  it("stops the VM hard only when the graceful shutdown fails, and always starts it again", () => {
    const lab = node({ status: "running", shutdownFails: true });
    writeFileSync(join(lab.romDir, "tu104m.rom"), "vbios");
    const { status, calls } = lab.run(romSetScript({ ...ROM, romDir: lab.romDir }));
    assert.equal(status, 0);
    assert.deepEqual(calls.slice(-3), ["qm shutdown 123 --timeout 180", "qm stop 123", "qm start 123"]);
  });

  it("leaves a stopped VM stopped: qemu-server applies the change to it at once", () => {
    const lab = node({ status: "stopped" });
    writeFileSync(join(lab.romDir, "tu104m.rom"), "vbios");
    const { status, calls } = lab.run(romSetScript({ ...ROM, romDir: lab.romDir }));
    assert.equal(status, 0);
    assert.ok(!calls.some((call) => /qm (shutdown|stop|start)/.test(call)), calls.join("\n"));
  });

  it("refuses, naming the file and the README step, when the ROM is not on the node", () => {
    const lab = node({ status: "running" });
    const { status, stderr, calls } = lab.run(romSetScript({ ...ROM, romDir: lab.romDir }));
    assert.notEqual(status, 0);
    assert.match(stderr, /tu104m\.rom is missing on this node/);
    assert.match(stderr, /GPU host setup/);
    assert.deepEqual(calls, []);
  });

  it("runs every qm through sudo -n when the SSH user is not root", () => {
    const lab = node({ status: "running", uid: 1000 });
    writeFileSync(join(lab.romDir, "tu104m.rom"), "vbios");
    const { status, calls } = lab.run(romSetScript({ ...ROM, romDir: lab.romDir }));
    assert.equal(status, 0);
    const qm = calls.filter((call) => call.startsWith("qm "));
    assert.ok(qm.length >= 4);
    for (const call of qm) assert.ok(calls.includes(`sudo -n ${call}`), `${call} without sudo`);
  });

  it("on delete, gives the entry back without the ROM (which only root may change) and restarts a running VM", () => {
    const lab = node({ status: "running", uid: 1000 });
    const { status, calls } = lab.run(romRemoveScript(ROM));
    assert.equal(status, 0);
    const qm = calls.filter((call) => call.startsWith("qm "));
    assert.ok(
      qm.includes("qm set 123 --hostpci0 mapping=fortress-gpu-predator,pcie=1,rombar=1"),
      qm.join("\n"),
    );
    assert.ok(!qm.some((call) => call.includes("romfile")));
    assert.deepEqual(qm.slice(-2), ["qm shutdown 123 --timeout 180", "qm start 123"]);
    for (const call of qm) assert.ok(calls.includes(`sudo -n ${call}`), `${call} without sudo`);
  });

  it("on delete, does nothing when the VM is gone already", () => {
    const lab = node({ vmGone: true });
    const { status, calls } = lab.run(romRemoveScript(ROM));
    assert.equal(status, 0);
    assert.deepEqual(calls, ["qm config 123"]);
  });
});
