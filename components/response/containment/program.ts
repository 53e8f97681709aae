/**
 * The one containment action and its Wazuh active response as files Fortress installs, and the
 * configuration they read, rendered from the plan. Pure: the two programs are checked-in files read
 * as they are (`fortress-contain.py`, `fortress-contain-ar.py`: Python 3, standard library only), the
 * configuration a function of its input. The secret (the containment key's secret) is an input like
 * any other here: the caller passes it as a Pulumi secret and writes the file root-only (0600), never
 * on a command line.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { QUARANTINE_ALIAS } from "../../network/quarantine";
import { CONTAIN_COMMAND } from "../../siem/manager/ossecConf";
import type { AllowEntry } from "./allowList";

/** Where the programs and their configuration live on a host that contains (the Wazuh manager, the Ansible controller). */
export const CONTAIN_PATHS = {
  program: "/usr/local/sbin/fortress-contain",
  activeResponse: `/var/ossec/active-response/bin/${CONTAIN_COMMAND.executable}`,
  config: "/etc/fortress/contain.json",
  /** The containments fortress-contain made, with their expiry (root-only). */
  stateDir: "/var/lib/fortress-contain",
  /**
   * The manager's active-response log: Wazuh's own active responses write it and the manager's
   * logcollector reads it (ossecConf.ts MANAGER_LOCALFILES), so Fortress's audit lines reach the SIEM.
   */
  auditLog: "/var/ossec/logs/active-responses.log",
} as const;

/** The systemd units that release expired containments (`fortress-contain expire`, every minute). */
export const EXPIRE_UNIT = "fortress-contain-expire";

/** The command name the manager's ossec.conf gives the active response (its file in active-response/bin). */
export const CONTAIN_AR_COMMAND = CONTAIN_COMMAND.executable;

export const containProgram = (): string => readFileSync(join(__dirname, "fortress-contain.py"), "utf8");

export const containActiveResponse = (): string =>
  readFileSync(join(__dirname, "fortress-contain-ar.py"), "utf8");

export interface ContainConfigInput {
  /** The firewall's API, e.g. `https://10.10.10.1`. */
  readonly url: string;
  /** The containment key (its user holds the two privileges of CONTAINMENT_PRIVILEGES alone). */
  readonly key: string;
  readonly secret: string;
  /** The CA file that signs the firewall's certificate on the host; absent: the system's. */
  readonly caFile?: string;
  /** Computed from the plan: containmentAllowList. */
  readonly allow: readonly AllowEntry[];
  /** The lab's networks, for the active response's choice of the internal side. */
  readonly internal: readonly string[];
  /**
   * Where every action is logged as syslog (`fortress-contain: {"fortress":{...}}`, the audit's JSON,
   * decoded by the manager's local decoder): the SIEM's syslog receiver from a host the
   * manager accepts syslog from. Not on the manager itself (remoted's allowed-ips hold only the
   * firewall): there, `logFile`.
   */
  readonly syslog?: { readonly host: string; readonly port: number } | { readonly socket: string };
  /** A file every action is appended to as Wazuh's ar_log_json line (on the manager: CONTAIN_PATHS.auditLog). */
  readonly logFile?: string;
  /** The records of containments and their expiry (default CONTAIN_PATHS.stateDir). */
  readonly stateDir?: string;
  /**
   * The node exporter's textfile directory: the actions' counters go there as fortress_containment.prom
   * (fortress-contain.py `Metrics`). Absent: no metrics; a directory that does not exist on the host: none either.
   */
  readonly metricsDir?: string;
  /**
   * Seconds after which a host the active response contained is released by the expiry timer; 0 or
   * absent: it stays contained until a person releases it.
   */
  readonly releaseAfter?: number;
  /**
   * The networks whose hosts a network alert (Suricata's) alone never contains: the servers networks
   * (components/response/containment/README.md says why).
   */
  readonly servers?: readonly string[];
  /** The rescan after a containment: see RescanConfig. */
  readonly rescan?: RescanConfig;
  /** HTTP timeout per call, seconds (default 5: the active response holds execd while it runs). */
  readonly timeout?: number;
  /** Attempts on a transient failure (default 4: 0.5 + 1 + 2 s of backoff). */
  readonly attempts?: number;
}

/**
 * The Greenbone scan the active response starts after it contained a host: `argv` (the command to run,
 * e.g. ssh to the Greenbone VM's forced command) with the target's name appended, the target being the
 * scan target whose network holds the host (`targets`: CIDR → target name, stacks/scanTargets.ts).
 */
export interface RescanConfig {
  readonly argv: readonly string[];
  readonly targets: Readonly<Record<string, string>>;
  /** Seconds the rescan may take before it is given up (default 60). */
  readonly timeout?: number;
}

function validate(input: ContainConfigInput): void {
  if (!/^https?:\/\/[^\s/]+\/?$/.test(input.url)) throw new Error(`${input.url} is not a firewall API URL`);
  if (input.allow.length === 0)
    throw new Error("the allow-list is empty: the management network at least belongs in it");
  if (!input.syslog && !input.logFile)
    throw new Error("containment logs nowhere: give it the syslog receiver or the log file the SIEM reads");
  const after = input.releaseAfter ?? 0;
  if (!Number.isInteger(after) || after < 0)
    throw new Error(`releaseAfter ${after}: whole seconds, or 0 for until a person releases the host`);
  if (input.rescan) {
    if (input.rescan.argv.length === 0) throw new Error("the rescan has no command");
    for (const name of Object.values(input.rescan.targets))
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`${name} is not a Fortress scan target name`);
  }
}

/** /etc/fortress/contain.json: the one file both programs read (root-only: it holds the secret). */
export function renderContainConfig(input: ContainConfigInput): string {
  validate(input);
  return `${JSON.stringify(
    {
      url: input.url.replace(/\/$/, ""),
      key: input.key,
      secret: input.secret,
      alias: QUARANTINE_ALIAS,
      ...(input.caFile ? { ca_file: input.caFile } : {}),
      timeout: input.timeout ?? 5,
      attempts: input.attempts ?? 4,
      backoff: 0.5,
      allow: input.allow,
      ...(input.syslog ? { syslog: input.syslog } : {}),
      ...(input.logFile ? { log_file: input.logFile } : {}),
      state_dir: input.stateDir ?? CONTAIN_PATHS.stateDir,
      ...(input.metricsDir ? { metrics_dir: input.metricsDir } : {}),
      active_response: {
        internal: input.internal,
        servers: input.servers ?? [],
        program: CONTAIN_PATHS.program,
        release_after: input.releaseAfter ?? 0,
      },
      ...(input.rescan
        ? {
            rescan: {
              argv: input.rescan.argv,
              targets: input.rescan.targets,
              timeout: input.rescan.timeout ?? 60,
            },
          }
        : {}),
    },
    null,
    2,
  )}\n`;
}
