/**
 * What the response layer runs in the cluster, pinned, and how much of the general pool it takes.
 * Charts: StrangeBeeCorp/helm-charts@e8f3a11 (published by chart-releaser to
 * https://strangebeecorp.github.io/helm-charts): thehive-charts/thehive/Chart.yaml (1.0.5, appVersion
 * 5.7.5-1) and cortex-charts/cortex/Chart.yaml (1.2.0, appVersion 4.1.0-1). Every image tag is an exact
 * release (StrangeBee's `<version>-<build>`, Bitnami's `-rN` revisions), never a floating tag; digests
 * could not be read here (no registry is reachable from this machine), so they are not claimed.
 */
import type { ChartPin } from "../kubernetes/helmRelease";
import type { ContainerResources } from "../kubernetes/resources";

const STRANGEBEE_REPO = "https://strangebeecorp.github.io/helm-charts";

export const RESPONSE_PINS = {
  theHiveChart: { repo: STRANGEBEE_REPO, chart: "thehive", version: "1.0.5" } satisfies ChartPin,
  cortexChart: { repo: STRANGEBEE_REPO, chart: "cortex", version: "1.2.0" } satisfies ChartPin,
  theHiveImage: { registry: "docker.io", repository: "strangebee/thehive", tag: "5.7.5-1" },
  cortexImage: { registry: "docker.io", repository: "thehiveproject/cortex", tag: "4.1.0-1" },
  /**
   * TheHive's graph store: the chart's Cassandra subchart (bitnami cassandra 12.3.11) with the image the
   * chart pins (thehive values.yaml `cassandra.image`: bitnamilegacy/cassandra:4.1.7-debian-12-r3, a
   * frozen build: Bitnami moved its free images to `bitnamilegacy` and stopped updating them).
   */
  cassandraImage: { registry: "docker.io", repository: "bitnamilegacy/cassandra", tag: "4.1.7-debian-12-r3" },
  /** The provisioning Job (TheHive's and Cortex's accounts): Python's own image, stdlib only. */
  jobImage: "docker.io/library/python:3.13.9-slim-bookworm",
} as const;

/**
 * The UIDs the images run as: strangebee/thehive as `thehive` (1000); thehiveproject/cortex as
 * `cortex`, 1001 (TheHive-Project/Cortex@4.1.0 project/DockerSettings.scala `useradd --uid 1001`, the
 * entrypoint's `daemon_user 1001:1001`); Bitnami's 1001.
 */
export const THEHIVE_UID = 1000;
export const CORTEX_UID = 1001;
export const CASSANDRA_UID = 1001;
/** `nobody` for the provisioning Job: it writes nothing but /tmp. */
export const JOB_UID = 65534;

/**
 * Memory in MiB. The catalog gives thehive 6 GB and cortex 4 GB of the general pool (stacks/catalog.ts);
 * the chart defaults (TheHive 3.5Gi, Cassandra 3.5Gi, Elasticsearch 3.5Gi, MinIO 2Gi: 12.5Gi) do not fit,
 * so the index is the shared Wazuh indexer, attachments sit on a volume instead of MinIO, and the JVM
 * heaps are half their limits. Cortex's neurons run as Jobs: its analyzer and responder pools are capped
 * so that at most NEURON_PARALLELISM Jobs run at once, each within the namespace's LimitRange default
 * (components/platform/namespaces.ts: 512Mi).
 */
export const MEMORY_MIB = { thehive: 3072, cassandra: 2304, cortex: 2048, job: 128 } as const;
export const HEAP_MIB = { thehive: 1536, cassandra: 1024, cortex: 1024 } as const;
export const NEURON_PARALLELISM = { analyzers: 2, responders: 1 } as const;
export const NEURON_MEMORY_MIB = 512;

const mem = (mib: number) => `${mib}Mi`;

export const RESPONSE_RESOURCES: Readonly<Record<keyof typeof MEMORY_MIB, ContainerResources>> = {
  thehive: {
    requests: { cpu: "500m", memory: mem(MEMORY_MIB.thehive) },
    limits: { cpu: "2", memory: mem(MEMORY_MIB.thehive) },
  },
  cassandra: {
    requests: { cpu: "500m", memory: mem(MEMORY_MIB.cassandra) },
    limits: { cpu: "2", memory: mem(MEMORY_MIB.cassandra) },
  },
  cortex: {
    requests: { cpu: "250m", memory: mem(MEMORY_MIB.cortex) },
    limits: { cpu: "2", memory: mem(MEMORY_MIB.cortex) },
  },
  job: {
    requests: { cpu: "50m", memory: mem(MEMORY_MIB.job) },
    limits: { cpu: "500m", memory: mem(MEMORY_MIB.job) },
  },
};

/** Catalog budgets in GB (stacks/catalog.ts PLACEMENTS), against which the sizes above are checked. */
export const CATALOG_BUDGET_GB = { thehive: 6, cortex: 4 } as const;

/** MiB → GB (10^9 bytes), as the catalog counts. */
export const mibToGb = (mib: number) => (mib * 1024 * 1024) / 1e9;

/**
 * The default secrets the charts ship (thehive values.yaml, cortex values.yaml, the subcharts' values the
 * parent sets) and the products' default logins (TheHive `admin@thehive.local`/`secret`): none of these
 * strings may appear in what Fortress renders.
 */
export const VENDOR_DEFAULT_SECRETS = [
  "ChangeThisSecretWithOneContainingAtLeast32Chars",
  "ChangeThisPasswordForCassandra",
  "ChangeThisPasswordForMinIO",
  "C0rt3xOpenS3arch#2025",
] as const;
