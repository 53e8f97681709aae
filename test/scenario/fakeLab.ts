/**
 * The live drill's two ways out — the Pulumi CLI and SSH — answered by the offline lab, so that the live
 * code path (scenario/live/*) runs here against the loopback doubles. No network beyond loopback.
 * - `fakePulumi`: `pulumi stack output --json --show-secrets` and `pulumi config --json --show-secrets`
 *   as a stack of the home lab's shape would answer them (stacks/outputs.ts keys; the CLI's config map).
 * - `fakeSsh`: a Transport that accepts exactly the commands the live endpoints send, each on the host it
 *   belongs to with that host's pinned key, runs them against the lab, and refuses anything else.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROGRAM } from "../opnsense/containHarness";
import type { CommandResult } from "../../scenario/endpoints";
import { GVM_TASK_STATUS } from "../../scenario/gvmStatus";
import type { Transport } from "../../scenario/live/ssh";
import type { LiveVm, Runner } from "../../scenario/live/stack";
import type { OfflineLab } from "../../scenario/offline/lab";
import { runProcess } from "../../scenario/offline/proc";

export const ADMIN_USER = "fortress";
export const REMOTE_DOWNLOADS = `/home/${ADMIN_USER}/Downloads`;

const hostKey = () => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA${randomBytes(24).toString("base64")}`;

export interface FakeStack {
  readonly outputs: Record<string, unknown>;
  readonly config: Record<string, unknown>;
  readonly vms: Record<
    string,
    { address: string; fqdn: string; hostKey: string; node: string; vmId: number }
  >;
}

/** The lab's parts the live drill needs: TheHive and Greenbone (the home lab has both). */
function parts(lab: OfflineLab) {
  const { theHive, greenbone } = lab;
  if (!theHive || !greenbone) throw new Error("the live drill's test lab has TheHive and Greenbone");
  return { theHive, greenbone };
}

export function fakeStack(lab: OfflineLab, overrides: Record<string, unknown> = {}): FakeStack {
  const { theHive } = parts(lab);
  const { manager, greenbone } = lab.config;
  const vm = (address: string, fqdn: string, vmId: number) => ({
    address,
    fqdn,
    hostKey: hostKey(),
    node: "pve1",
    vmId,
  });
  const vms = {
    "workstation-1": vm(lab.workstation.ip, "workstation-1.lab.example", 140),
    [manager.name]: vm(manager.ip, `${manager.name}.lab.example`, 120),
    [greenbone!.name]: vm(greenbone!.ip, `${greenbone!.name}.lab.example`, 121),
    "k3s-server-1": vm("10.10.20.10", "k3s-server-1.lab.example", 110),
  };
  const outputs = {
    vms,
    wazuhManagerAddress: manager.ip,
    wazuhAgentGroups: { [lab.workstation.name]: "fortress-workstation", [manager.name]: "fortress-servers" },
    greenboneRescanCommand: `ssh ${ADMIN_USER}@${greenbone!.name}.lab.example sudo /usr/local/sbin/fortress-rescan <target>`,
    greenboneScanTargets: lab.config.scanTargets,
    fortressCaCertificate: theHive.ca,
    theHiveUrl: theHive.server.url,
    theHiveAnalystPassword: theHive.analyst.password,
    ...overrides,
  };
  const plain = (value: unknown) => ({
    value: typeof value === "string" ? value : JSON.stringify(value),
    secret: false,
  });
  const config = {
    "fortress:lab": {
      ...plain({ name: "home", adminUser: ADMIN_USER }),
      objectValue: { name: "home", adminUser: ADMIN_USER },
    },
    "fortress:opnsense": plain({ url: lab.opnsense.api.url, trunk: "igb1" }),
    "fortress:sshPrivateKey": {
      value: "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE\n-----END OPENSSH PRIVATE KEY-----",
      secret: true,
    },
    "fortress:containmentApiKey": { value: "fortress-contain", secret: true },
    "fortress:containmentApiSecret": { value: "contain-secret-0123456789", secret: true },
  };
  return { outputs, config, vms };
}

