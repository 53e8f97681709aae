/**
 * The type tokens Fortress registers, written once: its own components (`fortress:<layer>:<Name>`)
 * and the OPNsense dynamic resources. Components register under them; the planner, the diff and the
 * pack recognise resources by them. A token is part of every URN under it: changing one replaces the
 * resources (or needs an alias).
 */

/** The component resources: one per layer, and the blocks a layer is built of. */
export const COMPONENT_TYPES = {
  network: "fortress:network:Network",
  dnsDhcp: "fortress:dns-dhcp:DnsDhcp",
  time: "fortress:time:Time",
  hypervisor: "fortress:hypervisor:Hypervisor",
  platform: "fortress:platform:Platform",
  k3s: "fortress:platform:K3s",
  detachedK3sAgents: "fortress:platform:DetachedK3sAgents",
  baseline: "fortress:platform:Baseline",
  identity: "fortress:identity:Identity",
  keycloak: "fortress:identity:Keycloak",
  postgres: "fortress:identity:Postgres",
  vaultwarden: "fortress:identity:Vaultwarden",
  siem: "fortress:siem:Siem",
  wazuhIndexer: "fortress:siem:WazuhIndexer",
  wazuhDashboard: "fortress:siem:WazuhDashboard",
  wazuhManager: "fortress:siem:WazuhManager",
  endpoint: "fortress:endpoint:Endpoint",
  /** The lab's one clamd, its freshclam and Fortress's signatures. */
  clamav: "fortress:endpoint:Clamav",
  /**
   * Vector on a VM, shipping its log streams to the indexer: a block the sensors and vuln layers share.
   * Its <layer> part is no layer name on purpose: a component whose token names a layer counts as that
   * layer's (policies/lib/stack.ts layerOfType), and the shipper belongs to whichever layer builds it.
   */
  vectorShipper: "fortress:shipping:VectorShipper",
  /** nfcapd on the Zeek VM: the firewall's NetFlow, converted to JSON lines for the shipper. */
  flowCollector: "fortress:sensors:FlowCollector",
  /** The sensors layer: Suricata, the Zeek VM's sensor, collector and shipper. */
  sensors: "fortress:sensors:Sensors",
  /** The vuln layer: Greenbone and its shipper. */
  vuln: "fortress:vuln:Vuln",
  /** Suricata on the firewall: its settings, rulesets, drop policies, alerts to the SIEM, NetFlow. */
  suricata: "fortress:sensors:Suricata",
  /** Zeek on its sensor VM, fed by the mirror on its Proxmox node. */
  zeekSensor: "fortress:sensors:ZeekSensor",
  /** Greenbone Community Edition on its VM: compose, targets, tasks, report export. */
  greenbone: "fortress:vuln:Greenbone",
  response: "fortress:response:Response",
  theHive: "fortress:response:TheHive",
  cortex: "fortress:response:Cortex",
  /** MISP on its VM: misp-docker's compose, login through Keycloak, feeds, the integration user. */
  misp: "fortress:response:Misp",
  /** prometheus-pve-exporter in the cluster, reading the Proxmox API with a read-only token. */
  proxmoxExporter: "fortress:monitoring:ProxmoxExporter",
  /** The elasticsearch exporter against the Wazuh indexer, with a monitoring-only user. */
  indexerExporter: "fortress:monitoring:IndexerExporter",
  /** Debian's node exporter on a non-k3s VM or a Proxmox node, installed over SSH. */
  nodeExporterHost: "fortress:monitoring:NodeExporterHost",
  /** The firewall's os-node_exporter plugin: installed, configured, its scrape job. */
  opnsenseNodeExporter: "fortress:monitoring:OpnsenseNodeExporter",
  /** The Wazuh manager's agent and queue metrics as a textfile for its node exporter. */
  wazuhManagerMetrics: "fortress:monitoring:WazuhManagerMetrics",
  /** kube-prometheus-stack's Grafana: its Secrets, the dashboards' ConfigMaps, certificate and ingress. */
  grafana: "fortress:monitoring:Grafana",
  /** Grafana's own PostgreSQL when it runs replicas (components/identity/postgres.ts, in the monitoring layer). */
  grafanaPostgres: "fortress:monitoring:GrafanaPostgres",
  /** Loki, monolithic, filesystem storage on a protected volume (components/monitoring/logs). */
  loki: "fortress:monitoring:Loki",
  /** Vector as the aggregator: syslog and the VM shippers into the indexer and Loki. */
  vectorAggregator: "fortress:monitoring:VectorAggregator",
  /** Alertmanager's webhook → TheHive alerts (a tiny Python pod). */
  theHiveAlertBridge: "fortress:monitoring:TheHiveAlertBridge",
  /** The record of which services the lab runs, read by the pack's dependency policy. */
  services: "fortress:lab:Services",
  /** The monitoring layer's component: the stack, Grafana's parts and the parts the lead adds. */
  monitoring: "fortress:monitoring:Monitoring",
  /** kube-prometheus-stack with Fortress's scrape configs, rules, Alertmanager config and volume. */
  prometheusStack: "fortress:monitoring:PrometheusStack",
  /** A claim or a database copied to S3-compatible storage by rclone; like the shipper, in whichever layer builds it. */
  s3Backup: "fortress:backup:S3Backup",
} as const;

export type ComponentType = (typeof COMPONENT_TYPES)[keyof typeof COMPONENT_TYPES];

/** The OPNsense dynamic resources: the model items, the settings singletons and the preflight. */
export type OpnsenseKind =
  | "vlan"
  | "alias"
  | "rule"
  | "hostOverride"
  | "keaSubnet"
  | "keaReservation"
  | "dnsmasqRange"
  | "dnsmasqHost"
  | "syslogDestination"
  | "nodeExporter"
  | "plugin"
  | "idsPolicy"
  | "idsRulesets"
  | "idsUpdateSchedule"
  | "idsGeneral"
  | "netflow"
  | "chrony"
  | "keaDhcpv4"
  | "dnsmasq"
  | "dnsmasqDhcp"
  | "preflight";

/** The module the OPNsense dynamic resources register under. */
export const OPNSENSE_MODULE = "fortress";

/** The `type` a dynamic resource passes beside its module. */
export const opnsenseKind = (kind: OpnsenseKind) => `opnsense:${kind}` as const;

/**
 * The full token the engine sees: @pulumi/pulumi's `dynamic.Resource` registers as
 * `pulumi-nodejs:dynamic/<module>:<type>` (pulumi/pulumi, sdk/nodejs/dynamic/index.ts).
 */
export const OPNSENSE_TYPE_PREFIX = `pulumi-nodejs:dynamic/${OPNSENSE_MODULE}:opnsense:` as const;

export const opnsenseType = (kind: OpnsenseKind) => `${OPNSENSE_TYPE_PREFIX}${kind}` as const;

/** The Wazuh dynamic resources (components/endpoint): agent groups on the manager. */
export type WazuhKind = "agentGroup";

/** The module the Wazuh dynamic resources register under (the same as OPNsense's). */
export const WAZUH_MODULE = "fortress";

export const wazuhKind = (kind: WazuhKind) => `wazuh:${kind}` as const;

/** The full token the engine sees for a Wazuh dynamic resource. */
export const wazuhType = (kind: WazuhKind) =>
  `pulumi-nodejs:dynamic/${WAZUH_MODULE}:${wazuhKind(kind)}` as const;
