/**
 * What may be reached from outside the cluster, and from where, in the words of vocabulary/services.ts:
 * the ports agents connect to (Wazuh agents, syslog senders) may be exposed on the nodes to every zone
 * the matrix lets reach them; management-only services (SSH, the APIs, Proxmox's UI, exporters) only
 * from the management zone; everything else goes through the ingress (Traefik on 443, TLS and SSO).
 */
import { type AddressRange, addressRange, covers } from "../../vocabulary/addresses";
import { SERVICES, type ServiceName } from "../../vocabulary/services";

/**
 * Services whose ports may be exposed on the nodes (NodePort, LoadBalancer, externalIPs, hostPort):
 * what agents on the VMs connect to. clamd: agents stream new files to the lab's one clamd
 * (components/endpoint/clamav).
 */
export const DEFAULT_EXPOSABLE_SERVICES: readonly ServiceName[] = ["wazuh-agent", "syslog", "clamd"];
/**
 * Services whose ports may be exposed to single hosts only: a LoadBalancer with no node ports whose
 * source ranges are each one address (/32, /128). OpenSearch: the Wazuh manager's Filebeat, on its VM,
 * ships alerts to the indexer (components/siem/indexerRoute.ts), and nothing else outside the cluster
 * may reach 9200. Vector: the VM shippers send their streams to the monitoring layer's aggregator
 * (components/monitoring/logs/aggregatorRoute.ts).
 */
export const DEFAULT_SINGLE_HOST_SERVICES: readonly ServiceName[] = ["opensearch", "vector"];
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
  /** Ports that may be exposed to single hosts only, and the hosts (empty: any single host). */
  readonly singleHost: ReadonlySet<number>;
  readonly singleHostSources: readonly AddressRange[];
  readonly managementOnly: ReadonlySet<number>;
  readonly exposableNames: readonly string[];
}

export function exposureSettings(config: {
  exposableServices?: unknown;
  managementOnlyServices?: unknown;
  singleHostServices?: unknown;
  singleHostSources?: unknown;
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
    singleHost: portsOfServices(
      Array.isArray(config.singleHostServices) ? config.singleHostServices : DEFAULT_SINGLE_HOST_SERVICES,
    ),
    singleHostSources: Array.isArray(config.singleHostSources)
      ? config.singleHostSources.flatMap((text) => {
          const range = addressRange(String(text));
          return range ? [range] : [];
        })
      : [],
  };
}

/**
 * The source ranges a LoadBalancer admits, as the service controllers read them: the spec's, else the
 * annotation's, else everything (k8s.io/cloud-provider service/helpers `GetLoadBalancerSourceRanges`,
 * which k3s's ServiceLB calls in servicelb.go `newDaemonSet` and passes to klipper-lb as SRC_RANGES).
 * Unknown values (computed at apply) are kept as undefined entries.
 */
export const SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";
export function loadBalancerSourceRanges(spec: unknown, metadata: unknown): (string | undefined)[] {
  const fromSpec = (spec as { loadBalancerSourceRanges?: unknown } | undefined)?.loadBalancerSourceRanges;
  if (Array.isArray(fromSpec) && fromSpec.length > 0)
    return fromSpec.map((value) => (typeof value === "string" ? value.trim() : undefined));
  const annotation = (metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[
    SOURCE_RANGES_ANNOTATION
  ];
  if (typeof annotation === "string" && annotation.trim() !== "")
    return annotation.split(",").map((value) => value.trim());
  return [];
}

/** Why a LoadBalancer's source ranges do not hold a single-host service to single hosts; undefined when they do. */
export function singleHostProblem(
  ranges: readonly (string | undefined)[],
  allowed: readonly AddressRange[],
): string | undefined {
  if (ranges.length === 0)
    return "it has no loadBalancerSourceRanges, so every address that reaches the nodes may connect";
  for (const text of ranges) {
    const range = text === undefined ? undefined : addressRange(text);
    if (!range) return `its source range ${String(text)} is not an address Fortress can check`;
    if (range.first !== range.last)
      return `its source range ${text} is a network, not one host (/32 or /128)`;
    if (allowed.length > 0 && !covers(allowed, range))
      return `its source range ${text} is none of the hosts it may be opened to (singleHostSources)`;
  }
  return undefined;
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
  singleHostServices: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_SINGLE_HOST_SERVICES],
    description:
      "Services whose ports may be exposed to single hosts only: a LoadBalancer with allocateLoadBalancerNodePorts false and loadBalancerSourceRanges of single addresses (/32, /128). By default opensearch, for the Wazuh manager's Filebeat.",
  },
  singleHostSources: {
    type: "array",
    items: { type: "string" },
    default: [],
    description:
      "The addresses a single-host service may be opened to (the Wazuh manager's); empty: any single address.",
  },
  managementOnlyServices: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_MANAGEMENT_ONLY_SERVICES],
    description:
      "Services reached only from the management zone: never through the ingress unless the Ingress is annotated fortress.io/zone: management.",
  },
} as const;
