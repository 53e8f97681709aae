/**
 * Before Fortress changes anything on a firewall: is its version new enough, are the plugins the
 * config needs installed, may the API key call every endpoint it will use? And before the filter
 * rules: is every VLAN assigned to the interface its rules go on? (The network layer runs that part
 * after creating the VLAN devices: a device must exist before an admin can assign it.) Every missing
 * thing is reported in one error.
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsenseHttpError, OpnsensePrivilegeError } from "./errors";

/** 25.7 brought the snake_case API commands and the per-endpoint ACLs Fortress relies on. */
export const MINIMUM_VERSION = "25.7";

export interface PreflightNeeds {
  readonly minimumVersion: string;
  readonly plugins: readonly string[];
  /** GET endpoints to try, one per model, to prove the key's privileges. */
  readonly probes: readonly string[];
  /** OPNsense interfaces (lan, opt1 …) the filter rules use, with the VLAN each must carry. */
  readonly interfaces: readonly { readonly identifier: string; readonly vlan: number }[];
}

export class OpnsensePreflightError extends OpnsenseError {
  constructor(
    readonly url: string,
    readonly problems: readonly string[],
  ) {
    super(
      `the firewall at ${url} is not ready for Fortress; nothing was changed:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
    );
  }
}

export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[._-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const diff = (left[index] ?? 0) - (right[index] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

interface FirmwareInfo {
  product?: { product_version?: string };
  product_version?: string;
  package?: { name?: string; installed?: string | number }[];
  plugin?: { name?: string; installed?: string | number }[];
}

interface InterfaceRow {
  identifier?: string;
  device?: string;
  vlan_tag?: string | number | null;
}

/** Turns "you may not" and "there is no such endpoint" into problems; anything else is an error. */
async function tryCall(
  connection: Connection,
  path: string,
  policy: RetryPolicy,
  problems: string[],
): Promise<unknown | undefined> {
  try {
    return await call(connection, "GET", path, undefined, policy);
  } catch (error) {
    if (error instanceof OpnsensePrivilegeError) {
      problems.push(`missing privilege ${error.privilege ? `"${error.privilege}" ` : ""}for ${path}`);
      return undefined;
    }
    if (error instanceof OpnsenseHttpError && error.status === 404) {
      problems.push(`${path} does not exist on this firewall: is the plugin that provides it installed?`);
      return undefined;
    }
    throw error;
  }
}

function versionProblems(firmware: FirmwareInfo, needs: PreflightNeeds): string[] {
  const version = firmware.product?.product_version ?? firmware.product_version;
  if (!version) return [];
  const problems: string[] = [];
  if (compareVersions(version, needs.minimumVersion) < 0) {
    problems.push(
      `OPNsense ${version} is older than ${needs.minimumVersion}: upgrade the firewall (System > Firmware)`,
    );
  }
  const installed = new Set(
    [...(firmware.package ?? []), ...(firmware.plugin ?? [])]
      .filter((entry) => String(entry.installed) === "1")
      .map((entry) => entry.name),
  );
  for (const plugin of needs.plugins.filter((name) => !installed.has(name))) {
    problems.push(`the plugin ${plugin} is not installed: install it under System > Firmware > Plugins`);
  }
  return problems;
}

function interfaceProblems(rows: InterfaceRow[], needs: PreflightNeeds): string[] {
  const byIdentifier = new Map(rows.map((row) => [row.identifier, row]));
  return needs.interfaces.flatMap(({ identifier, vlan }) => {
    const row = byIdentifier.get(identifier);
    if (!row) {
      return [
        `interface ${identifier} is not assigned: assign the VLAN ${vlan} device to it under Interfaces > ` +
          "Assignments and enable it (the API cannot assign interfaces on this version), then run again",
      ];
    }
    const tag = row.vlan_tag === null || row.vlan_tag === undefined ? undefined : Number(row.vlan_tag);
    return tag !== undefined && tag !== vlan && identifier !== "lan"
      ? [
          `interface ${identifier} carries VLAN ${tag}, but the config puts VLAN ${vlan} on it: fix the assignment or networks[].interface`,
        ]
      : [];
  });
}

export async function preflight(
  connection: Connection,
  needs: PreflightNeeds,
  policy: RetryPolicy,
): Promise<void> {
  const problems: string[] = [];
  const firmware = (await tryCall(connection, "core/firmware/info", policy, problems)) as
    FirmwareInfo | undefined;
  if (firmware) problems.push(...versionProblems(firmware, needs));
  for (const probe of needs.probes) await tryCall(connection, probe, policy, problems);
  if (needs.interfaces.length > 0) {
    const overview = (await tryCall(connection, "interfaces/overview/export", policy, problems)) as
      InterfaceRow[] | { rows?: InterfaceRow[] } | undefined;
    if (overview)
      problems.push(...interfaceProblems(Array.isArray(overview) ? overview : (overview.rows ?? []), needs));
  }
  if (problems.length > 0) throw new OpnsensePreflightError(connection.url, problems);
}
