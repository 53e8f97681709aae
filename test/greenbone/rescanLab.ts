/**
 * The Greenbone side of the rescan hop on this machine: the fake gvmd (./fakeGvmd.ts) holding one
 * Fortress task per target, the real GMP program (components/vuln/gvmProgram.ts, its `rescan NAME` is
 * what `fortress-rescan` runs), and the forced-command wrapper the manager's key is bound to
 * (components/response/containment/rescanAccess.ts), reached through a stand-in for ssh that does what
 * sshd does with a forced command: run the wrapper with the client's request in SSH_ORIGINAL_COMMAND.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rescanWrapper } from "../../components/response/containment/rescanAccess";
import { GVM_PROGRAM, RESCAN_EXIT_CODES } from "../../components/vuln/gvmProgram";
import { RESCAN_PATH } from "../../components/vuln/install";
import { FakeGvmd } from "./fakeGvmd";

const PASSWORD = "Fortress-Rescan-Test-Password-01";

/** The Greenbone VM's fortress-rescan and its exit codes (the vuln layer's), for the response layer's tests. */
export { RESCAN_EXIT_CODES, RESCAN_PATH };

export interface RescanLab {
  readonly gvmd: FakeGvmd;
  /** What the GMP program needs to reach the fake gvmd (pass it to whatever runs the rescan). */
  readonly env: Record<string, string>;
  /** argv prefix that runs `rescan` directly (the target's name is appended). */
  readonly direct: string[];
  /** argv prefix through the stand-in ssh and the forced-command wrapper: `… fortress-rescan` + target. */
  readonly viaWrapper: string[];
  /** The targets whose task gvmd was asked to start (status Requested). */
  started(): string[];
  close(): Promise<void>;
}

export async function startRescanLab(targets: readonly string[]): Promise<RescanLab> {
  const dir = mkdtempSync(join(tmpdir(), "fortress-rescan-"));
  for (const sub of ["etc", "state", "export"]) mkdirSync(join(dir, sub));
  const program = join(dir, "fortress_gvm.py");
  writeFileSync(program, GVM_PROGRAM);
  writeFileSync(join(dir, "etc", "admin-password"), `${PASSWORD}\n`);
  const gvmd = new FakeGvmd();
  gvmd.password = PASSWORD;
  for (const target of targets)
    gvmd.items.task.push({ id: randomUUID(), name: `fortress-${target}`, status: "Done" });
  const socket = join(dir, "gvmd.sock");
  await gvmd.listen(socket);
  const wrapper = join(dir, "fortress-rescan-ssh");
  writeFileSync(wrapper, rescanWrapper(targets, ["python3", program, "rescan"]));
  const ssh = join(dir, "ssh");
  // sshd with a forced command: the client's words become SSH_ORIGINAL_COMMAND, the wrapper runs.
  writeFileSync(ssh, `#!/bin/sh\nSSH_ORIGINAL_COMMAND="$*" exec sh '${wrapper}'\n`);
  return {
    gvmd,
    env: {
      FORTRESS_GVMD_SOCKET: socket,
      FORTRESS_GVM_CONFIG: join(dir, "etc"),
      FORTRESS_GVM_STATE: join(dir, "state"),
      FORTRESS_GVM_EXPORT: join(dir, "export"),
    },
    direct: ["python3", program, "rescan"],
    viaWrapper: ["sh", ssh, "fortress-rescan"],
    started() {
      return gvmd.items.task
        .filter((task) => task.status === "Requested")
        .map((task) => task.name.replace(/^fortress-/, ""));
    },
    async close() {
      await gvmd.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
