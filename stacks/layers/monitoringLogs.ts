/**
 * The monitoring layer's logs: Loki, the Vector aggregator with the firewall's syslog (a second remote
 * logging target on OPNsense, beside the Wazuh manager's), the scrape jobs of both, and, while the
 * response layer runs TheHive, the bridge that turns Alertmanager's webhooks into TheHive alerts with
 * the key the Wazuh bridge uses. The VM shippers
 * (Zeek, Greenbone) keep shipping to the indexer alone: sending them on to the aggregator is the
 * aggregator's `shippers` option, not wired yet (README, "Monitoring").
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ScrapeJob } from "../../components/monitoring/contract";
import {
  FIREWALL_LAYER,
  FIREWALL_SENDER,
  VECTOR_METRICS_PORT,
} from "../../components/monitoring/logs/aggregatorConfig";
import { SYSLOG_PORT } from "../../components/monitoring/logs/aggregatorRoute";
import { AGGREGATOR_RELEASE } from "../../components/monitoring/logs/aggregatorValues";
import { Loki } from "../../components/monitoring/logs/loki";
import { LOKI_POD_LABELS, LOKI_RELEASE } from "../../components/monitoring/logs/lokiValues";
import { LOKI_HTTP_PORT } from "../../components/monitoring/logs/pins";
import { TheHiveAlertBridge } from "../../components/monitoring/logs/theHiveBridge";
import { VectorAggregator } from "../../components/monitoring/logs/vectorAggregator";
import type { MonitoringPart } from "../../components/monitoring/monitoring";
import {
  ALERTMANAGER_POD,
  GRAFANA_POD,
  PROMETHEUS_POD,
  type Endpoint,
} from "../../components/monitoring/policies";
import { SyslogDestination } from "../../components/opnsense/resources";
import { INDEXER_LABELS, INDEXER_PORT, INDEXER_SERVICE } from "../../components/siem/labels";
import { INGRESS, namespaceOf } from "../cluster";
import { workloadsOf } from "../profiles";
import { routeTarget } from "../hostFlows";
import { firewallRef } from "./connections";
import type { LayerInputs } from "./types";

/** What the monitoring layer reads of the layers upstream of it. */
export type MonitoringInputs = LayerInputs<
  "network" | "hypervisor" | "platform" | "identity" | "siem" | "response"
>;

/**
 * What the lab sends Loki a day (syslog of the firewall, compressed); its volume and memory are the
 * profile's (`workloads.loki`: the home lab's 12 GiB and 1280 MiB).
 */
export const LOKI_SIZING = { ingestGiPerDay: 0.5 } as const;

/** Loki's volume (GiB) and memory (MiB) as the lab's profile (or fortress:workloads) sizes them. */
export function lokiSizing(config: Parameters<typeof workloadsOf>[0]): {
  readonly volumeGi: number;
  readonly memoryMib: number;
} {
  const { loki } = workloadsOf(config);
  if (loki.storageGb === undefined) throw new Error("internal: Loki has no storageGb");
  return { volumeGi: loki.storageGb, memoryMib: Math.round(loki.memoryGb * 1024) };
}
/** Traefik's pods (k3s's ingress controller) and their TLS port: where TheHive's URL leads. */
const TRAEFIK = { podLabels: { "app.kubernetes.io/name": "traefik" }, port: 8443 } as const;

export interface LogsPart {
  readonly part: MonitoringPart;
  /** Loki's in-cluster URL, for Grafana's data source. */
  readonly lokiUrl: string;
  readonly scrapeJobs: readonly ScrapeJob[];
  /**
   * Builds the bridge (with the Monitoring component as parent); its URL and token for Alertmanager.
   * Absent while the response layer runs no TheHive: Alertmanager then routes to the admin's channel alone.
   */
  readonly bridge:
    | ((parent: pulumi.Resource) => {
        readonly url: string;
        readonly token: pulumi.Output<string>;
      })
    | undefined;
  /** Where Alertmanager must reach: the bridge's pods (none without the bridge). */
  readonly alertmanagerEgress: readonly Endpoint[];
}

/**
 * The firewall's address on the network of the aggregator's route (its node's with k3s, the servers
 * network's on an existing cluster): where its syslog leaves from; and the route's address it sends to.
 */
function firewallSender(
  inputs: MonitoringInputs,
): { address: string; node: string; loadBalancer: boolean } | undefined {
  const { lab } = inputs;
  const route = routeTarget(lab, "syslog");
  const network = route && lab.config.networks.find((candidate) => candidate.name === route.network);
  if (!route || !network || !lab.config.opnsense) return undefined;
  return { address: network.gateway, node: route.address, loadBalancer: route.loadBalancer };
}

