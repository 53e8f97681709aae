/**
 * The two NetworkPolicies every exporter in the monitoring namespace needs under the platform's
 * default-deny (components/platform/namespaces.ts `fortress-default-deny`, ingress and egress, inside
 * the namespace too): the exporter lets in the scraper's pods on its port only, and the scraper's pods
 * may leave for the exporter on that port only. What the exporter itself reaches is its own policy.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export interface ScrapePathArgs {
  readonly namespace: string;
  /** The exporter's pod labels. */
  readonly exporterLabels: Readonly<Record<string, string>>;
  /** The scraper's pod labels (Prometheus's pods, in the same namespace). */
  readonly scraperLabels: Readonly<Record<string, string>>;
  readonly port: number;
  /** Policy name stem, e.g. `proxmox-exporter`. */
  readonly stem: string;
}

export function scrapePath(
  name: string,
  args: ScrapePathArgs,
  opts: pulumi.CustomResourceOptions,
): readonly k8s.networking.v1.NetworkPolicy[] {
  if (Object.keys(args.scraperLabels).length === 0) {
    throw new Error(`${args.stem}: no scraper pod labels: an empty selector would open it to every pod`);
  }
  const port = [{ protocol: "TCP", port: args.port }];
  return [
    new k8s.networking.v1.NetworkPolicy(
      `${name}-from-scraper`,
      {
        metadata: { name: `${args.stem}-from-scraper`, namespace: args.namespace },
        spec: {
          podSelector: { matchLabels: { ...args.exporterLabels } },
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ podSelector: { matchLabels: { ...args.scraperLabels } } }], ports: port }],
        },
      },
      opts,
    ),
    new k8s.networking.v1.NetworkPolicy(
      `${name}-scraper-to`,
      {
        metadata: { name: `scraper-to-${args.stem}`, namespace: args.namespace },
        spec: {
          podSelector: { matchLabels: { ...args.scraperLabels } },
          policyTypes: ["Egress"],
          egress: [{ to: [{ podSelector: { matchLabels: { ...args.exporterLabels } } }], ports: port }],
        },
      },
      opts,
    ),
  ];
}

/**
 * The exporter's Service (its container's `metrics` port, ClusterIP) and the scrape path to it: what
 * every exporter of the layer in the cluster needs beside its Deployment.
 */
export function exporterService(
  name: string,
  args: ScrapePathArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
  const service = new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: { name: args.stem, namespace: args.namespace, labels: { ...args.exporterLabels } },
      spec: {
        type: "ClusterIP",
        selector: { ...args.exporterLabels },
        ports: [{ name: "metrics", port: args.port, targetPort: "metrics", protocol: "TCP" }],
      },
    },
    opts,
  );
  scrapePath(name, args, opts);
  return service;
}
