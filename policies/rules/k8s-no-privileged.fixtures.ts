import { type BuildOptions, layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";

/** Kubernetes objects as @pulumi/kubernetes registers them, shared by the k8s-* fixtures and tests. */
export const K8S = {
  namespace: SDK_TYPES.k8sNamespace,
  pod: pulumiTypeOf(k8s.core.v1.Pod),
  service: SDK_TYPES.k8sService,
  deployment: pulumiTypeOf(k8s.apps.v1.Deployment),
  statefulSet: pulumiTypeOf(k8s.apps.v1.StatefulSet),
  daemonSet: pulumiTypeOf(k8s.apps.v1.DaemonSet),
  job: pulumiTypeOf(k8s.batch.v1.Job),
  cronJob: pulumiTypeOf(k8s.batch.v1.CronJob),
  networkPolicy: SDK_TYPES.k8sNetworkPolicy,
  helmRelease: SDK_TYPES.helmReleaseV3,
} as const;

type Inputs = Record<string, unknown>;

export const k8sNamespace = (name: string | undefined, labels: Inputs = {}, options: BuildOptions = {}) =>
  planResource(
    K8S.namespace,
    name ?? "unnamed",
    { metadata: { ...(name === undefined ? {} : { name }), labels } },
    options,
  );

/** Denies all ingress and egress to every pod of the namespace. */
export const defaultDeny = (namespace: string, options: BuildOptions = {}) =>
  planResource(
    K8S.networkPolicy,
    `${namespace}-default-deny`,
    {
      metadata: { name: "default-deny", namespace },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    options,
  );

/** A container that passes the restricted Pod Security profile, with requests and limits. */
export const restrictedContainer = (name: string, image: string, overrides: Inputs = {}): Inputs => ({
  name,
  image,
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
  },
  resources: {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { cpu: "1", memory: "1Gi" },
  },
  ...overrides,
});

export const RESTRICTED_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 1000,
  fsGroup: 1000,
  seccompProfile: { type: "RuntimeDefault" },
};

/** A workload of `type` whose pod template has `podSpec`, at the path that kind keeps it. */
export function workload(
  type: string,
  name: string,
  namespace: string | undefined,
  podSpec: Inputs,
  options: BuildOptions = {},
): PlanResource {
  const metadata = { name, ...(namespace === undefined ? {} : { namespace }) };
  const template = { metadata: { labels: { app: name } }, spec: podSpec };
  const spec =
    type === K8S.pod
      ? podSpec
      : type === K8S.cronJob
        ? { schedule: "0 3 * * *", jobTemplate: { spec: { template } } }
        : type === K8S.job
          ? { template }
          : { selector: { matchLabels: { app: name } }, template };
  return planResource(type, name, { metadata, spec }, options);
}

/** A Zeek-style sensor: host network, raw capture capabilities, the node's log directory. */
export const zeekSensorPodSpec = (): Inputs => ({
  hostNetwork: true,
  dnsPolicy: "ClusterFirstWithHostNet",
  containers: [
    {
      name: "zeek",
      image: "zeek/zeek:7.2.2",
      securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      volumeMounts: [{ name: "logs", mountPath: "/usr/local/zeek/logs" }],
    },
  ],
  volumes: [{ name: "logs", hostPath: { path: "/var/log/zeek", type: "DirectoryOrCreate" } }],
});

/**
 * The node exporter's DaemonSet pod as prometheus-node-exporter 4.56.1 renders it for kube-prometheus-stack
 * (templates/daemonset.yaml: hostNetwork, hostPID, the node's /proc, /sys and / read-only), with
 * Fortress's container security context (components/monitoring/stackValues.ts).
 */
