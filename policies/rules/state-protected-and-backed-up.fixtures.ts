import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { VM_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { BACKUP_JOB_TYPE, PVC_TYPE } from "./state-protected-and-backed-up";

export const hypervisor = layerComponent("hypervisor");
const boot = { interface: "scsi0", size: 32, backup: true, datastoreId: "local-lvm" };

export interface VmOptions {
  readonly stateful?: boolean;
  readonly dataDisk?: boolean;
  readonly tags?: readonly string[];
  readonly protect?: boolean;
  /** Further inputs, overriding the planned ones. */
  readonly [input: string]: unknown;
}

/** A VM as the hypervisor layer plans it; stateful ones get protection, a data disk and `protect`. */
export function vm(name: string, options: VmOptions = {}): PlanResource {
  const { stateful = true, dataDisk = stateful, tags = [], protect = stateful, ...inputs } = options;
  return planResource(
    VM_TYPE,
    name,
    {
      name,
      nodeName: "pve1",
      poolId: "fortress",
      protection: stateful,
      tags: ["fortress", ...tags],
      disks: dataDisk ? [boot, { ...boot, interface: "scsi1", size: 64 }] : [boot],
      ...inputs,
    },
    { parent: hypervisor, protect },
  );
}

/** The backup job; its vmids come from the VMs' outputs, so it depends on each VM. */
export const backupJob = (vms: readonly PlanResource[], inputs: Record<string, unknown> = {}) =>
  planResource(
    BACKUP_JOB_TYPE,
    "hypervisor-state-backup",
    {
      resourceId: "fortress-state",
      schedule: "*-*-* 02:30",
      storage: "local",
      enabled: true,
      mode: "snapshot",
      ...inputs,
    },
    { parent: hypervisor, dependsOn: vms, protect: true },
  );

export const pvc = (name: string, protect: boolean) =>
  planResource(PVC_TYPE, name, { spec: { accessModes: ["ReadWriteOnce"] } }, { protect });

/** The response layer's namespace and its claims and charts as TheHive and Cortex register them (thehive.ts, cortex.ts). */
const NS = "fortress-response";
export const claim = (name: string, claimName: string, protect = true) =>
  planResource(
    PVC_TYPE,
    name,
    { metadata: { name: claimName, namespace: NS }, spec: { accessModes: ["ReadWriteOnce"] } },
    { protect },
  );
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures reach into nested values by path
type Values = Record<string, any>;
/** The claim Cortex's component makes and names to its chart (components/response/values.ts CORTEX_JOBS_CLAIM). */
export const CORTEX_JOBS_CLAIM = "cortex-shared-fs-claim";
/**
 * The state-bearing values of TheHive's chart as components/response/values.ts theHiveValues renders them
 * (components/response/packChecks.test.ts runs the policy on the real ones too).
 */
export const hiveValues = (change: (values: Values) => void = () => {}): Values => {
  const values: Values = {
    thehive: {
      configFile: 'storage {\n  provider = localfs\n  localfs.location = "/opt/thp/thehive/files"\n}\n',
      volumes: [
        { name: "truststore", secret: { secretName: "thehive-tls" } },
        { name: "files", persistentVolumeClaim: { claimName: "thehive-files" } },
      ],
    },
    cassandra: {
      enabled: true,
      persistence: { enabled: true, storageClass: "fortress-local", size: "10Gi" },
    },
    elasticsearch: { enabled: false },
    minio: { enabled: false },
  };
  change(values);
  return values;
};
/** Cortex's, as cortexValues renders them. */
export const cortexChartValues = (change: (values: Values) => void = () => {}): Values => {
  const values: Values = {
    cortex: { persistentVolumeClaim: { create: false } },
    elasticsearch: { enabled: false },
  };
  change(values);
  return values;
};
export const chart = (name: string, chartName: string, values: Values) =>
  planResource(SDK_TYPES.helmChartV4, name, { chart: chartName, version: "1.0.5", namespace: NS, values });
/** TheHive's and Cortex's charts with the claims their components make, protected. */
export const responseCharts = (options: { hive?: Values; cortex?: Values; protectFiles?: boolean } = {}) => [
  claim("response-thehive-files", "thehive-files", options.protectFiles ?? true),
  claim("response-cortex-jobs", CORTEX_JOBS_CLAIM),
  chart("response-thehive-chart", "thehive", options.hive ?? hiveValues()),
  chart("response-cortex-chart", "cortex", options.cortex ?? cortexChartValues()),
];
/** kube-prometheus-stack's state-bearing values as components/monitoring/stackValues.ts renders them. */
const MONITORING_NS = "fortress-monitoring";
export const PROMETHEUS_CLAIM = "prometheus-db-prometheus-kps-prometheus-0";
export const prometheusStackValues = (change: (values: Values) => void = () => {}): Values => {
  const values: Values = {
    fullnameOverride: "kps",
    prometheus: {
      enabled: true,
      prometheusSpec: {
        storageSpec: {
          volumeClaimTemplate: {
            metadata: { name: "prometheus-db" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "16Gi" } } },
          },
        },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      },
    },
  };
  change(values);
  return values;
};
/** The stack's chart (release kube-prometheus-stack) with Prometheus's claim as the component makes it. */
export const prometheusStack = (options: { values?: Values; claimName?: string; protect?: boolean } = {}) => [
  planResource(
    PVC_TYPE,
    "monitoring-stack-prometheus-data",
    {
      metadata: { name: options.claimName ?? PROMETHEUS_CLAIM, namespace: MONITORING_NS },
      spec: { accessModes: ["ReadWriteOnce"] },
    },
    { protect: options.protect ?? true },
  ),
  planResource(SDK_TYPES.helmChartV4, "monitoring-stack-chart", {
    name: "kube-prometheus-stack",
    chart: "kube-prometheus-stack",
    version: "88.5.3",
    namespace: MONITORING_NS,
    values: options.values ?? prometheusStackValues(),
  }),
];

