/**
 * What the identity layer installs, and how much of the node it may take. Pinned artefacts, checked
 * against the publishers' release notes before pinning:
 * - keycloakx 7.4.0 (codecentric) ships Keycloak 26.8.1; the image is pinned to that same release.
 *   The chart, not the Keycloak Operator: the operator's manifests are only published as URLs,
 *   which a Pulumi program would fetch at plan time (and fail offline).
 * - PostgreSQL: the official `postgres` image in a StatefulSet written here. Bitnami's chart and
 *   images went behind a subscription; the CloudNativePG operator would add an operator and its
 *   CRDs (more RAM than the 0.5 GB budget) for one single-instance database. 17.x is within the
 *   range Keycloak 26 supports.
 * - vaultwarden 0.44.0 (guerzon) defaults to Vaultwarden 1.37.0; the image is pinned to 1.37.2, which
 *   current Bitwarden clients (2026.8.0 and later) need (dani-garcia/vaultwarden release notes, 1.37.2).
 */
import type { ContainerResources } from "../kubernetes/resources";

export const PINS = {
  keycloakChart: { repo: "https://codecentric.github.io/helm-charts", chart: "keycloakx", version: "7.4.0" },
  keycloakImage: { repository: "quay.io/keycloak/keycloak", tag: "26.8.1" },
  dbcheckerImage: { repository: "docker.io/busybox", tag: "1.37.0" },
  postgresImage: "docker.io/library/postgres:17.6",
  vaultwardenChart: {
    repo: "https://guerzon.github.io/vaultwarden",
    chart: "vaultwarden",
    version: "0.44.0",
  },
  vaultwardenImage: { registry: "docker.io", repository: "vaultwarden/server", tag: "1.37.2" },
} as const;

/** Sized on DESIGN.md §3: Keycloak 1.5 GB + PostgreSQL 0.5 GB; Vaultwarden 0.2 GB. */
export const RESOURCES: Readonly<
  Record<"keycloak" | "postgres" | "dbchecker" | "vaultwarden", ContainerResources>
> = {
  keycloak: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "2", memory: "1536Mi" } },
  postgres: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  dbchecker: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } },
  vaultwarden: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
};
