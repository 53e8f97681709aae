/**
 * The routes from the VMs and the firewall into a cluster Fortress did not build (platform.mode:
 * existing): each a LoadBalancer Service at an address the cluster's load balancer hands out, which the
 * admin reserves and names in platform.cluster.loadBalancer, so that the firewall's rules, the manager's
 * Filebeat, the agents' clamdscan and OPNsense's syslog target can name it before anything is deployed.
 * With Fortress's own k3s, ServiceLB serves them on planned node addresses instead (stacks/hostFlows.ts
 * routeTarget) and this key is refused (checks.ts checkPlatform).
 */
import type { LayerName } from "../blueprint";
import { cidrContainsHost, ipToInt, parseCidr } from "../../vocabulary/addresses";
import { isLayerEnabled, issue } from "./checks";
import type { ConfigIssue } from "./errors";
import type { NetworkConfig, NodeConfig, PlainConfig } from "./schema";

const inDhcpRange = (network: NetworkConfig, ip: string) =>
  ipToInt(ip) >= ipToInt(network.dhcp.start) && ipToInt(ip) <= ipToInt(network.dhcp.end);

/** The routes into an existing cluster, each an address its load balancer hands out (platform.cluster.loadBalancer). */
export const CLUSTER_ROUTES = ["indexer", "clamd", "syslog"] as const;
export type ClusterRoute = (typeof CLUSTER_ROUTES)[number];

/** What the route checks read beside the platform: the networks, the nodes and whether OPNsense is managed. */
export interface RouteLab {
  readonly networks?: readonly NetworkConfig[] | undefined;
  readonly nodes?: readonly Pick<NodeConfig, "name" | "address">[] | undefined;
  readonly firewall?: boolean;
}

const ROUTE_USE: Readonly<Record<ClusterRoute, string>> = {
  indexer: "the Wazuh manager's Filebeat and the shipper VMs reach the indexer (9200/TCP)",
  clamd: "agents stream files to clamd (3310/TCP)",
  syslog: "the firewall sends its logs to the Vector aggregator (514/UDP)",
};

/**
 * The routes a lab on an existing cluster needs: the indexer's while the siem layer runs the manager,
 * clamd's while the endpoint layer runs clamav, syslog's while the monitoring layer runs (Prometheus
 * on) and the firewall is managed (its logs go to the aggregator: stacks/layers/monitoringLogs.ts).
 */
export function clusterRoutesNeeded(
  services: readonly string[],
  layers: PlainConfig["layers"] | undefined,
  firewall: boolean,
): ClusterRoute[] {
  const on = (layer: LayerName) => isLayerEnabled(layers ?? {}, layer);
  return CLUSTER_ROUTES.filter((route) => {
    if (route === "indexer") return on("siem") && services.includes("wazuh-manager");
    if (route === "clamd") return on("endpoint") && services.includes("clamav");
    return on("monitoring") && services.includes("prometheus") && firewall && on("network");
  });
}

/**
 * Each needed route has an address of the servers network (where the firewall's flows lead, and the
 * firewall's syslog leaves from its address there), outside DHCP, neither a gateway nor a node's,
 * and no two routes share one. A VM pinned to one is refused where pins are checked (stacks/lab.ts).
 */
export function checkClusterRoutes(
  addresses: Partial<Record<ClusterRoute, string>> | undefined,
  services: readonly string[],
  layers: PlainConfig["layers"] | undefined,
  lab: RouteLab,
  ingressAddress?: string,
): ConfigIssue[] {
  const path = "platform.cluster.loadBalancer";
  const needed = clusterRoutesNeeded(services, layers, lab.firewall ?? false);
  const missing = needed.filter((route) => addresses?.[route] === undefined);
  const issues = missing.map((route) =>
    issue(
      `${path}.${route}`,
      `${ROUTE_USE[route]} through a LoadBalancer Service, and platform.mode is existing: the cluster's load balancer must hand it an address Fortress knows before it plans the firewall`,
      `reserve an address of the servers network outside DHCP in your load balancer's pool (MetalLB IPAddressPool, kube-vip range) and set ${path}.${route}: <address>; or let Fortress build k3s (platform.mode: k3s)`,
    ),
  );
  const servers = lab.networks?.find((network) => network.purpose === "servers");
  const cidr = servers && parseCidr(servers.cidr);
  const taken = new Map<string, string>();
  for (const node of lab.nodes ?? []) taken.set(node.address, `nodes ${node.name}`);
  for (const network of lab.networks ?? []) taken.set(network.gateway, `the gateway of ${network.name}`);
  for (const route of CLUSTER_ROUTES) {
    const address = addresses?.[route];
    if (address === undefined) continue;
    const at = `${path}.${route}`;
    const clash = taken.get(address);
    if (!needed.includes(route))
      issues.push(issue(at, `no service of the lab uses the ${route} route`, `remove ${at}`));
    else if (servers && cidr && !cidrContainsHost(cidr, address))
      issues.push(
        issue(
          at,
          `${address} is not in ${servers.name} (${servers.cidr})`,
          `pick a free address of ${servers.cidr}`,
        ),
      );
    else if (servers && inDhcpRange(servers, address))
      issues.push(
        issue(
          at,
          `${address} is inside the DHCP range ${servers.dhcp.start}–${servers.dhcp.end}`,
          "use an address outside the DHCP range",
        ),
      );
    else if (clash)
      issues.push(issue(at, `${address} is already used by ${clash}`, "give every route its own address"));
    taken.set(address, at);
  }
  // The ingress controller's address: on the servers network too (the manager reaches TheHive there).
  if (ingressAddress !== undefined && servers && cidr) {
    const at = "platform.cluster.ingressAddress";
    const clash = taken.get(ingressAddress);
    if (!cidrContainsHost(cidr, ingressAddress))
      issues.push(
        issue(
          at,
          `${ingressAddress} is not in ${servers.name} (${servers.cidr})`,
          `pick the ingress controller's address on ${servers.cidr}`,
        ),
      );
    else if (inDhcpRange(servers, ingressAddress))
      issues.push(
        issue(
          at,
          `${ingressAddress} is inside the DHCP range ${servers.dhcp.start}–${servers.dhcp.end}`,
          "use an address outside the DHCP range",
        ),
      );
    else if (clash)
      issues.push(
        issue(at, `${ingressAddress} is already used by ${clash}`, "give the ingress its own address"),
      );
  }
  return issues;
}
