/**
 * The loopback OPNsense with the quarantine alias, a containment key that holds exactly its two
 * privileges, a syslog listener standing in for the SIEM, and a runner for the Python programs of
 * components/response/containment (run asynchronously: the loopback server lives in this process).
 */
import { spawn } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ContainConfigInput, renderContainConfig } from "../../components/response/containment/program";
import { type OpnsenseApi, startOpnsenseApi } from "./server";

export const CONTAIN_USER = { key: "fortress-contain", secret: "contain-secret-0123456789" };
export const ADMIN_USER = { key: "admin", secret: "admin-secret-0123456789" };
/** A key whose user holds the tables privilege alone (no "Diagnostics: Show States"). */
export const TABLES_ONLY_USER = { key: "tables-only", secret: "tables-secret-0123456789" };
/** The containment key's privileges by the names 26.7 shows (components/opnsense/privileges.ts). */
export const CONTAIN_PRIVILEGES = ["Diagnostics: PF Table IP addresses", "Diagnostics: Show States"];

export const PROGRAM = join(__dirname, "../../components/response/containment/fortress-contain.py");
export const ACTIVE_RESPONSE = join(
  __dirname,
  "../../components/response/containment/fortress-contain-ar.py",
);

/** The lab of the tests: management 10.10.10.0/24, servers .20, users .40. */
export const ALLOW = [
  { cidr: "10.10.10.0/24", why: "the management network mgmt" },
  { cidr: "10.10.20.1/32", why: "the firewall (its address on servers)" },
  { cidr: "10.10.40.1/32", why: "the firewall (its address on users)" },
  { cidr: "10.10.20.64/32", why: "wazuh-manager-1: the Wazuh manager" },
];
export const INTERNAL = ["10.10.10.0/24", "10.10.20.0/24", "10.10.40.0/24"];

export interface Harness {
  readonly api: OpnsenseApi;
  readonly dir: string;
  readonly config: string;
  /** fortress-contain's audit file (its ar_log_json lines, as on the manager's active-responses.log). */
  readonly auditLog: string;
  /** fortress-contain's records directory. */
  readonly stateDir: string;
  /** Syslog lines received so far. */
  readonly syslog: string[];
  readonly syslogPort: number;
  writeConfig(overrides?: Partial<ContainConfigInput> & Record<string, unknown>): string;
  close(): Promise<void>;
}

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function startHarness(version = "26.7.2"): Promise<Harness> {
  const api = await startOpnsenseApi({
    version,
    users: [
      { ...ADMIN_USER, privileges: "all" },
      { ...CONTAIN_USER, privileges: CONTAIN_PRIVILEGES },
      { ...TABLES_ONLY_USER, privileges: ["Diagnostics: PF Table IP addresses"] },
    ],
  });
  api.state.put("firewall/alias", { name: "fz_quarantine", type: "external", content: "" });
  const syslog: string[] = [];
  const socket: Socket = createSocket("udp4");
  socket.on("message", (message) => syslog.push(message.toString("utf8")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const syslogPort = socket.address().port;
  const dir = mkdtempSync(join(tmpdir(), "fortress-contain-"));
  const config = join(dir, "contain.json");
  const auditLog = join(dir, "audit.log");
  const stateDir = join(dir, "state");
  const harness: Harness = {
    api,
    dir,
    config,
    auditLog,
    stateDir,
    syslog,
    syslogPort,
    writeConfig(overrides = {}) {
      const { extra, ...input } = overrides as { extra?: Record<string, unknown> };
      const rendered = JSON.parse(
        renderContainConfig({
          url: api.url,
          ...CONTAIN_USER,
          allow: ALLOW,
          internal: INTERNAL,
          syslog: { host: "127.0.0.1", port: syslogPort },
          logFile: auditLog,
          stateDir,
          timeout: 2,
          ...(input as Partial<ContainConfigInput>),
        }),
      ) as Record<string, unknown>;
      // Tests back off in milliseconds, not half-seconds.
      writeFileSync(config, JSON.stringify({ ...rendered, backoff: 0.01, ...extra }), { mode: 0o600 });
      chmodSync(config, 0o600);
      return config;
    },
    async close() {
      socket.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  harness.writeConfig();
  return harness;
}

/** Runs a binary (ansible-playbook, …) without blocking this process's loopback servers. */
export function runAsync(
  binary: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; package?: string } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], { env: { ...process.env, ...options.env }, cwd: options.cwd });
    let stdout = "";
    let stderr = "";
    child.on("error", (error) =>
      reject(
        new Error(
          `${binary} is not installed (apt-get install ${options.package ?? binary}; .ci/run installs it): ${error.message}`,
        ),
      ),
    );
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a program with python3, stdin from `input`; `onLine` sees each stdout line as it comes. */
export function runPython(
  script: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    input?: string;
    onLine?: (line: string, write: (text: string) => void) => void;
  } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [script, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.on("error", (error) =>
      reject(
        new Error(
          `python3 is not installed (apt-get install python3; .ci/run installs it): ${error.message}`,
        ),
      ),
    );
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      pending += chunk.toString("utf8");
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        options.onLine?.(line, (text) => child.stdin.write(text));
        newline = pending.indexOf("\n");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.write(options.input);
    if (!options.onLine) child.stdin.end();
  });
}

/** Requests the loopback server received for a path prefix (`firewall/alias_util/add`). */
export const requestsTo = (api: OpnsenseApi, prefix: string) =>
  api.state.requests.filter((request) => request.path.startsWith(`/api/${prefix}`));

/**
 * The `{"fortress":{...}}` bodies of the syslog messages received (RFC 3164 lines whose tag is
 * `fortress-contain:`), as fortress-contain, its responder and the playbook send them.
 */
export function syslogEvents(lines: readonly string[]): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of lines) {
    const match = /^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ fortress-contain(?:\[\d+\])?: (\{.*\})\s*$/.exec(
      line,
    );
    if (!match?.[1]) continue;
    const body = JSON.parse(match[1]) as { fortress?: Record<string, unknown> };
    if (body.fortress) events.push(body.fortress);
  }
  return events;
}

/** Whether a syslog message carries every field given (a string equal, a RegExp matching). */
export function hasSyslogEvent(lines: readonly string[], fields: Record<string, string | RegExp>): boolean {
  return syslogEvents(lines).some((event) =>
    Object.entries(fields).every(([key, want]) =>
      typeof want === "string" ? event[key] === want : want.test(String(event[key] ?? "")),
    ),
  );
}
