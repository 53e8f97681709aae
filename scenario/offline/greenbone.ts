/**
 * Greenbone in the offline lab: the loopback gvmd (test/greenbone/fakeGvmd.ts, GMP on a Unix socket)
 * and Fortress's GMP client (components/vuln/gvmProgram.ts) as the install places it, which has
 * reconciled the lab's scan targets (a `fortress-<name>` task per target) before the scenario starts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rescanArgv } from "../../components/response/containment/rescanAccess";
import { GVM_PROGRAM } from "../../components/vuln/gvmProgram";
import { desiredState } from "../../components/vuln/targets";
import { FakeGvmd } from "../../test/greenbone/fakeGvmd";
import type { CommandResult } from "../endpoints";
import { GVM_TASK_STATUS } from "../gvmStatus";
import { runProcess } from "./proc";
import { installRescanPath, type RescanPath } from "./rescanPath";

export interface Greenbone {
  readonly gvmd: FakeGvmd;
  /** The environment that points Fortress's client at this gvmd and its files. */
  readonly env: NodeJS.ProcessEnv;
  /** The rescan's way in: ssh (a stand-in) → the forced-command wrapper → sudo (a stand-in) → fortress-rescan. */
  readonly rescan: RescanPath;
  /** Runs the status query as the live scenario does, with the script on stdin. */
  taskStatus(target: string): Promise<CommandResult>;
  close(): Promise<void>;
}

export async function startGreenbone(
  dir: string,
  lab: {
    /** The scan targets, name → CIDRs (stacks/scanTargets.ts), reconciled before the scenario. */
    readonly targets: Readonly<Record<string, readonly string[]>>;
    /** The plan's Greenbone VM address (the manager's ssh goes there: rescanArgv). */
    readonly address: string;
    readonly managerAddress: string;
    /** The rescan's CIDR → target map (contain.json's): the VM's wrapper and sudoers name its targets. */
    readonly rescanTargets: Readonly<Record<string, string>>;
  },
): Promise<Greenbone> {
  const { targets } = lab;
  for (const sub of ["etc", "state", "export"]) mkdirSync(join(dir, sub), { recursive: true });
  const program = join(dir, "fortress_gvm.py");
  writeFileSync(program, GVM_PROGRAM);
  const password = "scenario-gvm-admin-password-0001";
  writeFileSync(join(dir, "etc", "admin-password"), `${password}\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, "etc", "scan-key"),
    "-----BEGIN OPENSSH PRIVATE KEY-----\nSCENARIO\n-----END OPENSSH PRIVATE KEY-----\n",
    { mode: 0o600 },
  );
  const gvmd = new FakeGvmd();
  gvmd.password = password;
  const socket = join(dir, "gvmd.sock");
  await gvmd.listen(socket);
  const env = {
    FORTRESS_GVMD_SOCKET: socket,
    FORTRESS_GVM_CONFIG: join(dir, "etc"),
    FORTRESS_GVM_STATE: join(dir, "state"),
    FORTRESS_GVM_EXPORT: join(dir, "export"),
    FORTRESS_GVM_PROGRAM_DIR: dir,
  };
  const desired = join(dir, "etc", "targets.json");
  writeFileSync(
    desired,
    JSON.stringify(
      desiredState(
        Object.entries(targets).map(([name, hosts]) => ({ name, hosts: [...hosts] })),
        true,
      ),
    ),
  );
  const reconcile = await runProcess("python3", [program, "reconcile", desired], { env });
  if (reconcile.code !== 0) {
    await gvmd.close();
    throw new Error(`fortress_gvm.py reconcile: exit ${reconcile.code} ${reconcile.stderr}`);
  }
  return {
    gvmd,
    env,
    rescan: installRescanPath(join(dir, "vm"), {
      managerArgv: rescanArgv(lab.address),
      managerAddress: lab.managerAddress,
      // As components/response/containmentSteps.ts hands them to rescanAccessOnGreenbone.
      targets: [...new Set(Object.values(lab.rescanTargets))],
      program,
      rootEnv: env,
    }),
    taskStatus: (target) => runProcess("python3", ["-", target], { env, input: GVM_TASK_STATUS }),
    close: () => gvmd.close(),
  };
}