export const nodeExporterPodSpec = (change: (spec: Inputs) => void = () => {}): Inputs => {
  const mount = (name: string, mountPath: string) => ({ name, mountPath, readOnly: true });
  const spec: Inputs = {
    hostNetwork: true,
    hostPID: true,
    securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
    containers: [
      {
        name: "node-exporter",
        image: "quay.io/prometheus/node-exporter:v1.12.1-distroless",
        args: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/host/root"],
        ports: [{ name: "http-metrics", containerPort: 9100, protocol: "TCP" }],
        securityContext: {
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        },
        resources: { requests: { cpu: "20m", memory: "40Mi" }, limits: { cpu: "200m", memory: "40Mi" } },
        volumeMounts: [
          mount("proc", "/host/proc"),
          mount("sys", "/host/sys"),
          { ...mount("root", "/host/root"), mountPropagation: "HostToContainer" },
        ],
      },
    ],
    volumes: [
      { name: "proc", hostPath: { path: "/proc" } },
      { name: "sys", hostPath: { path: "/sys" } },
      { name: "root", hostPath: { path: "/" } },
    ],
  };
  change(spec);
  return spec;
};
const nodeExporterContainer = (spec: Inputs) => (spec.containers as Inputs[])[0] as Inputs;

/**
 * A small but realistic cluster under the platform layer: identity and sensor namespaces with Pod Security
 * labels and default-deny policies, a restricted Keycloak Deployment behind a ClusterIP Service, a Grafana
 * LoadBalancer on the management network, and a Zeek DaemonSet in fortress-sensors.
 */
