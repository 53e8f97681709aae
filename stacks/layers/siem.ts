/**
 * Maps the lab model onto the siem layer: the Wazuh indexer on the indexer pool and the dashboard
 * behind the ingress, signed in through the identity layer's Keycloak. The manager VM
 * (components/siem/manager/) joins beside them when the catalog plans it: then its planned address
 * opens the indexer to its Filebeat.
 */
import { POOL_LABEL } from "../../components/platform/k3sConfig";
import { ADMIN_GROUP, DEFAULT_GROUP } from "../../components/identity/realm";
import { Siem } from "../../components/siem/siem";
import { INGRESS, k3sAgents, namespaceOf, poolHosts } from "../cluster";
import { identityHostnames } from "../hostnames";
import type { LabModel, PlannedVm } from "../lab";
import { MANAGER_ROLE } from "../enrollment";
import { indexerShippers, routeTarget } from "../hostFlows";
import { containsHosts, managerResponse } from "../managerResponse";
import { workloadsOf } from "../profiles";
import type { HypervisorVmOutputs } from "../../components/hypervisor/hypervisor";
import type { LayerBuild } from "./types";
import { snapshotBackup } from "./backup";

/**
 * What the indexer's disk holds. The data claim is the profile's `storageGb`
 * (`fortress:workloads.wazuh-indexer`); the snapshot repository's claim keeps the proportion it had
 * on the indexer VM's data disk (catalog `k3s-indexer`, 300 GB in the home lab: 65 % data, 25 %
 * snapshots, a tenth free for the node). The ingest estimate is the seed lab's (a dozen agents,
 * OPNsense and Suricata): 2 GB indexed a day.
 */
export const SIEM_SIZING = {
  dataShare: 0.65,
  snapshotShare: 0.25,
  ingestGbPerDay: 2,
  maxRetentionDays: 90,
} as const;

/** The indexer's size from the profile (or its overrides): nodes, memory and heap in MiB, claims in GiB. */
export function indexerSize(config: Parameters<typeof workloadsOf>[0]): {
  replicas: number;
  memoryMib: number;
  heapMib: number;
  dataGi: number;
  snapshotGi: number;
} {
  const size = workloadsOf(config)["wazuh-indexer"];
  if (size.storageGb === undefined || size.heapGb === undefined)
    throw new Error("fortress:workloads.wazuh-indexer needs storageGb and heapGb");
  const disk = Math.round(size.storageGb / SIEM_SIZING.dataShare);
  return {
    replicas: size.replicas,
    memoryMib: Math.round(size.memoryGb * 1024),
    heapMib: Math.round(size.heapGb * 1024),
    dataGi: Math.floor(size.storageGb),
    snapshotGi: Math.floor(disk * SIEM_SIZING.snapshotShare),
  };
}

interface PlannedManager {
  readonly vm: PlannedVm;
  readonly indexerNodeAddress: string;
  /** The address is the existing cluster's load balancer's for the indexer's route (hostFlows.ts routeTarget). */
  readonly loadBalancer: boolean;
}

/** The manager's planned VM and where it reaches the indexer, when both are planned. */
function plannedManager(lab: LabModel): PlannedManager | undefined {
  const manager = lab.vms.find((vm) => vm.role.name === MANAGER_ROLE);
  const route = routeTarget(lab, "indexer");
  return manager && route
    ? { vm: manager, indexerNodeAddress: route.address, loadBalancer: route.loadBalancer }
    : undefined;
}

/** The addresses Cortex's containment responder logs from, while the lab runs it. */
function responderSources(lab: LabModel): string[] {
  if (!containsHosts(lab) || !lab.config.services.includes("cortex")) return [];
  return poolHosts(lab.vms, "general").map((vm) => vm.ip);
}

