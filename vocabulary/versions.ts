/** What counts as a pinned version, shared by the components that pin and the pack that checks. */

/**
 * Versions Helm resolves to one chart release: MAJOR.MINOR.PATCH with an optional pre-release and build.
 * Helm tries an exact match first and then reads the version as a Masterminds/semver constraint
 * (helm/helm pkg/repo/index.go IndexFile.Get; pkg/registry/util.go in v3, tag.go in v4, GetTagMatchingVersionOrConstraint),
 * and Masterminds/semver constraints.go reads a partial version as a range: "1.2" is ~1.2 (any 1.2.x),
 * "1" is any 1.x. So only a full three-part version is pinned.
 */
export function exactChartVersion(version: unknown): boolean {
  return (
    typeof version === "string" &&
    /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version.trim())
  );
}
