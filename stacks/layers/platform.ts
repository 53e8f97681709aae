/**
 * Maps the lab model onto the platform layer: k3s on the planned VMs (servers in name order, the
 * first one initialising the cluster; then the agents of the general and indexer pools), or an
 * existing cluster by its kubeconfig; and the Kubernetes baseline for the layers above. The GPU
 * worker joins on its own, beside the layer's component, so that the layer's barrier (and the
 * baseline and identity after it) never waits for a GPU VM that may not start.
 */
import { DATA_MOUNT } from "../../components/cloud-init/userData";
import type { NamespaceFlow, NamespaceSpec } from "../../components/platform/baseline";
import { DetachedK3sAgents, type K3sAgentArgs, type K3sNodeArgs } from "../../components/platform/k3s";
import { Platform, type PlatformArgs } from "../../components/platform/platform";
import type { LayerName } from "../blueprint";
import type { K3sPool } from "../catalog";
import { apiFqdn, k3sAgents, k3sServers, namespaceOf, WORKLOAD_LAYERS } from "../cluster";
import { isLayerEnabled } from "../config/checks";
import type { PlannedVm } from "../lab";
import type { LayerBuild } from "./types";
import { type ServiceName, SERVICES } from "../../vocabulary/services";

/** The only namespace that runs privileged pods (Zeek and packet capture need the host's network). */
const PRIVILEGED_LAYERS: ReadonlySet<LayerName> = new Set(["sensors"]);

/** A service's TCP ports (vocabulary/services.ts) as NetworkPolicy ports. */
const tcpPorts = (...services: readonly ServiceName[]): NamespaceFlow["ports"][number][] =>
  services.flatMap((service) => SERVICES[service].tcp.map((port) => ({ port, protocol: "TCP" as const })));

/** Ports the flow table names, by what listens there, from the lab's one service table. */
export const FLOW_PORTS = {
  /** Wazuh manager: agent events (1514) and enrolment (1515). */
  wazuhAgent: tcpPorts("wazuh-agent"),
  /** The Wazuh indexer (OpenSearch) API, which log shippers and dashboards write and read. */
  indexer: tcpPorts("opensearch"),
  /** Keycloak over TLS: OIDC discovery, tokens, introspection. */
  oidc: tcpPorts("keycloak-https"),
  /** Loki's push API (Vector and agents ship logs to it). */
  lokiPush: tcpPorts("loki-push"),
  /** Metrics Prometheus scrapes: app /metrics (8080), Keycloak management (9000), PostgreSQL exporter (9187), OpenSearch (9200). */
  scrape: tcpPorts("http-alt", "keycloak-management", "postgres-exporter", "opensearch"),
} as const satisfies Record<string, readonly NamespaceFlow["ports"][number][]>;

/**
 * The namespace → namespace allows (everything else is denied by the baseline):
 *
 * | from | to | ports | why |
 * |---|---|---|---|
 * | every namespace | siem | 1514, 1515, 9200/TCP | Wazuh agents and log shipping into the SIEM |
 * | every namespace | identity | 8443/TCP | OIDC with Keycloak |
 * | every namespace | monitoring | 3100/TCP | logs into Loki |
 * | monitoring | every namespace | 8080, 9000, 9187, 9200/TCP | Prometheus scrapes |
 */
export function platformFlows(layers: readonly LayerName[]): NamespaceFlow[] {
  const present = new Set(layers);
  const flows: NamespaceFlow[] = [];
  const allow = (from: LayerName, to: LayerName, ports: NamespaceFlow["ports"]) => {
    if (from !== to && present.has(from) && present.has(to))
      flows.push({ from: namespaceOf(from), to: namespaceOf(to), ports: [...ports] });
  };
  for (const layer of layers) {
    allow(layer, "siem", [...FLOW_PORTS.wazuhAgent, ...FLOW_PORTS.indexer]);
    allow(layer, "identity", FLOW_PORTS.oidc);
    allow(layer, "monitoring", FLOW_PORTS.lokiPush);
    allow("monitoring", layer, FLOW_PORTS.scrape);
  }
  return flows;
}

export function platformNamespaces(layers: readonly LayerName[]): NamespaceSpec[] {
  return layers.map((layer) => ({
    name: namespaceOf(layer),
    layer,
    podSecurity: PRIVILEGED_LAYERS.has(layer) ? "privileged" : "restricted",
  }));
}

/** Pools whose agents join outside the layer's barrier. */
export const DETACHED_POOLS: ReadonlySet<K3sPool> = new Set(["gpu"]);

/** Where k3s's local-path provisioner keeps volumes: the VMs' data disk. */
export const LOCAL_STORAGE_PATH = `${DATA_MOUNT}/local-path`;

export const buildPlatform: LayerBuild<"platform", "hypervisor"> = (inputs, opts) => {
  const { lab, secrets } = inputs;
  const { config } = lab;
  const layers = WORKLOAD_LAYERS.filter((layer) => isLayerEnabled(config.layers, layer));
  const baseline = {
    namespaces: platformNamespaces(layers),
    flows: platformFlows(layers),
    caCommonName: `Fortress internal CA (${config.lab.domain})`,
    ...(config.platform.rwx ? { rwx: config.platform.rwx } : {}),
  };
  let args: PlatformArgs;
  if (config.platform.mode === "existing") {
    if (!secrets.kubeconfig) throw new Error("internal: platform.mode existing without fortress:kubeconfig");
    args = { mode: "existing", kubeconfig: secrets.kubeconfig, baseline };
  } else {
    const servers = k3sServers(lab);
    if (servers.length === 0)
      throw new Error("platform.mode k3s needs k3s servers: enable the k3s service in fortress:services");
    const { hypervisor } = inputs.upstream;
    const node = (vm: PlannedVm): K3sNodeArgs => {
      const machine = hypervisor.vms[vm.name];
      if (!machine) throw new Error(`internal: the hypervisor layer has no VM ${vm.name}`);
      return { name: vm.name, address: vm.ip, hostKey: machine.hostKey, vmId: machine.vmId };
    };
    const agents = k3sAgents(lab).map((vm): K3sAgentArgs => ({ ...node(vm), pool: vm.pool }));
    const { platform: settings } = config;
    args = {
      mode: "k3s",
      k3s: {
        version: settings.k3sVersion,
        apiFqdn: apiFqdn(lab),
        servers: servers.map(node),
        agents: agents.filter((agent) => !DETACHED_POOLS.has(agent.pool)),
        ssh: { user: config.lab.adminUser, privateKey: secrets.sshPrivateKey },
        localStoragePath: LOCAL_STORAGE_PATH,
        ...(settings.installer ? { installer: settings.installer } : {}),
        ...(settings.airgap ? { airgap: settings.airgap } : {}),
        ...(settings.certificateRotation !== undefined
          ? { certificateRotation: settings.certificateRotation }
          : {}),
      },
      baseline,
    };
    const platform = new Platform("platform", args, opts);
    const detached = agents.filter((agent) => DETACHED_POOLS.has(agent.pool));
    if (platform.k3s && detached.length > 0)
      new DetachedK3sAgents(
        "platform-gpu-agents",
        { join: platform.k3s.agentJoin, agents: detached, waitFor: hypervisor.gpuReady },
        opts,
      );
    return platform;
  }
  return new Platform("platform", args, opts);
};
