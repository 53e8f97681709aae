/**
 * Running Debian's tools from the tests (ClamAV, shellcheck, xmllint, gpg, openssl…): each call says
 * which package to install when the binary is missing (CI installs them through .ci/run), instead of
 * skipping.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { basename } from "node:path";

/** Debian 12 packages of the binaries the tests run. */
export const PACKAGES: Readonly<Record<string, string>> = {
  clamconf: "clamav",
  clamscan: "clamav",
  sigtool: "clamav",
  clamd: "clamav-daemon",
  clamdscan: "clamdscan",
  shellcheck: "shellcheck",
  xmllint: "libxml2-utils",
  python3: "python3",
  gpg: "gpg",
  openssl: "openssl",
  curl: "curl",
  nfcapd: "nfdump",
  nfdump: "nfdump",
  softflowd: "softflowd",
  yamllint: "yamllint",
  ip: "iproute2",
  tc: "iproute2",
  ethtool: "ethtool",
  promtool: "prometheus",
};

/** clamd is in /usr/sbin, outside a non-root user's PATH on Debian. */
export const CLAMD = existsSync("/usr/sbin/clamd") ? "/usr/sbin/clamd" : "clamd";

function missing(binary: string, error: Error): Error {
  const name = basename(binary);
  return new Error(
    `${name} is not installed (apt-get install ${PACKAGES[name] ?? name}; .ci/run installs it on CI): ${error.message}`,
  );
}

export function run(
  binary: string,
  args: readonly string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(binary, args, { encoding: "utf8", timeout: 120_000, ...options });
  if (result.error) throw missing(binary, result.error);
  return result;
}

/** shellcheck on a script read from stdin, in the given shell's dialect. */
export function shellcheck(script: string, shell: "sh" | "bash"): SpawnSyncReturns<string> {
  return run("shellcheck", ["-s", shell, "-"], { input: script });
}

/** xmllint's well-formedness check on a document read from stdin. */
export function xmllint(xml: string): SpawnSyncReturns<string> {
  return run("xmllint", ["--noout", "-"], { input: xml });
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Daemon {
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

/** Starts `binary args` and collects stdout and stderr until stop(). */
export function startDaemon(binary: string, args: readonly string[]): Promise<Daemon> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    let exited = false;
    // "close", not "exit": close comes after stdout and stderr are drained.
    const exit = new Promise<void>((done) => child.once("close", () => ((exited = true), done())));
    child.once("error", (error) => reject(missing(binary, error)));
    child.once("spawn", () =>
      resolve({
        output: () => output,
        stop: async () => {
          if (!exited) child.kill("SIGTERM");
          await exit;
        },
      }),
    );
  });
}
