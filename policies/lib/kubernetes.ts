/** Reading Kubernetes objects as policies see them: kind, name and namespace, pod specs, containers. */
import { K8S_PACKAGE, k8sWorkloadTypes } from "../../vocabulary/sdkTypes";
import { knownString } from "./inputs";

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

/**
 * Namespaces that may enforce the `privileged` Pod Security level: those above, and the node exporter's
 * (components/monitoring/pins.ts NODE_EXPORTER_NAMESPACE), whose DaemonSet needs hostNetwork, hostPID
 * and hostPath to admission. Its pods are still judged one by one: `k8s-no-privileged` lets the node
 * exporter's DaemonSet alone use the host there (policies/lib/nodeExporter.ts).
 */
export const DEFAULT_PRIVILEGED_POD_SECURITY_NAMESPACES = [
  ...DEFAULT_PRIVILEGED_NAMESPACES,
  "fortress-node-exporter",
];

/**
 * Namespaces that may enforce `baseline` (never `privileged`), and why: the response layer's, where
 * Cortex's Kubernetes runner gives neuron Jobs a pod-level securityContext only
 * (TheHive-Project/Cortex@4.1.0 K8sJobRunnerSrv) and the published neuron images run as root.
 */
export const DEFAULT_BASELINE_NAMESPACES: Readonly<Record<string, string>> = {
  "fortress-response":
    "Cortex starts analyzer and responder Jobs with a pod-level securityContext only, and the published neuron images run as root",
  // components/platform/storage.ts; Kubernetes' Pod Security Standards list nfs among the volume types
  // baseline allows and restricted does not (restricted allows configMap, csi, downwardAPI, emptyDir,
  // ephemeral, persistentVolumeClaim, projected and secret only).
  "fortress-storage":
    "the NFS subdir provisioner (platform.rwx) mounts the export as an nfs volume, which restricted forbids",
};

/** The `allowedNamespaces` setting of the pod policies: who may use the host, and why (the description). */
export function allowedNamespacesSetting(
  description: string,
  defaults: readonly string[] = DEFAULT_PRIVILEGED_NAMESPACES,
) {
  return {
    type: "array" as const,
    items: { type: "string" as const },
    default: [...defaults],
    description,
  };
}

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
