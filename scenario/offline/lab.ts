/**
 * The offline lab: real parts where this machine has them, loopback doubles written from the vendors'
 * sources where it does not, put together from a lab model's rendered configuration (./labConfig.ts:
 * the plan's workstation, manager and Greenbone VM, the manager's integrations, contain.json as
 * ./containConfig.ts renders it). A part the lab does not have (TheHive, Greenbone, the containment)
 * is not started, and the hops that need it are skipped with the reason.
 * - The workstation: a download directory, Fortress's `fortress-clamdscan` active response
 *   (components/endpoint/clamav/activeResponse.ts) run as the agent runs it after FIM sees the file,
 *   Debian's real `clamdscan --stream` against a real `clamd` on loopback holding Fortress's signature
 *   database only (components/endpoint/clamav/indicators.ts), and the agent's clamd-format detection log.
 * - The manager (./manager.ts): the line decoded into Wazuh 4.14's alert, integratord running
 *   custom-thehive, execd running fortress-contain-ar → fortress-contain.
 * - TheHive (test/thehive/server.ts, over TLS from a throwaway CA), OPNsense with the quarantine alias
 *   and pf (test/opnsense/containHarness.ts), gvmd (test/greenbone/fakeGvmd.ts) with Fortress's GMP client
 *   (components/vuln/gvmProgram.ts) having reconciled the lab's scan targets.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ACTIVE_RESPONSE,
  CONTAIN_USER,
  type Harness,
  PROGRAM,
  startHarness,
} from "../../test/opnsense/containHarness";
import { type Agent } from "../wazuh";
import { startClamd, type Clamd } from "./clamd";
import { offlineContainConfig } from "./containConfig";
import { startGreenbone, type Greenbone } from "./greenbone";
import type { OfflineLabConfig } from "./labConfig";
import { ManagerDouble } from "./manager";
import { hooksAt, type OfflineTheHive, startTheHiveOverTls } from "./theHive";

const INTEGRATION = join(__dirname, "../../components/response/wazuh/custom-thehive");

export interface OfflineLab {
  readonly dir: string;
  /** What the lab was made from (the lab model's rendered configuration). */
  readonly config: OfflineLabConfig;
  readonly workstation: Agent & { readonly downloadDir: string };
  readonly opnsense: Harness;
  /** Absent: no TheHive in this lab. */
  readonly theHive?: OfflineTheHive;
  /** Absent: no rescan in this lab. */
  readonly greenbone?: Greenbone;
  readonly clamd: Clamd;
  readonly manager: ManagerDouble;
  /** The manager's active-responses.log: fortress-contain-ar's and fortress-contain's audit lines. */
  readonly arLog: string;
  /** What went wrong in work started by fileLanded (the scenario only waits, so it would not see it). */
  readonly failures: readonly string[];
  /** FIM saw a new file on the workstation: the agent's scan, its log line, and the manager's work on it. */
  fileLanded(path: string): Promise<void>;
  /** Work still running for files that landed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The FIM alert (rule 554, "File added to the system.") execd hands fortress-clamdscan on the agent. */
function fimMessage(agent: Agent, path: string): string {
  const alert = {
    timestamp: new Date().toISOString().replace("Z", "+0000"),
    rule: { level: 5, description: "File added to the system.", id: "554" },
    agent,
    syscheck: { path, mode: "realtime", event: "added", size_after: String(statSync(path).size) },
    location: "syscheck",
  };
  return `${JSON.stringify({
    version: 1,
    origin: { name: "node01", module: "wazuh-execd" },
    command: "add",
    parameters: { extra_args: [], alert, program: "active-response/bin/fortress-clamdscan" },
  })}\n`;
}