export const buildSiem: LayerBuild<"siem", "platform" | "identity" | "hypervisor"> = (inputs, opts) => {
  const { lab, secrets } = inputs;
  const { platform, identity, hypervisor } = inputs.upstream;
  if (!platform.baseline)
    throw new Error("internal: the siem layer is built without the platform's baseline");
  const { baseline } = platform;
  const namespace = namespaceOf("siem");
  if (!baseline.namespaces[namespace])
    throw new Error(`internal: the platform baseline has no namespace ${namespace}`);
  const services = new Set<string>(lab.config.services);
  for (const service of ["wazuh-indexer", "wazuh-dashboard"])
    if (!services.has(service))
      throw new Error(
        `the siem layer runs the Wazuh indexer and dashboard: enable ${service} in fortress:services`,
      );
  const clientSecret = identity.clientSecrets["wazuh-dashboard"];
  const clientId = identity.clientIds["wazuh-dashboard"];
  const oidc =
    identity.issuerUrl && clientSecret && clientId
      ? {
          issuerUrl: identity.issuerUrl,
          clientId,
          clientSecret,
          adminGroup: ADMIN_GROUP,
          userGroup: DEFAULT_GROUP,
          namespaces: [namespaceOf("identity"), INGRESS.namespace],
        }
      : undefined;
  const manager = plannedManager(lab);
  const response = managerResponse(lab);
  const managerArgs = (planned: PlannedManager, machine: HypervisorVmOutputs | undefined) => {
    if (!machine) throw new Error(`internal: the hypervisor layer has no VM ${planned.vm.name}`);
    return {
      host: {
        name: planned.vm.name,
        address: planned.vm.ip,
        fqdn: planned.vm.fqdn,
        hostKey: machine.hostKey,
        user: lab.config.lab.adminUser,
        privateKey: secrets.sshPrivateKey,
      },
      indexerNodeAddress: planned.indexerNodeAddress,
      // The shippers (Vector on the Zeek and Greenbone VMs) use the same route as the manager's Filebeat:
      // its Service and NetworkPolicy admit each one's /32 (components/siem/indexerRoute.ts).
      indexerSources: indexerShippers(lab).map((vm) => vm.ip),
      ...(planned.loadBalancer ? { loadBalancer: true } : {}),
      ca: baseline.ca,
      // OPNsense's address on the manager's VLAN: its syslog leaves from there.
      // With Cortex's containment responder, also the general k3s agents Cortex runs on: it logs
      // every action to the manager's syslog (only Cortex may send it: the response namespace's policy).
      syslogSources: [planned.vm.networkConfig.gateway, ...responderSources(lab)],
      ...(response ? { response } : {}),
    };
  };
  const k3s = lab.config.platform.mode === "k3s";
  const indexerPool = k3s ? k3sAgents(lab).filter((vm) => vm.pool === "indexer") : [];
  const size = indexerSize(lab.config);
  // A cluster's pods each need a node of their own (required anti-affinity): on the indexer pool, as many agents.
  if (size.replicas > 1 && indexerPool.length > 0 && indexerPool.length < size.replicas)
    throw new Error(
      `fortress:workloads.wazuh-indexer asks for ${size.replicas} indexer nodes, but the indexer pool has ${indexerPool.length} k3s agent(s): one pod per node`,
    );
  const siem = new Siem(
    "siem",
    {
      namespace,
      clusterIssuer: baseline.clusterIssuer,
      caCertificatePem: baseline.caCertificatePem,
      storageClass: baseline.storageClasses.default,
      snapshotStorageClass: baseline.storageClasses.rwx ?? baseline.storageClasses.default,
      snapshotShared: baseline.storageClasses.rwx !== undefined,
      ingressClassName: INGRESS.className,
      ingressNamespace: INGRESS.namespace,
      dashboardHostname: identityHostnames(lab).wazuhDashboard,
      // An existing cluster has no Fortress pools: the indexer goes where the scheduler puts it.
      // Nor has a lab whose servers run the workloads (the minimal profile).
      indexerNodeSelector: indexerPool.length > 0 ? { [POOL_LABEL]: "indexer" } : {},
      indexer: {
        ...size,
        // Fortress sets vm.max_map_count on its own k3s VMs (catalog.ts), not on an existing cluster's nodes.
        ...(lab.config.platform.mode === "existing" ? { mmap: false } : {}),
        ingestGbPerDay: SIEM_SIZING.ingestGbPerDay,
        maxRetentionDays: SIEM_SIZING.maxRetentionDays,
      },
      ...(oidc ? { oidc } : {}),
      // TheHive and Cortex (response), Vector (monitoring) read alerts from their own namespaces.
      consumerNamespaces: [namespaceOf("response"), namespaceOf("monitoring")],
      ...(manager ? { manager: managerArgs(manager, hypervisor.vms[manager.vm.name]) } : {}),
    },
    { ...opts, providers: { kubernetes: platform.provider } },
  );
  snapshotBackup(lab, secrets, namespace, { parent: siem, providers: { kubernetes: platform.provider } });
  return siem;
};
