/** Runs a script in a fresh node process (no tsx), asynchronously so a loopback server in this process can answer it. */
import { spawn } from "node:child_process";

export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runNodeScript(
  script: string,
  options: { readonly env?: Record<string, string>; readonly stdin?: string; readonly cwd?: string } = {},
): Promise<NodeRun> {
  return new Promise((resolve) => {
    const running = spawn(process.execPath, ["-e", script], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...process.env, NODE_OPTIONS: "", ...options.env },
    });
    running.stdin.end(options.stdin ?? "");
    let stdout = "";
    let stderr = "";
    running.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    running.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => running.kill(), 30_000);
    running.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
