/**
 * The services a zone entry may grant, as named port sets. The order of this table is the order rules
 * are emitted in, so it is part of the compiled policy's determinism: append new services, do not
 * reorder. A service name becomes part of OPNsense alias names (`fz_svc_<name>`, dashes as
 * underscores, `_tcp`/`_udp` appended when its TCP and UDP ports differ), so keep it at most 20
 * characters: OPNsense alias names are limited to 31 (AliasNameField).
 *
 * Ports are destination ports. Sources are the protocol's RFC or the vendor's published port list.
 * One table for the whole lab: the zone matrix grants these services between networks, and the
 * platform's NetworkPolicy flows between namespaces name their ports from it too.
 */

export interface ServiceDef {
  readonly description: string;
  readonly tcp: readonly number[];
  readonly udp: readonly number[];
  /** Where the port numbers come from. */
  readonly source: string;
}

export const SERVICES = {
  ssh: {
    description: "SSH",
    tcp: [22],
    udp: [],
    source: "RFC 4253 §4.1 (TCP port 22)",
  },
  dns: {
    description: "DNS",
    tcp: [53],
    udp: [53],
    source: "RFC 1035 §4.2 (UDP and TCP port 53); RFC 7766 §5 (TCP is mandatory)",
  },
  ntp: {
    description: "NTP",
    tcp: [],
    udp: [123],
    source: "RFC 5905 (UDP port 123, IANA-assigned)",
  },
  http: {
    description: "HTTP",
    tcp: [80],
    udp: [],
    source: "RFC 9110 §4.2.1 (default port 80)",
  },
  https: {
    description: "HTTPS",
    tcp: [443],
    udp: [],
    source: "RFC 9110 §4.2.2 (default port 443)",
  },
  http3: {
    description: "HTTP/3 over QUIC",
    tcp: [],
    udp: [443],
    source: "RFC 9114 §3.1 (QUIC on the https authority's UDP port, 443 by default)",
  },
  "mail-submission": {
    description: "Mail submission (implicit TLS and STARTTLS)",
    tcp: [465, 587],
    udp: [],
    source: "RFC 8314 §7.3 (submissions 465); RFC 6409 §3.1 (submission 587)",
  },
  syslog: {
    description: "Syslog (UDP and TLS)",
    tcp: [6514],
    udp: [514],
    source: "RFC 5426 §3.3 (UDP port 514); RFC 5425 §4.1 (TLS on TCP port 6514)",
  },
  "wazuh-agent": {
    description: "Wazuh agent connection and enrollment",
    tcp: [1514, 1515],
    udp: [],
    source:
      "Wazuh documentation, Architecture › Required ports (1514/TCP agent connection, 1515/TCP enrollment)",
  },
  "wazuh-api": {
    description: "Wazuh server API",
    tcp: [55000],
    udp: [],
    source: "Wazuh documentation, Architecture › Required ports (55000/TCP server RESTful API)",
  },
  opensearch: {
    description: "OpenSearch / Wazuh indexer REST API",
    tcp: [9200],
    udp: [],
    source: "OpenSearch documentation, network settings (http.port default 9200)",
  },
  "kubernetes-api": {
    description: "Kubernetes API server (k3s)",
    tcp: [6443],
    udp: [],
    source: "Kubernetes documentation, Ports and Protocols (6443/TCP); k3s networking requirements",
  },
  "proxmox-ui": {
    description: "Proxmox VE web interface and API",
    tcp: [8006],
    udp: [],
    source: "Proxmox VE admin guide, Ports used by Proxmox VE (8006/TCP web interface)",
  },
  "node-exporter": {
    description: "Prometheus node exporter",
    tcp: [9100],
    udp: [],
    source: "Prometheus wiki, Default port allocations (9100 node exporter)",
  },
  "http-alt": {
    description: "HTTP on the alternative port: Keycloak's and Vaultwarden's plain HTTP, apps' /metrics",
    tcp: [8080],
    udp: [],
    source:
      "IANA service name http-alt (8080/tcp); Keycloak documentation, All configuration (http-port default 8080)",
  },
  "keycloak-https": {
    description: "Keycloak over TLS (OIDC discovery, tokens, introspection)",
    tcp: [8443],
    udp: [],
    source: "Keycloak documentation, All configuration (https-port default 8443)",
  },
  "keycloak-management": {
    description: "Keycloak's management interface (health and metrics)",
    tcp: [9000],
    udp: [],
    source:
      "Keycloak documentation, Configuring the Management Interface (http-management-port default 9000)",
  },
  vector: {
    description: "Vector's own protocol (a VM shipper's `vector` sink into the aggregator)",
    tcp: [6000],
    udp: [],
    source:
      "vectordotdev/vector@v0.57.0 src/sources/vector/mod.rs (generate_config: address 0.0.0.0:6000); vectordotdev/helm-charts charts/vector/templates/_pod.tpl (the Aggregator role's vector port 6000)",
  },
  "loki-push": {
    description: "Grafana Loki's HTTP API, log push among it",
    tcp: [3100],
    udp: [],
    source: "Grafana Loki documentation, Configuration › server (http_listen_port, 3100 in Loki's defaults)",
  },
  "postgres-exporter": {
    description: "Prometheus PostgreSQL exporter",
    tcp: [9187],
    udp: [],
    source:
      "prometheus-community/postgres_exporter README (--web.listen-address default :9187); Prometheus wiki, Default port allocations",
  },
  clamd: {
    description: "ClamAV's clamd, scanning what agents stream to it",
    tcp: [3310],
    udp: [],
    source:
      "Cisco-Talos/clamav etc/clamd.conf.sample (TCPSocket 3310); Cisco-Talos/clamav-docker clamav/1.4 Dockerfile (TCPSocket 3310, EXPOSE 3310)",
  },
  // The agent link alone, without enrollment: what a quarantined host keeps (issue 12), since an
  // agent already enrolled never needs 1515 again.
  "wazuh-agent-events": {
    description: "Wazuh agent connection only (events, active response), not enrollment",
    tcp: [1514],
    udp: [],
    source:
      "wazuh/wazuh@v4.14.6 etc/ossec-server.conf (<remote> secure connection on port 1514, protocol tcp)",
  },
  // The firewall's flow export to the collector on the Zeek VM (components/sensors/flows). NetFlow
  // has no IANA port of its own; 2055 is the one OPNsense's own example exports to.
  netflow: {
    description: "NetFlow v9 export from the firewall to the flow collector (nfcapd)",
    tcp: [],
    udp: [2055],
    source:
      'opnsense/core src/etc/netflow.conf.example (netflow_destinations="10.211.55.101:2055 …"); nfcapd(1) of Debian\'s nfdump 1.7.1 (-p port)',
  },
  // The monitoring layer's exporters in the cluster (components/monitoring/exporters): Prometheus
  // reaches them inside its own namespace only.
  "pve-exporter": {
    description: "prometheus-pve-exporter (the Proxmox API as metrics)",
    tcp: [9221],
    udp: [],
    source:
      "prometheus-pve/prometheus-pve-exporter@v3.10.0 README.rst (--web.listen-address [::]:9221), Dockerfile (EXPOSE 9221)",
  },
  "es-exporter": {
    description: "Prometheus elasticsearch exporter (the indexer's statistics as metrics)",
    tcp: [9114],
    udp: [],
    source: "prometheus-community/elasticsearch_exporter@v1.11.0 main.go (webflag.AddFlags default :9114)",
  },
} as const satisfies Record<string, ServiceDef>;

