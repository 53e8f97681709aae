/**
 * Maps the lab model onto the platform layer: k3s on the planned VMs (servers in name order, the
 * first one initialising the cluster; then the agents of the general and indexer pools), or an
 * existing cluster by its kubeconfig; and the Kubernetes baseline for the layers above. The GPU
 * worker joins on its own, beside the layer's component, so that the layer's barrier (and the
 * baseline and identity after it) never waits for a GPU VM that may not start.
 */
import { DATA_MOUNT } from "../../components/cloud-init/userData";
import type { NamespaceSpec } from "../../components/platform/baseline";
import {
  compileFlows,
  EVERY,
  type FlowPort,
  type FlowRule,
  type NamespaceFlow,
} from "../../components/kubernetes/flows";
import { DetachedK3sAgents, type K3sAgentArgs, type K3sNodeArgs } from "../../components/platform/k3s";
import { Platform, type PlatformArgs } from "../../components/platform/platform";
import type { LayerName } from "../blueprint";
import type { K3sPool } from "../catalog";
import {
  apiFqdn,
  k3sAgents,
  k3sServers,
  namespaceOf,
  NODE_EXPORTER_NAMESPACE,
  WORKLOAD_LAYERS,
} from "../cluster";
import { isLayerEnabled } from "../config/checks";
import type { PlannedVm } from "../lab";
import type { LayerBuild } from "./types";
import { type ServiceName, SERVICES } from "../../vocabulary/services";

/** The only namespace that runs privileged pods (Zeek and packet capture need the host's network). */
const PRIVILEGED_LAYERS: ReadonlySet<LayerName> = new Set(["sensors"]);
/**
 * Layers whose namespace enforces `baseline` and still audits and warns at `restricted`: the response
 * layer, where Cortex starts its analyzers and responders as Jobs with a pod-level securityContext only
 * (TheHive-Project/Cortex@4.1.0 K8sJobRunnerSrv.parsePodSecurityContext: no container securityContext,
 * no seccomp profile), which `restricted` refuses, and whose published images run as root
 * (Cortex-Analyzers' catalog build installs into /root/.local with no USER).
 */
const BASELINE_LAYERS: ReadonlySet<LayerName> = new Set(["response"]);

/** A service's TCP ports (vocabulary/services.ts) as NetworkPolicy ports. */
const tcpPorts = (...services: readonly ServiceName[]): FlowPort[] =>
  services.flatMap((service) => SERVICES[service].tcp.map((port) => ({ port, protocol: "TCP" as const })));

/**
 * The namespace → namespace allows (everything else is denied by the baseline), one row per flow,
 * ports from the lab's one service table. `*` is every workload namespace present; a namespace never
 * gets a flow to itself, and a row whose end is absent yields nothing (compileFlows).
 *
 * | from | to | ports | why |
 * |---|---|---|---|
 * | response | siem | 9200/TCP | TheHive and Cortex read Wazuh alerts from the indexer |
 * | monitoring | siem | 9200/TCP | Vector reads Wazuh alerts from the indexer |
 * | every namespace | identity | 8443/TCP | OIDC with Keycloak |
 * | every namespace | monitoring | 3100/TCP | logs into Loki |
 * | monitoring | every namespace | 8080, 9000, 9187, 9200/TCP | Prometheus scrapes |
 */
export const PLATFORM_FLOW_TABLE: readonly FlowRule<LayerName>[] = [
  // The Wazuh manager is a VM (agents reach it on the servers VLAN, not through the cluster), so no
  // namespace sends 1514/1515 into siem; only the indexer's named consumers reach its API, each with
  // its own index-scoped user (components/siem/securityConfig.ts). The manager VM and the dashboard are
  // let in by the siem layer's own policies.
  {
    from: "response",
    to: "siem",
    ports: tcpPorts("opensearch"),
    why: "TheHive and Cortex read Wazuh alerts from the indexer",
  },
  {
    from: "monitoring",
    to: "siem",
    ports: tcpPorts("opensearch"),
    why: "Vector reads Wazuh alerts from the indexer",
  },
  {
    from: EVERY,
    to: "identity",
    // Keycloak over TLS: OIDC discovery, tokens, introspection.
    ports: tcpPorts("keycloak-https"),
    why: "OIDC with Keycloak",
  },
  {
    from: EVERY,
    to: "monitoring",
    // Loki's push API (Vector and agents ship logs to it).
    ports: tcpPorts("loki-push"),
    why: "logs into Loki",
  },
  {
    from: "monitoring",
    to: EVERY,
    // App /metrics (8080), Keycloak management (9000), PostgreSQL exporter (9187), OpenSearch (9200).
    ports: tcpPorts("http-alt", "keycloak-management", "postgres-exporter", "opensearch"),
    why: "Prometheus scrapes",
  },
];

/** The flows of PLATFORM_FLOW_TABLE among the layers present. */
export function platformFlows(layers: readonly LayerName[]): NamespaceFlow[] {
  return compileFlows(PLATFORM_FLOW_TABLE, layers, namespaceOf);
}

export function platformNamespaces(layers: readonly LayerName[]): NamespaceSpec[] {
  const namespaces = layers.map((layer): NamespaceSpec => ({
    name: namespaceOf(layer),
    layer,
    podSecurity: PRIVILEGED_LAYERS.has(layer)
      ? "privileged"
      : BASELINE_LAYERS.has(layer)
        ? "baseline"
        : "restricted",
  }));
  // The node exporter reads the k3s nodes themselves (hostNetwork, hostPID, hostPath): its own namespace.
  return layers.includes("monitoring")
    ? [...namespaces, { name: NODE_EXPORTER_NAMESPACE, layer: "monitoring", podSecurity: "privileged" }]
    : namespaces;
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
