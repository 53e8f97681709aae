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

/**
 * Keycloak's size from the lab's profile (stacks/profiles.ts `workloads.keycloak`, `resilience`).
 * PostgreSQL stays one pod whatever the replicas: the pods share it (and cluster through it).
 */
export interface KeycloakSizing {
  /** Keycloak pods: more than one form one cluster (keycloak.ts keycloakClusterValues). */
  readonly replicas: number;
  /** Each pod's memory limit, MiB; two-thirds of it is requested, as the default's 1 Gi of 1536 Mi. */
  readonly memoryMib: number;
  /** Spread the pods over distinct nodes (required anti-affinity) rather than preferably. */
  readonly resilience: boolean;
}

export const DEFAULT_KEYCLOAK_SIZING: KeycloakSizing = { replicas: 1, memoryMib: 1536, resilience: false };

/** Fortress's floor for a Keycloak pod (the JVM's heap is a share of the container's memory): the home lab's 1 Gi request. */
export const KEYCLOAK_MINIMUM_MIB = 1024;

/** A memory quantity as Kubernetes writes it: whole GiB as `Gi`, else `Mi`. */
export const mibQuantity = (mib: number) => (mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`);

/** Keycloak's container resources at a size: the limit, two-thirds of it requested, RESOURCES' cpu. */
export function keycloakResources(memoryMib: number): ContainerResources {
  if (!(Number.isInteger(memoryMib) && memoryMib >= KEYCLOAK_MINIMUM_MIB))
    throw new Error(
      `keycloak: needs at least ${KEYCLOAK_MINIMUM_MIB} MiB (fortress:workloads.keycloak.memoryGb), not ${memoryMib}`,
    );
  const { requests, limits } = RESOURCES.keycloak;
  return {
    requests: { cpu: requests.cpu, memory: mibQuantity(Math.round((memoryMib * 2) / 3)) },
    limits: { cpu: limits.cpu, memory: mibQuantity(memoryMib) },
  };
}
