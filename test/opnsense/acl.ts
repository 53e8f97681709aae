/** The loopback server's ACL checks: which privileges grant an API path, per release line (the table: aclTable.ts). */
import { ACL_BY_VERSION, type AclEntry } from "./aclTable";
import { NODE_EXPORTER_ACL } from "./nodeExporter";

export { ACL_BY_VERSION, type AclEntry };

export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[._-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const diff = (left[index] ?? 0) - (right[index] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** `/api/firewall/filter/add_rule?x=1` → `firewall/filter/add_rule`. */
export function normalizeApiPath(path: string): string {
  let clean = path.split(/[?#]/, 1)[0] ?? "";
  clean = clean.replace(/^\/+/, "");
  if (clean.startsWith("api/")) clean = clean.slice(4);
  return clean.replace(/\/+$/, "");
}

/**
 * ACL::urlMatch (Core/ACL.php): `*` matches anything, and a pattern ending in `/*` also matches the
 * path without that last part (`api/unbound/settings/add_host_override/*` matches `.../add_host_override`).
 */
export function urlMatches(pattern: string, apiPath: string): boolean {
  let source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  source = source.replace(/([/&?])\.\*$/, "($1.*)?");
  return new RegExp(`^${source}$`).test(apiPath);
}

/** The ACL of the release line a version belongs to (25.7.x → 25.7; anything older is served as 25.7). */
export function aclFor(version: string): {
  entries: readonly AclEntry[];
  granting(apiPath: string): string[];
} {
  const line =
    compareVersions(version, "26.7") >= 0 ? "26.7" : compareVersions(version, "26.1") >= 0 ? "26.1" : "25.7";
  // Plugins' own ACL.xml entries, the same on every line: os-node_exporter's (nodeExporter.ts).
  const entries = [...ACL_BY_VERSION[line], NODE_EXPORTER_ACL];
  return {
    entries,
    granting: (apiPath) =>
      entries
        .filter((entry) => entry.patterns.some((p) => urlMatches(p, apiPath)))
        .map((entry) => entry.name),
  };
}
