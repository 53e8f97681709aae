import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withEmbeddedObjects } from "../lib/embedded";
import { K8S_SERVICE_TYPE, k8sObjectOf, knownString } from "../lib/resources";
import { addressRange, type AddressRange, covers } from "../../vocabulary/addresses";

export const DEFAULT_UI_PORTS = [443, 8443, 3000, 5601, 9443, 8080];
export const DEFAULT_MANAGEMENT_CIDRS = ["10.10.10.0/24"];
export const MANAGEMENT_UI_LABEL = "fortress.io/management-ui";
export const ZONE_ANNOTATION = "fortress.io/zone";
/** Annotations through which MetalLB takes a Service's address, beside spec.loadBalancerIP. */
const METALLB_IP_ANNOTATIONS = ["metallb.io/loadBalancerIPs", "metallb.universe.tf/loadBalancerIPs"];
const EXPOSED_TYPES = new Set(["NodePort", "LoadBalancer"]);

const portNumber = (value: unknown) =>
  typeof value === "number"
    ? value
    : typeof value === "string" && /^\d+$/.test(value)
      ? Number(value)
      : undefined;

/** Whether `text` (an address or a CIDR) lies wholly inside one of `cidrs`. */
export function withinCidrs(text: string, cidrs: readonly AddressRange[]): boolean {
  const range = addressRange(text);
  return range !== undefined && cidrs.some((cidr) => covers([cidr], range));
}

/** Whether a Service's inputs mark it a management UI: the UI ports it serves, and the label. */
export function managementUiOf(
  props: Record<string, unknown>,
  uiPorts: ReadonlySet<number> = new Set(DEFAULT_UI_PORTS),
): { uiPortsUsed: number[]; labelled: boolean } {
  const spec = (props.spec ?? {}) as Record<string, unknown>;
  const metadata = (props.metadata ?? {}) as { labels?: Record<string, unknown> };
  const ports = Array.isArray(spec.ports) ? (spec.ports as Record<string, unknown>[]) : [];
  const uiPortsUsed = [
    ...new Set(
      ports.flatMap((port) =>
        [portNumber(port?.port), portNumber(port?.targetPort)].filter(
          (value): value is number => value !== undefined && uiPorts.has(value),
        ),
      ),
    ),
  ];
  const labelled = String(metadata.labels?.[MANAGEMENT_UI_LABEL] ?? "").toLowerCase() === "true";
  return { uiPortsUsed, labelled };
}

export const k8sNoExposedManagementUi: ResourceValidationPolicy = {
  name: "k8s-no-exposed-management-ui",
  description: `No Service of type NodePort or LoadBalancer, or with externalIPs, exposes a management UI outside the management zone. Convention: a Service is a management UI when one of its ports (port or targetPort) is a well-known UI port (uiPorts, by default ${DEFAULT_UI_PORTS.join("/")}) or it is labelled ${MANAGEMENT_UI_LABEL}: "true"; such a Service is ClusterIP (reached through the ingress and SSO), or it is NodePort/LoadBalancer only when annotated ${ZONE_ANNOTATION}: management, and then its spec.loadBalancerIP, MetalLB loadBalancerIPs annotation and spec.loadBalancerSourceRanges, where set, lie within the management CIDRs (managementCidrs, by default ${DEFAULT_MANAGEMENT_CIDRS.join(", ")}).`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      uiPorts: {
        type: "array",
        items: { type: "integer" },
        default: DEFAULT_UI_PORTS,
        description: "Service ports that mark a management UI.",
      },
      managementCidrs: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_MANAGEMENT_CIDRS,
        description:
          "The management network(s) a management UI's load balancer address and source ranges must lie in.",
      },
    },
  },
  validateResource: withEmbeddedObjects((args, reportViolation) => {
    if (args.type !== K8S_SERVICE_TYPE && args.type !== `${K8S_SERVICE_TYPE}Patch`) return;
    const spec = (args.props.spec ?? {}) as Record<string, unknown>;
    const declared = knownString(spec.type) ?? "ClusterIP";
    const externalIps = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
    if (!EXPOSED_TYPES.has(declared) && !externalIps) return;
    const type = EXPOSED_TYPES.has(declared) ? declared : `${declared} with externalIPs`;

    const config = args.getConfig<{ uiPorts?: unknown; managementCidrs?: unknown }>();
    const uiPorts = new Set((Array.isArray(config.uiPorts) ? config.uiPorts : DEFAULT_UI_PORTS).map(Number));
    const cidrTexts = (
      Array.isArray(config.managementCidrs) ? config.managementCidrs : DEFAULT_MANAGEMENT_CIDRS
    ).map(String);
    const cidrs = cidrTexts.flatMap((cidr) => {
      const range = addressRange(cidr);
      return range ? [range] : [];
    });

    const metadata = (args.props.metadata ?? {}) as {
      labels?: Record<string, unknown>;
      annotations?: Record<string, unknown>;
    };
    const { uiPortsUsed, labelled } = managementUiOf(args.props, uiPorts);
    if (uiPortsUsed.length === 0 && !labelled) return;

    const object = k8sObjectOf(args);
    const why = labelled
      ? `is labelled ${MANAGEMENT_UI_LABEL}: "true"`
      : `serves UI port${uiPortsUsed.length > 1 ? "s" : ""} ${uiPortsUsed.join(", ")}`;
    const who = `Service ${object.name} in namespace ${object.namespaceLabel} ${why} and is ${type}`;
    const zone = metadata.annotations?.[ZONE_ANNOTATION];
    if (zone !== "management") {
      reportViolation(
        `${who}, so it exposes a management UI on ${zone === undefined ? "whatever network the nodes are on" : `zone ${String(zone)}`}: make it ClusterIP and reach it through the ingress and SSO, or put it on the management network with the annotation ${ZONE_ANNOTATION}: management and loadBalancerSourceRanges within ${cidrTexts.join(", ")}`,
      );
      return;
    }
    const addresses: { what: string; value: string }[] = [];
    const loadBalancerIp = knownString(spec.loadBalancerIP);
    if (loadBalancerIp) addresses.push({ what: "spec.loadBalancerIP", value: loadBalancerIp });
    for (const annotation of METALLB_IP_ANNOTATIONS) {
      const value = knownString(metadata.annotations?.[annotation]);
      for (const ip of value?.split(",") ?? []) {
        if (ip.trim() !== "") addresses.push({ what: `annotation ${annotation}`, value: ip.trim() });
      }
    }
    for (const ip of Array.isArray(spec.externalIPs) ? spec.externalIPs : []) {
      addresses.push({ what: "spec.externalIPs", value: String(ip) });
    }
    const sourceRanges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : [];
    for (const range of sourceRanges) {
      addresses.push({ what: "spec.loadBalancerSourceRanges", value: String(range) });
    }
    for (const { what, value } of addresses) {
      if (!withinCidrs(value, cidrs)) {
        reportViolation(
          `${who} in the management zone, but its ${what} ${value} lies outside the management network (${cidrTexts.join(", ")}): use an address or source range inside it`,
        );
      }
    }
  }),
};
