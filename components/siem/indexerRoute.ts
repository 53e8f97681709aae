/**
 * The route from the VMs outside the cluster to the indexer's 9200, which only their addresses can use:
 * the Wazuh manager's (its Filebeat) and the shippers' (Vector on the sensor and vulnerability VMs,
 * components/shipping), each a single host.
 *
 * - A LoadBalancer Service of its own (the in-cluster ClusterIP stays as it is), which k3s's ServiceLB
 *   serves: a DaemonSet in kube-system with a hostPort 9200 pod on every eligible node, and the nodes'
 *   addresses in the Service's status (k3s-io/k3s pkg/cloudprovider/servicelb.go `newDaemonSet`,
 *   `podIPs`: the nodes' ExternalIPs, else their InternalIPs). The manager's Filebeat dials the
 *   indexer node's address, which is one of them, and which the node certificate names.
 * - `loadBalancerSourceRanges: [<manager>/32, <shipper>/32…]`: ServiceLB hands them to every klipper-lb container as
 *   SRC_RANGES (servicelb.go `newDaemonSet`, via cloud-provider `GetLoadBalancerSourceRanges`), and
 *   klipper-lb accepts forwarded traffic from those sources only: `iptables -I FORWARD -s <range> ...
 *   -j ACCEPT` before `-A FORWARD -d <cluster IP> ... -j DROP` (k3s-io/klipper-lb@v0.4.9 `entry`,
 *   `start_proxy`). Without ranges the default is 0.0.0.0/0: hence the Service refuses none.
 * - `allocateLoadBalancerNodePorts: false`: no NodePort on every node besides (klipper-lb forwards to
 *   the cluster IP and the port, not to a node port, under `externalTrafficPolicy: Cluster`).
 * - Two paths reach the pod, and the NetworkPolicy admits exactly those two, on 9200:
 *   1. Through the hostPort and the svclb pod, which MASQUERADEs what it forwards (`start_proxy`
 *      POSTROUTING), so the indexer sees the svclb pod's address: the policy admits this Service's
 *      ServiceLB pods (kube-system, labels svccontroller.k3s.cattle.io/svcname and /svcnamespace).
 *   2. Traffic that arrives with the LoadBalancer address as its destination (the manager dialling
 *      the node's own address, no NAT between) is taken by kube-proxy before the hostPort
 *      (k3s-io/docs docs/networking/networking-services.md "How ServiceLB Works"); kube-proxy enforces
 *      the same source ranges for load-balancer IPs, and k3s's network policy controller (kube-router's
 *      netpol, filter FORWARD) judges the packet after kube-proxy's DNAT and before its SNAT, so on
 *      the indexer's own node it still carries the manager's address: the policy admits the manager's
 *      /32. That is why Filebeat dials the indexer node's address and not another node's (from another
 *      node the packet is SNATed before it crosses to the pod's node).
 *   Nothing else of the manager's reaches the pod network (pod addresses are not routed on the VLANs).
 *
 * On a cluster Fortress did not build (`loadBalancerIp`), there is no ServiceLB: the Service asks the
 * cluster's load balancer for the reserved address with `externalTrafficPolicy: Local`, and the policy
 * admits the sources' /32s alone, which the pod sees unchanged (components/kubernetes/loadBalancerAddress.ts).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadBalancerAddressAnnotations } from "../kubernetes/loadBalancerAddress";
import { NAMESPACE_NAME_LABEL } from "../kubernetes/networkPolicy";
import { INDEXER_LABELS, INDEXER_PORT } from "./labels";

/** The Service the manager's Filebeat reaches; ServiceLB names its pods after it. */
export const INDEXER_MANAGER_SERVICE = "wazuh-indexer-manager";

/** k3s ServiceLB's pod labels (servicelb.go `svcNameLabel`, `svcNamespaceLabel`) and namespace (`DefaultLBNS`). */
export const SERVICELB = {
  namespace: "kube-system",
  nameLabel: "svccontroller.k3s.cattle.io/svcname",
  namespaceLabel: "svccontroller.k3s.cattle.io/svcnamespace",
} as const;

