import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withEmbeddedObjects } from "../lib/embedded";
import {
  EXPOSURE_CONFIG_SCHEMA,
  type ExposureSettings,
  exposureSettings,
  inManagementZone,
  loadBalancerSourceRanges,
  portNumber,
  singleHostProblem,
} from "../lib/exposure";
import {
  containersOf,
  K8S_SERVICE_TYPE,
  k8sKindOf,
  k8sObjectOf,
  knownString,
  podSpecsOf,
} from "../lib/resources";
import { isNodeExporterDaemonSet, NODE_EXPORTER_PORT } from "../lib/nodeExporter";
import { managementUiOf } from "./k8s-no-exposed-management-ui";
import { K8S_PACKAGE } from "../../vocabulary/sdkTypes";

type Report = (message: string) => void;
type Inputs = Record<string, unknown>;

const EXPOSED_TYPES = new Set(["NodePort", "LoadBalancer"]);
/** Traefik's CRDs, under both API groups Traefik has used (traefik.io since v2.10, traefik.containo.us before). */
const TRAEFIK_ROUTE = new RegExp(
  `^${K8S_PACKAGE}:traefik\\.(io|containo\\.us)/v1alpha1:IngressRoute(TCP|UDP)?$`,
);
/** Gateway API objects (gateway.networking.k8s.io, any version): the Gateway's listeners and the routes' backends. */
const GATEWAY_API = new RegExp(
  `^${K8S_PACKAGE}:gateway\\.networking\\.k8s\\.io/[^:]+:(Gateway|HTTPRoute|GRPCRoute|TLSRoute|TCPRoute|UDPRoute)$`,
);
/** Traefik's plain-HTTP entrypoint in k3s's packaged Traefik (k3s manifests/traefik.yaml: web on 80, websecure on 443). */
const PLAIN_ENTRYPOINT = "web";

const list = (value: unknown): Inputs[] => (Array.isArray(value) ? (value as Inputs[]) : []);
const allowedNames = (settings: ExposureSettings) => settings.exposableNames.join(", ") || "none";

