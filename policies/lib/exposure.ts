/**
 * What may be reached from outside the cluster, and from where, in the words of vocabulary/services.ts:
 * the ports agents connect to (Wazuh agents, syslog senders) may be exposed on the nodes to every zone
 * the matrix lets reach them; management-only services (SSH, the APIs, Proxmox's UI, exporters) only
 * from the management zone; everything else goes through the ingress (Traefik on 443, TLS and SSO).
 */
import { SERVICES, type ServiceName } from "../../vocabulary/services";

/**
 * Services whose ports may be exposed on the nodes (NodePort, LoadBalancer, externalIPs, hostPort):
 * what agents on the VMs connect to. clamd: agents stream new files to the lab's one clamd
 * (components/endpoint/clamav).
 */
export const DEFAULT_EXPOSABLE_SERVICES: readonly ServiceName[] = ["wazuh-agent", "syslog", "clamd"];
/** Services that are reached only from the management zone: never through the ingress, never on a node port. */
export const DEFAULT_MANAGEMENT_ONLY_SERVICES: readonly ServiceName[] = [
  "ssh",
  "kubernetes-api",
  "proxmox-ui",
  "wazuh-api",
  "opensearch",
  "keycloak-management",
  "node-exporter",
  "postgres-exporter",
];
/** The annotation that puts an exposed object in a zone; only `management` lifts the allow-list. */
export const ZONE_ANNOTATION = "fortress.io/zone";
export const MANAGEMENT_ZONE = "management";

/** The TCP and UDP ports of the named services (unknown names are ignored). */
export function portsOfServices(names: readonly unknown[]): Set<number> {
  const ports = new Set<number>();
  for (const name of names) {
    const service = (SERVICES as Record<string, { tcp: readonly number[]; udp: readonly number[] }>)[
      String(name)
    ];
    for (const port of [...(service?.tcp ?? []), ...(service?.udp ?? [])]) ports.add(port);
  }
  return ports;
}

/** A port as Kubernetes writes it: a number, or a numeric string; names (`http`) are undefined. */
export const portNumber = (value: unknown): number | undefined =>
  typeof value === "number"
    ? value
    : typeof value === "string" && /^\d+$/.test(value.trim())
      ? Number(value)
      : undefined;

/** The exposure settings of a policy's config, with the vocabulary's defaults. */
export interface ExposureSettings {
  readonly exposable: ReadonlySet<number>;
  readonly managementOnly: ReadonlySet<number>;
  readonly exposableNames: readonly string[];
}

export function exposureSettings(config: {
  exposableServices?: unknown;
  managementOnlyServices?: unknown;
}): ExposureSettings {
  const exposableNames = Array.isArray(config.exposableServices)
    ? config.exposableServices.map(String)
    : [...DEFAULT_EXPOSABLE_SERVICES];
  return {
    exposable: portsOfServices(exposableNames),
    managementOnly: portsOfServices(
      Array.isArray(config.managementOnlyServices)
        ? config.managementOnlyServices
        : DEFAULT_MANAGEMENT_ONLY_SERVICES,
    ),
    exposableNames,
  };
}

/** Whether the object's metadata puts it in the management zone. */
export function inManagementZone(metadata: unknown): boolean {
  const annotations = (metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  return annotations?.[ZONE_ANNOTATION] === MANAGEMENT_ZONE;
}

export const EXPOSURE_CONFIG_SCHEMA = {
  exposableServices: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_EXPOSABLE_SERVICES],
    description:
      "Services (vocabulary/services.ts) whose ports may be exposed on the nodes: what agents and log senders connect to.",
  },
  managementOnlyServices: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_MANAGEMENT_ONLY_SERVICES],
    description:
      "Services reached only from the management zone: never through the ingress unless the Ingress is annotated fortress.io/zone: management.",
  },
} as const;
