/**
 * What k3s deploys by itself (docs.k3s.io/installation/packaged-components), shared by the platform
 * component that configures the servers and the pack's `k3s-packaged-components`, so the two cannot
 * disagree about what Fortress keeps.
 */

/**
 * The packaged components a server's `disable:` switches off: the items `--disable` documents (k3s-io/k3s
 * pkg/cli/cmds/stage.go `DisableItems`: coredns, servicelb, traefik, local-storage, metrics-server,
 * runtimes). `--disable` works on any manifest name (k3s-io/docs#246), but two more manifests k3s
 * writes are exempt from review: `rolebindings` (the RBAC k3s's built-in controllers run with) and `ccm`
 * (the RBAC of its built-in cloud controller): disabling either breaks k3s itself (brandond in #246), and
 * neither runs a workload or opens a port.
 */
export const K3S_PACKAGED_COMPONENTS = [
  "coredns",
  "servicelb",
  "traefik",
  "local-storage",
  "metrics-server",
  "runtimes",
] as const;
export type K3sPackagedComponent = (typeof K3S_PACKAGED_COMPONENTS)[number];

/**
 * Kept, with why: CoreDNS (cluster DNS), local-path (volumes on the data disk), Traefik (the ingress:
 * TLS and SSO in front of every UI; class `traefik`, entrypoint `websecure`), ServiceLB (Traefik's
 * LoadBalancer address on the nodes, ports 80 and 443), and the runtime classes (RuntimeClass objects
 * for the runtimes k3s supports, no workload).
 */
export const K3S_KEPT_COMPONENTS: readonly K3sPackagedComponent[] = [
  "coredns",
  "local-storage",
  "servicelb",
  "traefik",
  "runtimes",
];
/** Disabled: metrics-server (nothing in Fortress uses the metrics API; the monitoring layer scrapes with Prometheus). */
export const K3S_DISABLED_COMPONENTS: readonly K3sPackagedComponent[] = ["metrics-server"];
