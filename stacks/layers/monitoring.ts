/**
 * Maps the lab model onto the monitoring layer (issue 15): kube-prometheus-stack with Grafana in the
 * layer's namespace; the node exporter from Debian's package on every VM that is no k3s node and on
 * every Proxmox node, the firewall's os-node_exporter plugin where the zone matrix lets the scrape in,
 * the Wazuh manager's agent and queue metrics as a textfile; the Proxmox and indexer exporters in the
 * cluster, each with its read-only credential; Loki and the Vector aggregator with the firewall's
 * syslog; the alert rules and Alertmanager's routes from what the lab runs, and the bridge that opens
 * TheHive alerts with the key the Wazuh bridge uses. The scrapes that cross the firewall are the flows
 * stacks/monitoringTargets.ts derives, which the network layer opens.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  alertmanagerConfig,
  operatorSecretsMountPath,
} from "../../components/monitoring/alertmanager/config";
import type { Notification } from "../../components/monitoring/alertmanager/input";
import type { ScrapeJob } from "../../components/monitoring/contract";
import { IndexerExporter, ProxmoxExporter } from "../../components/monitoring/exporters";
import { indexerScrapeJob } from "../../components/monitoring/exporters/indexerExporter";
import { proxmoxScrapeJob } from "../../components/monitoring/exporters/proxmoxExporter";
import { GRAFANA_DB, Grafana } from "../../components/monitoring/grafana/grafana";
import { GRAFANA_POSTGRES_POD } from "../../components/monitoring/grafana/policies";
import { databaseBackup } from "./backup";
import { NodeExporterHost } from "../../components/monitoring/hosts/nodeExporterHost";
import { OpnsenseNodeExporter } from "../../components/monitoring/hosts/opnsenseExporter";
import { nodeScrapeJob, opnsenseScrapeJob } from "../../components/monitoring/hosts/scrapeJobs";
import { LOKI_CLAIM } from "../../components/monitoring/logs/lokiValues";
import { Monitoring, type MonitoringPart } from "../../components/monitoring/monitoring";
import { type Endpoint, PROMETHEUS_POD } from "../../components/monitoring/policies";
import { MEMORY_MIB, PROMETHEUS_NAME, type StackSizing } from "../../components/monitoring/pins";
import { ALERTMANAGER_FILES_SECRET, prometheusClaimName } from "../../components/monitoring/stackValues";
import type { PlainValues } from "../../components/kubernetes/helmRelease";
import { INDEXER_PORT, INDEXER_SERVICE } from "../../components/siem/labels";
import { alertRules } from "../../components/monitoring/rules/alertRules";
import { WazuhManagerMetrics } from "../../components/monitoring/wazuh/wazuhManagerMetrics";
import { INGRESS, NODE_EXPORTER_NAMESPACE, k3sAgents, k3sServers, namespaceOf } from "../cluster";
import { isIpv4 } from "../../vocabulary/addresses";
import { MANAGER_ROLE } from "../enrollment";
import { identityHostnames } from "../hostnames";
import { alertRulesInput } from "../monitoringRules";
import { profileOfConfig, workloadsOf } from "../profiles";
import {
  exporterVms,
  firewallScrapeGranted,
  monitors,
  proxmoxHosts,
  targetLabels,
} from "../monitoringTargets";
import { firewallRef, vmSshHost } from "./connections";
import { logsPart, type MonitoringInputs } from "./monitoringLogs";
import type { MonitoringLayer } from "./types";

export type { MonitoringInputs };

/** The admin's channel for critical alerts: the SMTP relay, else the webhook; none → TheHive only (or nowhere). */
export function notification(inputs: Pick<MonitoringInputs, "lab" | "secrets">): Notification | undefined {
  const notify = inputs.lab.config.monitoring?.notify ?? {};
  if (notify.email) {
    const { email } = notify;
    return {
      kind: "email",
      smarthost: `${email.host}:${email.port}`,
      from: email.from,
      to: email.to.join(", "),
      requireTls: email.requireTls,
      ...(email.username ? { username: email.username } : {}),
      ...(email.username && inputs.secrets.smtpPassword ? { password: inputs.secrets.smtpPassword } : {}),
    };
  }
  if (notify.webhook)
    return {
      kind: "webhook",
      url: notify.webhook.url,
      ...(inputs.secrets.notifyWebhookToken ? { bearerToken: inputs.secrets.notifyWebhookToken } : {}),
    };
  return undefined;
}

