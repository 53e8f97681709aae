/**
 * prometheus-pve-exporter 3.10.0 in the monitoring namespace (issue 15, "the Proxmox API through
 * prometheus-pve-exporter with a read-only token"): one Deployment that Prometheus scrapes as a
 * multi-target exporter, one target per Proxmox node (`/pve?target=<node>&cluster=1&node=1&module=default`,
 * prometheus-pve/prometheus-pve-exporter@v3.10.0 README.rst "Prometheus Configuration",
 * src/pve_exporter/http.py `on_pve`).
 *
 * - Credentials: its own Proxmox user and privilege-separated token, PVEAuditor on / (proxmoxAccess.ts),
 *   in a pve.yml (`default: {user, token_name, token_value, verify_ssl}`, README.rst "Authentication";
 *   config.py `config_from_yaml`) that lives only in a Secret, mounted read-only; no env, no argv.
 * - TLS to the API: `verify_ssl` goes as-is to proxmoxer, which gives it to requests as `verify`
 *   (proxmoxer/proxmoxer@2.2.0 proxmoxer/backends/https.py ProxmoxHttpSession.request; the exporter
 *   pins 2.3.0), so a CA file path verifies against that CA: the lab's Proxmox CA when it has one
 *   (`caCertificatePem`, e.g. the cluster's /etc/pve/pve-root-ca.pem), else the image's trust store
 *   (`true`); `false` only when the lab's Proxmox connection is `insecure`.
 * - The exporter forwards the token to whatever `target` a scrape names, so it may leave its pod for
 *   the Proxmox nodes' API port only (an egress policy by address), and only the scraper's pods reach it.
 * - Runs as the image's prometheus user (101), read-only root, /tmp an emptyDir (gunicorn's worker
 *   heartbeat files: cli.py starts gunicorn), no service account token.
 */
import { isIPv4 } from "node:net";
import type * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { SERVICES } from "../../../vocabulary/services";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../../kubernetes/securityContext";
import type { ScrapeJob } from "../contract";
import { exporterService } from "./network";
import { EXPORTER_RESOURCES, EXPORTER_UIDS, exporterImage } from "./pins";
import { type ProxmoxAccess, proxmoxExporterAccess } from "./proxmoxAccess";

export const PROXMOX_EXPORTER_TYPE = COMPONENT_TYPES.proxmoxExporter;
export const PROXMOX_EXPORTER_PORT = SERVICES["pve-exporter"].tcp[0];
export const PROXMOX_API_PORT = SERVICES["proxmox-ui"].tcp[0];
/** The catalogue's job (components/monitoring/metrics/proxmox.ts). */
export const PROXMOX_JOB = "proxmox";
const NAME = "proxmox-exporter";
const CONFIG_DIR = "/etc/fortress/pve";
const CA_DIR = "/etc/fortress/pve-ca";
const MODULE = "default";

export interface ProxmoxExporterArgs {
  /** The monitoring namespace (fortress-monitoring). */
  readonly namespace: string;
  /** The Proxmox provider the layers share: the exporter's user, token and ACLs are made with it. */
  readonly proxmoxProvider: proxmoxve.Provider;
  /** Every Proxmox node: its name (the `node` label) and the address its API answers on (the target). */
  readonly nodes: readonly { readonly name: string; readonly address: string }[];
  /** The labels of Prometheus's pods, the only ones let in (and out to the exporter). */
  readonly scraperLabels: Readonly<Record<string, string>>;
  /** The lab's Proxmox CA (PEM): the API's certificate is verified against it. */
  readonly caCertificatePem?: pulumi.Input<string>;
  /** fortress:proxmox.insecure: skip verification, as the provider does. Not with a CA. */
  readonly insecure?: boolean;
  /** Another `sha256:` digest for the pinned tag (pins.ts). */
  readonly imageDigest?: string;
}

/** The verify_ssl of pve.yml: a CA file, the trust store, or (insecure) nothing. */
export function verifySsl(
  args: Pick<ProxmoxExporterArgs, "caCertificatePem" | "insecure">,
): string | boolean {
  if (args.caCertificatePem !== undefined && args.insecure === true) {
    throw new Error(
      "ProxmoxExporter: a Proxmox CA and insecure together: verify against the CA, or do not verify",
    );
  }
  if (args.caCertificatePem !== undefined) return `${CA_DIR}/ca.crt`;
  return args.insecure !== true;
}

/** pve.yml (README.rst "Using pve.yml config file", token authentication). */
export function renderPveYml(tokenId: string, tokenSecret: string, verify: string | boolean): string {
  const bang = tokenId.indexOf("!");
  if (bang < 1) throw new Error(`ProxmoxExporter: ${tokenId} is not <user>@<realm>!<token>`);
  return yaml.dump({
    [MODULE]: {
      user: tokenId.slice(0, bang),
      token_name: tokenId.slice(bang + 1),
      token_value: tokenSecret,
      verify_ssl: verify,
    },
  });
}

