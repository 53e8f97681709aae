/**
 * The offline lab: real parts where this machine has them, loopback doubles written from the vendors'
 * sources where it does not.
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
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ANALYST_LOGIN } from "../../components/response/accounts";
import {
  ACTIVE_RESPONSE,
  type Harness,
  INTERNAL,
  PROGRAM,
  startHarness,
} from "../../test/opnsense/containHarness";
import { startTheHive, type TheHiveDouble } from "../../test/thehive/server";
import { testCa } from "../../test/support/testCa";
import { theHiveIntegrations } from "../../components/response/wazuh/integration";
import { type Agent } from "../wazuh";
import { startClamd, type Clamd } from "./clamd";
import { startGreenbone, type Greenbone } from "./greenbone";
import { ManagerDouble } from "./manager";

const INTEGRATION = join(__dirname, "../../components/response/wazuh/custom-thehive");

export const SCAN_TARGETS: Readonly<Record<string, readonly string[]>> = {
  management: ["10.10.10.0/24"],
  servers: ["10.10.20.0/24"],
  users: ["10.10.40.0/24"],
};

export interface OfflineLab {
  readonly dir: string;
  readonly workstation: Agent & { readonly downloadDir: string };
  readonly opnsense: Harness;
  readonly theHive: TheHiveDouble;
  readonly theHiveCa: string;
  readonly wazuhKey: string;
  readonly analyst: { readonly login: string; readonly password: string };
  readonly greenbone: Greenbone;
  readonly clamd: Clamd;
  readonly manager: ManagerDouble;
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

async function startTheHiveOverTls(dir: string) {
  const ca = testCa(dir, "lab", [
    { name: "thehive", subject: "/CN=thehive.lab.example", extensions: "subjectAltName=IP:127.0.0.1" },
  ]);
  const wazuhKey = randomBytes(18).toString("base64url");
  const theHive = await startTheHive(wazuhKey, ca.leaves.thehive!);
  const analyst = { login: ANALYST_LOGIN, password: randomBytes(12).toString("base64url") };
  theHive.users.set(analyst.login, {
    login: analyst.login,
    name: "Fortress analyst",
    profile: "analyst",
    organisation: "fortress",
    type: "Normal",
    password: analyst.password,
  });
  writeFileSync(join(dir, "thehive.key"), wazuhKey, { mode: 0o600 });
  writeFileSync(
    join(dir, "thehive-options.json"),
    JSON.stringify({
      api_key_file: join(dir, "thehive.key"),
      ca_file: ca.cert,
      log_file: join(dir, "integrations.log"),
      retry_pause: 0.05,
    }),
  );
  return { theHive, theHiveCa: readFileSync(ca.cert, "utf8"), wazuhKey, analyst };
}

export async function startOfflineLab(): Promise<OfflineLab> {
  const dir = mkdtempSync(join(tmpdir(), "fortress-scenario-"));
  const downloadDir = join(dir, "workstation/home/user/Downloads");
  mkdirSync(downloadDir, { recursive: true });
  const workstation = { id: "003", name: "workstation-1", ip: "10.10.40.23", downloadDir };
  const arLog = join(dir, "active-responses.log");
  const [clamd, opnsense, tls, greenbone] = await Promise.all([
    startClamd(join(dir, "clamd")),
    startHarness(),
    startTheHiveOverTls(dir),
    startGreenbone(join(dir, "greenbone"), SCAN_TARGETS),
  ]);
  const rescanTargets = Object.fromEntries(
    Object.entries(SCAN_TARGETS).flatMap(([name, cidrs]) => cidrs.map((cidr) => [cidr, name])),
  );
  // The rendered active_response block kept (whatever it holds), with the lab's networks and the program here.
  const rendered = JSON.parse(readFileSync(opnsense.config, "utf8")) as { active_response?: object };
  opnsense.writeConfig({
    extra: {
      active_response: { ...rendered.active_response, internal: INTERNAL, program: PROGRAM },
      rescan: { argv: greenbone.rescan.argv, targets: rescanTargets },
    },
  });
  const manager = new ManagerDouble({
    dir,
    name: "wazuh-manager-1",
    integrations: theHiveIntegrations(tls.theHive.url),
    integration: { script: INTEGRATION, options: join(dir, "thehive-options.json") },
    activeResponse: {
      script: ACTIVE_RESPONSE,
      // Nothing of gvmd's here: the rescan reaches it only through the ssh path (offline/rescanPath.ts).
      env: { FORTRESS_CONTAIN_CONFIG: opnsense.config, FORTRESS_AR_LOG: arLog },
    },
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
    workstation,
    opnsense,
    ...tls,
    greenbone,
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
      await Promise.allSettled([clamd.stop(), opnsense.close(), tls.theHive.close(), greenbone.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  chmodSync(dir, 0o700);
  return lab;
}
