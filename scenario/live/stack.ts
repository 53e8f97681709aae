/**
 * What a live drill reads from the deployed stack, and nothing else: `pulumi stack output --json
 * --show-secrets` (stacks/outputs.ts names the keys) and `pulumi config --json --show-secrets` (the
 * `{key: {value, secret, objectValue?}}` map of the CLI's `--json`), both read from the Pulumi CLI's
 * stdout, never from an argument. Secrets stay in memory, or in files this process makes 0600.
 *
 * The names, each checked against the program's own (stacks/outputs.ts, stacks/config/schema.ts):
 * - `theHiveUrl` (plain output): TheHive's https origin;
 * - `theHiveAnalystPassword` (secret output) for the analyst `analyst@fortress.local`
 *   (components/response/accounts.ts ANALYST_LOGIN), or a TheHive API key the user passes in
 *   FORTRESS_THEHIVE_KEY (environment, never an argument) — the Wazuh service account's key is not an output;
 * - the containment key as `fortress:containmentApiKey` / `fortress:containmentApiSecret` (secure
 *   config; README "The containment key — a manual step"), or FORTRESS_CONTAIN_KEY / FORTRESS_CONTAIN_SECRET.
 */
import { ANALYST_LOGIN } from "../../components/response/accounts";
import type { SecretKey } from "../../stacks/config/schema";
import type { FortressOutputs } from "../../stacks/outputs";
import type { CommandResult } from "../endpoints";

type OutputKey = keyof FortressOutputs;

export const ASSUMED_KEYS = {
  theHiveUrl: "theHiveUrl" satisfies OutputKey,
  theHiveAnalystPassword: "theHiveAnalystPassword" satisfies OutputKey,
  containKey: `fortress:${"containmentApiKey" satisfies SecretKey}`,
  containSecret: `fortress:${"containmentApiSecret" satisfies SecretKey}`,
} as const;

/** The one workstation role of the catalog (stacks/catalog.ts `workstation`), enrolled in this agent group. */
export const WORKSTATION_ROLE = "workstation";
const WORKSTATION_GROUP = "fortress-workstation";

export interface LiveVm {
  readonly name: string;
  readonly address: string;
  readonly hostKey: string;
}

export interface LiveStack {
  readonly workstation: LiveVm;
  readonly manager: LiveVm;
  readonly greenbone: LiveVm;
  readonly adminUser: string;
  readonly sshPrivateKey: string;
  readonly theHive: { readonly url: string; readonly ca: string; readonly authorization: string };
  readonly opnsense: {
    readonly url: string;
    readonly ca?: string;
    readonly insecure: boolean;
    readonly key: string;
    readonly secret: string;
  };
  readonly scanTargets: Readonly<Record<string, readonly string[]>>;
}

export type Runner = (binary: string, args: readonly string[]) => Promise<CommandResult>;

type Json = Record<string, unknown>;

async function json(run: Runner, args: string[]): Promise<Json> {
  const result = await run("pulumi", args);
  if (result.code !== 0)
    throw new Error(`pulumi ${args.slice(0, 2).join(" ")}: exit ${result.code} ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as Json;
}

function configValue(config: Json, key: string): unknown {
  const entry = config[key] as { value?: string; objectValue?: unknown } | undefined;
  if (!entry) return undefined;
  if (entry.objectValue !== undefined) return entry.objectValue;
  try {
    return entry.value !== undefined && /^[{[]/.test(entry.value) ? JSON.parse(entry.value) : entry.value;
  } catch {
    return entry.value;
  }
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === "") throw new Error(`the stack has no ${what}`);
  return value;
}

/** The plan's VM by name, or a refusal naming the workstations the plan has. */
function vm(vms: Json, name: string): LiveVm {
  const found = vms[name] as { address?: string; hostKey?: string } | undefined;
  if (!found) throw new Error(`the plan has no VM ${name}`);
  return {
    name,
    address: need(found.address, `address for ${name}`),
    hostKey: need(found.hostKey, `host key for ${name}`),
  };
}

/**
 * The workstation the drill drops its file on: a VM of the workstation role enrolled in the workstation
 * agent group. Any other VM is refused, whatever is asked.
 */
export function pickWorkstation(outputs: Json, wanted?: string): LiveVm {
  const vms = (outputs.vms ?? {}) as Json;
  const groups = (outputs.wazuhAgentGroups ?? {}) as Record<string, string>;
  const workstations = Object.keys(vms).filter(
    (name) =>
      new RegExp(`^${WORKSTATION_ROLE}-\\d+$`).test(name) &&
      (groups[name] ?? WORKSTATION_GROUP) === WORKSTATION_GROUP,
  );
  if (workstations.length === 0)
    throw new Error(
      "the plan has no workstation VM (service `workstation`): the drill drops its file on nothing else",
    );
  const name = wanted ?? workstations[0]!;
  if (!workstations.includes(name))
    throw new Error(
      `${name} is not the plan's workstation VM (${workstations.join(", ")}): the drill refuses any other host`,
    );
  return vm(vms, name);
}