/** MISP as fortress:response:Misp records its VM. */
export const mispComponent = (host: string) => planResource(COMPONENT_TYPES.misp, "misp", { host });

const misp = vm("misp-1");
const server = vm("k3s-server-1", { dataDisk: false, tags: ["k3s-server"] });
const gpu = vm("k3s-gpu-1", { stateful: false });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "stateful VMs protected and in the backup job, a stateless one in neither",
      resources: [hypervisor, misp, server, gpu, backupJob([misp, server]), pvc("thehive-data", true)],
    },
    {
      name: "TheHive's and Cortex's charts with their protected claims, MISP's VM backed up",
      resources: [hypervisor, ...responseCharts(), mispComponent("misp-1"), misp, backupJob([misp])],
    },
    {
      name: "kube-prometheus-stack with Prometheus's claim made protected, under the StatefulSet's name for it",
      resources: prometheusStack(),
    },
    {
      name: "kube-prometheus-stack without Prometheus",
      resources: [prometheusStack({ values: { prometheus: { enabled: false } } })[1]!],
    },
    {
      name: "a sensor whose data disk is scratch, left out of backups",
      resources: [
        hypervisor,
        vm("zeek-1", {
          stateful: false,
          dataDisk: false,
          disks: [boot, { ...boot, interface: "scsi1", backup: false }],
        }),
      ],
    },
  ],
  failing: [
    {
      name: "Prometheus's claim not protected",
      resources: prometheusStack({ protect: false }),
    },
    {
      name: "Prometheus's claim left to its StatefulSet (no claim of that name in the plan)",
      // Without fullnameOverride the Prometheus is kube-prometheus-stack-prometheus: another claim name.
      resources: prometheusStack({ values: prometheusStackValues((v) => delete v.fullnameOverride) }),
    },
    {
      name: "Prometheus on an emptyDir",
      resources: prometheusStack({
        values: prometheusStackValues((v) => delete v.prometheus.prometheusSpec.storageSpec),
      }),
    },
    {
      name: "Prometheus's claim deleted with its StatefulSet",
      resources: prometheusStack({
        values: prometheusStackValues(
          (v) => (v.prometheus.prometheusSpec.persistentVolumeClaimRetentionPolicy.whenDeleted = "Delete"),
        ),
      }),
    },
    { name: "a stateful VM no job backs up", resources: [hypervisor, misp, server, backupJob([server])] },
    {
      name: "a VM with a data disk that is not protected",
      resources: [hypervisor, vm("zeek-1", { protect: false }), backupJob([])],
    },
    { name: "an unprotected persistent volume claim", resources: [pvc("cortex-data", false)] },
    {
      name: "Cortex's chart making its job directory claim itself",
      resources: responseCharts({
        cortex: cortexChartValues((v) => (v.cortex.persistentVolumeClaim = { create: true })),
      }),
    },
    {
      name: "TheHive's Cassandra without persistence",
      resources: responseCharts({ hive: hiveValues((v) => (v.cassandra.persistence.enabled = false)) }),
    },
    {
      name: "TheHive's attachments on a claim the plan does not have",
      resources: responseCharts({
        hive: hiveValues((v) => (v.thehive.volumes[1].persistentVolumeClaim.claimName = "other")),
      }),
    },
    {
      name: "MISP's VM without a data disk, in no backup job",
      resources: [hypervisor, mispComponent("misp-2"), vm("misp-2", { stateful: false })],
    },
  ],
};
