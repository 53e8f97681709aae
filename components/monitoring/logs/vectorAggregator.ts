/**
 * Vector as the monitoring layer's aggregator (vectordotdev/vector chart, pinned; Vector 0.57.0, the
 * VM shippers' release): syslog from OPNsense and the hosts, and the VM shippers' streams, into the
 * indexer (syslog, its own index-scoped user) and into Loki, each sink with a disk buffer on a claim
 * Fortress makes and protects. Its configuration is aggregatorConfig.ts, its values aggregatorValues.ts,
 * its route from the lab's networks aggregatorRoute.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { CERTIFICATE_DURATION, CERTIFICATE_RENEW_BEFORE, tlsSecretName } from "../../kubernetes/certificate";
import { pinnedChart } from "../../kubernetes/helmRelease";
import { SHIPPED_STREAMS } from "../../shipping/streams";
import { MIN_DISK_BUFFER_BYTES } from "../../shipping/vectorConfig";
import {
  AGGREGATOR_PATHS,
  aggregatorConfigDocument,
  INDEXER_PASSWORD_KEY,
  type LogSender,
  VECTOR_METRICS_PORT,
} from "./aggregatorConfig";
import { aggregatorRoute, SHIPPER_PORT, SYSLOG_POD_PORT, SYSLOG_PORT } from "./aggregatorRoute";
import {
  AGGREGATOR_CA_CONFIGMAP,
  AGGREGATOR_CERTIFICATE_ID,
  AGGREGATOR_CLAIM,
  AGGREGATOR_POD_LABELS,
  AGGREGATOR_RELEASE,
  AGGREGATOR_SECRET,
  aggregatorValues,
} from "./aggregatorValues";
import { peerOf, type PodPeer, tcp } from "./peers";
import { LOGS_PINS } from "./pins";

export const VECTOR_AGGREGATOR_TYPE = COMPONENT_TYPES.vectorAggregator;

export interface VectorAggregatorArgs {
  /** fortress-monitoring. */
  readonly namespace: string;
  /** The baseline's default class (the buffer claim's). */
  readonly storageClass: string;
  /** The syslog senders: OPNsense, the Proxmox nodes, the VMs that send syslog. */
  readonly senders: readonly LogSender[];
  /** Loki as the aggregator pushes to it (Loki.url, Loki.podPeer). */
  readonly loki: { readonly url: string; readonly peer: PodPeer };
  /**
   * The indexer in the cluster, with the SIEM's fortress-vector-aggregator user
   * (siem.indexerAccess("vector-aggregator")): host and port plain, for the chart's values.
   */
  readonly indexer: {
    readonly host: string;
    readonly port: number;
    readonly username: string;
    readonly password: pulumi.Input<string>;
    readonly caCertificatePem: pulumi.Input<string>;
    readonly peer: PodPeer;
  };
  /**
   * The VM shippers (Zeek, Greenbone) that send their streams for Loki, and the node address they
   * dial (one of the route's load-balancer addresses, named in the aggregator's certificate).
   */
  readonly shippers?: {
    readonly hosts: readonly { readonly name: string; readonly layer: string; readonly address: string }[];
    readonly dialAddress: string;
    /** The internal CA ClusterIssuer (the platform's), which the shippers already trust. */
    readonly clusterIssuer: string;
  };
  /** Each sink's disk buffer, bytes (default Vector's minimum). */
  readonly bufferBytes?: number;
  /** Prometheus's pods: the only ones that may read Vector's own metrics (VECTOR_METRICS_PORT). */
  readonly scraper: PodPeer;
  /** On a cluster Fortress did not build: the address its load balancer hands the route (aggregatorRoute.ts). */
  readonly loadBalancerIp?: string;
}

/** Two sinks' buffers, and room for Vector's own state (checkpoints), in whole GiB. */
export function bufferClaimGi(bufferBytes: number, sinks = 2): number {
  return Math.ceil((bufferBytes * sinks * 1.5) / 2 ** 30);
}

export class VectorAggregator extends pulumi.ComponentResource {
  /** The aggregator's pods (Loki's `pushers`). */
  readonly podPeer: PodPeer;
  /** What the senders and shippers dial: the route's ports. */
  readonly syslogPort = SYSLOG_PORT;
  readonly shipperPort: number | undefined;
  readonly chart: k8s.helm.v4.Chart;
  readonly claim: k8s.core.v1.PersistentVolumeClaim;

