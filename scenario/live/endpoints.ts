/**
 * The scenario's endpoints over a deployed lab: TheHive's and OPNsense's APIs directly (the analyst's
 * login or a given key; the containment key, which may list the quarantine table), and SSH for what
 * only a VM can do: drop the file on the workstation and read its agent's detection log, read the scan
 * task's status on the Greenbone VM (Fortress's GMP client, components/vuln/gvmProgram.ts), and ask
 * fortress-contain on the manager to contain an allow-listed address (it must refuse) and to release.
 * Every value put into a command is checked first (an address, a target name, a path of safe characters).
 */
import * as ipaddr from "ipaddr.js";
import { AGENT_PATHS } from "../../components/endpoint/clamav/activeResponse";
import { QUARANTINE_ALIAS } from "../../components/network/quarantine";
import { CONTAIN_PATHS } from "../../components/response/containment/program";
import type { CommandResult, ScenarioEndpoints } from "../endpoints";
import { GVM_TASK_STATUS, TARGET_NAME } from "../gvmStatus";
import { basic } from "../http";
import { wazuhAlertsViaTheHive } from "../observe";
import type { Transport } from "./ssh";
import type { LiveStack } from "./stack";

/** Who the firewall's log and the SIEM name as having acted. */
export const DRILL_ACTOR = "fortress-scenario";

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

function address(value: string): string {
  if (!ipaddr.isValid(value)) throw new Error(`${value} is not an address`);
  return ipaddr.parse(value).toString();
}

function inDownloads(stack: LiveStack, path: string): string {
  const dir = `/home/${stack.adminUser}/Downloads/`;
  if (
    !path.startsWith(dir) ||
    !SAFE_PATH.test(path) ||
    path.includes("..") ||
    path.slice(dir.length).includes("/")
  )
    throw new Error(`${path} is not a file in ${dir}`);
  return path;
}

const ok = async (what: string, result: Promise<CommandResult>): Promise<CommandResult> => {
  const done = await result;
  if (done.code !== 0) throw new Error(`${what}: exit ${done.code} ${done.stderr.trim()}`);
  return done;
};

export function liveEndpoints(stack: LiveStack, transport: Transport): ScenarioEndpoints {
  const downloadDir = `/home/${stack.adminUser}/Downloads`;
  const contain = (action: "add" | "delete", target: string, reason: string) =>
    transport.run(
      stack.manager,
      `sudo -n ${CONTAIN_PATHS.program} --by ${DRILL_ACTOR} --reason '${reason}' ${action} ${address(target)}`,
    );
  return {
    mode: "live",
    workstation: { name: stack.workstation.name, address: stack.workstation.address, downloadDir },
    dropFile: async (path, bytes) => {
      // The workstation only: stack.workstation is the plan's workstation VM (stack.ts pickWorkstation).
      await ok(
        `writing ${path} on ${stack.workstation.name}`,
        transport.run(
          stack.workstation,
          `mkdir -p '${downloadDir}' && cat > '${inDownloads(stack, path)}'`,
          bytes,
        ),
      );
    },
    removeFile: async (path) => {
      await ok(
        `removing ${path}`,
        transport.run(stack.workstation, `rm -f -- '${inDownloads(stack, path)}'`),
      );
    },
    readDetectionLog: async () =>
      (
        await ok(
          "reading the detection log",
          transport.run(stack.workstation, `sudo -n tail -n 500 ${AGENT_PATHS.detectionLog}`),
        )
      ).stdout,
    wazuhAlerts: (since) => wazuhAlertsViaTheHive(stack.theHive, since),
    theHive: stack.theHive,
    opnsense: {
      target: {
        url: stack.opnsense.url,
        ...(stack.opnsense.ca ? { ca: stack.opnsense.ca } : {}),
        insecure: stack.opnsense.insecure,
        authorization: basic(stack.opnsense.key, stack.opnsense.secret),
      },
      alias: QUARANTINE_ALIAS,
    },
    scanTargets: stack.scanTargets,
    gvmTaskStatus: async (target) => {
      if (!TARGET_NAME.test(target)) throw new Error(`${target} is not a Greenbone target name`);
      const status = await ok(
        `the scan task of ${target}`,
        transport.run(stack.greenbone, `sudo -n python3 - ${target}`, GVM_TASK_STATUS),
      );
      return status.stdout.trim();
    },
    allowListed: [{ address: stack.manager.address, why: "the Wazuh manager" }],
    tryContain: (target) => contain("add", target, "worked-example drill: the allow-list must refuse this"),
    release: (target) => contain("delete", target, "worked-example drill: released"),
  };
}