export type ServiceName = keyof typeof SERVICES;

/** Every service, in table order. */
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return Object.hasOwn(SERVICES, name);
}

/** Position of a service in the table: the order rules are emitted in. */
export function serviceRank(name: ServiceName): number {
  return SERVICE_NAMES.indexOf(name);
}

export type Transport = "tcp" | "udp";

/**
 * How a service is matched by one firewall rule each: one match when its TCP and UDP ports are the
 * same set (or it uses one transport only), else one per transport, so that no rule opens a port on
 * a transport the service does not use (syslog: 514/udp and 6514/tcp, never 514/tcp).
 */
export interface ServiceMatch {
  readonly service: ServiceName;
  readonly transports: readonly Transport[];
  readonly ports: readonly number[];
  /** Distinguishes the matches of one service: "" for a single match, else the transport. */
  readonly suffix: "" | Transport;
}

export function serviceMatches(name: ServiceName): ServiceMatch[] {
  const def: ServiceDef = SERVICES[name];
  const tcp = [...def.tcp].sort((a, b) => a - b);
  const udp = [...def.udp].sort((a, b) => a - b);
  if (tcp.length === 0) return [{ service: name, transports: ["udp"], ports: udp, suffix: "" }];
  if (udp.length === 0) return [{ service: name, transports: ["tcp"], ports: tcp, suffix: "" }];
  if (tcp.join(",") === udp.join(",")) {
    return [{ service: name, transports: ["tcp", "udp"], ports: tcp, suffix: "" }];
  }
  return [
    { service: name, transports: ["tcp"], ports: tcp, suffix: "tcp" },
    { service: name, transports: ["udp"], ports: udp, suffix: "udp" },
  ];
}
