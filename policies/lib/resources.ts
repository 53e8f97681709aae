/** Reading resources as policies see them: type tokens, OPNsense item fields, the layer a resource is in. */
import type { PolicyResource } from "@pulumi/policy";
import { isLayerName, type LayerName } from "../../stacks/blueprint";
import { COMPONENT_TYPES, opnsenseType } from "../../vocabulary/typeTokens";
import { K8S_PACKAGE, k8sWorkloadTypes, SDK_TYPES } from "../../vocabulary/sdkTypes";

export const OPNSENSE = opnsenseType;
export const VM_TYPE = SDK_TYPES.proxmoxVm;

/** An OPNsense item's model fields (string values), or undefined for other resources. */
export function opnsenseFields(props: Record<string, unknown>): Record<string, string> | undefined {
  const fields = props.fields;
  return typeof fields === "object" && fields !== null ? (fields as Record<string, string>) : undefined;
}

/** `fortress:<layer>:<Name>` names a layer component. */
export function layerOfType(type: string): LayerName | undefined {
  const [namespace, layer] = type.split(":");
  return namespace === "fortress" && layer !== undefined && isLayerName(layer) ? layer : undefined;
}

/** The layer of a resource: its nearest ancestor that is a layer component (itself included). */
export function layerOf(resource: PolicyResource): LayerName | undefined {
  let current: PolicyResource | undefined = resource;
  for (let depth = 0; current && depth < 1000; depth++) {
    const layer = layerOfType(current.type);
    if (layer) return layer;
    current = current.parent;
  }
  return undefined;
}

/** The layer components and records the stack policies read. */
export const NETWORK_TYPE = COMPONENT_TYPES.network;
export const DNS_DHCP_TYPE = COMPONENT_TYPES.dnsDhcp;
export const HYPERVISOR_TYPE = COMPONENT_TYPES.hypervisor;
export const SERVICES_TYPE = COMPONENT_TYPES.services;

/** Resources grouped by type in one pass, so that a stack policy never scans the stack once per resource. */
export function resourcesByType(resources: readonly PolicyResource[]): Map<string, PolicyResource[]> {
  const byType = new Map<string, PolicyResource[]>();
  for (const resource of resources) {
    const group = byType.get(resource.type);
    if (group) group.push(resource);
    else byType.set(resource.type, [resource]);
  }
  return byType;
}

/** Proxmox's defaults for what a VM leaves out (cpu.cores, cpu.sockets, memory.dedicated, disks[].size). */
export const VM_DEFAULTS = { cores: 1, sockets: 1, memoryMb: 512, diskGb: 8 } as const;

/** What a VM asks of its node and of the network, read from its inputs. */
export interface VmFacts {
  /** The guest's name (`inputs.name`), else the resource's name. */
  readonly name: string;
  readonly nodeName: string | undefined;
  /** vCPUs: cores × sockets. */
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly diskGb: number;
  /** The first NIC's VLAN tag and MAC address. */
  readonly vlanId: number | undefined;
  readonly macAddress: string | undefined;
  readonly hasNic: boolean;
}

interface VmInputs {
  name?: string;
  nodeName?: string;
  cpu?: { cores?: number; sockets?: number };
  memory?: { dedicated?: number };
  disks?: { size?: number }[];
  networkDevices?: { vlanId?: number; macAddress?: string }[];
}

const numberOr = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);
const stringOr = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

export function vmFacts(resource: Pick<PolicyResource, "name" | "props">): VmFacts {
  const inputs = resource.props as VmInputs;
  const nic = inputs.networkDevices?.[0];
  return {
    name: stringOr(inputs.name) ?? resource.name,
    nodeName: stringOr(inputs.nodeName),
    vcpus:
      numberOr(inputs.cpu?.cores, VM_DEFAULTS.cores) * numberOr(inputs.cpu?.sockets, VM_DEFAULTS.sockets),
    memoryMb: numberOr(inputs.memory?.dedicated, VM_DEFAULTS.memoryMb),
    diskGb: (inputs.disks ?? []).reduce((sum, disk) => sum + numberOr(disk.size, VM_DEFAULTS.diskGb), 0),
    vlanId: typeof nic?.vlanId === "number" ? nic.vlanId : undefined,
    macAddress: stringOr(nic?.macAddress),
    hasNic: nic !== undefined,
  };
}

/** How the offline capture writes a secret-marked input value (`pulumi preview` unwraps secrets instead). */
export const REDACTED = "[secret]";
/** A file on a Proxmox datastore: cloud-init snippets (`contentType: "snippets"`, `sourceRaw.data`) among them. */
export const FILE_TYPE = SDK_TYPES.proxmoxFile;