export interface IndexerRouteArgs {
  readonly namespace: string;
  /** The manager VM's address and the shipper VMs' (each a host): the only sources the route admits. */
  readonly sources: readonly string[];
  /** On an existing cluster: the address its load balancer hands the route; none: k3s's ServiceLB. */
  readonly loadBalancerIp?: string;
}

/** One IPv4 or IPv6 host as a /32 or /128. */
export function hostRange(address: string): string {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return `${address}/32`;
  if (/^[0-9a-fA-F:]+$/.test(address) && address.includes(":")) return `${address}/128`;
  throw new Error(`indexer route: ${address} is no host address`);
}

export interface IndexerRoute {
  readonly service: k8s.core.v1.Service;
  readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
}

export function indexerManagerRoute(
  parent: pulumi.Resource,
  name: string,
  args: IndexerRouteArgs,
): IndexerRoute {
  const child = { parent };
  if (args.sources.length === 0) throw new Error("indexer route: no source address");
  const sources = [...new Set(args.sources.map(hostRange))];
  const lb = args.loadBalancerIp;
  const service = new k8s.core.v1.Service(
    `${name}-manager-service`,
    {
      metadata: {
        name: INDEXER_MANAGER_SERVICE,
        namespace: args.namespace,
        labels: { ...INDEXER_LABELS },
        ...(lb === undefined ? {} : { annotations: loadBalancerAddressAnnotations(lb) }),
      },
      spec: {
        type: "LoadBalancer",
        allocateLoadBalancerNodePorts: false,
        externalTrafficPolicy: lb === undefined ? "Cluster" : "Local",
        loadBalancerSourceRanges: sources,
        selector: { ...INDEXER_LABELS },
        ports: [{ name: "https", port: INDEXER_PORT, targetPort: "https", protocol: "TCP" }],
      },
    },
    child,
  );
  const networkPolicy = new k8s.networking.v1.NetworkPolicy(
    `${name}-from-manager`,
    {
      metadata: { name: "wazuh-indexer-from-manager", namespace: args.namespace },
      spec: {
        podSelector: { matchLabels: { ...INDEXER_LABELS } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              // Path 2: kube-proxy's load-balancer rules, judged before SNAT on the indexer's node.
              ...sources.map((cidr) => ({ ipBlock: { cidr } })),
              // Path 1: this Service's ServiceLB pods, which masquerade what SRC_RANGES let through.
              ...(lb === undefined
                ? [
                    {
                      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: SERVICELB.namespace } },
                      podSelector: {
                        matchLabels: {
                          [SERVICELB.nameLabel]: INDEXER_MANAGER_SERVICE,
                          [SERVICELB.namespaceLabel]: args.namespace,
                        },
                      },
                    },
                  ]
                : []),
            ],
            ports: [{ protocol: "TCP", port: INDEXER_PORT }],
          },
        ],
      },
    },
    child,
  );
  return { service, networkPolicy };
}

/**
 * The route of the manager (and the shippers) and the URL they dial: the indexer node's address (one of the Service's
 * load-balancer addresses, and named by the node certificate). A plain value, known at preview (the
 * manager's rendered files need it): the manager waits for the route by dependsOn (siem.ts). Neither
 * without a manager.
 */
export function managerAccess(
  parent: pulumi.Resource,
  name: string,
  namespace: string,
  manager:
    | {
        readonly address: string;
        readonly indexerNodeAddress: string;
        /** The shipper VMs' addresses (Vector), admitted beside the manager's. */
        readonly shipperAddresses?: readonly string[];
        /** indexerNodeAddress is the existing cluster's load-balancer address for the route, not a node's. */
        readonly loadBalancer?: boolean;
      }
    | undefined,
): { readonly route: IndexerRoute | undefined; readonly url: pulumi.Output<string> | undefined } {
  if (!manager) return { route: undefined, url: undefined };
  const sources = [manager.address, ...(manager.shipperAddresses ?? [])];
  const route = indexerManagerRoute(parent, name, {
    namespace,
    sources,
    ...(manager.loadBalancer ? { loadBalancerIp: manager.indexerNodeAddress } : {}),
  });
  return { route, url: pulumi.output(`https://${manager.indexerNodeAddress}:${INDEXER_PORT}`) };
}
