/**
 * Loki in the cluster (grafana-community/loki, pinned): one monolithic pod, its chunks and index on a
 * filesystem claim Fortress makes itself (protected, kept when the release goes), retention sized to
 * that claim, multi-tenancy off, non-root with limits (lokiValues.ts). Its NetworkPolicies let the
 * pushers and the readers reach 3100 and nothing else reach it; Loki itself only talks to itself
 * (memberlist 7946 and the compactor's gRPC 9095, through its own Services).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { pinnedChart } from "../../kubernetes/helmRelease";
import { peerOf, type PodPeer, tcp } from "./peers";
import { LOGS_PINS, LOKI_HTTP_PORT } from "./pins";
import {
  LOKI_CLAIM,
  LOKI_POD_LABELS,
  LOKI_RELEASE,
  type LokiSizing,
  lokiRetentionDays,
  lokiValues,
} from "./lokiValues";

export const LOKI_TYPE = COMPONENT_TYPES.loki;
/** Loki's own ports besides HTTP: gRPC (the compactor address) and memberlist (values.yaml `loki.server`, `memberlist`). */
export const LOKI_INTERNAL_PORTS = [9095, 7946] as const;
/** Memberlist gossips over UDP on its bind port as well as TCP (hashicorp/memberlist's transport). */
const MEMBERLIST_UDP = { protocol: "UDP", port: 7946 };

export interface LokiArgs extends LokiSizing {
  /** fortress-monitoring. */
  readonly namespace: string;
  /** The baseline's default class (the claim's). */
  readonly storageClass: string;
  /** Who pushes logs: the Vector aggregator's pods (VectorAggregator.podPeer). */
  readonly pushers: readonly PodPeer[];
  /** Who queries: Grafana's pods (and Prometheus's, if the lead scrapes Loki's /metrics). */
  readonly readers: readonly PodPeer[];
}

export class Loki extends pulumi.ComponentResource {
  /** In-cluster URL of the push and query API (the Loki data source's, the aggregator's sink's). */
  readonly url: string;
  /** Days kept, as sized from the volume. */
  readonly retentionDays: number;
  readonly podPeer: PodPeer;
  readonly chart: k8s.helm.v4.Chart;
  readonly claim: k8s.core.v1.PersistentVolumeClaim;

  constructor(name: string, args: LokiArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LOKI_TYPE, name, { namespace: args.namespace }, opts);
    const child = { parent: this };
    if (args.pushers.length === 0) throw new Error("loki: no pusher");
    if (args.readers.length === 0) throw new Error("loki: no reader");
    this.retentionDays = lokiRetentionDays(args);
    // The StatefulSet's claim, made first and protected: the StatefulSet adopts a claim of its name.
    this.claim = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-storage`,
      {
        metadata: { name: LOKI_CLAIM, namespace: args.namespace, labels: { ...LOKI_POD_LABELS } },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.storageClass,
          resources: { requests: { storage: `${args.volumeGi}Gi` } },
        },
      },
      { ...child, protect: true, retainOnDelete: true },
    );
    const self = { namespace: args.namespace, podLabels: LOKI_POD_LABELS };
    const policy = new k8s.networking.v1.NetworkPolicy(
      `${name}-ingress`,
      {
        metadata: { name: "loki-ingress", namespace: args.namespace },
        spec: {
          podSelector: { matchLabels: { ...LOKI_POD_LABELS } },
          policyTypes: ["Ingress", "Egress"],
          ingress: [
            { from: [...args.pushers, ...args.readers].map(peerOf), ports: tcp(LOKI_HTTP_PORT) },
            { from: [peerOf(self)], ports: [...tcp(LOKI_HTTP_PORT, ...LOKI_INTERNAL_PORTS), MEMBERLIST_UDP] },
          ],
          // Loki calls only itself (the compactor address and memberlist go through its Services).
          egress: [
            { to: [peerOf(self)], ports: [...tcp(LOKI_HTTP_PORT, ...LOKI_INTERNAL_PORTS), MEMBERLIST_UDP] },
          ],
        },
      },
      child,
    );
    this.chart = pinnedChart(
      `${name}-chart`,
      {
        name: LOKI_RELEASE,
        namespace: args.namespace,
        chart: LOGS_PINS.lokiChart,
        values: lokiValues({ ...args }),
      },
      { parent: this, dependsOn: [this.claim, policy] },
    );
    this.url = `http://${LOKI_RELEASE}.${args.namespace}.svc:${LOKI_HTTP_PORT}`;
    this.podPeer = self;
    this.registerOutputs({ url: this.url, retentionDays: this.retentionDays });
  }
}