/** contain.json on the lab's manager (./containConfig.ts), written root-only as the install writes it. */
function writeContainConfig(
  dir: string,
  config: OfflineLabConfig,
  opnsense: Harness,
  greenbone: Greenbone | undefined,
  arLog: string,
): void {
  const plan = config.containment;
  if (!plan) return;
  const metricsDir = join(dir, "node-exporter");
  mkdirSync(metricsDir, { recursive: true });
  const text = offlineContainConfig({
    plan,
    firewall: { url: opnsense.api.url, ...CONTAIN_USER },
    logFile: arLog,
    stateDir: opnsense.stateDir,
    metricsDir,
    program: PROGRAM,
    ...(greenbone ? { rescanArgv: greenbone.rescan.argv } : {}),
  });
  writeFileSync(opnsense.config, text, { mode: 0o600 });
  chmodSync(opnsense.config, 0o600);
}

function startParts(dir: string, config: OfflineLabConfig) {
  const { greenbone, containment } = config;
  return Promise.all([
    startClamd(join(dir, "clamd")),
    startHarness(),
    config.integrations.length > 0 ? startTheHiveOverTls(dir) : undefined,
    greenbone && containment
      ? startGreenbone(join(dir, "greenbone"), {
          targets: greenbone.targets,
          address: greenbone.ip,
          managerAddress: config.manager.ip,
          rescanTargets: containment.rescanTargets,
        })
      : undefined,
  ]);
}

export async function startOfflineLab(config: OfflineLabConfig): Promise<OfflineLab> {
  const dir = mkdtempSync(join(tmpdir(), "fortress-scenario-"));
  chmodSync(dir, 0o700);
  const downloadDir = join(dir, "workstation/home/user/Downloads");
  mkdirSync(downloadDir, { recursive: true });
  const workstation = { id: "003", name: config.workstation.name, ip: config.workstation.ip, downloadDir };
  const arLog = join(dir, "active-responses.log");
  writeFileSync(arLog, "");
  const [clamd, opnsense, theHive, greenbone] = await startParts(dir, config);
  writeContainConfig(dir, config, opnsense, greenbone, arLog);
  const manager = new ManagerDouble({
    dir,
    name: config.manager.name,
    integrations: theHive ? hooksAt(config.integrations, theHive.server.url) : [],
    integration: { script: INTEGRATION, options: theHive?.options ?? "" },
    ...(config.containment
      ? {
          activeResponse: {
            script: ACTIVE_RESPONSE,
            // Nothing of gvmd's here: the rescan reaches it only through the ssh path (offline/rescanPath.ts).
            env: { FORTRESS_CONTAIN_CONFIG: opnsense.config, FORTRESS_AR_LOG: arLog },
          },
        }
      : {}),
  });
  const pending = new Set<Promise<unknown>>();
  let logOffset = 0;
  const failures: string[] = [];
  const track = <T>(work: Promise<T>) => {
    pending.add(work);
    void work.catch((error: Error) => failures.push(error.message)).finally(() => pending.delete(work));
    return work;
  };
  // logcollector: new lines of the detection log go to the manager, in order.
  const collect = () => {
    const text = readFileSync(clamd.detectionLog, "utf8");
    const fresh = text.slice(logOffset);
    logOffset = text.length;
    return fresh.split("\n").filter(Boolean);
  };
  const lab: OfflineLab = {
    dir,
    config,
    workstation,
    opnsense,
    ...(theHive ? { theHive } : {}),
    ...(greenbone ? { greenbone } : {}),
    clamd,
    manager,
    arLog,
    failures,
    fileLanded: (path) =>
      track(
        (async () => {
          const scan = await clamd.activeResponse(fimMessage(workstation, path));
          if (scan.code !== 0) throw new Error(`fortress-clamdscan: exit ${scan.code} ${scan.stderr}`);
          await Promise.all(collect().map((line) => manager.ingest(line, workstation)));
        })(),
      ),
    idle: async () => {
      await Promise.allSettled([...pending]);
      await manager.idle();
    },
    async close() {
      await lab.idle().catch(() => undefined);
      await Promise.allSettled([clamd.stop(), opnsense.close(), theHive?.server.close(), greenbone?.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return lab;
}
