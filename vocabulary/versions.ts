/** What counts as a pinned version, shared by the components that pin and the pack that checks. */

/** Versions Helm resolves to one chart release: not a range, not empty. */
export function exactChartVersion(version: unknown): boolean {
  return typeof version === "string" && /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.+-]+)?$/.test(version.trim());
}
