/**
 * The plan document written to plan.json. Its schema is documented in the README ("plan.json");
 * PLAN_VERSION changes when a field changes meaning.
 */
import { BLUEPRINT, EDGES, type LayerName } from "../blueprint";
import { type LayerStatus, layerStatus } from "../compose";
import type { NetworkConfig, PlainConfig } from "../config/schema";
import { type Enrollment, enrollmentPlan } from "../enrollment";
import { deriveVms } from "../inventory";
import type { ClusterNodeUsage } from "../clusterPlacement";
import type { LabModel } from "../lab";
import { profileOfConfig } from "../profiles";
import { capacityOf, type Resources } from "../placement";
import { type WorkedExampleHop, workedExampleHops } from "./workedExample";
import type { CapturedResource } from "./capture";
import { type CriticalPath, criticalPath } from "./criticalPath";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import type { K3sServerComponents } from "../../policies/rules/k3s-packaged-components";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import {
  assignLayers,
  duplicateUrnViolations,
  observedLayerEdges,
  type Violation,
} from "./graph";

export const PLAN_VERSION = 1;

export const VM_TYPE = SDK_TYPES.proxmoxVm;

export interface PlanResource extends CapturedResource {
  readonly layer: LayerName | null;
}

export interface PlanLayer {
  readonly name: LayerName;
  readonly status: LayerStatus;
  readonly dependsOn: readonly LayerName[];
  readonly resources: number;
}

export interface PlanEdge {
  readonly from: LayerName;
  readonly to: LayerName;
  /** True when at least one resource of `from` depends on one of `to`. */
  readonly observed: boolean;
}

export interface PlacedVmRow {
  readonly name: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly diskGb: number;
  readonly address: string | null;
  readonly vlan: number | null;
}

export interface NodePlacement {
  readonly node: string;
  readonly proxmoxNode: string;
  readonly capacity: Resources;
  readonly used: Resources;
  /** Per resource, percent of capacity left: (capacity - used) / capacity × 100. */
  readonly headroomPct: Resources;
  readonly vms: readonly PlacedVmRow[];
}

export interface ZoneCell {
  readonly from: string;
  readonly to: string;
  /** Service names, or ["all"]. */
  readonly services: readonly string[];
}

/** A flow Fortress derives (stacks/hostFlows.ts), read back from the Network component's inputs. */
export interface HostFlowCell {
  readonly from: string;
  readonly to: string;
  readonly host: string;
  readonly address: string;
  readonly services: readonly string[];
}

/** The scanner's reach Fortress derives (stacks/scanTargets.ts), read back from the Network component's inputs. */
export interface ScanFlowCell {
  readonly from: string;
  readonly host: string;
  readonly address: string;
  readonly to: string;
}

/**
 * A host that calls the firewall's own API (stacks/hostFlows.ts firewallApiClients: the Wazuh manager,
 * for containment), with the API's address and port, read back from the Network component's inputs.
 */
export interface FirewallApiClientCell {
  readonly from: string;
  readonly host: string;
  readonly address: string;
  readonly why: string;
  /** The API's address and TCP port (the host and port of fortress:opnsense.url). */
  readonly api: string;
  readonly port: number;
}

/** The lab's profile and what it decided (config/profile.ts), with the VM shapes it set. */
export interface PlanProfile {
  readonly name: string;
  readonly decisions: readonly { readonly path: string; readonly value: unknown }[];
}

