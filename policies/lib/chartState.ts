/**
 * The state the response layer's charts keep, as their values say (offline no chart renders: lib/charts.ts),
 * for `state-protected-and-backed-up`:
 * - TheHive's chart (StrangeBeeCorp/helm-charts@thehive-1.0.5 thehive-charts/thehive): Cassandra (the
 *   graph: cases, alerts, observables; values.yaml `cassandra.persistence.enabled: true`), and the
 *   Elasticsearch and MinIO subcharts when enabled, keep their data in claims their StatefulSets make
 *   (volumeClaimTemplates): Pulumi cannot protect those, so persistence must stay on and no
 *   `persistentVolumeClaimRetentionPolicy` may delete them with the StatefulSet; TheHive's attachments,
 *   without MinIO, need a volume, and every claim the pods mount (`thehive.volumes`) must be a protected
 *   claim of the plan.
 * - Cortex's chart (cortex-1.2.0 cortex-charts/cortex): `cortex.persistentVolumeClaim.create: true` (the
 *   default) makes the job directory's claim inside the chart (templates/pvc.yaml), deleted with it; Fortress
 *   makes the claim itself, protected, and names it to the chart.
 */
type Values = Record<string, unknown>;
const asRecord = (value: unknown): Values | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Values) : undefined;
const at = (values: Values, path: string): unknown =>
  path.split(".").reduce<unknown>((node, key) => asRecord(node)?.[key], values);

/** A chart of TheHive or Cortex, by its chart name (a repository chart, an OCI or a path: the last part). */
export function strangeBeeChart(props: Values): "thehive" | "cortex" | undefined {
  const chart = String(props.chart ?? asRecord(props.spec)?.chart ?? "");
  const last = chart.replace(/\/+$/, "").split("/").pop() ?? "";
  return last === "thehive" || last === "cortex" ? last : undefined;
}

/** A protected claim of the plan, by namespace and name. */
export interface PlannedClaim {
  readonly namespace: string | undefined;
  readonly name: string;
  readonly protect: boolean;
}

/** The claims a pod list of volumes mounts (`persistentVolumeClaim.claimName`). */
function claimNames(volumes: unknown): string[] {
  if (!Array.isArray(volumes)) return [];
  return volumes.flatMap((volume) => {
    const claim = asRecord(asRecord(volume)?.persistentVolumeClaim)?.claimName;
    return typeof claim === "string" && claim !== "" ? [claim] : [];
  });
}

function claimProblems(
  names: readonly string[],
  namespace: string | undefined,
  claims: readonly PlannedClaim[],
  what: string,
): string[] {
  return names.flatMap((name) => {
    const claim = claims.find(
      (entry) =>
        entry.name === name &&
        (namespace === undefined || entry.namespace === undefined || entry.namespace === namespace),
    );
    if (!claim)
      return [
        `${what} mounts the claim ${name}, which is no persistent volume claim of the plan: make it one, protected`,
      ];
    return claim.protect ? [] : [`${what} mounts the claim ${name}, which is not protected`];
  });
}

/** A subchart whose StatefulSet keeps its data: persistence on, its claims kept when the StatefulSet goes. */
function subchartProblems(
  values: Values,
  subchart: string,
  product: string,
  persistencePath: string,
): string[] {
  if (at(values, `${subchart}.enabled`) === false) return [];
  const problems: string[] = [];
  if (at(values, `${subchart}.${persistencePath}.enabled`) === false)
    problems.push(
      `${product}'s data (${subchart}.${persistencePath}.enabled: false) is on an emptyDir, lost when its pod goes`,
    );
  const retention = asRecord(at(values, `${subchart}.persistentVolumeClaimRetentionPolicy`));
  if (
    retention &&
    retention.enabled === true &&
    (retention.whenDeleted === "Delete" || retention.whenScaled === "Delete")
  )
    problems.push(
      `${product}'s claims are deleted with its StatefulSet (${subchart}.persistentVolumeClaimRetentionPolicy): keep them (Retain)`,
    );
  return problems;
}

export function chartStateProblems(
  chart: "thehive" | "cortex",
  values: Values,
  namespace: string | undefined,
  claims: readonly PlannedClaim[],
): string[] {
  if (chart === "cortex") {
    const problems: string[] = [];
    const pvc = asRecord(at(values, "cortex.persistentVolumeClaim")) ?? {};
    if (pvc.create !== false)
      problems.push(
        "the chart makes Cortex's job directory claim itself (cortex.persistentVolumeClaim.create), deleted with the chart: make the claim a protected resource and set create: false",
      );
    else {
      const name = typeof pvc.name === "string" && pvc.name !== "" ? pvc.name : "cortex-shared-fs-claim";
      problems.push(...claimProblems([name], namespace, claims, "Cortex"));
    }
    return [
      ...problems,
      ...claimProblems(claimNames(at(values, "cortex.volumes")), namespace, claims, "Cortex"),
    ];
  }
  const mounted = claimNames(at(values, "thehive.volumes"));
  const problems = [
    ...subchartProblems(
      values,
      "cassandra",
      "Cassandra (TheHive's cases, alerts and observables)",
      "persistence",
    ),
    ...subchartProblems(values, "elasticsearch", "Elasticsearch (TheHive's index)", "master.persistence"),
    ...subchartProblems(values, "minio", "MinIO (TheHive's attachments)", "persistence"),
    ...claimProblems(mounted, namespace, claims, "TheHive"),
  ];
  const config = at(values, "thehive.configFile");
  if (typeof config === "string" && /provider\s*=\s*"?localfs/.test(config) && mounted.length === 0)
    problems.push(
      "TheHive keeps its attachments on the local filesystem (storage.provider = localfs) with no claim mounted: they are in the container, lost when it goes",
    );
  return problems;
}
