/**
 * The monitoring namespace's own NetworkPolicies, pod to pod and pod to host, on top of the baseline's
 * default deny and DNS allow and the platform's namespace flows (stacks/layers/platform.ts: monitoring →
 * every namespace on 8080/9000/9187/9200 for ServiceMonitors elsewhere, every namespace → monitoring
 * 3100 for Loki, monitoring → siem 9200):
 *
 * | to | from | port | why |
 * |---|---|---|---|
 * | Grafana, Alertmanager, kube-state-metrics, the operator, Prometheus | Prometheus | their metrics ports | ServiceMonitors in the namespace |
 * | Prometheus | Grafana | 9090 | the data source |
 * | Alertmanager | Prometheus, Grafana | 9093 | alerts; the Alertmanager data source |
 * | the k3s nodes (/32) | Prometheus | 10250, 9100 | kubelet and cAdvisor; the node exporter on the host network |
 * | the k3s servers (/32) | Prometheus | 10257, 2381 | controller manager; etcd (k3sConfig.ts binds them) |
 * | CoreDNS (kube-system, `k8s-app: kube-dns`) | Prometheus | 9153 | the chart's coreDns ServiceMonitor |
 * | each ScrapeJob target or exporter (/32, or the namespace's pods for an in-cluster name) | Prometheus | its port | the additional scrape configs |
 * | the API server (443, 6443) | Prometheus, the operator, kube-state-metrics | | discovery; the operator's work; KSM's watch |
 * | what the caller names | Alertmanager | | the TheHive bridge, the notification receiver |
 *
 * Grafana's own policies (in from the ingress controller, out to its data sources and Keycloak) are the
 * grafana part's (components/monitoring/grafana/policies.ts); these let Grafana into Prometheus and
 * Alertmanager, and Prometheus into Grafana's metrics port.
 *
 * The API server and the node exporter run on the nodes' host network, which no pod selector matches:
 * the API server by port (as the other layers do), the nodes by address. Pod labels are those the
 * operator and the charts set: prometheus-operator@v0.93.0 pkg/prometheus/server/operator.go and
 * pkg/alertmanager/operator.go (`app.kubernetes.io/name`, `app.kubernetes.io/instance: <cr name>`),
 * kube-prometheus-stack-88.5.3 templates/prometheus-operator/_prometheus-operator.tpl (`app:
 * kube-prometheus-stack-operator`), kube-state-metrics-8.4.0 and grafana-12.11.1 `selectorLabels`.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { KUBE_SYSTEM, NAMESPACE_NAME_LABEL, podPolicy as policy } from "../kubernetes/networkPolicy";
import type { ScrapeJob } from "./contract";
import { ALERTMANAGER_NAME, PROMETHEUS_NAME, RELEASE, STACK_PORTS } from "./pins";

type Labels = Readonly<Record<string, string>>;

export const PROMETHEUS_POD: Labels = {
  "app.kubernetes.io/name": "prometheus",
  "app.kubernetes.io/instance": PROMETHEUS_NAME,
};
export const ALERTMANAGER_POD: Labels = {
  "app.kubernetes.io/name": "alertmanager",
  "app.kubernetes.io/instance": ALERTMANAGER_NAME,
};
export const GRAFANA_POD: Labels = {
  "app.kubernetes.io/name": "grafana",
  "app.kubernetes.io/instance": RELEASE,
};
export const KSM_POD: Labels = {
  "app.kubernetes.io/name": "kube-state-metrics",
  "app.kubernetes.io/instance": RELEASE,
};
export const OPERATOR_POD: Labels = { app: "kube-prometheus-stack-operator", release: RELEASE };

/** Somewhere a pod of the namespace must reach: a host by address, or pods of a namespace. */
export type Endpoint =
  | { readonly ip: string; readonly port: number; readonly protocol?: "TCP" | "UDP" }
  /** A receiver named by DNS (an SMTP relay, a webhook host): no address to name, so its port alone. */
  | { readonly anywhere: true; readonly port: number }
  | { readonly namespace: string; readonly port: number; readonly pods?: Labels };

export interface MonitoringPolicyArgs {
  readonly namespace: string;
  /** Every k3s node's address (kubelet, node exporter). */
  readonly nodes: readonly string[];
  /** The k3s servers' addresses (controller manager, etcd metrics). */
  readonly controlPlane: readonly string[];
  readonly scrapeJobs: readonly ScrapeJob[];
  /** The TheHive bridge and the notification receiver (SMTP relay or webhook). */
  readonly alertmanagerEgress: readonly Endpoint[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" }));
const API_SERVER = tcp(443, 6443);
const pods = (labels: Labels) => ({ podSelector: { matchLabels: { ...labels } } });
const hosts = (ips: readonly string[]) =>
  ips.map((ip) => {
    if (!IPV4.test(ip)) throw new Error(`monitoring: ${ip} is not an IPv4 address`);
    return { ipBlock: { cidr: `${ip}/32` } };
  });

export function endpointRule(endpoint: Endpoint) {
  if ("anywhere" in endpoint) return { ports: tcp(endpoint.port) };
  if ("ip" in endpoint)
    return {
      to: hosts([endpoint.ip]),
      ports: [{ port: endpoint.port, protocol: endpoint.protocol ?? "TCP" }],
    };
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: endpoint.namespace } },
        ...(endpoint.pods ? { podSelector: { matchLabels: { ...endpoint.pods } } } : {}),
      },
    ],
    ports: tcp(endpoint.port),
  };
}