/** The plan's VM an output names by address or DNS name. */
function vmAt(vms: Json, host: string, what: string): LiveVm {
  const name = Object.keys(vms).find((candidate) => {
    const entry = vms[candidate] as { address?: string; fqdn?: string };
    return entry.address === host || entry.fqdn === host;
  });
  return vm(vms, need(name, `VM at ${host} (${what})`));
}

export async function readStack(
  run: Runner,
  options: { readonly stack?: string; readonly workstation?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<LiveStack> {
  const stackArgs = options.stack ? ["--stack", options.stack] : [];
  const env = options.env ?? {};
  const outputs = await json(run, ["stack", "output", "--json", "--show-secrets", ...stackArgs]);
  const config = await json(run, ["config", "--json", "--show-secrets", ...stackArgs]);
  const vms = (outputs.vms ?? {}) as Json;
  const workstation = pickWorkstation(outputs, options.workstation);
  const rescan = need(
    outputs.greenboneRescanCommand as string | undefined,
    "greenboneRescanCommand (the vuln layer)",
  );
  const greenboneHost = need(/@(\S+)\s/.exec(rescan)?.[1], "Greenbone host in greenboneRescanCommand");
  const greenbone = vmAt(vms, greenboneHost, "Greenbone");
  const lab = need(configValue(config, "fortress:lab") as { adminUser?: string } | undefined, "fortress:lab");
  const opnsense = need(
    configValue(config, "fortress:opnsense") as
      { url?: string; caCert?: string; insecure?: boolean } | undefined,
    "fortress:opnsense",
  );
  const theHiveKey = env.FORTRESS_THEHIVE_KEY;
  const analystPassword = outputs[ASSUMED_KEYS.theHiveAnalystPassword] as string | undefined;
  return {
    workstation,
    manager: vmAt(
      vms,
      need(outputs.wazuhManagerAddress as string | undefined, "wazuhManagerAddress"),
      "the Wazuh manager",
    ),
    greenbone,
    adminUser: need(lab.adminUser, "fortress:lab adminUser"),
    sshPrivateKey: need(
      configValue(config, "fortress:sshPrivateKey") as string | undefined,
      "fortress:sshPrivateKey",
    ),
    theHive: {
      url: need(
        outputs[ASSUMED_KEYS.theHiveUrl] as string | undefined,
        `${ASSUMED_KEYS.theHiveUrl} (the response layer)`,
      ),
      ca: need(outputs.fortressCaCertificate as string | undefined, "fortressCaCertificate"),
      authorization: theHiveKey
        ? `Bearer ${theHiveKey}`
        : `Basic ${Buffer.from(`${ANALYST_LOGIN}:${need(analystPassword, `${ASSUMED_KEYS.theHiveAnalystPassword}, or FORTRESS_THEHIVE_KEY`)}`).toString("base64")}`,
    },
    opnsense: {
      url: need(opnsense.url, "fortress:opnsense url"),
      ...(opnsense.caCert ? { ca: opnsense.caCert } : {}),
      insecure: opnsense.insecure === true,
      key: need(
        env.FORTRESS_CONTAIN_KEY ?? (configValue(config, ASSUMED_KEYS.containKey) as string | undefined),
        `${ASSUMED_KEYS.containKey} or FORTRESS_CONTAIN_KEY`,
      ),
      secret: need(
        env.FORTRESS_CONTAIN_SECRET ??
          (configValue(config, ASSUMED_KEYS.containSecret) as string | undefined),
        `${ASSUMED_KEYS.containSecret} or FORTRESS_CONTAIN_SECRET`,
      ),
    },
    scanTargets: need(
      outputs.greenboneScanTargets as Record<string, string[]> | undefined,
      "greenboneScanTargets",
    ),
  };
}