/** A network as the Network component records it in its inputs. */
export interface NetworkRecord {
  readonly name: string;
  readonly vlan: number;
  readonly cidr: string;
  readonly gateway: string;
  readonly purpose: string;
  /** The OPNsense interface (`lan`, `opt1`, …) the network's rules sit on. */
  readonly interface: string;
}

/** Every network recorded by the stack's Network components. */
export function networksOf(resources: readonly PolicyResource[]): NetworkRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((resource) => {
      const networks = resource.props.networks;
      return Array.isArray(networks)
        ? networks.filter(
            (network): network is NetworkRecord =>
              typeof network === "object" && network !== null && typeof network.name === "string",
          )
        : [];
    });
}

/** An OPNsense filter rule with its fields and the interfaces it sits on (floating rules name several). */
export interface OpnsenseRule {
  readonly resource: PolicyResource;
  readonly fields: Record<string, string>;
  readonly interfaces: readonly string[];
  readonly enabled: boolean;
  /** Its place in the rule order (lowest is evaluated first), or undefined when not a number. */
  readonly sequence: number | undefined;
}

export function opnsenseRules(resources: readonly PolicyResource[]): OpnsenseRule[] {
  return resources.flatMap((resource) => {
    if (resource.type !== OPNSENSE("rule")) return [];
    const fields = opnsenseFields(resource.props);
    if (!fields) return [];
    const sequence = /^\d+$/.test(String(fields.sequence ?? "").trim()) ? Number(fields.sequence) : undefined;
    return [
      {
        resource,
        fields,
        interfaces: String(fields.interface ?? "")
          .split(",")
          .map((name) => name.trim())
          .filter((name) => name !== ""),
        enabled: String(fields.enabled ?? "1") !== "0",
        sequence,
      },
    ];
  });
}

/**
 * Visits every value under `value`, depth first, with the key it sits under and the path to it.
 * Skips `__provider` (a dynamic resource's serialized provider code, not configuration).
 */
export function walkInputs(
  value: unknown,
  visit: (key: string, value: unknown, path: readonly string[], parent: unknown) => void,
  path: readonly string[] = [],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const itemPath = [...path, String(index)];
      visit(path.at(-1) ?? "", item, itemPath, value);
      walkInputs(item, visit, itemPath);
    });
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === "__provider") continue;
    const itemPath = [...path, key];
    visit(key, item, itemPath, value);
    walkInputs(item, visit, itemPath);
  }
}

/** Whether the resources come from the offline capture, where secret values read REDACTED. */
export function isRedactedPlan(resources: readonly PolicyResource[]): boolean {
  return resources.some((resource) => {
    let found = false;
    const provider = resource.props.__provider;
    if (typeof provider === "string" && provider.startsWith("[dynamic provider ")) return true;
    walkInputs(resource.props, (_key, value) => {
      if (value === REDACTED) found = true;
    });
    return found;
  });
}

/** Whether `resource` depends on `target`, directly or through one of its inputs. */
export function dependsOnResource(resource: PolicyResource, target: PolicyResource): boolean {
  return [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()].some(
    (dependency) => dependency.urn === target.urn,
  );
}

/** Kubernetes objects as @pulumi/kubernetes registers them: `kubernetes:<group>/<version>:<Kind>`. */
export const K8S_NAMESPACE_TYPE = SDK_TYPES.k8sNamespace;
export const K8S_SERVICE_TYPE = SDK_TYPES.k8sService;
export const K8S_NETWORK_POLICY_TYPE = SDK_TYPES.k8sNetworkPolicy;
/** Values the offline capture writes for an input it cannot know (an unresolved output) or may not show. */
const OPAQUE_VALUES = new Set(["[unknown]", REDACTED]);

/** Where each workload kind keeps its pod spec, by the kind's name (any API version of its group). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};
/** Every workload type of the SDK (any API version, patches too), by token. */
const WORKLOAD_TYPES = k8sWorkloadTypes(Object.keys(POD_SPEC_PATHS));

/** The Kubernetes kind of a type token (`kubernetes:apps/v1:Deployment` → `Deployment`), else undefined. */
export function k8sKindOf(type: string): string | undefined {
  if (!type.startsWith(`${K8S_PACKAGE}:`)) return undefined;
  const kind = type.slice(type.lastIndexOf(":") + 1);
  return kind === "" ? undefined : kind;
}

