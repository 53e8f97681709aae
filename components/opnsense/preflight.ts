/**
 * Before Fortress changes anything on a firewall: is its version new enough, are the plugins the
 * config needs installed, may the API key call every endpoint it will use, and is every VLAN device
 * assigned to an interface? Every missing thing is reported in one error.
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsensePrivilegeError } from "./errors";

/** 25.7 brought the snake_case API commands and the per-endpoint ACLs Fortress relies on. */
export const MINIMUM_VERSION = "25.7";

export interface PreflightNeeds {
  readonly minimumVersion: string;
  readonly plugins: readonly string[];
  /** GET endpoints to try, one per model, to prove the key's privileges. */
  readonly probes: readonly string[];
  /** OPNsense interface identifiers (opt1, opt2 …) that the filter rules use. */
  readonly interfaces: readonly string[];
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

interface InterfaceOverview {
  rows?: { identifier?: string; device?: string; description?: string }[];
}

export async function preflight(
  connection: Connection,
  needs: PreflightNeeds,
  policy: RetryPolicy,
): Promise<void> {
  const problems: string[] = [];
  const firmware = (await call(connection, "GET", "core/firmware/info", undefined, policy).catch(
    (error: unknown) => {
      if (error instanceof OpnsensePrivilegeError) {
        problems.push(error.message);
        return {};
      }
      throw error;
    },
  )) as FirmwareInfo;

  const version = firmware.product?.product_version ?? firmware.product_version;
  if (version && compareVersions(version, needs.minimumVersion) < 0) {
    problems.push(
      `OPNsense ${version} is older than ${needs.minimumVersion}: upgrade the firewall (System > Firmware)`,
    );
  }
  const installed = new Set(
    [...(firmware.package ?? []), ...(firmware.plugin ?? [])]
      .filter((entry) => String(entry.installed) === "1")
      .map((entry) => entry.name),
  );
  if (version) {
    for (const plugin of needs.plugins.filter((name) => !installed.has(name))) {
      problems.push(`the plugin ${plugin} is not installed: install it under System > Firmware > Plugins`);
    }
  }

  for (const probe of needs.probes) {
    try {
      await call(connection, "GET", probe, undefined, policy);
    } catch (error) {
      if (!(error instanceof OpnsensePrivilegeError)) throw error;
      problems.push(
        `missing privilege ${error.privilege ? `"${error.privilege}"` : ""} for ${probe}`.replace("  ", " "),
      );
    }
  }

  if (needs.interfaces.length > 0) {
    const overview = (await call(connection, "GET", "interfaces/overview/export", undefined, policy).catch(
      (error: unknown) => {
        if (error instanceof OpnsensePrivilegeError) {
          problems.push(error.message);
          return undefined;
        }
        throw error;
      },
    )) as InterfaceOverview | InterfaceOverview["rows"] | undefined;
    if (overview) {
      const rows = Array.isArray(overview) ? overview : (overview.rows ?? []);
      const assigned = new Set(rows.map((row) => row.identifier));
      for (const name of needs.interfaces.filter((identifier) => !assigned.has(identifier))) {
        problems.push(
          `interface ${name} is not assigned: assign its VLAN device under Interfaces > Assignments ` +
            "(the API cannot assign interfaces on this version), enable it, then run again",
        );
      }
    }
  }

  if (problems.length > 0) throw new OpnsensePreflightError(connection.url, problems);
}
