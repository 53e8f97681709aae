/**
 * The Kubernetes baseline of the platform layer: a namespace per layer with Pod Security Admission
 * labels, default-deny NetworkPolicies with explicit namespace → namespace allows (and DNS), requests
 * and limits everywhere (LimitRange and ResourceQuota), an internal CA (made in the program, the CA
 * ClusterIssuer of cert-manager) and the storage classes (local-path with Retain, and NFS for
 * ReadWriteMany when asked).
 *
 * Besides the namespaces it is given, the baseline manages its own: `cert-manager`, and
 * `fortress-storage` when an NFS export is given. They get the same labels, policies and limits, plus
 * the one thing their controllers need: the Kubernetes API (and, for cert-manager's webhook, calls
 * from it). The API server runs on the nodes' host network, which no pod or namespace selector
 * matches, so those two allows are by port only.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { internalCa } from "./internalCa";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const BASELINE_TYPE = COMPONENT_TYPES.baseline;

export interface NamespaceSpec {
  readonly name: string;
  readonly layer: string;
  readonly podSecurity: "restricted" | "baseline" | "privileged";
}
export interface NamespaceFlow {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly { readonly port: number; readonly protocol: "TCP" | "UDP" }[];
}
export interface BaselineArgs {
  readonly namespaces: readonly NamespaceSpec[];
  /** Namespace → namespace allows; everything else is denied. */
  readonly flows: readonly NamespaceFlow[];
  readonly caCommonName: string;
  readonly rwx?: { readonly nfsServer: string; readonly nfsPath: string };
}

/** The Pod Security Standards version the labels pin: the minor of the pinned k3s release (platform.k3sVersion). */
export const POD_SECURITY_VERSION = "v1.35";

/** Pinned Helm charts. Re-check a version against the chart repository before changing it. */
export const CHARTS = {
  certManager: { chart: "cert-manager", version: "v1.19.4", repo: "https://charts.jetstack.io" },
  nfsProvisioner: {
    chart: "nfs-subdir-external-provisioner",
    version: "4.0.18",
    repo: "https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/",
  },
} as const;

export const CERT_MANAGER_NAMESPACE = "cert-manager";
export const STORAGE_NAMESPACE = "fortress-storage";
/** The only namespace a flow may name without managing it (k3s's Traefik ingress lives there). */
export const KUBE_SYSTEM = "kube-system";

export const CA_ISSUER = "fortress-ca";
export const CA_SECRET = "fortress-ca";

export const DEFAULT_STORAGE_CLASS = "fortress-local";
export const RWX_STORAGE_CLASS = "fortress-rwx";

/** Per container, when a pod does not say: requests and limits. */
export const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: "50m", memory: "64Mi" },
  default: { cpu: "500m", memory: "512Mi" },
} as const;

/** Per namespace: a ceiling sized for the largest layer of the lab (response: TheHive, Cassandra, Cortex). */
export const NAMESPACE_QUOTA = {
  "requests.cpu": "8",
  "requests.memory": "16Gi",
  "limits.cpu": "16",
  "limits.memory": "24Gi",
  pods: "50",
  persistentvolumeclaims: "20",
} as const;

/** The label Kubernetes sets on every namespace, which NetworkPolicies select namespaces by. */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const POD_SECURITY_LEVELS = new Set(["restricted", "baseline", "privileged"]);

const resources = (requests: { cpu: string; memory: string }, limits: { cpu: string; memory: string }) => ({
  requests,
  limits,
});

type Port = { readonly port: number; readonly protocol: "TCP" | "UDP" };

