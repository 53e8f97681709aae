/**
 * Commands on the lab's VMs over SSH, as Fortress's own remote commands reach them: the admin user,
 * the stack's private key, and each VM's host key pinned from the plan (stacks/outputs.ts `vms[].hostKey`;
 * StrictHostKeyChecking, no other known_hosts). The key and the known_hosts file live in a 0700
 * directory this process makes and removes; nothing secret is ever on a command line. Input (the test
 * file, the status query) goes on stdin.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../endpoints";
import type { LiveVm } from "./stack";

export interface Transport {
  run(host: LiveVm, command: string, input?: string | Buffer): Promise<CommandResult>;
  close(): Promise<void>;
}

export function openSshTransport(
  user: string,
  privateKey: string,
  options: { readonly binary?: string; readonly timeoutMs?: number } = {},
): Transport {
  const { binary = "ssh", timeoutMs = 120_000 } = options;
  const dir = mkdtempSync(join(tmpdir(), "fortress-drill-"));
  const keyFile = join(dir, "id");
  writeFileSync(keyFile, privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`, { mode: 0o600 });
  return {
    run(host, command, input) {
      const knownHosts = join(dir, `known_hosts-${host.name}`);
      writeFileSync(knownHosts, `${host.address} ${host.hostKey.trim()}\n`, { mode: 0o600 });
      const args = [
        ...["-F", "/dev/null", "-i", keyFile, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"],
        ...[
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          `UserKnownHostsFile=${knownHosts}`,
          "-o",
          "GlobalKnownHostsFile=/dev/null",
        ],
        ...["-o", "ConnectTimeout=15", `${user}@${host.address}`, "--", command],
      ];
      return new Promise((resolve, reject) => {
        const child = spawn(binary, args, { stdio: "pipe" });
        let stdout = "";
        let stderr = "";
        child.on("error", (error) =>
          reject(new Error(`ssh could not be run (apt-get install openssh-client): ${error.message}`)),
        );
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
        child.stdin.on("error", () => undefined);
        child.stdin.end(input ?? "");
      });
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
