/**
 * The response namespace's own NetworkPolicies, pod to pod, on top of the baseline's default deny and
 * the platform's namespace flows (response → siem 9200 for the indexer: stacks/layers/platform.ts):
 *
 * | to | from | port | why |
 * |---|---|---|---|
 * | TheHive | the ingress controller | 9000 | the UI and API, over the internal CA's TLS |
 * | TheHive | the accounts Job | 9000 | accounts and API keys |
 * | Cassandra | TheHive | 9042 | TheHive's graph store |
 * | Cortex | the ingress controller, TheHive, Cortex's accounts Job | 9001 | Cortex's UI; TheHive's analyzer calls; accounts |
 * | the API server | TheHive, Cortex, the accounts Job | 443, 6443 | Pekko's pod discovery (TH_KUBERNETES), Cortex's neuron Jobs, the Job's key Secrets |
 * | Cortex | the neurons Job | 9001 | enabling the MISP analyzer and the responder |
 * | MISP's VM (its /32) | Cortex's neuron Jobs, TheHive | 443 | the MISP analyzer; TheHive's MISP connector |
 * | the firewall's API, the SIEM's syslog | Cortex | their ports | the containment responder, run in Cortex's pod |
 *
 * The API server runs on the nodes' host network, which no selector matches, so that egress is by port.
 * Cortex's neuron Jobs carry the label Cortex gives every one (`cortex-neuron-job: "true"`:
 * TheHive-Project/Cortex@4.1.0 K8sJobRunnerSrv.run) and reach MISP and nothing else outside the
 * namespace; an analyzer that calls an online service needs an egress the lab decides on.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_NAME_LABEL, podPolicy as policy } from "../kubernetes/networkPolicy";
import { ACCOUNTS_LABELS } from "./accounts";
import { CORTEX_ACCOUNTS_LABELS } from "./cortexAccounts";
import { CORTEX_NEURONS_LABELS } from "./cortexNeurons";

type Labels = Readonly<Record<string, string>>;

/** The pods each chart renders, by the labels its templates set (thehive/cortex `_helpers.tpl` matchLabels; Bitnami's standard labels). */
export const THEHIVE_POD: Labels = {
  "app.kubernetes.io/name": "thehive",
  "app.kubernetes.io/instance": "thehive",
};
export const CASSANDRA_POD: Labels = {
  "app.kubernetes.io/name": "cassandra",
  "app.kubernetes.io/instance": "thehive",
};
export const CORTEX_POD: Labels = {
  "app.kubernetes.io/name": "cortex",
  "app.kubernetes.io/instance": "cortex",
};

export const PORTS = { thehive: 9000, cassandra: 9042, cortex: 9001 } as const;
/** The pods of Cortex's neuron Jobs (K8sJobRunnerSrv.run's own label). */
export const NEURON_JOB_POD: Labels = { "cortex-neuron-job": "true" };

/** A host outside the cluster (a VM, the firewall), by address and port. */
export interface ExternalEndpoint {
  readonly ip: string;
  readonly port: number;
}

const external = (endpoint: ExternalEndpoint, protocol: "TCP" | "UDP" = "TCP") => {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(endpoint.ip)) throw new Error(`${endpoint.ip} is not an IPv4 address`);
  return { to: [{ ipBlock: { cidr: `${endpoint.ip}/32` } }], ports: [{ port: endpoint.port, protocol }] };
};
const API_SERVER = [443, 6443].map((port) => ({ port, protocol: "TCP" }));
const tcp = (port: number) => [{ port, protocol: "TCP" }];

const pods = (labels: Labels) => ({ podSelector: { matchLabels: { ...labels } } });
const namespace = (name: string) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
});

export function theHivePolicies(
  name: string,
  ns: string,
  ingressNamespace: string,
  opts: pulumi.CustomResourceOptions,
  misp?: ExternalEndpoint,
): k8s.networking.v1.NetworkPolicy[] {
  return [
    policy(
      `${name}-thehive-ingress`,
      "thehive-ingress",
      ns,
      THEHIVE_POD,
      {
        ingress: [
          { from: [namespace(ingressNamespace)], ports: tcp(PORTS.thehive) },
          { from: [pods(ACCOUNTS_LABELS)], ports: tcp(PORTS.thehive) },
        ],
      },
      opts,
    ),
    policy(
      `${name}-thehive-egress`,
      "thehive-egress",
      ns,
      THEHIVE_POD,
      {
        egress: [
          { to: [pods(CASSANDRA_POD)], ports: tcp(PORTS.cassandra) },
          { to: [pods(CORTEX_POD)], ports: tcp(PORTS.cortex) },
          { ports: API_SERVER },
          ...(misp ? [external(misp)] : []),
        ],
      },
      opts,
    ),
    policy(
      `${name}-cassandra-ingress`,
      "thehive-cassandra-ingress",
      ns,
      CASSANDRA_POD,
      { ingress: [{ from: [pods(THEHIVE_POD)], ports: tcp(PORTS.cassandra) }] },
      opts,
    ),
    policy(
      `${name}-accounts-egress`,
      "thehive-accounts-egress",
      ns,
      ACCOUNTS_LABELS,
      { egress: [{ to: [pods(THEHIVE_POD)], ports: tcp(PORTS.thehive) }, { ports: API_SERVER }] },
      opts,
    ),
  ];
}

export interface CortexExternals {
  readonly misp?: ExternalEndpoint;
  readonly firewallApi?: ExternalEndpoint;
  readonly syslog?: ExternalEndpoint & { readonly protocol: "UDP" | "TCP" };
}

export function cortexPolicies(
  name: string,
  ns: string,
  ingressNamespace: string,
  externals: CortexExternals,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  return [
    policy(
      `${name}-cortex-ingress`,
      "cortex-ingress",
      ns,
      CORTEX_POD,
      {
        ingress: [
          {
            from: [
              namespace(ingressNamespace),
              pods(THEHIVE_POD),
              pods(CORTEX_ACCOUNTS_LABELS),
              pods(CORTEX_NEURONS_LABELS),
            ],
            ports: tcp(PORTS.cortex),
          },
        ],
      },
      opts,
    ),
    policy(
      `${name}-cortex-egress`,
      "cortex-egress",
      ns,
      CORTEX_POD,
      {
        egress: [
          { ports: API_SERVER },
          ...(externals.firewallApi ? [external(externals.firewallApi)] : []),
          ...(externals.syslog ? [external(externals.syslog, externals.syslog.protocol)] : []),
        ],
      },
      opts,
    ),
    policy(
      `${name}-cortex-accounts-egress`,
      "cortex-accounts-egress",
      ns,
      CORTEX_ACCOUNTS_LABELS,
      { egress: [{ to: [pods(CORTEX_POD)], ports: tcp(PORTS.cortex) }] },
      opts,
    ),
    policy(
      `${name}-cortex-neurons-egress`,
      "cortex-neurons-egress",
      ns,
      CORTEX_NEURONS_LABELS,
      { egress: [{ to: [pods(CORTEX_POD)], ports: tcp(PORTS.cortex) }] },
      opts,
    ),
    ...(externals.misp
      ? [
          policy(
            `${name}-neuron-jobs-egress`,
            "cortex-neuron-jobs-egress",
            ns,
            NEURON_JOB_POD,
            { egress: [external(externals.misp)] },
            opts,
          ),
        ]
      : []),
  ];
}
