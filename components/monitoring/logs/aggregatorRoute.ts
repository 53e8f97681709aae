/**
 * The route from the lab's networks to the aggregator: syslog (514/UDP, from OPNsense and the hosts) and the VM shippers' `vector` protocol (6000, TLS), on a LoadBalancer Service of its own that
 * admits only the senders' and shippers' addresses. The same construction as the indexer's route, for
 * the same reasons (components/siem/indexerRoute.ts: k3s ServiceLB's svclb pods with
 * `loadBalancerSourceRanges` as SRC_RANGES, `allocateLoadBalancerNodePorts: false`, and a
 * NetworkPolicy that admits the two paths a packet can take: the svclb pods, which masquerade, and the
 * senders' own addresses, judged before SNAT on the aggregator's node).
 *
 * The pack's k8s-exposure policy lets a LoadBalancer carry syslog (an agent port, on the pod's port
 * too) and the shippers' `vector` port (a single-host service: the source ranges are /32s, no node
 * ports). In the pod syslog listens on 514 itself, without root or NET_BIND_SERVICE: the pod lowers
 * `net.ipv4.ip_unprivileged_port_start` to 514, a sysctl Kubernetes counts as safe (namespaced to the
 * pod's network namespace) and Pod Security's baseline allows (aggregatorValues.ts).
 *
 * On a cluster Fortress did not build (`loadBalancerIp`): the Service asks that cluster's load balancer
 * for the reserved address, with `externalTrafficPolicy: Local`, and the policy admits the senders' and
 * shippers' /32s alone, which the pod sees unchanged (components/kubernetes/loadBalancerAddress.ts);
 * the aggregator's table still names the firewall by its own address (aggregatorConfig.ts).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { loadBalancerAddressAnnotations } from "../../kubernetes/loadBalancerAddress";
import { NAMESPACE_NAME_LABEL } from "../../kubernetes/networkPolicy";
import { hostRange, SERVICELB } from "../../siem/indexerRoute";
import { AGGREGATOR_POD_LABELS } from "./aggregatorValues";

export const AGGREGATOR_ROUTE_SERVICE = "vector-aggregator-route";
/** The port senders send syslog to (OPNsense's remote logging target, the hosts' rsyslog). */
export const SYSLOG_PORT = 514;
/** The pod's syslog port: the same (the policy judges the target port too). */
export const SYSLOG_POD_PORT = SYSLOG_PORT;
/** The VM shippers' `vector` sink port. */
export const SHIPPER_PORT = 6000;

export interface AggregatorRouteArgs {
  readonly namespace: string;
  /** Addresses that send syslog. */
  readonly syslogSources: readonly string[];
  /** Addresses of the VM shippers (empty: no shipper port). */
  readonly shipperSources: readonly string[];
  /** On an existing cluster: the address its load balancer hands the route; none: k3s's ServiceLB. */
  readonly loadBalancerIp?: string;
}

export function aggregatorRoute(
  parent: pulumi.Resource,
  name: string,
  args: AggregatorRouteArgs,
): { readonly service: k8s.core.v1.Service; readonly networkPolicy: k8s.networking.v1.NetworkPolicy } {
  const child = { parent };
  if (args.syslogSources.length === 0) throw new Error("aggregator route: no syslog source address");
  const syslog = [...new Set(args.syslogSources.map(hostRange))];
  const shippers = [...new Set(args.shipperSources.map(hostRange))];
  const lb = args.loadBalancerIp;
  const service = new k8s.core.v1.Service(
    `${name}-route`,
    {
      metadata: {
        name: AGGREGATOR_ROUTE_SERVICE,
        namespace: args.namespace,
        ...(lb === undefined ? {} : { annotations: loadBalancerAddressAnnotations(lb) }),
      },
      spec: {
        type: "LoadBalancer",
        allocateLoadBalancerNodePorts: false,
        externalTrafficPolicy: lb === undefined ? "Cluster" : "Local",
        loadBalancerSourceRanges: [...new Set([...syslog, ...shippers])],
        selector: { ...AGGREGATOR_POD_LABELS },
        ports: [
          { name: "syslog-udp", port: SYSLOG_PORT, targetPort: SYSLOG_POD_PORT, protocol: "UDP" },
          ...(shippers.length > 0
            ? [{ name: "shippers", port: SHIPPER_PORT, targetPort: SHIPPER_PORT, protocol: "TCP" }]
            : []),
        ],
      },
    },
    child,
  );
  // k3s: this Service's ServiceLB pods, which masquerade what they forward; none behind another load balancer.
  const svclb =
    lb === undefined
      ? [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: SERVICELB.namespace } },
            podSelector: {
              matchLabels: {
                [SERVICELB.nameLabel]: AGGREGATOR_ROUTE_SERVICE,
                [SERVICELB.namespaceLabel]: args.namespace,
              },
            },
          },
        ]
      : [];
  const networkPolicy = new k8s.networking.v1.NetworkPolicy(
    `${name}-from-route`,
    {
      metadata: { name: "vector-aggregator-from-route", namespace: args.namespace },
      spec: {
        podSelector: { matchLabels: { ...AGGREGATOR_POD_LABELS } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [...syslog.map((cidr) => ({ ipBlock: { cidr } })), ...svclb],
            ports: [{ protocol: "UDP", port: SYSLOG_POD_PORT }],
          },
          ...(shippers.length > 0
            ? [
                {
                  from: [...shippers.map((cidr) => ({ ipBlock: { cidr } })), ...svclb],
                  ports: [{ protocol: "TCP", port: SHIPPER_PORT }],
                },
              ]
            : []),
        ],
      },
    },
    child,
  );
  return { service, networkPolicy };
}
