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
} as const;

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
  /** Where every action is logged: the SIEM's syslog (the manager), or the local socket on the manager. */
  readonly syslog: { readonly host: string; readonly port: number } | { readonly socket: string };
  /** HTTP timeout per call, seconds (default 5: the active response holds execd while it runs). */
  readonly timeout?: number;
  /** Attempts on a transient failure (default 4: 0.5 + 1 + 2 s of backoff). */
  readonly attempts?: number;
}

/** /etc/fortress/contain.json: the one file both programs read (root-only: it holds the secret). */
export function renderContainConfig(input: ContainConfigInput): string {
  if (!/^https?:\/\/[^\s/]+\/?$/.test(input.url)) throw new Error(`${input.url} is not a firewall API URL`);
  if (input.allow.length === 0)
    throw new Error("the allow-list is empty: the management network at least belongs in it");
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
      syslog: input.syslog,
      active_response: { internal: input.internal, program: CONTAIN_PATHS.program },
    },
    null,
    2,
  )}\n`;
}