/** The servers network's gateway: the firewall's address there, where its node exporter listens. */
function firewallServersAddress(inputs: MonitoringInputs): string | undefined {
  const servers = inputs.lab.config.networks.find((network) => network.purpose === "servers");
  return servers?.gateway;
}

/** The node exporter on each VM that is no k3s node and on each Proxmox node, over SSH. */
function nodeExporters(inputs: MonitoringInputs): {
  readonly part: MonitoringPart;
  readonly job: ScrapeJob;
  readonly manager: () => NodeExporterHost | undefined;
} {
  const { lab, secrets } = inputs;
  const vms = exporterVms(lab);
  const nodes = proxmoxHosts(lab);
  const job = nodeScrapeJob(
    [...vms, ...nodes].map((host) => ({ address: `${host.address}:9100`, labels: targetLabels(host) })),
  );
  const built = new Map<string, NodeExporterHost>();
  const part: MonitoringPart = (parent) => {
    for (const host of vms) {
      const vm = lab.vms.find((planned) => planned.name === host.name);
      if (!vm) throw new Error(`internal: no planned VM ${host.name}`);
      const ssh = vmSshHost(inputs, vm);
      built.set(
        host.name,
        new NodeExporterHost(
          `monitoring-node-exporter-${host.name}`,
          { host: ssh, labels: targetLabels(host) },
          { parent },
        ),
      );
    }
    for (const host of nodes) {
      const node = lab.config.nodes.find((candidate) => candidate.name === host.name);
      if (!node) continue;
      built.set(
        host.name,
        new NodeExporterHost(
          `monitoring-node-exporter-${host.name}`,
          {
            host: {
              name: node.name,
              address: node.address,
              user: lab.config.proxmox.sshUser,
              privateKey: secrets.sshPrivateKey,
              hostKey: node.sshHostKey,
            },
            labels: targetLabels(host),
          },
          { parent },
        ),
      );
    }
    return [...built.values()];
  };
  const manager = () => {
    const vm = lab.vms.find((planned) => planned.role.name === MANAGER_ROLE);
    return vm ? built.get(vm.name) : undefined;
  };
  return { part, job, manager };
}

/** The exporters beside the node exporter: the firewall's, Proxmox's, the indexer's, the manager's metrics. */
function exporterParts(
  inputs: MonitoringInputs,
  namespace: string,
  exporters: ReturnType<typeof nodeExporters>,
): { readonly parts: Record<string, MonitoringPart>; readonly scrapeJobs: ScrapeJob[] } {
  const { lab } = inputs;
  const { siem, network } = inputs.upstream;
  const scraper = { ...PROMETHEUS_POD };
  const proxmoxNodes = lab.config.nodes.map((node) => ({ name: node.proxmoxNode, address: node.address }));
  const firewallAddress = firewallScrapeGranted(lab.config) ? firewallServersAddress(inputs) : undefined;
  const manager = lab.vms.find((vm) => vm.role.name === MANAGER_ROLE);
  const managerComponent = siem.manager;
  const parts: Record<string, MonitoringPart> = {
    nodeExporters: exporters.part,
    ...(firewallAddress
      ? {
          // The plugin is installed by hand (README, "Monitoring"): installing it through the API
          // would need "System: Firmware", which also allows updates, reboot and power-off.
          opnsense: (parent: pulumi.Resource) => [
            new OpnsenseNodeExporter(
              "monitoring-opnsense-exporter",
              { firewall: firewallRef(inputs), listenAddress: firewallAddress, installPlugin: false },
              { parent, dependsOn: [network.preflight] },
            ),
          ],
        }
      : {}),
    proxmoxExporter: (parent) => [
      new ProxmoxExporter(
        "monitoring-proxmox-exporter",
        {
          namespace,
          proxmoxProvider: inputs.shared.proxmox(),
          nodes: proxmoxNodes,
          scraperLabels: scraper,
          // With the cluster's CA, the exporter verifies against it, whatever the admin's machine does.
          ...(lab.config.proxmox.caCert
            ? { caCertificatePem: lab.config.proxmox.caCert, insecure: false }
            : { insecure: lab.config.proxmox.insecure }),
        },
        { parent },
      ),
    ],
    indexerExporter: (parent) => [
      new IndexerExporter(
        "monitoring-indexer-exporter",
        { namespace, indexer: siem.indexerAccess("exporter"), scraperLabels: scraper },
        { parent },
      ),
    ],
    ...(manager && managerComponent
      ? {
          wazuhMetrics: (parent: pulumi.Resource) => {
            const exporter = exporters.manager();
            return [
              new WazuhManagerMetrics(
                "monitoring-wazuh-metrics",
                {
                  host: vmSshHost(inputs, manager),
                  api: managerComponent.metricsApi,
                  dependsOn: exporter ? [exporter] : [],
                },
                { parent },
              ),
            ];
          },
        }
      : {}),
  };
  const scrapeJobs: ScrapeJob[] = [
    exporters.job,
    proxmoxScrapeJob(namespace, proxmoxNodes),
    indexerScrapeJob(namespace),
    ...(firewallAddress ? [opnsenseScrapeJob(firewallAddress)] : []),
  ];
  return { parts, scrapeJobs };
}

