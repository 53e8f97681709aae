/**
 * A LoadBalancer Service on a cluster Fortress did not build (platform.mode: existing), at an address
 * the admin reserved in the cluster's load balancer: what the routes from the VMs and the firewall into
 * the cluster share (components/siem/indexerRoute.ts, components/endpoint/clamav/clamav.ts,
 * components/monitoring/logs/aggregatorRoute.ts).
 *
 * - The address is asked for by annotation, MetalLB's and kube-vip's, not by `spec.loadBalancerIP`:
 *   MetalLB refuses a Service that has both its annotation and the field ("service can not have both
 *   metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP", metallb/metallb@v0.16.1:
 *   controller/service.go `getDesiredLbIPs`; the name: `AnnotationLoadBalancerIPs`), and kube-vip reads
 *   its own annotation before the field (kube-vip/kube-vip@v1.2.3: pkg/utils/ip.go `FetchServiceIPs`,
 *   pkg/kubevip/annotations.go `LoadbalancerIPAnnotation`). Each ignores the other's.
 * - `externalTrafficPolicy: Local`: kube-proxy hands a packet for the load-balancer address to an
 *   endpoint on the node it arrived at, without SNAT, so the pod sees the sender's own address
 *   (kubernetes/website content/en/docs/tutorials/services/source-ip.md, "Source IP for Services with
 *   Type=NodePort": with Local "kube-proxy only proxies proxy requests to local endpoints, and does not
 *   forward traffic to other nodes", which preserves the source; and "... Type=LoadBalancer"). The NetworkPolicy then admits the senders' addresses alone: whether a CNI
 *   judges before or after the Service's DNAT is not defined (kubernetes/website content/en/docs/
 *   concepts/services-networking/network-policies.md, ipBlock), but with Local neither side of the DNAT
 *   rewrites the source, so the ipBlock sees the sender either way. A load balancer that proxies
 *   rather than routes (a cloud's TCP proxy) would show its own address instead: the policy then
 *   drops, it never opens wider.
 * - `loadBalancerSourceRanges` stay the senders' ranges: a second gate where the implementation
 *   honours them ("if specified and supported by the platform", the Service API's field doc); the
 *   NetworkPolicy is the gate that does not depend on it. Not verified against kube-proxy's source here.
 */

/** MetalLB's annotation for the address(es) a Service asks for (controller/service.go `AnnotationLoadBalancerIPs`). */
export const METALLB_LOAD_BALANCER_IPS = "metallb.io/loadBalancerIPs";
/**
 * MetalLB's name for it up to v0.14.8 (metallb/metallb@v0.14.8 controller/service.go reads only this
 * one); v0.14.9 and later read the new name first, so both together are harmless.
 */
export const METALLB_LEGACY_LOAD_BALANCER_IPS = "metallb.universe.tf/loadBalancerIPs";
/** kube-vip's (pkg/kubevip/annotations.go `LoadbalancerIPAnnotation`). */
export const KUBE_VIP_LOAD_BALANCER_IPS = "kube-vip.io/loadbalancerIPs";

/**
 * kube-vip in ARP mode announces a Service from its one global leader unless the Service asks for an
 * election of its own; with `externalTrafficPolicy: Local` a node announces only a Service with a local
 * endpoint (kube-vip/kube-vip@v1.2.3 pkg/manager/worker/common.go, pkg/endpoints/endpoints.go), so
 * without its own election the address is served only when the pod sits on the leader. It takes effect
 * where kube-vip runs with per-Service election on demand (README, "Profiles").
 */
export const KUBE_VIP_PER_SERVICE_ELECTION = "kube-vip.io/forcePerServiceElection";

/** The annotations that ask the cluster's load balancer for `address`. */
export function loadBalancerAddressAnnotations(address: string): Record<string, string> {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address))
    throw new Error(`load balancer: ${address} is no IPv4 address`);
  return {
    [METALLB_LOAD_BALANCER_IPS]: address,
    [METALLB_LEGACY_LOAD_BALANCER_IPS]: address,
    [KUBE_VIP_LOAD_BALANCER_IPS]: address,
    [KUBE_VIP_PER_SERVICE_ELECTION]: "true",
  };
}