/** A Service exposed on the nodes (NodePort, LoadBalancer, externalIPs) on ports agents do not use. */
function judgeService(props: Inputs, who: string, settings: ExposureSettings, report: Report) {
  const spec = (props.spec ?? {}) as Inputs;
  const type = knownString(spec.type) ?? "ClusterIP";
  const externalIps = list(spec.externalIPs).length > 0;
  if (!EXPOSED_TYPES.has(type) && !externalIps) return;
  // Management UIs are k8s-no-exposed-management-ui's to judge (zone annotation and management CIDRs).
  const ui = managementUiOf(props);
  if (ui.labelled || ui.uiPortsUsed.length > 0 || inManagementZone(props.metadata)) return;
  const how = EXPOSED_TYPES.has(type) ? type : "externalIPs";
  // A NodePort Service, and a LoadBalancer unless allocateLoadBalancerNodePorts is false, opens each
  // port's nodePort on every node (kubernetes/kubernetes pkg/apis/core/types.go ServicePort.NodePort,
  // ServiceSpec.AllocateLoadBalancerNodePorts).
  const nodePorts =
    type === "NodePort" || (type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
  for (const port of list(spec.ports)) {
    const number = portNumber(port.port);
    const target = portNumber(port.targetPort) ?? number;
    const nodePort = nodePorts ? portNumber(port.nodePort) : undefined;
    if (nodePort !== undefined && nodePort !== 0 && !settings.exposable.has(nodePort)) {
      report(
        `${who} is ${type} with nodePort ${nodePort}, which is no agent port (${allowedNames(settings)}), so every node answers on it: drop the nodePort (with allocateLoadBalancerNodePorts: false on a LoadBalancer), or make the Service ClusterIP and route it through the ingress`,
      );
    }
    if (
      number !== undefined &&
      settings.exposable.has(number) &&
      (target === undefined || settings.exposable.has(target))
    )
      continue;
    if (
      number !== undefined &&
      settings.singleHost.has(number) &&
      (target === undefined || settings.singleHost.has(target))
    ) {
      // A single-host service (OpenSearch for the manager's Filebeat): a LoadBalancer with no node
      // ports, whose source ranges ServiceLB (klipper-lb SRC_RANGES) and kube-proxy enforce, each one host.
      const problem =
        type !== "LoadBalancer" || externalIps
          ? `only a LoadBalancer without externalIPs may expose it, not ${how}`
          : spec.allocateLoadBalancerNodePorts !== false
            ? "it allocates a nodePort on every node (set allocateLoadBalancerNodePorts: false)"
            : singleHostProblem(loadBalancerSourceRanges(spec, props.metadata), settings.singleHostSources);
      if (problem === undefined) continue;
      report(
        `${who} exposes port ${String(port.port)}, which may be opened to single hosts only, but ${problem}: make it a LoadBalancer with allocateLoadBalancerNodePorts: false and loadBalancerSourceRanges of the one client's address (/32)`,
      );
      continue;
    }
    report(
      `${who} is ${how} on port ${String(port.port ?? "?")}${target !== number ? ` (to ${String(port.targetPort)})` : ""}, which is no agent port (${allowedNames(settings)}), so it opens a service on the nodes' addresses to every zone that reaches them: make it ClusterIP and route it through the ingress, or annotate it fortress.io/zone: management with loadBalancerSourceRanges in the management network`,
    );
  }
}

/** Host ports and the listening ports of host-network pods: both answer on every address of the node. */
function judgeWorkload(props: Inputs, type: string, who: string, settings: ExposureSettings, report: Report) {
  for (const { spec } of podSpecsOf({ type, props }, { patches: true })) {
    const hostNetwork = spec.hostNetwork === true;
    // The node exporter listens on the node's 9100 (policies/lib/nodeExporter.ts), nothing else of it does.
    const nodeExporter = hostNetwork && isNodeExporterDaemonSet(k8sKindOf(type), spec);
    for (const { name, container } of containersOf(spec)) {
      for (const port of list(container.ports)) {
        const hostPort =
          portNumber(port.hostPort) ?? (hostNetwork ? portNumber(port.containerPort) : undefined);
        if (hostPort === undefined || hostPort === 0 || settings.exposable.has(hostPort)) continue;
        if (nodeExporter && port.hostPort === undefined && hostPort === NODE_EXPORTER_PORT) continue;
        report(
          `${who}: container ${name} ${port.hostPort !== undefined ? `binds hostPort ${hostPort}` : `listens on ${hostPort} in the node's network (hostNetwork)`}, which is no agent port (${allowedNames(settings)}): serve it through a ClusterIP Service and the ingress instead`,
        );
      }
    }
  }
}

/** Ingress backends' ports: `service.port.number` (networking/v1), `servicePort` (v1beta1). */
function ingressBackendPorts(spec: Inputs): number[] {
  const backends = [
    spec.defaultBackend ?? spec.backend,
    ...list(spec.rules).flatMap((rule) =>
      list((rule.http as Inputs | undefined)?.paths).map((path) => path.backend),
    ),
  ] as (Inputs | undefined)[];
  return backends.flatMap((backend) => {
    const port =
      portNumber(((backend?.service as Inputs | undefined)?.port as Inputs | undefined)?.number) ??
      portNumber(backend?.servicePort);
    return port === undefined ? [] : [port];
  });
}

function judgeIngress(
  props: Inputs,
  who: string,
  settings: ExposureSettings,
  report: Report,
  patch: boolean,
) {
  const spec = (props.spec ?? {}) as Inputs;
  const management = inManagementZone(props.metadata);
  // A patch leaves what it does not name as it is, so only what it sets is judged.
  // Traefik also serves TLS for an Ingress annotated router.tls: "true" (traefik/traefik
  // pkg/provider/kubernetes/ingress/annotations.go `router.tls`), with its default certificate.
  const annotations = ((props.metadata as Inputs | undefined)?.annotations ?? {}) as Inputs;
  const traefikTls = String(annotations["traefik.ingress.kubernetes.io/router.tls"]).toLowerCase() === "true";
  if (!patch && !traefikTls && list(spec.tls).length === 0) {
    report(
      `${who} has no spec.tls, so it routes plain HTTP into the cluster: add tls with the host's certificate (cert-manager) and the router.entrypoints annotation websecure`,
    );
  }
  for (const port of new Set(ingressBackendPorts(spec))) {
    if (!management && settings.managementOnly.has(port)) {
      report(
        `${who} routes to port ${port}, a management-only service, so every zone that reaches the ingress reaches it: remove the route, or annotate the Ingress fortress.io/zone: management and serve it from the management network only`,
      );
    }
  }
}

function judgeTraefikRoute(
  props: Inputs,
  type: string,
  who: string,
  settings: ExposureSettings,
  report: Report,
) {
  const spec = (props.spec ?? {}) as Inputs;
  const entryPoints = Array.isArray(spec.entryPoints) ? spec.entryPoints.map(String) : [];
  if (!type.endsWith("IngressRoute")) {
    report(
      `${who} forwards raw ${type.endsWith("TCP") ? "TCP" : "UDP"} from Traefik's entrypoints ${entryPoints.join(", ") || "(all)"} into the cluster, outside the HTTPS ingress and SSO: expose agent ports as a Service instead`,
    );
    return;
  }
  if (spec.tls === undefined && (entryPoints.length === 0 || entryPoints.includes(PLAIN_ENTRYPOINT))) {
    report(
      `${who} has no tls and listens on ${entryPoints.length === 0 ? "every entrypoint" : `entrypoint ${PLAIN_ENTRYPOINT}`}, so it routes plain HTTP into the cluster: set entryPoints: [websecure] and tls`,
    );
  }
  if (inManagementZone(props.metadata)) return;
  for (const route of list(spec.routes)) {
    for (const service of list(route.services)) {
      const port = portNumber(service.port);
      if (port !== undefined && settings.managementOnly.has(port)) {
        report(
          `${who} routes to ${String(service.name ?? "a service")} port ${port}, a management-only service, so every zone that reaches the ingress reaches it: remove the route, or annotate it fortress.io/zone: management`,
        );
      }
    }
  }
}

function judgeGatewayApi(
  props: Inputs,
  type: string,
  who: string,
  settings: ExposureSettings,
  report: Report,
) {
  const kind = GATEWAY_API.exec(type)?.[1] ?? "";
  const spec = (props.spec ?? {}) as Inputs;
  const management = inManagementZone(props.metadata);
  if (kind === "Gateway") {
    for (const listener of list(spec.listeners)) {
      const protocol = String(listener.protocol ?? "");
      const port = portNumber(listener.port);
      if (protocol === "HTTP" && !management) {
        report(
          `${who} listens for plain HTTP on ${String(listener.port)} (listener ${String(listener.name ?? "?")}): use protocol HTTPS with a certificate`,
        );
      } else if (
        (protocol === "TCP" || protocol === "UDP") &&
        (port === undefined || !settings.exposable.has(port))
      ) {
        report(
          `${who} forwards raw ${protocol} on ${String(listener.port)} into the cluster, which is no agent port (${allowedNames(settings)})`,
        );
      }
    }
    return;
  }
  const raw = kind === "TCPRoute" || kind === "UDPRoute";
  for (const rule of list(spec.rules)) {
    for (const backend of list(rule.backendRefs)) {
      const port = portNumber(backend.port);
      if (port === undefined) continue;
      if (
        raw ? !settings.exposable.has(port) && !management : settings.managementOnly.has(port) && !management
      ) {
        report(
          `${who} routes to ${String(backend.name ?? "a service")} port ${port}, ${raw ? `which is no agent port (${allowedNames(settings)})` : "a management-only service"}, so every zone that reaches the gateway reaches it: remove the route, or annotate it fortress.io/zone: management`,
        );
      }
    }
  }
}

export const k8sExposure: ResourceValidationPolicy = {
  name: "k8s-exposure",
  description:
    "Every route into the cluster is on the allow-list of what may be exposed where: a Service of type NodePort or LoadBalancer, or with externalIPs, and a hostPort or a host-network pod's port (but the Prometheus node exporter DaemonSet's 9100, as k8s-no-privileged recognises it), expose only the ports agents connect to (exposableServices, by default wazuh-agent, syslog and clamd; management UIs are k8s-no-exposed-management-ui's), or a single-host service's port (singleHostServices, by default opensearch for the Wazuh manager's Filebeat) on a LoadBalancer without node ports whose loadBalancerSourceRanges are single addresses (singleHostSources, when set); an Ingress or a Traefik IngressRoute serves TLS and routes to no management-only service (managementOnlyServices: SSH, the Kubernetes, Wazuh and OpenSearch APIs, Proxmox's UI, exporters) unless annotated fortress.io/zone: management; no IngressRouteTCP/UDP; a Gateway API Gateway listens for no plain HTTP and forwards no raw TCP/UDP but on agent ports, and its routes follow the Ingress rule. Covers Service patches, Services, Pods and every workload's pod template (patches too), Ingress in every API version, and objects a chart renders.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { ...EXPOSURE_CONFIG_SCHEMA } },
  validateResource: withEmbeddedObjects((args, reportViolation) => {
    if (!args.type.startsWith(`${K8S_PACKAGE}:`)) return;
    const settings = exposureSettings(
      args.getConfig<{ exposableServices?: unknown; managementOnlyServices?: unknown }>(),
    );
    const object = k8sObjectOf(args);
    const who = `${object.kind} ${object.name} in namespace ${object.namespaceLabel}`;
    if (args.type === K8S_SERVICE_TYPE || args.type === `${K8S_SERVICE_TYPE}Patch`)
      judgeService(args.props, who, settings, reportViolation);
    else if (GATEWAY_API.test(args.type))
      judgeGatewayApi(args.props, args.type, who, settings, reportViolation);
    else if (k8sKindOf(args.type) === "Ingress" || k8sKindOf(args.type) === "IngressPatch")
      judgeIngress(args.props, who, settings, reportViolation, args.type.endsWith("Patch"));
    else if (TRAEFIK_ROUTE.test(args.type))
      judgeTraefikRoute(args.props, args.type, who, settings, reportViolation);
    else judgeWorkload(args.props, args.type, who, settings, reportViolation);
  }),
};