/** What the sizing reads of the lab's config: its profile and the door's resolved workloads. */
export type WorkloadsConfig = Parameters<typeof workloadsOf>[0];

/** A profile's GB (base 2, as stacks/profiles.ts sizes them: 1.125 is 1152 MiB) in MiB. */
export const gbToMib = (gb: number) => Math.round(gb * 1024);

/** Prometheus's memory and volume as the lab's profile (or fortress:workloads) sizes them. */
export function stackSizing(config: WorkloadsConfig): StackSizing {
  const { prometheus } = workloadsOf(config);
  if (prometheus.storageGb === undefined) throw new Error("internal: Prometheus has no storageGb");
  return { prometheus: { memoryMib: gbToMib(prometheus.memoryGb), volumeGi: prometheus.storageGb } };
}

/**
 * Grafana's memory: the profile's size as limit = request, except at the catalog's 320 MiB (the home
 * profile's), where Grafana keeps the burstable default its component has always had (256 Mi
 * requested, 512 Mi limit: grafana/values.ts GRAFANA_RESOURCES). Each replica has this size.
 */
export function grafanaMemoryMib(config: WorkloadsConfig): number | undefined {
  const mib = gbToMib(workloadsOf(config).grafana.memoryGb);
  return mib === MEMORY_MIB.grafana ? undefined : mib;
}

/**
 * Grafana's replicas as the lab's profile (or fortress:workloads) sets them, with the profile's
 * `resilience` and the class of their PostgreSQL's claim; none for one pod (SQLite, as home has it).
 */
export function grafanaReplicas(
  config: WorkloadsConfig,
  storageClass: string,
): { count: number; resilience: boolean; storageClass: string } | undefined {
  const count = workloadsOf(config).grafana.replicas;
  return count > 1 ? { count, resilience: profileOfConfig(config).resilience, storageClass } : undefined;
}

/** Grafana: its component (Keycloak login, data sources, the five dashboards), built inside Monitoring. */
function grafanaPart(
  inputs: MonitoringInputs,
  namespace: string,
  lokiUrl: string,
  built: { admin?: MonitoringLayer["grafanaAdmin"] },
): (parent: pulumi.Resource) => { values: PlainValues; resources: pulumi.Resource[] } {
  const { lab } = inputs;
  const { platform, siem, identity } = inputs.upstream;
  const baseline = platform.baseline;
  if (!baseline) throw new Error("internal: the monitoring layer is built without the platform's baseline");
  const oidcSecret = identity.clientSecrets.grafana;
  const oidcClient = identity.clientIds.grafana;
  const indexer = siem.indexerAccess("grafana");
  const memoryMib = grafanaMemoryMib(lab.config);
  const replicas = grafanaReplicas(lab.config, baseline.storageClasses.default);
  const oidc = identity.issuerUrl && oidcSecret && oidcClient ? identity.issuerUrl : undefined;
  return (parent) => {
    const grafana = new Grafana(
      "monitoring-grafana",
      {
        namespace,
        hostname: identityHostnames(lab).grafana,
        clusterIssuer: baseline.clusterIssuer,
        ingressClassName: INGRESS.className,
        ...(oidc && oidcSecret && oidcClient
          ? { oidc: { issuerUrl: oidc, clientId: oidcClient, clientSecret: oidcSecret } }
          : {}),
        indexer: {
          url: `https://${INDEXER_SERVICE}.${namespaceOf("siem")}.svc:${INDEXER_PORT}`,
          username: indexer.username,
          password: indexer.password,
        },
        loki: { url: lokiUrl },
        dashboards: {
          zones: lab.config.networks.map((network) => ({ name: network.name, cidr: network.cidr })),
        },
        network: {
          ingressNamespace: INGRESS.namespace,
          // Keycloak's token and keys endpoints, only while Grafana signs in through it.
          keycloakNamespaces: oidc ? [namespaceOf("identity"), INGRESS.namespace] : [],
          indexerNamespace: namespaceOf("siem"),
        },
        ...(memoryMib !== undefined ? { memoryMib } : {}),
        ...(replicas ? { replicas } : {}),
      },
      { parent },
    );
    built.admin = { login: grafana.adminUser, password: grafana.adminPassword };
    // With replicas, Grafana's users, sessions and alert state live in its PostgreSQL: dumped like Keycloak's.
    if (replicas)
      databaseBackup(
        "grafana-postgres",
        { db: GRAFANA_DB, serverLabels: GRAFANA_POSTGRES_POD },
        lab,
        inputs.secrets,
        namespace,
        { parent: grafana },
      );
    return { values: grafana.values, resources: [grafana, ...grafana.prerequisites] };
  };
}