/** The firewall's second remote logging target: every program but debug, to the aggregator's route. */
function firewallSyslog(
  inputs: MonitoringInputs,
  routeAddress: string,
  parent: pulumi.Resource,
  aggregator: VectorAggregator,
): SyslogDestination {
  return new SyslogDestination(
    "monitoring-opnsense-syslog",
    {
      firewall: firewallRef(inputs),
      fields: {
        enabled: true,
        transport: "udp4",
        hostname: routeAddress,
        port: SYSLOG_PORT,
        rfc5424: false,
        level: ["info", "notice", "warn", "err", "crit", "alert", "emerg"],
        description: "fortress: firewall logs to the monitoring layer's Vector aggregator",
      },
    },
    { parent, dependsOn: [inputs.upstream.network.preflight, aggregator] },
  );
}

export function logsPart(inputs: MonitoringInputs, namespace: string): LogsPart {
  const { lab, upstream } = inputs;
  const siemNamespace = namespaceOf("siem");
  const lokiUrl = `http://${LOKI_RELEASE}.${namespace}.svc:${LOKI_HTTP_PORT}`;
  const sender = firewallSender(inputs);
  const storageClass = upstream.platform.baseline?.storageClasses.default;
  if (!storageClass)
    throw new Error("internal: the monitoring layer is built without the baseline's storage");
  const part: MonitoringPart = (parent) => {
    const child = { parent };
    const aggregatorPeer = { namespace, podLabels: {} as Record<string, string> };
    const access = upstream.siem.indexerAccess("vector-aggregator");
    const aggregator = sender
      ? new VectorAggregator(
          "monitoring-vector",
          {
            namespace,
            storageClass,
            scraper: { namespace, podLabels: { ...PROMETHEUS_POD } },
            ...(sender.loadBalancer ? { loadBalancerIp: sender.node } : {}),
            senders: [
              {
                name: FIREWALL_SENDER,
                layer: FIREWALL_LAYER,
                address: sender.address,
                aliases: [FIREWALL_SENDER],
              },
            ],
            loki: { url: lokiUrl, peer: { namespace, podLabels: { ...LOKI_POD_LABELS } } },
            indexer: {
              host: `${INDEXER_SERVICE}.${siemNamespace}.svc`,
              port: INDEXER_PORT,
              username: access.username,
              password: access.password,
              caCertificatePem: access.caCertificatePem,
              peer: { namespace: siemNamespace, podLabels: { ...INDEXER_LABELS } },
            },
          },
          child,
        )
      : undefined;
    const loki = new Loki(
      "monitoring-loki",
      {
        namespace,
        storageClass,
        ...LOKI_SIZING,
        ...lokiSizing(lab.config),
        maxRetentionDays: lab.config.monitoring?.retention.logsDays ?? 14,
        pushers: [aggregator?.podPeer ?? aggregatorPeer],
        readers: [
          { namespace, podLabels: { ...GRAFANA_POD } },
          { namespace, podLabels: { ...PROMETHEUS_POD } },
        ],
      },
      child,
    );
    const syslog = sender && aggregator ? firewallSyslog(inputs, sender.node, parent, aggregator) : undefined;
    return [loki, ...(aggregator ? [aggregator] : []), ...(syslog ? [syslog] : [])];
  };
  const theHiveUrl = upstream.response.theHiveUrl;
  const wazuhBridge = upstream.response.wazuhBridge;
  const bridge =
    theHiveUrl && wazuhBridge
      ? (parent: pulumi.Resource) => {
          const built = new TheHiveAlertBridge(
            "monitoring-thehive-bridge",
            {
              namespace,
              theHiveUrl,
              wazuhBridge,
              theHiveEgress: { namespace: INGRESS.namespace, ...TRAEFIK },
              alertmanager: { namespace, podLabels: { ...ALERTMANAGER_POD } },
            },
            { parent },
          );
          return { url: built.theHiveBridgeUrl, token: built.bridgeToken };
        }
      : undefined;
  const scrapeJobs: ScrapeJob[] = [
    {
      job: "loki",
      scheme: "http",
      metricsPath: "/metrics",
      targets: [
        { address: `${LOKI_RELEASE}.${namespace}.svc:${LOKI_HTTP_PORT}`, labels: { layer: "monitoring" } },
      ],
    },
    ...(sender
      ? [
          {
            job: "vector",
            scheme: "http" as const,
            metricsPath: "/metrics",
            targets: [
              {
                address: `${AGGREGATOR_RELEASE}.${namespace}.svc:${VECTOR_METRICS_PORT}`,
                labels: { layer: "monitoring" },
              },
            ],
          },
        ]
      : []),
  ];
  return {
    part,
    lokiUrl,
    scrapeJobs,
    bridge,
    alertmanagerEgress: bridge
      ? [{ namespace, port: 8080, pods: { "app.kubernetes.io/name": "thehive-bridge" } }]
      : [],
  };
}