  constructor(name: string, args: VectorAggregatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(VECTOR_AGGREGATOR_TYPE, name, { namespace: args.namespace }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    const bufferBytes = args.bufferBytes ?? MIN_DISK_BUFFER_BYTES;
    const config = renderedConfig(args, bufferBytes);
    this.claim = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-data`,
      {
        metadata: { name: AGGREGATOR_CLAIM, namespace: ns, labels: { ...AGGREGATOR_POD_LABELS } },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.storageClass,
          resources: { requests: { storage: `${bufferClaimGi(bufferBytes)}Gi` } },
        },
      },
      { ...child, protect: true, retainOnDelete: true },
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: AGGREGATOR_SECRET, namespace: ns },
        type: "Opaque",
        stringData: { [INDEXER_PASSWORD_KEY]: args.indexer.password },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    const ca = new k8s.core.v1.ConfigMap(
      `${name}-indexer-ca`,
      {
        metadata: { name: AGGREGATOR_CA_CONFIGMAP, namespace: ns },
        data: { [AGGREGATOR_PATHS.indexerCa.replace(/^.*\//, "")]: args.indexer.caCertificatePem },
      },
      child,
    );
    const certificate = args.shippers
      ? [
          new k8s.apiextensions.CustomResource(
            `${name}-certificate`,
            {
              apiVersion: "cert-manager.io/v1",
              kind: "Certificate",
              metadata: { name: tlsSecretName(AGGREGATOR_CERTIFICATE_ID), namespace: ns },
              spec: {
                secretName: tlsSecretName(AGGREGATOR_CERTIFICATE_ID),
                dnsNames: [`${AGGREGATOR_RELEASE}.${ns}.svc`],
                ipAddresses: [args.shippers.dialAddress],
                duration: CERTIFICATE_DURATION,
                renewBefore: CERTIFICATE_RENEW_BEFORE,
                issuerRef: {
                  group: "cert-manager.io",
                  kind: "ClusterIssuer",
                  name: args.shippers.clusterIssuer,
                },
              },
            },
            child,
          ),
        ]
      : [];
    const route = aggregatorRoute(this, name, {
      namespace: ns,
      syslogSources: args.senders.map((sender) => sender.address),
      shipperSources: args.shippers?.hosts.map((host) => host.address) ?? [],
      ...(args.loadBalancerIp === undefined ? {} : { loadBalancerIp: args.loadBalancerIp }),
    });
    const egress = new k8s.networking.v1.NetworkPolicy(
      `${name}-egress`,
      {
        metadata: { name: "vector-aggregator-egress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...AGGREGATOR_POD_LABELS } },
          policyTypes: ["Egress"],
          egress: [
            { to: [peerOf(args.loki.peer)], ports: tcp(Number(new URL(args.loki.url).port || 80)) },
            { to: [peerOf(args.indexer.peer)], ports: tcp(args.indexer.port) },
          ],
        },
      },
      child,
    );
    const metrics = metricsPolicy(`${name}-metrics`, ns, args.scraper, child);
    this.chart = pinnedChart(
      `${name}-chart`,
      {
        name: AGGREGATOR_RELEASE,
        namespace: ns,
        chart: LOGS_PINS.vectorChart,
        values: aggregatorValues({ config, shipperTls: args.shippers !== undefined }),
      },
      {
        parent: this,
        dependsOn: [
          this.claim,
          secret,
          ca,
          ...certificate,
          route.service,
          route.networkPolicy,
          egress,
          metrics,
        ],
      },
    );
    this.podPeer = { namespace: ns, podLabels: AGGREGATOR_POD_LABELS };
    this.shipperPort = args.shippers ? SHIPPER_PORT : undefined;
    this.registerOutputs({ syslogPort: this.syslogPort, shipperPort: this.shipperPort });
  }
}

/** Prometheus's pods, and only they, read Vector's own metrics. */
function metricsPolicy(
  name: string,
  namespace: string,
  scraper: PodPeer,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name: "vector-aggregator-metrics", namespace },
      spec: {
        podSelector: { matchLabels: { ...AGGREGATOR_POD_LABELS } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [peerOf(scraper)], ports: tcp(VECTOR_METRICS_PORT) }],
      },
    },
    opts,
  );
}

/** The aggregator's Vector configuration from its arguments. */
function renderedConfig(args: VectorAggregatorArgs, bufferBytes: number): Record<string, unknown> {
  return aggregatorConfigDocument(
    {
      senders: args.senders,
      syslogPort: SYSLOG_POD_PORT,
      indexerUrl: `https://${args.indexer.host}:${args.indexer.port}`,
      indexerUsername: args.indexer.username,
      lokiUrl: args.loki.url,
      bufferBytes,
      ...(args.shippers
        ? {
            shippers: {
              port: SHIPPER_PORT,
              hosts: args.shippers.hosts,
              tls: {
                crtFile: `${AGGREGATOR_PATHS.tlsDir}/tls.crt`,
                keyFile: `${AGGREGATOR_PATHS.tlsDir}/tls.key`,
              },
            },
          }
        : {}),
    },
    SHIPPED_STREAMS,
  );
}