export function buildMonitoring(
  inputs: MonitoringInputs,
  opts: pulumi.ComponentResourceOptions,
): MonitoringLayer {
  const { lab } = inputs;
  const { platform } = inputs.upstream;
  if (!monitors(lab.config))
    throw new Error(
      "the monitoring layer runs Prometheus: enable prometheus in fortress:services, or disable layers.monitoring",
    );
  const baseline = platform.baseline;
  if (!baseline) throw new Error("internal: the monitoring layer is built without the platform's baseline");
  const namespace = namespaceOf("monitoring");
  if (!baseline.namespaces[namespace] || !baseline.namespaces[NODE_EXPORTER_NAMESPACE])
    throw new Error(`internal: the platform baseline has no namespace ${namespace}`);
  const exporters = exporterParts(inputs, namespace, nodeExporters(inputs));
  const logs = logsPart(inputs, namespace);
  const notify = notification(inputs);
  const alertmanager = (parent: pulumi.Resource) => {
    const bridge = logs.bridge?.(parent);
    return alertmanagerConfig({
      ...(bridge ? { theHiveBridgeUrl: bridge.url, theHiveBridgeToken: bridge.token } : {}),
      ...(notify ? { notification: notify } : {}),
      caCertificatePem: baseline.caCertificatePem,
      secretsMountPath: operatorSecretsMountPath(ALERTMANAGER_FILES_SECRET),
    });
  };
  const ruleGroups = alertRules(
    alertRulesInput(lab, { namespace, prometheus: prometheusClaimName(PROMETHEUS_NAME), loki: LOKI_CLAIM }),
  );
  const built: { admin?: MonitoringLayer["grafanaAdmin"] } = {};
  const monitoring = new Monitoring(
    "monitoring",
    {
      namespace,
      storageClasses: baseline.storageClasses,
      hostnames: { grafana: identityHostnames(lab).grafana },
      k3s: { servers: k3sServers(lab).map((vm) => vm.ip), agents: k3sAgents(lab).map((vm) => vm.ip) },
      scrapeJobs: [...exporters.scrapeJobs, ...logs.scrapeJobs],
      ruleGroups,
      alertmanager,
      alertmanagerEgress: [...logs.alertmanagerEgress, ...notificationEgress(notify)],
      ...(lab.config.monitoring ? { retentionDays: lab.config.monitoring.retention.metricsDays } : {}),
      sizing: stackSizing(lab.config),
      grafana: grafanaPart(inputs, namespace, logs.lokiUrl, built),
      parts: { ...exporters.parts, logs: logs.part },
    },
    { ...opts, providers: { kubernetes: platform.provider } },
  );
  if (!built.admin) throw new Error("internal: Grafana was not built");
  return Object.assign(monitoring, { grafanaAdmin: built.admin });
}
/** Alertmanager's way to the admin's channel: its address and port, or the port alone for a name. */
export function notificationEgress(notify: Notification | undefined): Endpoint[] {
  if (!notify) return [];
  const target = notify.kind === "email" ? notify.smarthost : new URL(notify.url).host;
  const [host, port] = target.includes(":")
    ? [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))]
    : [target, notify.kind === "webhook" && notify.url.startsWith("http:") ? 80 : 443];
  return [isIpv4(host) ? { ip: host, port } : { anywhere: true, port }];
}
