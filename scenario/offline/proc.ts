/**
 * Running the real programs of the offline lab (python3, sh, clamdscan) asynchronously: the loopback
 * servers live in this process, so nothing here may block its event loop. `onLine` answers a program
 * that talks back on stdout (Wazuh's active-response protocol).
 */
import { spawn } from "node:child_process";
import type { CommandResult } from "../endpoints";

/**
 * Debian's own directories first: the lab's VMs run Debian's python3 and tools, and a version manager's
 * shim earlier on this machine's PATH (pyenv's costs ~0.2 s a start) would time the shim, not the hop.
 */
const PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", process.env.PATH ?? ""].join(":");

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** Each stdout line as it comes; `write` sends to stdin. With it, stdin stays open until the program ends. */
  readonly onLine?: (line: string, write: (text: string) => void) => void;
  readonly timeoutMs?: number;
}

export function runProcess(
  binary: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], { env: { ...process.env, PATH, ...options.env }, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.on("error", (error) =>
      reject(
        new Error(`${binary} could not be run (is it installed? .ci/run installs it): ${error.message}`),
      ),
    );
    child.stdin.on("error", () => undefined);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      pending += chunk.toString("utf8");
      for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        options.onLine?.(line, (text) => child.stdin.write(text));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.write(options.input);
    if (!options.onLine) child.stdin.end();
  });
}

/** Runs jobs one after another, in the order given (execd and integratord each run one program at a time). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  push<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }

  idle(): Promise<unknown> {
    return this.tail;
  }
}