export interface PlanDocument {
  /** Absent from plans written before profiles. */
  readonly profile?: PlanProfile;
  /** The k3s workloads on an existing cluster's declared nodes (platform.cluster). */
  readonly cluster?: readonly ClusterNodeUsage[];
  readonly version: number;
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlanResource[];
  readonly layers: readonly PlanLayer[];
  readonly edges: readonly PlanEdge[];
  readonly placement: readonly NodePlacement[];
  readonly networks: readonly NetworkConfig[];
  /** The zone matrix: for each source network, what it may reach (network, internet, firewall, any) and with which services. */
  readonly zones: readonly ZoneCell[];
  /**
   * The host flows Fortress derives beside the matrix (the agent zones' and quarantine's link to the
   * Wazuh manager's address), as the Network component records them. Absent from older plans.
   */
  readonly hostFlows?: readonly HostFlowCell[];
  /** The vulnerability scanner's flows: from its one address, every protocol, to each network it scans. */
  readonly scanFlows?: readonly ScanFlowCell[];
  /** The worked example's hops and the resources that configure each (workedExample.ts). */
  readonly workedExample?: readonly WorkedExampleHop[];
  /** The hosts that call the firewall's API: from one address, to the API's address and port alone. */
  readonly firewallApiClients?: readonly FirewallApiClientCell[];
  /**
   * Which VM enrolls as a Wazuh agent in which agent group (stacks/enrollment.ts): every VM of the
   * lab but the manager's, while wazuh-agent is enabled. A plan.json written before it existed has none.
   */
  readonly enrollment?: readonly Enrollment[];
  readonly violations: readonly Violation[];
  /**
   * Charts whose rendered objects the plan does not hold, so the pack judged their values: offline
   * every chart (mocks render nothing; a helm.v4 Chart's objects are judged one by one in a preview),
   * and helm.v3 Releases and k3s HelmCharts everywhere.
   */
  readonly chartsJudgedByValues?: readonly string[];
  /**
   * Per k3s server the plan installs, what k3s deploys there by itself (`running`: no resource of the
   * plan, reviewed in vocabulary/k3sComponents.ts) and what its config disables. Absent from plans
   * written before it.
   */
  readonly k3sPackagedComponents?: readonly K3sServerComponents[];
  /** yaml/v2 ConfigGroups whose `files` nothing reads offline: their objects were not judged. */
  readonly configGroupFilesNotJudged?: readonly string[];
  /**
   * The longest chain of resources through the dependency graph, by estimated create time
   * (criticalPath.ts, durations.ts). A plan.json written before it existed has none.
   */
  readonly criticalPath?: CriticalPath;
}

interface VmInputs {
  nodeName?: string;
  cpu?: { cores?: number };
  memory?: { dedicated?: number };
  disks?: { size?: number }[];
  networkDevices?: { vlanId?: number }[];
  initialization?: { ipConfigs?: { ipv4?: { address?: string } }[] };
}

/** What the registered VM resources ask of a node, read back from their inputs rather than from the model. */
function vmRow(resource: CapturedResource): PlacedVmRow & { proxmoxNode: string } {
  const inputs = resource.inputs as VmInputs;
  const address = inputs.initialization?.ipConfigs?.[0]?.ipv4?.address ?? null;
  return {
    name: resource.name,
    proxmoxNode: inputs.nodeName ?? "",
    cores: inputs.cpu?.cores ?? 0,
    memoryGb: (inputs.memory?.dedicated ?? 0) / 1024,
    diskGb: (inputs.disks ?? []).reduce((sum, disk) => sum + (disk.size ?? 0), 0),
    address: address?.split("/")[0] ?? null,
    vlan: inputs.networkDevices?.[0]?.vlanId ?? null,
  };
}

const pct = (capacity: number, used: number) =>
  capacity <= 0 ? 0 : Math.round(((capacity - used) / capacity) * 1000) / 10;

export function placementFromResources(
  resources: readonly CapturedResource[],
  config: PlainConfig,
): NodePlacement[] {
  const rows = resources.filter((resource) => resource.type === VM_TYPE).map(vmRow);
  return config.nodes.map((node) => {
    const vms = rows
      .filter((row) => row.proxmoxNode === node.proxmoxNode)
      .map(({ proxmoxNode: _, ...row }) => row);
    const capacity = capacityOf(node, config.lab);
    const used = vms.reduce<Resources>(
      (sum, vm) => ({
        cores: sum.cores + vm.cores,
        memoryGb: sum.memoryGb + vm.memoryGb,
        diskGb: sum.diskGb + vm.diskGb,
      }),
      { cores: 0, memoryGb: 0, diskGb: 0 },
    );
    return {
      node: node.name,
      proxmoxNode: node.proxmoxNode,
      capacity,
      used,
      headroomPct: {
        cores: pct(capacity.cores, used.cores),
        memoryGb: pct(capacity.memoryGb, used.memoryGb),
        diskGb: pct(capacity.diskGb, used.diskGb),
      },
      vms,
    };
  });
}

const isHostFlow = (value: unknown): value is HostFlowCell => {
  if (typeof value !== "object" || value === null) return false;
  const flow = value as Record<string, unknown>;
  return (
    ["from", "to", "host", "address"].every((key) => typeof flow[key] === "string") &&
    Array.isArray(flow.services) &&
    flow.services.every((service) => typeof service === "string")
  );
};

/** The host flows the Network components record in their inputs, in their order. */
export function hostFlowsFromResources(resources: readonly CapturedResource[]): HostFlowCell[] {
  return resources
    .filter((resource) => resource.type === COMPONENT_TYPES.network)
    .flatMap((resource) => {
      const flows = (resource.inputs as { hostFlows?: unknown } | undefined)?.hostFlows;
      return Array.isArray(flows) ? flows.filter(isHostFlow) : [];
    })
    .map(({ from, to, host, address, services }) => ({ from, to, host, address, services: [...services] }));
}

