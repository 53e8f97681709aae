/**
 * What the logs part of the monitoring layer runs, pinned, with where each pin was read.
 *
 * - Loki: grafana-community/helm-charts tag loki-18.11.0, charts/loki/Chart.yaml (version 18.11.0,
 *   appVersion 3.7.6); the image is set to the appVersion explicitly (values.yaml `loki.image.tag: null`
 *   falls back to it, a pin should not).
 * - Vector: vectordotdev/helm-charts@1595b17 charts/vector/Chart.yaml (version 0.57.0, appVersion
 *   0.56.0-distroless-libc). The VM shippers run Vector 0.57.0 (components/shipping/pins.ts) and the
 *   configuration schema test reads 0.57.0's reference, so the aggregator runs the same release: the
 *   image tag is overridden to 0.57.0-distroless-libc (the chart's own naming of the image,
 *   `vector.image` in templates/_helpers.tpl: `<repository>:<tag>`).
 * - The bridge: Python's own image, standard library only (the response layer's job image).
 */
import type { ChartPin } from "../../kubernetes/helmRelease";
import type { ContainerResources } from "../../kubernetes/resources";
import { RESPONSE_PINS } from "../../response/pins";
import { VECTOR_PACKAGE } from "../../shipping/pins";

export const LOGS_PINS = {
  lokiChart: {
    repo: "https://grafana-community.github.io/helm-charts",
    chart: "loki",
    version: "18.11.0",
  } satisfies ChartPin,
  lokiImage: { registry: "docker.io", repository: "grafana/loki", tag: "3.7.6" },
  vectorChart: { repo: "https://helm.vector.dev", chart: "vector", version: "0.57.0" } satisfies ChartPin,
  /** The VM shippers' release (VECTOR_PACKAGE 0.57.0-1), as the distroless image. */
  vectorImage: {
    repository: "docker.io/timberio/vector",
    tag: `${VECTOR_PACKAGE.version.replace(/-\d+$/, "")}-distroless-libc`,
  },
  bridgeImage: RESPONSE_PINS.jobImage,
} as const;

/**
 * The UIDs: Loki's chart runs its image as 10001 (values.yaml `loki.podSecurityContext`); the
 * distroless Vector image sets no user, so Fortress picks an unprivileged one and gives the data
 * volume to its group; the bridge runs as `nobody`.
 */
export const LOKI_UID = 10001;
export const VECTOR_UID = 10001;
export const BRIDGE_UID = 65534;

/**
 * Memory in MiB, within the catalog's share of the general pool (stacks/catalog.ts: loki 1.5 GB,
 * vector 0.5 GB, research §10): Loki's limit leaves the go runtime its GOMEMLIMIT headroom (the chart
 * sets GOMEMLIMIT to 85 % of the limit, `defaults.goSettings.goMemLimitFactor`).
 */
export const LOGS_MEMORY_MIB = { loki: 1280, vector: 384, bridge: 64 } as const;

const mem = (mib: number) => `${mib}Mi`;

export const LOGS_RESOURCES: Readonly<Record<keyof typeof LOGS_MEMORY_MIB, ContainerResources>> = {
  loki: {
    requests: { cpu: "100m", memory: mem(LOGS_MEMORY_MIB.loki) },
    limits: { cpu: "1", memory: mem(LOGS_MEMORY_MIB.loki) },
  },
  vector: {
    requests: { cpu: "100m", memory: mem(LOGS_MEMORY_MIB.vector) },
    limits: { cpu: "1", memory: mem(LOGS_MEMORY_MIB.vector) },
  },
  bridge: {
    requests: { cpu: "10m", memory: mem(LOGS_MEMORY_MIB.bridge) },
    limits: { cpu: "200m", memory: mem(LOGS_MEMORY_MIB.bridge) },
  },
};

/** Ports: Loki's HTTP (values.yaml `loki.server.http_listen_port`), Vector's API (chart README). */
export const LOKI_HTTP_PORT = 3100;
export const VECTOR_API_PORT = 8686;