/** A string input the capture knows, or undefined when absent, empty, unknown or secret. */
export function knownString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && !OPAQUE_VALUES.has(value) ? value : undefined;
}

export interface K8sObjectRef {
  /** `Deployment`, `Service`, … (`DeploymentPatch` for a patch). */
  readonly kind: string;
  /** `metadata.name`, else the resource's Pulumi name (the provider then auto-names `<name>-<suffix>`). */
  readonly name: string;
  /** `metadata.namespace` when the inputs say it, else undefined (the provider's default namespace). */
  readonly namespace: string | undefined;
  /** How messages name the namespace: `fortress-identity`, or what leaving it out means. */
  readonly namespaceLabel: string;
}

/** The object's kind, name and namespace as messages name them. */
export function k8sObjectOf(resource: {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}): K8sObjectRef {
  const metadata = (resource.props.metadata ?? {}) as Record<string, unknown>;
  const namespace = knownString(metadata.namespace);
  const raw = metadata.namespace;
  return {
    kind: k8sKindOf(resource.type) ?? resource.type,
    name: knownString(metadata.name) ?? resource.name,
    namespace,
    namespaceLabel:
      namespace ??
      (raw === undefined || raw === "" || raw === null
        ? "default (metadata.namespace unset, so the provider's default)"
        : "unknown (metadata.namespace is not known at plan time)"),
  };
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** A pod spec found in a resource's inputs, with the dotted path to it. */
export interface PodSpecAt {
  readonly path: string;
  readonly spec: Record<string, unknown>;
}

/**
 * The pod specs of a Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * Job or CronJob (any API version); `{ patches: true }` also reads their server-side `…Patch` resources,
 * whose specs are partial. Empty for every other resource.
 */
export function podSpecsOf(
  resource: { readonly type: string; readonly props: Record<string, unknown> },
  options: { readonly patches?: boolean } = {},
): PodSpecAt[] {
  const workload = WORKLOAD_TYPES.get(resource.type);
  if (!workload || (workload.patch && !options.patches)) return [];
  const path = POD_SPEC_PATHS[workload.kind];
  if (!path) return [];
  let node: unknown = resource.props;
  for (const key of path) node = asRecord(node)?.[key];
  const spec = asRecord(node);
  return spec ? [{ path: path.join("."), spec }] : [];
}

/** A container of a pod spec: which list it is in, its name, and its settings. */
export interface ContainerAt {
  readonly list: "containers" | "initContainers" | "ephemeralContainers";
  readonly name: string;
  readonly container: Record<string, unknown>;
}

/** The containers of a pod spec, init and ephemeral containers included. */
export function containersOf(spec: Record<string, unknown>): ContainerAt[] {
  return (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((list) => {
    const items = spec[list];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item, index) => {
      const container = asRecord(item);
      return container ? [{ list, name: knownString(container.name) ?? `${list}[${index}]`, container }] : [];
    });
  });
}

/** The policy's `allowedNamespaces` setting, else `fallback`. */
export function allowedNamespacesOf(
  config: { allowedNamespaces?: unknown },
  fallback: readonly string[],
): Set<string> {
  return new Set(
    (Array.isArray(config.allowedNamespaces) ? config.allowedNamespaces : fallback).map((name) =>
      String(name),
    ),
  );
}

/** Namespaces whose pods may use the host (network sensors capturing on the node's NICs). */
export const DEFAULT_PRIVILEGED_NAMESPACES = ["fortress-sensors"];

export interface WorkloadToJudge {
  readonly podSpecs: PodSpecAt[];
  /** "Deployment keycloak in namespace fortress-identity", for messages. */
  readonly who: string;
  readonly allowed: ReadonlySet<string>;
}

/**
 * A workload's pod specs and its name for messages, or undefined when it has no pod spec or sits in
 * a namespace of the policy's `allowedNamespaces`.
 */
export function workloadToJudge(
  args: {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly name: string;
    getConfig<T extends object>(): T;
  },
  options: { readonly patches?: boolean } = {},
): WorkloadToJudge | undefined {
  const podSpecs = podSpecsOf(args, options);
  if (podSpecs.length === 0) return undefined;
  const allowed = allowedNamespacesOf(
    args.getConfig<{ allowedNamespaces?: unknown }>(),
    DEFAULT_PRIVILEGED_NAMESPACES,
  );
  const object = k8sObjectOf(args);
  if (object.namespace !== undefined && allowed.has(object.namespace)) return undefined;
  return { podSpecs, who: `${object.kind} ${object.name} in namespace ${object.namespaceLabel}`, allowed };
}
