/**
 * The Vector chart's values for the aggregator (vectordotdev/helm-charts@1595b17 charts/vector 0.57.0),
 * keys as its templates read them:
 *
 * - `role: Aggregator` renders a StatefulSet (templates/statefulset.yaml) whose `data` volume is
 *   `persistence.existingClaim` when given (_pod.tpl `volumes`), mounted at `customConfig.data_dir`:
 *   the disk buffers live on Fortress's protected claim, not in an `emptyDir`.
 * - `customConfig` replaces the chart's demo pipeline and goes through `tpl` (templates/configmap.yaml),
 *   hence {@link helmLiteral}; with it the chart sets no readiness probe (_pod.tpl: only without
 *   customConfig), so the probes are Fortress's, on the API (`api.enabled`, 8686, GET /health: Vector
 *   0.57.0 serves HTTP/1.1 `/health` on the API's listener beside gRPC, vectordotdev/vector@v0.57.0
 *   src/api/grpc_server.rs `http_router`), and
 *   the Service's and container's ports come from each source's `address` and `mode` (_helpers.tpl
 *   `vector.ports`, `vector.containerPorts`).
 * - `image.tag` wins over the appVersion (_helpers.tpl `vector.image.tag`).
 * - `podSecurityContext`, `securityContext`, `resources` are passed through (_pod.tpl); the chart's
 *   defaults are empty, and the distroless image has no USER: Fortress runs it as VECTOR_UID.
 * - `rbac.create` only matters for the Agent role (templates/rbac.yaml); the aggregator needs no API
 *   token (`serviceAccount.automountToken: false`).
 */
import type { PlainValues } from "../../kubernetes/helmRelease";
import { tlsSecretName } from "../../kubernetes/certificate";
import { AGGREGATOR_PATHS } from "./aggregatorConfig";
import { LOGS_PINS, LOGS_RESOURCES, VECTOR_API_PORT, VECTOR_UID } from "./pins";

export const AGGREGATOR_RELEASE = "vector-aggregator";
/** The lowest port the pod's non-root user may bind: syslog's. */
export const UNPRIVILEGED_PORT_START = 514;
/** The claim the StatefulSet mounts (made and protected by VectorAggregator). */
export const AGGREGATOR_CLAIM = "vector-aggregator-data";
export const AGGREGATOR_SECRET = "vector-aggregator-secrets";
export const AGGREGATOR_CA_CONFIGMAP = "vector-aggregator-indexer-ca";
export const AGGREGATOR_CERTIFICATE_ID = "vector-aggregator";
/** The pods' labels (_helpers.tpl `vector.selectorLabels`: name, instance, component = role). */
export const AGGREGATOR_POD_LABELS = {
  "app.kubernetes.io/name": "vector",
  "app.kubernetes.io/instance": AGGREGATOR_RELEASE,
  "app.kubernetes.io/component": "Aggregator",
} as const;

/**
 * A value the chart passes through `tpl` that must reach Vector as written: every `{{` becomes the
 * Go template action `{{ "{{" }}`, which prints `{{` (text/template: a string constant pipeline). A
 * `}}` outside an action is plain text to Go's template lexer.
 */
export function helmLiteral(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\{\{/g, '{{ "{{" }}');
  if (Array.isArray(value)) return value.map(helmLiteral);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [helmLiteral(key), helmLiteral(item)]),
    );
  return value;
}

export interface AggregatorValuesSpec {
  /** aggregatorConfigDocument's result. */
  readonly config: Record<string, unknown>;
  /** Whether the shippers' TLS certificate is mounted (the config has a `shippers` source). */
  readonly shipperTls: boolean;
}

export function aggregatorValues(spec: AggregatorValuesSpec): PlainValues {
  const probe = { httpGet: { path: "/health", port: VECTOR_API_PORT } };
  const volumes: PlainValues[] = [
    { name: "fortress-secrets", secret: { secretName: AGGREGATOR_SECRET, defaultMode: 0o440 } },
    { name: "fortress-indexer-ca", configMap: { name: AGGREGATOR_CA_CONFIGMAP } },
    ...(spec.shipperTls
      ? [
          {
            name: "fortress-tls",
            secret: { secretName: tlsSecretName(AGGREGATOR_CERTIFICATE_ID), defaultMode: 0o440 },
          },
        ]
      : []),
  ];
  const mounts: PlainValues[] = [
    { name: "fortress-secrets", mountPath: AGGREGATOR_PATHS.secretsDir, readOnly: true },
    {
      name: "fortress-indexer-ca",
      mountPath: AGGREGATOR_PATHS.indexerCa.replace(/\/[^/]+$/, ""),
      readOnly: true,
    },
    ...(spec.shipperTls
      ? [{ name: "fortress-tls", mountPath: AGGREGATOR_PATHS.tlsDir, readOnly: true }]
      : []),
  ];
  return {
    role: "Aggregator",
    fullnameOverride: AGGREGATOR_RELEASE,
    replicas: 1,
    image: { repository: LOGS_PINS.vectorImage.repository, tag: LOGS_PINS.vectorImage.tag },
    customConfig: helmLiteral(spec.config) as PlainValues,
    rbac: { create: false },
    serviceAccount: { create: true, automountToken: false },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: VECTOR_UID,
      runAsGroup: VECTOR_UID,
      fsGroup: VECTOR_UID,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
      // Syslog's 514 without root or a capability (aggregatorRoute.ts).
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: String(UNPRIVILEGED_PORT_START) }],
    },
    securityContext: {
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
    resources: { ...LOGS_RESOURCES.vector },
    persistence: { enabled: true, existingClaim: AGGREGATOR_CLAIM },
    livenessProbe: { ...probe, periodSeconds: 30, failureThreshold: 5 },
    readinessProbe: { ...probe, periodSeconds: 10 },
    extraVolumes: volumes,
    extraVolumeMounts: mounts,
    service: { enabled: true, type: "ClusterIP" },
    podMonitor: { enabled: false },
  };
}
