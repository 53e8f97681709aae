/**
 * The firewall's release: read from `diagnostics/system/system_information` ("Lobby: Dashboard", see
 * preflight.ts), compared release by release. Apart from the preflight so that the settings providers,
 * which need the version of a firewall for versioned models (versioned.ts), do not carry its code.
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError } from "./errors";
import { knownVersion, rememberVersion } from "./privileges";

export const VERSION_ENDPOINT = "diagnostics/system/system_information";

export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[._-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const diff = (left[index] ?? 0) - (right[index] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface SystemInformation {
  /** `["OPNsense 26.1.2-amd64", "FreeBSD 14.3-RELEASE-p5", "OpenSSL ..."]` */
  versions?: unknown[];
}

/** "OPNsense 26.1.2-amd64" → "26.1.2". */
export function productVersion(info: SystemInformation): string | undefined {
  const first = info.versions?.[0];
  const match = typeof first === "string" ? /^\S+\s+(\d+(?:\.\d+)*)/.exec(first) : null;
  return match?.[1];
}

/**
 * The firewall's release, for models whose fields differ between releases (models.ts `versioned`): the
 * one this process's preflight read, else read now from the same endpoint ("Lobby: Dashboard").
 */
export async function firewallVersion(connection: Connection, policy: RetryPolicy): Promise<string> {
  const known = knownVersion(connection.url);
  if (known) return known;
  const info = (await call(connection, "GET", VERSION_ENDPOINT, undefined, policy)) as SystemInformation;
  const version = productVersion(info);
  if (!version) {
    throw new OpnsenseError(
      `the firewall at ${connection.url} did not say its version (${VERSION_ENDPOINT}: ${JSON.stringify(info).slice(0, 200)})`,
    );
  }
  rememberVersion(connection.url, version);
  return version;
}
