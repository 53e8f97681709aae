/**
 * The elasticsearch exporter 1.11.0 against the Wazuh indexer (issue 15, "the Wazuh indexer (an
 * OpenSearch-compatible exporter with a monitoring-only user)"): a Deployment and a Service in the
 * monitoring namespace, scraped by a ScrapeJob.
 *
 * Why not the chart prometheus-elasticsearch-exporter 7.4.0 (same app version): charts cannot be
 * fetched where Fortress is built and tested, so a chart release could be neither rendered nor checked
 * here; one Deployment of a pinned image is the whole of what the chart would run, and every field of
 * it is tested.
 *
 * - The user: the SIEM's `fortress-exporter` (components/siem/securityConfig.ts: cluster_monitor and
 *   indices_monitor only), its password in a Secret read through `ES_USERNAME`/`ES_PASSWORD`
 *   (prometheus-community/elasticsearch_exporter@v1.11.0 main.go: these override the URI's userinfo;
 *   never in `--es.uri`, which would show in the process list).
 * - TLS: `--es.ca` is the lab's CA that signs the indexer's certificate (the SIEM's IndexerAccess);
 *   no `--es.ssl-skip-verify`.
 * - `--es.all`: every node's statistics (cluster:monitor/nodes/stats); no `--es.indices` (one series
 *   set per daily Wazuh index) and no `--collector.snapshots` (cluster:admin/snapshot/*, which the
 *   monitoring-only role does not hold: README.md "Elasticsearch 7.x security privileges").
 * - Reaching the indexer: the platform's flow monitoring → siem on 9200 (stacks/layers/platform.ts);
 *   in from the scraper's pods on 9114 only (network.ts).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SERVICES } from "../../../vocabulary/services";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../../kubernetes/securityContext";
import type { IndexerAccess } from "../../siem/contract";
import type { ScrapeJob } from "../contract";
import { exporterService } from "./network";
import { EXPORTER_RESOURCES, EXPORTER_UIDS, exporterImage } from "./pins";

export const INDEXER_EXPORTER_TYPE = COMPONENT_TYPES.indexerExporter;
export const INDEXER_EXPORTER_PORT = SERVICES["es-exporter"].tcp[0];
/** The catalogue's job (components/monitoring/metrics/indexer.ts). */
export const INDEXER_JOB = "indexer-exporter";
const NAME = "indexer-exporter";
const CA_DIR = "/etc/fortress/indexer-ca";

export interface IndexerExporterArgs {
  /** The monitoring namespace (fortress-monitoring). */
  readonly namespace: string;
  /** The SIEM's access for this consumer: `siem.indexerAccess("exporter")` (user fortress-exporter). */
  readonly indexer: IndexerAccess;
  /** The labels of Prometheus's pods, the only ones let in (and out to the exporter). */
  readonly scraperLabels: Readonly<Record<string, string>>;
  /** Another `sha256:` digest for the pinned tag (pins.ts). */
  readonly imageDigest?: string;
}

/** The exporter's flags: the indexer's URL and CA, every node; never a credential. */
export function indexerExporterArgs(url: string): string[] {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:") throw new Error(`IndexerExporter: ${url} is not https`);
  if (parsed.username !== "" || parsed.password !== "") {
    throw new Error("IndexerExporter: credentials in the URL would show in the process list");
  }
  return [
    `--es.uri=${url}`,
    `--es.ca=${CA_DIR}/ca.crt`,
    "--es.all",
    "--es.timeout=10s",
    `--web.listen-address=:${INDEXER_EXPORTER_PORT}`,
  ];
}

/** Prometheus's job: the exporter's Service, labelled as the SIEM's indexer. */
export function indexerScrapeJob(namespace: string): ScrapeJob {
  return {
    job: INDEXER_JOB,
    scheme: "http",
    metricsPath: "/metrics",
    targets: [
      {
        address: `${NAME}.${namespace}.svc:${INDEXER_EXPORTER_PORT}`,
        labels: { layer: "siem", role: "wazuh-indexer" },
      },
    ],
  };
}

export class IndexerExporter extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  /** The job the layer adds to Prometheus's additional scrape configuration. */
  readonly scrapeJob: ScrapeJob;
  readonly labels: Readonly<Record<string, string>> = {
    "app.kubernetes.io/name": NAME,
    "app.kubernetes.io/component": "exporter",
  };

  constructor(name: string, args: IndexerExporterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(INDEXER_EXPORTER_TYPE, name, {}, opts);
    if (args.indexer.username !== "fortress-exporter") {
      throw new Error(
        `IndexerExporter: ${args.indexer.username} is not the monitoring-only user: pass siem.indexerAccess("exporter")`,
      );
    }
    const child = { parent: this };
    const ns = args.namespace;

    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: `${NAME}-credentials`, namespace: ns, labels: this.labels },
        type: "Opaque",
        stringData: { username: args.indexer.username, password: pulumi.secret(args.indexer.password) },
      },
      child,
    );
    const ca = new k8s.core.v1.ConfigMap(
      `${name}-ca`,
      {
        metadata: { name: `${NAME}-ca`, namespace: ns, labels: this.labels },
        data: { "ca.crt": args.indexer.caCertificatePem },
      },
      child,
    );
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      deploymentSpec(ns, this.labels, args.indexer.url, credentials, ca, args.imageDigest),
      child,
    );
    this.service = exporterService(
      name,
      {
        namespace: ns,
        exporterLabels: this.labels,
        scraperLabels: args.scraperLabels,
        port: INDEXER_EXPORTER_PORT,
        stem: NAME,
      },
      child,
    );
    this.scrapeJob = indexerScrapeJob(ns);
    this.registerOutputs({ scrapeJob: this.scrapeJob });
  }
}

function deploymentSpec(
  ns: string,
  labels: Readonly<Record<string, string>>,
  url: pulumi.Output<string>,
  credentials: k8s.core.v1.Secret,
  ca: k8s.core.v1.ConfigMap,
  digest: string | undefined,
): k8s.apps.v1.DeploymentArgs {
  const uid = EXPORTER_UIDS.indexer;
  // main.go serves /healthz (200 OK) without touching the indexer.
  const probe = { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 30, timeoutSeconds: 5 };
  const fromSecret = (key: string) => ({ secretKeyRef: { name: credentials.metadata.name, key } });
  return {
    metadata: { name: NAME, namespace: ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurity(uid),
          containers: [
            {
              name: "exporter",
              image: exporterImage("indexer", digest),
              args: url.apply(indexerExporterArgs),
              env: [
                { name: "ES_USERNAME", valueFrom: fromSecret("username") },
                { name: "ES_PASSWORD", valueFrom: fromSecret("password") },
              ],
              ports: [{ name: "metrics", containerPort: INDEXER_EXPORTER_PORT, protocol: "TCP" }],
              securityContext: { ...restrictedContainerSecurity(uid), readOnlyRootFilesystem: true },
              resources: EXPORTER_RESOURCES.indexer,
              readinessProbe: probe,
              livenessProbe: { ...probe, failureThreshold: 5 },
              volumeMounts: [{ name: "ca", mountPath: CA_DIR, readOnly: true }],
            },
          ],
          volumes: [{ name: "ca", configMap: { name: ca.metadata.name } }],
        },
      },
    },
  };
}