/** Prometheus's job: one target per node, scraped through the exporter's Service. */
export function proxmoxScrapeJob(namespace: string, nodes: ProxmoxExporterArgs["nodes"]): ScrapeJob {
  return {
    job: PROXMOX_JOB,
    scheme: "http",
    metricsPath: "/pve",
    params: { module: [MODULE], cluster: ["1"], node: ["1"] },
    exporterAddress: `${NAME}.${namespace}.svc:${PROXMOX_EXPORTER_PORT}`,
    // No `node` target label: the exporter's own `node` (the guest's node on pve_guest_info) must
    // stay as it is, not become `exported_node` (honor_labels false: prometheus@v3.14.0
    // docs/configuration/configuration.md). Every node answers for the whole cluster (`cluster=1`),
    // so a node down leaves the others reporting it; the rules take one copy per id (`max by (id)`).
    targets: nodes.map((node) => ({
      address: node.address,
      labels: { layer: "hypervisor", role: "proxmox-node" },
    })),
  };
}

export class ProxmoxExporter extends pulumi.ComponentResource {
  readonly access: ProxmoxAccess;
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  /** The job the layer adds to Prometheus's additional scrape configuration. */
  readonly scrapeJob: ScrapeJob;
  readonly labels: Readonly<Record<string, string>> = {
    "app.kubernetes.io/name": NAME,
    "app.kubernetes.io/component": "exporter",
  };

  constructor(name: string, args: ProxmoxExporterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(PROXMOX_EXPORTER_TYPE, name, {}, opts);
    if (args.nodes.length === 0) throw new Error("ProxmoxExporter: no Proxmox node to scrape");
    for (const node of args.nodes) {
      // The egress policy names each node by address (ipBlock), and the scrape's target is that address.
      if (!isIPv4(node.address))
        throw new Error(`ProxmoxExporter: ${node.name}: ${node.address} is not an IPv4 address`);
    }
    const child = { parent: this };
    const ns = args.namespace;
    const verify = verifySsl(args);

    this.access = proxmoxExporterAccess(name, { ...child, provider: args.proxmoxProvider });
    const config = new k8s.core.v1.Secret(
      `${name}-config`,
      {
        metadata: { name: `${NAME}-config`, namespace: ns, labels: this.labels },
        type: "Opaque",
        stringData: {
          "pve.yml": pulumi.secret(
            pulumi
              .all([this.access.tokenId, this.access.tokenSecret])
              .apply(([id, secret]) => renderPveYml(id, secret, verify)),
          ),
        },
      },
      child,
    );
    const ca =
      args.caCertificatePem === undefined
        ? undefined
        : new k8s.core.v1.ConfigMap(
            `${name}-ca`,
            {
              metadata: { name: `${NAME}-ca`, namespace: ns, labels: this.labels },
              data: { "ca.crt": args.caCertificatePem },
            },
            child,
          );

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      deploymentSpec(ns, this.labels, config, ca, args.imageDigest),
      { ...child, dependsOn: [...this.access.acls] },
    );
    this.service = exporterService(
      name,
      {
        namespace: ns,
        exporterLabels: this.labels,
        scraperLabels: args.scraperLabels,
        port: PROXMOX_EXPORTER_PORT,
        stem: NAME,
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-to-proxmox`,
      {
        metadata: { name: `${NAME}-to-proxmox-api`, namespace: ns },
        spec: {
          podSelector: { matchLabels: this.labels },
          policyTypes: ["Egress"],
          egress: [
            {
              to: args.nodes.map((node) => ({ ipBlock: { cidr: `${node.address}/32` } })),
              ports: [{ protocol: "TCP", port: PROXMOX_API_PORT }],
            },
          ],
        },
      },
      child,
    );
    this.scrapeJob = proxmoxScrapeJob(ns, args.nodes);
    this.registerOutputs({ scrapeJob: this.scrapeJob });
  }
}

function deploymentSpec(
  ns: string,
  labels: Readonly<Record<string, string>>,
  config: k8s.core.v1.Secret,
  ca: k8s.core.v1.ConfigMap | undefined,
  digest: string | undefined,
): k8s.apps.v1.DeploymentArgs {
  const uid = EXPORTER_UIDS.proxmox;
  const probe = { httpGet: { path: "/", port: "metrics" }, periodSeconds: 30, timeoutSeconds: 5 };
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
              image: exporterImage("proxmox", digest),
              args: [`--config.file=${CONFIG_DIR}/pve.yml`],
              ports: [{ name: "metrics", containerPort: PROXMOX_EXPORTER_PORT, protocol: "TCP" }],
              securityContext: { ...restrictedContainerSecurity(uid), readOnlyRootFilesystem: true },
              resources: EXPORTER_RESOURCES.proxmox,
              readinessProbe: probe,
              livenessProbe: { ...probe, failureThreshold: 5 },
              volumeMounts: [
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
                ...(ca ? [{ name: "ca", mountPath: CA_DIR, readOnly: true }] : []),
              ],
            },
          ],
          volumes: [
            { name: "config", secret: { secretName: config.metadata.name, defaultMode: 0o440 } },
            { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
            ...(ca ? [{ name: "ca", configMap: { name: ca.metadata.name } }] : []),
          ],
        },
      },
    },
  };
}
