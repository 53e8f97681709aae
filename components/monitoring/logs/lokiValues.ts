/**
 * Loki's chart values (grafana-community/loki 18.11.0, Loki 3.7.6), rendered by a pure function: one
 * monolithic pod with its chunks and index on a filesystem volume, retention sized to that volume,
 * and every extra the chart turns on by default turned off. Keys as the chart's templates read them
 * (grafana-community/helm-charts@loki-18.11.0 charts/loki/):
 *
 * - `deploymentMode: Monolithic` (templates/_helpers.tpl `loki.deployment.isMonolithic`); the
 *   single-binary StatefulSet runs `loki.monolithicReplicas` pods, which is 1 whatever
 *   `singleBinary.replicas` says unless object storage is used (_helpers.tpl), so 1 is set to say so.
 * - Filesystem storage: `loki.storage.type: filesystem` (`loki.commonStorageConfig`), a tsdb v13 schema
 *   on the filesystem object store, `commonConfig.replication_factor: 1` (one ingester: the default 3
 *   would never reach quorum).
 * - What the defaults would add, and request (values.yaml, research §0.6), each off:
 *   `chunksCache` (memcached, `allocatedMemory: 8192` MiB, its limit ≈1.2× that: ~9.8 GiB),
 *   `resultsCache` (memcached, `allocatedMemory: 1024` MiB: ~1.2 GiB), `lokiCanary` (a DaemonSet, a pod
 *   on every node pushing test lines), `test` (a Helm test pod with an unpinned `latest` image that
 *   needs the canary), `gateway` (an nginx Deployment in front of Loki: the pushers and Grafana reach
 *   Loki's own Service instead), the ruler (`ruler.enabled`: Prometheus does the alerting) and its
 *   `sidecar.rules` container (kiwigrid/k8s-sidecar, watching ConfigMaps cluster-wide).
 * - Multi-tenancy off (`loki.auth_enabled: false`): one lab, one tenant. Loki then files everything
 *   under its single tenant `fake` and needs no `X-Scope-OrgID` from pushers or Grafana; the only
 *   boundary is the NetworkPolicy (loki.ts).
 * - Retention by the compactor: `compactor.retention_enabled` with `delete_request_store: filesystem`
 *   (Loki 3 refuses retention without a delete request store) and `limits_config.retention_period`.
 */
import type { PlainValues } from "../../kubernetes/helmRelease";
import type { ContainerResources } from "../../kubernetes/resources";
import { LOGS_MEMORY_MIB, LOGS_PINS, LOGS_RESOURCES, LOKI_HTTP_PORT, LOKI_UID } from "./pins";

export interface LokiSizing {
  /** The volume's size. */
  readonly volumeGi: number;
  /** The lab's estimate of what reaches Loki per day, compressed chunks and index, GiB. */
  readonly ingestGiPerDay: number;
  /** The most days the lab wants kept (retention is the smaller of this and what the volume holds). */
  readonly maxRetentionDays: number;
  /** The pod's memory (limit = request), MiB, from the lab's profile; default LOGS_MEMORY_MIB.loki. */
  readonly memoryMib?: number;
}

/**
 * The smallest Loki let run: the one monolithic pod (ingester, querier, compactor in one process,
 * "for small read/write volumes of up to approximately 20GB per day": grafana/loki@v3.7.6
 * docs/sources/get-started/deployment-modes.md) with both memcached caches off (below), and the
 * chart's GOMEMLIMIT at 85 % of the limit with GOGC 80 (grafana-community/helm-charts@loki-18.11.0
 * values.yaml `defaults.goSettings`), which makes the Go runtime collect before the kernel kills it:
 * 512 MiB leaves it about 435 MiB. Loki documents sizes only for microservices mode
 * (docs/sources/setup/size/_index.md), so the floor is Fortress's estimate for a lab's half a GiB of
 * syslog a day, not the vendor's figure.
 */
export const LOKI_MINIMUM_MIB = 512;

/** Loki's container resources at the lab's size (LOGS_RESOURCES.loki's cpu). */
export function lokiResources(memoryMib: number = LOGS_MEMORY_MIB.loki): ContainerResources {
  if (!(memoryMib >= LOKI_MINIMUM_MIB))
    throw new Error(
      `loki: needs at least ${LOKI_MINIMUM_MIB} MiB (fortress:workloads.loki.memoryGb), not ${memoryMib}`,
    );
  const memory = `${Math.round(memoryMib)}Mi`;
  const { requests, limits } = LOGS_RESOURCES.loki;
  return { requests: { ...requests, memory }, limits: { ...limits, memory } };
}

