/**
 * The scenario's endpoints over the offline lab: the same HTTP APIs a live lab offers (TheHive's query
 * API with the analyst's login, OPNsense's alias_util with the containment key), the lab's files where a
 * live run would use SSH, and the offline-only proof after containment (states killed, a second alert
 * adds nothing).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { QUARANTINE_ALIAS } from "../../components/network/quarantine";
import { CONTAIN_USER, PROGRAM, requestsTo } from "../../test/opnsense/containHarness";
import type { ScenarioEndpoints } from "../endpoints";
import { basic } from "../http";
import { alertFromClamdLine } from "../wazuh";
import type { OfflineLab } from "./lab";
import { runProcess } from "./proc";

/** Open connections of the workstation before the scenario: containment must drop them. */
export const WORKSTATION_STATES = [
  { proto: "tcp", src_port: "51234", dst_addr: "203.0.113.10", dst_port: "443" },
  { proto: "udp", src_port: "40000", dst_addr: "198.51.100.53", dst_port: "53" },
];

const addsFor = (lab: OfflineLab, address: string) =>
  requestsTo(lab.opnsense.api, "firewall/alias_util/add").filter(
    (request) => (request.body as { address?: string } | undefined)?.address === address,
  ).length;

/** A line of the agent's detection log naming a file, as fortress-clamdscan writes it. */
const detectionLine = (agent: string, path: string) =>
  `Nov 30 14:20:00 ${agent} clamd[812]: ${path}: Fortress.Test.WorkedExample.UNOFFICIAL(0123456789abcdef0123456789abcdef:202) FOUND`;

async function confirmContained(lab: OfflineLab, address: string): Promise<string[]> {
  // The table shows the host before fortress-contain has killed its states: let the run end first.
  await lab.idle();
  const open = lab.opnsense.api.state
    .pfStates()
    .filter((state) => state.src_addr === address || state.dst_addr === address);
  if (open.length > 0) throw new Error(`${address} still has ${open.length} open states after containment`);
  const before = addsFor(lab, address);
  const line = readFileSync(lab.clamd.detectionLog, "utf8").trim().split("\n").at(-1)!;
  const again = await lab.manager.ingest(line, lab.workstation);
  const run = lab.manager.arRuns.find((candidate) => candidate.alertId === again.id);
  const after = addsFor(lab, address);
  const table = lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS).filter((entry) => entry === address);
  // execd keeps no list for this response (timeout 0: offline/manager.ts), so it ran the active response
  // again; fortress-contain reads the table first and adds nothing.
  const how = "fortress-contain found it contained";
  if (before !== 1 || after !== 1 || run?.result.code !== 0 || table.length !== 1)
    throw new Error(
      `a second alert about ${address}: exit ${run?.result.code} (${how}), alias_util/add ${before} then ${after} times, ${table.length} table entries`,
    );
  return [
    `its ${WORKSTATION_STATES.length} open states were killed (diagnostics/firewall/kill_states)`,
    `a second alert (${again.id}) added nothing (${how}): one alias_util/add, one table entry`,
  ];
}

export function offlineEndpoints(lab: OfflineLab): ScenarioEndpoints {
  const { workstation, greenbone } = lab;
  for (const state of WORKSTATION_STATES)
    lab.opnsense.api.state.addPfState({ ...state, src_addr: workstation.ip });
  return {
    mode: "offline",
    workstation: { name: workstation.name, address: workstation.ip, downloadDir: workstation.downloadDir },
    dropFile: async (path, bytes) => {
      writeFileSync(path, bytes);
      // FIM in real time (components/endpoint/agentConf.ts: /home realtime) sees the new file at once.
      void lab.fileLanded(path);
    },
    removeFile: async (path) => rmSync(path, { force: true }),
    readDetectionLog: async () => {
      if (lab.failures.length > 0) throw new Error(`the lab failed: ${lab.failures.join("; ")}`);
      return readFileSync(lab.clamd.detectionLog, "utf8");
    },
    wazuhAlerts: async (since) =>
      lab.manager.alerts
        .filter((alert) => Date.parse(alert.timestamp.replace("+0000", "Z")) >= since)
        .map((alert) => ({
          id: alert.id,
          ruleId: alert.rule.id,
          time: Date.parse(alert.timestamp.replace("+0000", "Z")),
          fullLog: alert.full_log,
          agentName: alert.agent.name,
        })),
    ...(lab.theHive
      ? {
          theHive: {
            url: lab.theHive.server.url,
            ca: lab.theHive.ca,
            authorization: basic(lab.theHive.analyst.login, lab.theHive.analyst.password),
          },
        }
      : {}),
    skipped: lab.config.skipped,
    opnsense: {
      target: { url: lab.opnsense.api.url, authorization: basic(CONTAIN_USER.key, CONTAIN_USER.secret) },
      alias: QUARANTINE_ALIAS,
    },
    scanTargets: lab.config.scanTargets,
    ...(greenbone
      ? {
          gvmTaskStatus: async (target: string) => {
            const status = await greenbone.taskStatus(target);
            if (status.code !== 0)
              throw new Error(`gvm-task-status ${target}: exit ${status.code} ${status.stderr}`);
            return status.stdout.trim();
          },
        }
      : {}),
    // The lab's own: its manager and a Proxmox node, with the allow-list's reasons (./labConfig.ts).
    allowListed: lab.config.allowListed,
    tryContain: async (address) => {
      // A ClamAV alert from an agent at that address, through execd and the active response.
      const agent = { id: "099", name: `agent-${address.replace(/\./g, "-")}`, ip: address };
      const { alert } = alertFromClamdLine(detectionLine(agent.name, "/tmp/eicar.com"), {
        agent,
        manager: lab.config.manager.name,
        time: new Date(),
        counter: 9000,
        firedtimes: 1,
      });
      const run = await lab.manager.respond(alert);
      // On the manager fortress-contain logs to active-responses.log, which logcollector reads (no syslog).
      const logged = readFileSync(lab.arLog, "utf8")
        .split("\n")
        .filter((line) => line.includes(address) && /refused/.test(line));
      return { code: run.result.code, stdout: logged.join("\n"), stderr: run.result.stderr };
    },
    release: (address) =>
      runProcess(PROGRAM, [
        "--config",
        lab.opnsense.config,
        "--by",
        "analyst",
        "--reason",
        "worked example: released",
        "delete",
        address,
      ]),
    confirmContained: (address) => confirmContained(lab, address),
  };
}