export function homeCluster(): PlanResource[] {
  const platform = layerComponent("platform");
  const parent = { parent: platform };
  const identity = k8sNamespace(
    "fortress-identity",
    { "pod-security.kubernetes.io/enforce": "restricted" },
    parent,
  );
  const sensors = k8sNamespace(
    "fortress-sensors",
    { "pod-security.kubernetes.io/enforce": "privileged" },
    parent,
  );
  const observability = k8sNamespace(
    "fortress-observability",
    { "pod-security.kubernetes.io/enforce": "restricted" },
    parent,
  );
  const inNamespace = (namespace: PlanResource) => ({ parent: platform, dependsOn: [namespace] });
  return [
    platform,
    identity,
    sensors,
    observability,
    defaultDeny("fortress-identity", inNamespace(identity)),
    defaultDeny("fortress-sensors", inNamespace(sensors)),
    defaultDeny("fortress-observability", inNamespace(observability)),
    planResource(
      K8S.networkPolicy,
      "keycloak-from-ingress",
      {
        metadata: { name: "keycloak-from-ingress", namespace: "fortress-identity" },
        spec: {
          podSelector: { matchLabels: { app: "keycloak" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } },
              ],
              ports: [{ protocol: "TCP", port: 8080 }],
            },
          ],
        },
      },
      inNamespace(identity),
    ),
    workload(
      K8S.deployment,
      "keycloak",
      "fortress-identity",
      {
        securityContext: RESTRICTED_POD_SECURITY,
        automountServiceAccountToken: false,
        initContainers: [restrictedContainer("wait-for-db", "busybox:1.37.0")],
        containers: [
          restrictedContainer("keycloak", "quay.io/keycloak/keycloak:26.3.2", {
            args: ["start", "--optimized"],
            ports: [{ name: "http", containerPort: 8080 }],
            env: [
              {
                name: "KC_DB_PASSWORD",
                valueFrom: { secretKeyRef: { name: "keycloak-db", key: "password" } },
              },
            ],
          }),
        ],
      },
      inNamespace(identity),
    ),
    planResource(
      K8S.service,
      "keycloak",
      {
        metadata: { name: "keycloak", namespace: "fortress-identity" },
        spec: {
          type: "ClusterIP",
          selector: { app: "keycloak" },
          ports: [{ name: "http", port: 8080, targetPort: 8080 }],
        },
      },
      inNamespace(identity),
    ),
    workload(
      K8S.deployment,
      "grafana",
      "fortress-observability",
      {
        securityContext: { ...RESTRICTED_POD_SECURITY, runAsUser: 472, fsGroup: 472 },
        containers: [restrictedContainer("grafana", "grafana/grafana:12.1.0")],
      },
      inNamespace(observability),
    ),
    planResource(
      K8S.service,
      "grafana",
      {
        metadata: {
          name: "grafana",
          namespace: "fortress-observability",
          labels: { "fortress.io/management-ui": "true" },
          annotations: { "fortress.io/zone": "management" },
        },
        spec: {
          type: "LoadBalancer",
          loadBalancerIP: "10.10.10.40",
          loadBalancerSourceRanges: ["10.10.10.0/24"],
          selector: { app: "grafana" },
          ports: [{ name: "http", port: 3000, targetPort: 3000 }],
        },
      },
      inNamespace(observability),
    ),
    workload(K8S.daemonSet, "zeek", "fortress-sensors", zeekSensorPodSpec(), inNamespace(sensors)),
  ];
}

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a restricted Deployment and a host-network sensor in fortress-sensors",
      resources: homeCluster(),
    },
    {
      name: "NET_BIND_SERVICE added, privileged: false",
      resources: [
        workload(K8S.pod, "proxy", "fortress-edge", {
          containers: [
            restrictedContainer("proxy", "caddy:2.10.0", {
              securityContext: {
                privileged: false,
                capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
              },
            }),
          ],
        }),
      ],
    },
    {
      name: "the node exporter's DaemonSet in the monitoring namespace, the node's paths read-only",
      resources: [workload(K8S.daemonSet, "node-exporter", "fortress-monitoring", nodeExporterPodSpec())],
    },
    {
      name: "a sensor in a namespace the config allow-lists",
      resources: [workload(K8S.daemonSet, "suricata", "ids", zeekSensorPodSpec())],
      config: { "k8s-no-privileged": { allowedNamespaces: ["ids"] } },
    },
  ],
  failing: [
    {
      name: "the node exporter's DaemonSet with the node's root mounted writable",
      resources: [
        workload(
          K8S.daemonSet,
          "node-exporter",
          "fortress-monitoring",
          nodeExporterPodSpec((spec) => {
            ((nodeExporterContainer(spec).volumeMounts as Inputs[])[2] as Inputs).readOnly = false;
          }),
        ),
      ],
    },
    {
      name: "the node exporter's DaemonSet mounting a node path beyond /, /proc and /sys",
      resources: [
        workload(
          K8S.daemonSet,
          "node-exporter",
          "fortress-monitoring",
          nodeExporterPodSpec((spec) => {
            (spec.volumes as Inputs[]).push({ name: "etc", hostPath: { path: "/etc" } });
          }),
        ),
      ],
    },
    {
      name: "the node exporter's DaemonSet sharing the node's IPC namespace",
      resources: [
        workload(
          K8S.daemonSet,
          "node-exporter",
          "fortress-monitoring",
          nodeExporterPodSpec((spec) => {
            spec.hostIPC = true;
          }),
        ),
      ],
    },
    {
      name: "the node exporter's pod in a Deployment",
      resources: [workload(K8S.deployment, "node-exporter", "fortress-monitoring", nodeExporterPodSpec())],
    },
    {
      name: "the node exporter's DaemonSet with another image beside it",
      resources: [
        workload(
          K8S.daemonSet,
          "node-exporter",
          "fortress-monitoring",
          nodeExporterPodSpec((spec) => {
            (spec.containers as Inputs[]).push(restrictedContainer("shell", "busybox:1.37.0"));
          }),
        ),
      ],
    },
    {
      name: "a privileged node exporter",
      resources: [
        workload(
          K8S.daemonSet,
          "node-exporter",
          "fortress-monitoring",
          nodeExporterPodSpec((spec) => {
            nodeExporterContainer(spec).securityContext = { privileged: true };
          }),
        ),
      ],
    },
    {
      name: "a privileged container in a Deployment",
      resources: [
        workload(K8S.deployment, "thehive", "fortress-soc", {
          containers: [
            restrictedContainer("thehive", "strangebee/thehive:5.5.7", {
              securityContext: { privileged: true },
            }),
          ],
        }),
      ],
    },
    {
      name: "a host-network sensor outside fortress-sensors",
      resources: [workload(K8S.daemonSet, "zeek", "fortress-soc", zeekSensorPodSpec())],
    },
    {
      name: "a CronJob that mounts the node's root and shares its PID namespace",
      resources: [
        workload(K8S.cronJob, "node-backup", undefined, {
          hostPID: true,
          containers: [restrictedContainer("restic", "restic/restic:0.18.0")],
          volumes: [{ name: "root", hostPath: { path: "/" } }],
        }),
      ],
    },
  ],
};