/** The Pulumi CLI, as far as the drill uses it; the calls it got are in `calls`. */
export function fakePulumi(stack: FakeStack, calls: string[][] = []): Runner {
  return async (binary, args) => {
    calls.push([binary, ...args]);
    const answer = (body: unknown): CommandResult => ({ code: 0, stdout: JSON.stringify(body), stderr: "" });
    if (binary === "pulumi" && args[0] === "stack" && args[1] === "output" && args.includes("--show-secrets"))
      return answer(stack.outputs);
    if (
      binary === "pulumi" &&
      args[0] === "config" &&
      args.includes("--json") &&
      args.includes("--show-secrets")
    )
      return answer(stack.config);
    return { code: 255, stdout: "", stderr: `fake pulumi: unexpected ${args.join(" ")}` };
  };
}

export interface SshCall {
  readonly host: string;
  readonly command: string;
  readonly input?: string;
}

/** The SSH transport over the lab; every call is in `calls`, an unknown one fails the drill. */
export function fakeSsh(lab: OfflineLab, stack: FakeStack): Transport & { readonly calls: SshCall[] } {
  const calls: SshCall[] = [];
  const local = (remote: string) =>
    join(lab.workstation.downloadDir, remote.slice(REMOTE_DOWNLOADS.length + 1));
  const refuse = (why: string): CommandResult => ({ code: 255, stdout: "", stderr: `fake ssh: ${why}` });
  const onWorkstation = async (command: string, input?: string | Buffer): Promise<CommandResult> => {
    const drop = new RegExp(`^mkdir -p '${REMOTE_DOWNLOADS}' && cat > '(${REMOTE_DOWNLOADS}/[^'/]+)'$`).exec(
      command,
    );
    if (drop && input !== undefined) {
      writeFileSync(local(drop[1]!), input);
      void lab.fileLanded(local(drop[1]!));
      return { code: 0, stdout: "", stderr: "" };
    }
    if (command === "sudo -n tail -n 500 /var/ossec/logs/fortress-clamd.log") {
      const text = readFileSync(lab.clamd.detectionLog, "utf8")
        .split(lab.workstation.downloadDir)
        .join(REMOTE_DOWNLOADS);
      return { code: 0, stdout: text, stderr: "" };
    }
    const remove = new RegExp(`^rm -f -- '(${REMOTE_DOWNLOADS}/[^'/]+)'$`).exec(command);
    if (remove) {
      rmSync(local(remove[1]!), { force: true });
      return { code: 0, stdout: "", stderr: "" };
    }
    return refuse(`not a workstation command: ${command}`);
  };
  const onManager = (command: string) => {
    const contain =
      /^sudo -n \/usr\/local\/sbin\/fortress-contain --by (\S+) --reason '([^']*)' (add|delete) (\S+)$/.exec(
        command,
      );
    if (!contain) return Promise.resolve(refuse(`not a manager command: ${command}`));
    const [, by, reason, action, address] = contain;
    return runProcess(PROGRAM, [
      "--config",
      lab.opnsense.config,
      "--by",
      by!,
      "--reason",
      reason!,
      action!,
      address!,
    ]);
  };
  const onGreenbone = (command: string, input?: string | Buffer) => {
    const status = /^sudo -n python3 - ([a-z0-9-]+)$/.exec(command);
    if (!status || String(input) !== GVM_TASK_STATUS)
      return Promise.resolve(refuse(`not a Greenbone command: ${command}`));
    return parts(lab).greenbone.taskStatus(status[1]!);
  };
  return {
    calls,
    async run(host: LiveVm, command: string, input?: string | Buffer) {
      calls.push({
        host: host.name,
        command,
        ...(input !== undefined && typeof input === "string" ? { input } : {}),
      });
      const planned = stack.vms[host.name];
      if (!planned || planned.address !== host.address || planned.hostKey !== host.hostKey)
        return refuse(`${host.name} ${host.address} is not the plan's VM with its pinned host key`);
      if (host.name === lab.workstation.name) return onWorkstation(command, input);
      if (host.name === lab.config.manager.name) return onManager(command);
      if (host.name === lab.config.greenbone?.name) return onGreenbone(command, input);
      return refuse(`no command goes to ${host.name}`);
    },
    close: async () => undefined,
  };
}