/** Flows merged per (from, to), ports deduplicated and sorted. */
function mergeFlows(flows: readonly NamespaceFlow[]): { from: string; to: string; ports: Port[] }[] {
  const merged = new Map<string, { from: string; to: string; ports: Map<string, Port> }>();
  for (const flow of flows) {
    const key = `${flow.from}\u0000${flow.to}`;
    const entry = merged.get(key) ?? { from: flow.from, to: flow.to, ports: new Map<string, Port>() };
    for (const port of flow.ports) {
      entry.ports.set(`${port.protocol}/${port.port}`, { port: port.port, protocol: port.protocol });
    }
    merged.set(key, entry);
  }
  return [...merged.values()]
    .map((entry) => ({
      from: entry.from,
      to: entry.to,
      ports: [...entry.ports.values()].sort(
        (a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol),
      ),
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

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
    const parent = { parent: this };

    const namespaces: Record<string, k8s.core.v1.Namespace> = {};
    /** Everything that must exist before a namespace is usable: its policies, limits and quota. */
    const guards: Record<string, pulumi.Resource[]> = {};
    for (const ns of managed) {
      const namespace = new k8s.core.v1.Namespace(
        `${name}-ns-${ns.name}`,
        {
          metadata: {
            name: ns.name,
            labels: {
              "app.kubernetes.io/managed-by": "fortress",
              "fortress/layer": ns.layer,
              "pod-security.kubernetes.io/enforce": ns.podSecurity,
              "pod-security.kubernetes.io/enforce-version": POD_SECURITY_VERSION,
              "pod-security.kubernetes.io/audit": ns.podSecurity,
              "pod-security.kubernetes.io/audit-version": POD_SECURITY_VERSION,
              "pod-security.kubernetes.io/warn": ns.podSecurity,
              "pod-security.kubernetes.io/warn-version": POD_SECURITY_VERSION,
            },
          },
        },
        parent,
      );
      namespaces[ns.name] = namespace;
      const metadataIn = (policyName: string) => ({ name: policyName, namespace: namespace.metadata.name });

      guards[ns.name] = [
        new k8s.networking.v1.NetworkPolicy(
          `${name}-deny-${ns.name}`,
          {
            metadata: metadataIn("fortress-default-deny"),
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
          },
          parent,
        ),
        new k8s.networking.v1.NetworkPolicy(
          `${name}-dns-${ns.name}`,
          {
            metadata: metadataIn("fortress-allow-dns"),
            spec: {
              podSelector: {},
              policyTypes: ["Egress"],
              egress: [
                {
                  to: [
                    {
                      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_SYSTEM } },
                      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    },
                  ],
                  ports: [
                    { port: 53, protocol: "UDP" },
                    { port: 53, protocol: "TCP" },
                  ],
                },
              ],
            },
          },
          parent,
        ),
        new k8s.core.v1.LimitRange(
          `${name}-limits-${ns.name}`,
          {
            metadata: metadataIn("fortress-limits"),
            spec: {
              limits: [
                {
                  type: "Container",
                  defaultRequest: { ...CONTAINER_DEFAULTS.defaultRequest },
                  default: { ...CONTAINER_DEFAULTS.default },
                },
              ],
            },
          },
          parent,
        ),
        new k8s.core.v1.ResourceQuota(
          `${name}-quota-${ns.name}`,
          { metadata: metadataIn("fortress-quota"), spec: { hard: { ...NAMESPACE_QUOTA } } },
          parent,
        ),
      ];
    }

    const selectNamespace = (ns: string) => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
      podSelector: {},
    });
    for (const flow of flows) {
      const ports = flow.ports.map((port) => ({ port: port.port, protocol: port.protocol }));
      const target = namespaces[flow.to];
      if (target) {
        guards[flow.to].push(
          new k8s.networking.v1.NetworkPolicy(
            `${name}-flow-${flow.from}-to-${flow.to}-ingress`,
            {
              metadata: { name: `fortress-allow-from-${flow.from}`, namespace: target.metadata.name },
              spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{ from: [selectNamespace(flow.from)], ports }],
              },
            },
            parent,
          ),
        );
      }
      const source = namespaces[flow.from];
      if (source) {
        guards[flow.from].push(
          new k8s.networking.v1.NetworkPolicy(
            `${name}-flow-${flow.from}-to-${flow.to}-egress`,
            {
              metadata: { name: `fortress-allow-to-${flow.to}`, namespace: source.metadata.name },
              spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [selectNamespace(flow.to)], ports }],
              },
            },
            parent,
          ),
        );
      }
    }

    // The controllers of the baseline's own namespaces talk to the API server (host network: by port).
    const apiServerEgress = (ns: string) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-apiserver-${ns}`,
        {
          metadata: { name: "fortress-allow-apiserver", namespace: namespaces[ns].metadata.name },
          spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
              {
                ports: [
                  { port: 443, protocol: "TCP" },
                  { port: 6443, protocol: "TCP" },
                ],
              },
            ],
          },
        },
        parent,
      );
    guards[CERT_MANAGER_NAMESPACE].push(
      apiServerEgress(CERT_MANAGER_NAMESPACE),
      new k8s.networking.v1.NetworkPolicy(
        `${name}-webhook-${CERT_MANAGER_NAMESPACE}`,
        {
          metadata: {
            name: "fortress-allow-webhook",
            namespace: namespaces[CERT_MANAGER_NAMESPACE].metadata.name,
          },
          spec: {
            podSelector: { matchLabels: { "app.kubernetes.io/component": "webhook" } },
            policyTypes: ["Ingress"],
            ingress: [{ ports: [{ port: 10250, protocol: "TCP" }] }],
          },
        },
        parent,
      ),
    );

    // cert-manager, then the CA chain: self-signed issuer → CA certificate → CA issuer.
    const certManager = new k8s.helm.v3.Release(
      `${name}-cert-manager`,
      {
        name: "cert-manager",
        chart: CHARTS.certManager.chart,
        version: CHARTS.certManager.version,
        repositoryOpts: { repo: CHARTS.certManager.repo },
        namespace: namespaces[CERT_MANAGER_NAMESPACE].metadata.name,
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
        maxHistory: 5,
        values: {
          crds: { enabled: true, keep: true },
          global: { leaderElection: { namespace: CERT_MANAGER_NAMESPACE } },
          replicaCount: 1,
          resources: resources({ cpu: "20m", memory: "96Mi" }, { cpu: "500m", memory: "256Mi" }),
          webhook: { resources: resources({ cpu: "10m", memory: "32Mi" }, { cpu: "200m", memory: "96Mi" }) },
          cainjector: {
            resources: resources({ cpu: "10m", memory: "64Mi" }, { cpu: "200m", memory: "256Mi" }),
          },
          startupapicheck: {
            resources: resources({ cpu: "10m", memory: "32Mi" }, { cpu: "100m", memory: "64Mi" }),
          },
        },
      },
      { parent: this, dependsOn: guards[CERT_MANAGER_NAMESPACE] },
    );

    // The CA is made in the program (internalCa.ts) and handed to cert-manager as the CA issuer's
    // Secret: a ClusterIssuer reads it from cert-manager's cluster resource namespace.
    const ca = internalCa(`${name}-ca`, args.caCommonName, this);
    const caSecret = new k8s.core.v1.Secret(
      `${name}-ca-secret`,
      {
        metadata: { name: CA_SECRET, namespace: namespaces[CERT_MANAGER_NAMESPACE].metadata.name },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": ca.certificatePem, "tls.key": ca.privateKeyPem },
      },
      { parent: this, dependsOn: guards[CERT_MANAGER_NAMESPACE] },
    );
    const caIssuer = new k8s.apiextensions.CustomResource(
      `${name}-ca-issuer`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: CA_ISSUER },
        spec: { ca: { secretName: CA_SECRET } },
      },
      { parent: this, dependsOn: [certManager, caSecret] },
    );

    // Storage: k3s's local-path provisioner behind a class that keeps the volume when its claim goes.
    // Fortress's claims name it; it is not marked default, since the cluster has its default already
    // (k3s's own `local-path`, manifests/local-storage.yaml, which k3s re-applies at every start, so
    // a patch would not stay: pkg/deploy/controller.go) and two defaults make claims ambiguous.
    const localClass = new k8s.storage.v1.StorageClass(
      `${name}-sc-local`,
      {
        metadata: { name: DEFAULT_STORAGE_CLASS },
        provisioner: "rancher.io/local-path",
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: false,
      },
      parent,
    );

    let nfs: k8s.helm.v3.Release | undefined;
    if (args.rwx) {
      guards[STORAGE_NAMESPACE].push(apiServerEgress(STORAGE_NAMESPACE));
      nfs = new k8s.helm.v3.Release(
        `${name}-nfs-provisioner`,
        {
          name: "nfs-provisioner",
          chart: CHARTS.nfsProvisioner.chart,
          version: CHARTS.nfsProvisioner.version,
          repositoryOpts: { repo: CHARTS.nfsProvisioner.repo },
          namespace: namespaces[STORAGE_NAMESPACE].metadata.name,
          createNamespace: false,
          atomic: true,
          cleanupOnFail: true,
          timeout: 300,
          maxHistory: 5,
          values: {
            nfs: { server: args.rwx.nfsServer, path: args.rwx.nfsPath },
            storageClass: {
              create: true,
              name: RWX_STORAGE_CLASS,
              defaultClass: false,
              reclaimPolicy: "Retain",
              onDelete: "retain",
              archiveOnDelete: true,
              accessModes: "ReadWriteMany",
              allowVolumeExpansion: true,
            },
            resources: resources({ cpu: "10m", memory: "32Mi" }, { cpu: "100m", memory: "128Mi" }),
          },
        },
        { parent: this, dependsOn: guards[STORAGE_NAMESPACE] },
      );
    }

    this.namespaces = namespaces;
    this.clusterIssuer = CA_ISSUER;
    this.caCertificatePem = ca.certificatePem;
    this.storageClasses = args.rwx
      ? { default: DEFAULT_STORAGE_CLASS, rwx: RWX_STORAGE_CLASS }
      : { default: DEFAULT_STORAGE_CLASS };
    this.registerOutputs({
      namespaces: Object.fromEntries(Object.entries(namespaces).map(([ns, r]) => [ns, r.metadata.name])),
      clusterIssuer: caIssuer.metadata.name,
      storageClasses: { default: localClass.metadata.name, ...(nfs ? { rwx: RWX_STORAGE_CLASS } : {}) },
      nfsProvisioner: nfs?.name ?? null,
    });
  }
}