/**
 * The namespace of an in-cluster name: `<service>.<namespace>.svc[.cluster.local]`, or a bare
 * `<service>` in Prometheus's own namespace. Any other name is refused: it has no address a
 * NetworkPolicy can name.
 */
export function serviceNamespace(host: string, own: string): string {
  const parts = host.split(".");
  if (parts.length === 1) return own;
  if (
    parts.length >= 3 &&
    parts[2] === "svc" &&
    (parts.length === 3 || parts.slice(3).join(".") === "cluster.local")
  )
    return parts[1] ?? own;
  throw new Error(
    `monitoring: scrape address ${host} is neither an IPv4 address nor an in-cluster Service name`,
  );
}

/** Where Prometheus's additional scrape configs send scrapes: the exporter's, or each target's address. */
export function scrapeEndpoints(jobs: readonly ScrapeJob[], namespace: string): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const job of jobs) {
    const addresses = job.exporterAddress
      ? [job.exporterAddress]
      : job.targets.map((target) => target.address);
    for (const address of addresses) {
      const [host = "", portText = ""] = address.split(":");
      const port = Number(portText);
      const endpoint: Endpoint = IPV4.test(host)
        ? { ip: host, port }
        : { namespace: serviceNamespace(host, namespace), port };
      const key = JSON.stringify(endpoint);
      if (!seen.has(key)) out.push(endpoint);
      seen.add(key);
    }
  }
  return out;
}

/** The metrics port each in-namespace pod is scraped on (its ServiceMonitor's). */
const SCRAPED: readonly (readonly [string, Labels, readonly number[]])[] = [
  ["alertmanager", ALERTMANAGER_POD, [STACK_PORTS.alertmanager, STACK_PORTS.configReloader]],
  ["grafana", GRAFANA_POD, [STACK_PORTS.grafana]],
  ["kube-state-metrics", KSM_POD, [STACK_PORTS.kubeStateMetrics]],
  ["operator", OPERATOR_POD, [STACK_PORTS.operator]],
  ["prometheus", PROMETHEUS_POD, [STACK_PORTS.prometheus, STACK_PORTS.configReloader]],
];

function prometheusEgress(args: MonitoringPolicyArgs): unknown[] {
  return [
    ...SCRAPED.map(([, labels, ports]) => ({ to: [pods(labels)], ports: tcp(...ports) })),
    ...(args.nodes.length > 0
      ? [{ to: hosts(args.nodes), ports: tcp(STACK_PORTS.kubelet, STACK_PORTS.nodeExporter) }]
      : []),
    ...(args.controlPlane.length > 0
      ? [{ to: hosts(args.controlPlane), ports: tcp(STACK_PORTS.controllerManager, STACK_PORTS.etcdMetrics) }]
      : []),
    endpointRule({ namespace: KUBE_SYSTEM, port: STACK_PORTS.coreDns, pods: { "k8s-app": "kube-dns" } }),
    ...scrapeEndpoints(args.scrapeJobs, args.namespace).map(endpointRule),
    { ports: API_SERVER },
  ];
}

export function monitoringPolicies(
  name: string,
  args: MonitoringPolicyArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  const ns = args.namespace;
  const scrapedIngress = SCRAPED.filter(
    // Grafana's ingress policy is the grafana part's (it lets the namespace in on 3000).
    ([id]) => id !== "grafana" && id !== "alertmanager" && id !== "prometheus",
  ).map(([id, labels, ports]) =>
    policy(
      `${name}-${id}-ingress`,
      `${id}-ingress`,
      ns,
      labels,
      { ingress: [{ from: [pods(PROMETHEUS_POD)], ports: tcp(...ports) }] },
      opts,
    ),
  );
  return [
    policy(
      `${name}-prometheus`,
      "prometheus",
      ns,
      PROMETHEUS_POD,
      {
        ingress: [
          { from: [pods(GRAFANA_POD)], ports: tcp(STACK_PORTS.prometheus) },
          { from: [pods(PROMETHEUS_POD)], ports: tcp(STACK_PORTS.prometheus, STACK_PORTS.configReloader) },
        ],
        egress: prometheusEgress(args),
      },
      opts,
    ),
    policy(
      `${name}-alertmanager`,
      "alertmanager",
      ns,
      ALERTMANAGER_POD,
      {
        ingress: [
          { from: [pods(PROMETHEUS_POD)], ports: tcp(STACK_PORTS.alertmanager, STACK_PORTS.configReloader) },
          { from: [pods(GRAFANA_POD)], ports: tcp(STACK_PORTS.alertmanager) },
        ],
        egress: args.alertmanagerEgress.map(endpointRule),
      },
      opts,
    ),
    ...scrapedIngress,
    policy(
      `${name}-operator-egress`,
      "operator-egress",
      ns,
      OPERATOR_POD,
      { egress: [{ ports: API_SERVER }] },
      opts,
    ),
    policy(
      `${name}-kube-state-metrics-egress`,
      "kube-state-metrics-egress",
      ns,
      KSM_POD,
      {
        egress: [{ ports: API_SERVER }],
      },
      opts,
    ),
  ];
}
