/**
 * The Kubernetes baseline of the platform layer: a namespace per layer with Pod Security Admission
 * labels, default-deny NetworkPolicies with explicit namespace → namespace allows (and DNS), requests
 * and limits everywhere (LimitRange and ResourceQuota) (namespaces.ts), an internal CA (made in the
 * program, the CA ClusterIssuer of cert-manager: certManager.ts) and the storage classes (local-path
 * with Retain, and NFS for ReadWriteMany when asked: storage.ts).
 *
 * Besides the namespaces it is given, the baseline manages its own: `cert-manager`, and
 * `fortress-storage` when an NFS export is given. They get the same labels, policies and limits, plus
 * the one thing their controllers need: the Kubernetes API (and, for cert-manager's webhook, calls
 * from it). Every resource is a direct child of the Baseline component.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mergeFlows, type NamespaceFlow } from "../kubernetes/flows";
import { KUBE_SYSTEM } from "../kubernetes/networkPolicy";
import type { InternalCa } from "./internalCa";
import { CERT_MANAGER_CHART, CERT_MANAGER_NAMESPACE, CA_ISSUER, certManagerWithCa } from "./certManager";
import { type FencedNamespace, fencedNamespace, flowPolicies, type NamespaceSpec } from "./namespaces";
import {
  DEFAULT_STORAGE_CLASS,
  localStorageClass,
  type NfsExport,
  NFS_PROVISIONER_CHART,
  nfsProvisioner,
  RWX_STORAGE_CLASS,
  NFS_PROVISIONER_RELEASE,
  STORAGE_NAMESPACE,
} from "./storage";

export type { NamespaceFlow } from "../kubernetes/flows";
export { KUBE_SYSTEM } from "../kubernetes/networkPolicy";
export { CA_ISSUER, CA_SECRET, CERT_MANAGER_NAMESPACE } from "./certManager";
export { CONTAINER_DEFAULTS, NAMESPACE_QUOTA, type NamespaceSpec, POD_SECURITY_VERSION } from "./namespaces";
export { DEFAULT_STORAGE_CLASS, RWX_STORAGE_CLASS, STORAGE_NAMESPACE } from "./storage";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const BASELINE_TYPE = COMPONENT_TYPES.baseline;

export interface BaselineArgs {
  readonly namespaces: readonly NamespaceSpec[];
  /** Namespace → namespace allows; everything else is denied. */
  readonly flows: readonly NamespaceFlow[];
  readonly caCommonName: string;
  readonly rwx?: NfsExport;
}

/** Pinned Helm charts. Re-check a version against the chart repository before changing it. */
export const CHARTS = { certManager: CERT_MANAGER_CHART, nfsProvisioner: NFS_PROVISIONER_CHART } as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const POD_SECURITY_LEVELS = new Set(["restricted", "baseline", "privileged"]);

/** Every problem with the args, as one error; nothing is registered when there is one. */
function validate(args: BaselineArgs, managed: readonly NamespaceSpec[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const ns of args.namespaces) {
    if (!DNS_LABEL.test(ns.name)) problems.push(`namespace "${ns.name}" is not a DNS label`);
    if (ns.name === CERT_MANAGER_NAMESPACE || ns.name === STORAGE_NAMESPACE || ns.name === KUBE_SYSTEM) {
      problems.push(`namespace "${ns.name}" is reserved for the baseline or the cluster`);
    }
    if (seen.has(ns.name)) problems.push(`namespace "${ns.name}" is declared twice`);
    seen.add(ns.name);
    if (!POD_SECURITY_LEVELS.has(ns.podSecurity)) {
      problems.push(`namespace "${ns.name}": unknown pod security level "${ns.podSecurity}"`);
    }
  }
  const known = new Set([...managed.map((ns) => ns.name), KUBE_SYSTEM]);
  for (const flow of args.flows) {
    const label = `flow ${flow.from} → ${flow.to}`;
    for (const end of [flow.from, flow.to]) {
      if (!known.has(end))
        problems.push(`${label}: "${end}" is not a managed namespace (nor ${KUBE_SYSTEM})`);
    }
    if (flow.from === KUBE_SYSTEM && flow.to === KUBE_SYSTEM) problems.push(`${label}: not managed here`);
    if (flow.ports.length === 0) problems.push(`${label}: no ports (a flow must name its ports)`);
    for (const port of flow.ports) {
      if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) {
        problems.push(`${label}: port ${port.port} is not in 1-65535`);
      }
      if (port.protocol !== "TCP" && port.protocol !== "UDP") {
        problems.push(`${label}: protocol "${String(port.protocol)}" is not TCP or UDP`);
      }
    }
  }
  if (args.caCommonName.trim() === "") problems.push("caCommonName is empty");
  if (args.rwx && (args.rwx.nfsServer.trim() === "" || !args.rwx.nfsPath.startsWith("/"))) {
    problems.push("rwx: nfsServer must be set and nfsPath must be absolute");
  }
  if (problems.length > 0) throw new Error(`Kubernetes baseline: ${problems.join("; ")}`);
}