const isScanFlow = (value: unknown): value is ScanFlowCell =>
  typeof value === "object" &&
  value !== null &&
  ["from", "host", "address", "to"].every((key) => typeof (value as Record<string, unknown>)[key] === "string");

/** The scan flows the Network components record in their inputs, in their order. */
export function scanFlowsFromResources(resources: readonly CapturedResource[]): ScanFlowCell[] {
  return resources
    .filter((resource) => resource.type === COMPONENT_TYPES.network)
    .flatMap((resource) => {
      const flows = (resource.inputs as { scanFlows?: unknown } | undefined)?.scanFlows;
      return Array.isArray(flows) ? flows.filter(isScanFlow) : [];
    })
    .map(({ from, host, address, to }) => ({ from, host, address, to }));
}

/** The firewall API's clients the Network components record in their inputs, with the endpoint beside them. */
export function firewallApiClientsFromResources(
  resources: readonly CapturedResource[],
): FirewallApiClientCell[] {
  return resources
    .filter((resource) => resource.type === COMPONENT_TYPES.network)
    .flatMap((resource) => {
      const inputs = resource.inputs as { firewallApiClients?: unknown; firewallApi?: unknown } | undefined;
      const api = inputs?.firewallApi as { address?: unknown; port?: unknown } | undefined;
      if (!Array.isArray(inputs?.firewallApiClients) || typeof api?.address !== "string") return [];
      const port = Number(api.port);
      return inputs.firewallApiClients
        .filter(
          (client): client is Omit<FirewallApiClientCell, "api" | "port"> =>
            typeof client === "object" &&
            client !== null &&
            ["from", "host", "address", "why"].every(
              (key) => typeof (client as Record<string, unknown>)[key] === "string",
            ),
        )
        .map(({ from, host, address, why }) => ({ from, host, address, why, api: api.address as string, port }));
    });
}

/** What the profile decided: the door's decisions, and the VM shapes it gave roles the config did not size. */
export function profileDecisions(model: Pick<LabModel, "config" | "decisions" | "vms">): PlanProfile {
  const profile = profileOfConfig(model.config);
  const shapes = model.vms
    .filter((vm) => profile.shapes[vm.role.name] !== undefined)
    .filter((vm) => {
      const override = model.config.vms[vm.name] ?? {};
      return override.memoryGb === undefined && override.diskGb === undefined;
    })
    .map((vm) => ({ path: `vms.${vm.name}`, value: { ...vm.shape } }));
  // A workload whose service is off was sized for nothing: its values stay out of the list.
  const off = (path: string) => {
    const workload = /^workloads\.([^.]+)\./.exec(path)?.[1];
    const service = workload === "grafana" ? "prometheus" : workload;
    return service !== undefined && !(model.config.services as readonly string[]).includes(service);
  };
  const decisions = (model.decisions ?? []).filter((decision) => !off(decision.path));
  return { name: profile.name, decisions: [...decisions, ...shapes] };
}

export function buildPlanDocument(
  stack: string,
  project: string,
  captured: readonly CapturedResource[],
  config: PlainConfig,
  model?: Pick<LabModel, "decisions" | "vms" | "cluster">,
): PlanDocument {
  const layerOf = assignLayers(captured);
  const resources = captured.map((resource) => ({ ...resource, layer: layerOf.get(resource.urn) ?? null }));
  const observed = observedLayerEdges(captured, layerOf);
  const placement = placementFromResources(captured, config);
  return {
    ...(model ? { profile: profileDecisions({ ...model, config }) } : {}),
    ...(model?.cluster ? { cluster: model.cluster.usage } : {}),
    version: PLAN_VERSION,
    project,
    stack,
    resources,
    layers: BLUEPRINT.map((layer) => ({
      name: layer.name,
      status: layerStatus(config, layer.name),
      dependsOn: layer.dependsOn,
      resources: resources.filter((resource) => resource.layer === layer.name).length,
    })),
    edges: EDGES.map(([from, to]) => ({
      from,
      to,
      observed: observed.some((edge) => edge.from === from && edge.to === to),
    })),
    placement,
    networks: config.networks,
    zones: config.zones.map((entry) => ({
      from: entry.from,
      to: entry.to,
      services: entry.services === "all" ? ["all"] : [...entry.services],
    })),
    hostFlows: hostFlowsFromResources(captured),
    scanFlows: scanFlowsFromResources(captured),
    workedExample: workedExampleHops(captured, config),
    firewallApiClients: firewallApiClientsFromResources(captured),
    enrollment: enrollmentPlan(deriveVms(config), config.services),
    violations: [
      ...duplicateUrnViolations(captured),
    ],
    criticalPath: criticalPath(captured),
  };
}