/** The part of the volume chunks may fill: the rest is the index, the WAL and the compactor's room. */
export const LOKI_FILL_FRACTION = 0.7;

/** Days of logs the volume holds: whole days, at least one, at most the lab's maximum. */
export function lokiRetentionDays(sizing: LokiSizing): number {
  const { volumeGi, ingestGiPerDay, maxRetentionDays } = sizing;
  if (!(volumeGi > 0 && ingestGiPerDay > 0 && maxRetentionDays >= 1))
    throw new Error("loki: the volume, the ingest estimate and the days wanted must be positive");
  const fits = Math.floor((volumeGi * LOKI_FILL_FRACTION) / ingestGiPerDay);
  if (fits < 1)
    throw new Error(
      `loki: ${volumeGi} GiB at ${Math.round(LOKI_FILL_FRACTION * 100)} % cannot hold one day of ${ingestGiPerDay} GiB`,
    );
  return Math.min(fits, Math.floor(maxRetentionDays));
}

/** The release name; the StatefulSet and its Service are named after it (templates/_helpers.tpl `loki.name`). */
export const LOKI_RELEASE = "loki";
/**
 * The single binary's claim as its StatefulSet names it: the template `storage` (_workload.tpl:
 * `eq $target "single-binary" | ternary "storage" "data"`) of StatefulSet `loki`, pod 0. Fortress makes
 * this claim itself, protected, so that the StatefulSet adopts it and a destroy cannot take it.
 */
export const LOKI_CLAIM = `storage-${LOKI_RELEASE}-0`;
export const LOKI_STORAGE_PATH = "/var/loki";
/** The pods' labels (templates/_helpers.tpl `loki.selectorLabels` plus the component). */
export const LOKI_POD_LABELS = {
  "app.kubernetes.io/name": "loki",
  "app.kubernetes.io/instance": LOKI_RELEASE,
  "app.kubernetes.io/component": "single-binary",
} as const;

export interface LokiValuesSpec extends LokiSizing {
  readonly storageClass: string;
}

export function lokiValues(spec: LokiValuesSpec): PlainValues {
  const days = lokiRetentionDays(spec);
  return {
    deploymentMode: "Monolithic",
    fullnameOverride: LOKI_RELEASE,
    loki: {
      image: { ...LOGS_PINS.lokiImage },
      auth_enabled: false,
      commonConfig: { path_prefix: LOKI_STORAGE_PATH, replication_factor: 1 },
      storage: {
        type: "filesystem",
        filesystem: {
          chunks_directory: `${LOKI_STORAGE_PATH}/chunks`,
          rules_directory: `${LOKI_STORAGE_PATH}/rules`,
        },
      },
      schemaConfig: {
        configs: [
          {
            from: "2024-04-01",
            store: "tsdb",
            object_store: "filesystem",
            schema: "v13",
            index: { prefix: "index_", period: "24h" },
          },
        ],
      },
      server: { http_listen_port: LOKI_HTTP_PORT, grpc_listen_port: 9095 },
      limits_config: {
        retention_period: `${days * 24}h`,
        reject_old_samples: true,
        reject_old_samples_max_age: "168h",
        volume_enabled: true,
      },
      compactor: {
        working_directory: `${LOKI_STORAGE_PATH}/compactor`,
        retention_enabled: true,
        delete_request_store: "filesystem",
      },
      analytics: { reporting_enabled: false },
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: LOKI_UID,
        runAsGroup: LOKI_UID,
        fsGroup: LOKI_UID,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
      containerSecurityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
    },
    singleBinary: {
      replicas: 1,
      resources: lokiResources(spec.memoryMib),
      persistence: {
        enabled: true,
        size: `${spec.volumeGi}Gi`,
        storageClass: spec.storageClass,
        enableStatefulSetAutoDeletePVC: false,
        whenDeleted: "Retain",
        whenScaled: "Retain",
      },
    },
    // The simple scalable targets at zero (validate.yaml refuses monolithic and scalable replicas together).
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    gateway: { enabled: false },
    ruler: { enabled: false },
    sidecar: { rules: { enabled: false } },
    minio: { enabled: false },
    // No memcached ServiceAccount (memcached/serviceaccount.yaml: chunksCache or memcached enabled).
    memcached: { enabled: false },
    // No ClusterRole (backend/clusterrole.yaml renders one unless namespaced): it is for the rules sidecar.
    rbac: { namespaced: true },
    // The chart's own NetworkPolicies are off: Fortress writes Loki's (loki.ts).
    networkPolicy: { enabled: false },
  };
}