export class Baseline extends pulumi.ComponentResource {
  /** Every namespace the baseline manages, by name: the ones asked for, cert-manager and (with rwx) storage. */
  readonly namespaces: Readonly<Record<string, k8s.core.v1.Namespace>>;
  /** Name of the internal CA ClusterIssuer. */
  readonly clusterIssuer: string;
  readonly storageClasses: { readonly default: string; readonly rwx?: string };
  /** The internal CA's certificate (PEM, public): what nodes, browsers and the Pulumi host trust. */
  readonly caCertificatePem: pulumi.Output<string>;
  /**
   * The internal CA with its key (secret), for what Fortress signs outside the cluster with @pulumi/tls:
   * the Wazuh manager's API and enrollment certificate on its VM.
   */
  readonly ca: InternalCa;

  constructor(name: string, args: BaselineArgs, opts: pulumi.ComponentResourceOptions) {
    const system: NamespaceSpec[] = [
      { name: CERT_MANAGER_NAMESPACE, layer: "platform", podSecurity: "restricted" },
      // The NFS provisioner mounts the export as an `nfs` volume, which `restricted` forbids.
      ...(args.rwx ? [{ name: STORAGE_NAMESPACE, layer: "platform", podSecurity: "baseline" as const }] : []),
    ];
    const managed = [...args.namespaces, ...system];
    validate(args, managed);
    const flows = mergeFlows(args.flows);

    // Recorded in the state (plain, no secret) so that the policy pack can read the allow-list.
    super(
      BASELINE_TYPE,
      name,
      {
        namespaces: managed.map((ns) => ({ name: ns.name, layer: ns.layer, podSecurity: ns.podSecurity })),
        flows: flows.map((flow) => ({
          from: flow.from,
          to: flow.to,
          ports: flow.ports.map((p) => ({ ...p })),
        })),
        caCommonName: args.caCommonName,
        rwx: args.rwx ? { nfsServer: args.rwx.nfsServer, nfsPath: args.rwx.nfsPath } : null,
      },
      opts,
    );

    const fenced: Record<string, FencedNamespace> = {};
    for (const ns of managed) fenced[ns.name] = fencedNamespace(name, ns, this);
    flowPolicies(name, flows, fenced, this);
    const ca = certManagerWithCa(name, args.caCommonName, fenced[CERT_MANAGER_NAMESPACE], this);
    const localClass = localStorageClass(name, this);
    const nfs = args.rwx ? nfsProvisioner(name, args.rwx, fenced[STORAGE_NAMESPACE], this) : undefined;

    const namespaces = Object.fromEntries(Object.entries(fenced).map(([ns, f]) => [ns, f.namespace]));
    this.namespaces = namespaces;
    this.clusterIssuer = CA_ISSUER;
    this.caCertificatePem = ca.caCertificatePem;
    this.ca = ca.ca;
    this.storageClasses = args.rwx
      ? { default: DEFAULT_STORAGE_CLASS, rwx: RWX_STORAGE_CLASS }
      : { default: DEFAULT_STORAGE_CLASS };
    this.registerOutputs({
      namespaces: Object.fromEntries(Object.entries(namespaces).map(([ns, r]) => [ns, r.metadata.name])),
      clusterIssuer: ca.clusterIssuer.metadata.name,
      storageClasses: { default: localClass.metadata.name, ...(nfs ? { rwx: RWX_STORAGE_CLASS } : {}) },
      nfsProvisioner: nfs ? NFS_PROVISIONER_RELEASE : null,
    });
  }
}
