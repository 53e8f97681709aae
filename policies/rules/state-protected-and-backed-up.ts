import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { CHART_TYPES, chartLabel, chartNamespaceOf, chartValuesOf } from "../lib/charts";
import { chartStateProblems, type PlannedClaim, strangeBeeChart } from "../lib/chartState";
import { guestOf } from "../lib/guests";
import { isPrometheusStackChart, prometheusStackStateProblems } from "../lib/prometheusState";
import { mergeValues } from "../lib/responseCredentials";

export const BACKUP_JOB_TYPE = SDK_TYPES.proxmoxBackupJob;
export const PVC_TYPE = SDK_TYPES.k8sPersistentVolumeClaim;
export const DEFAULT_STATE_TAGS = ["k3s-server", "indexer"];

/** Why a guest (VM of any SDK class, clone, container) holds state, or undefined when it does not. */
export function stateReason(
  vm: PolicyResource,
  stateTags: readonly string[],
  mispHosts: ReadonlySet<string> = new Set(),
): string | undefined {
  const guest = guestOf(vm);
  if (!guest) return undefined;
  if (guest.protection) return "it has Proxmox protection on";
  // MISP's events, attributes, users and settings live in its VM (fortress:response:Misp records its host).
  if (mispHosts.has(guest.name)) return "it runs MISP";
  // A disk left out of backups (`backup: false`) is declared scratch space.
  const data = guest.dataDisks.filter((disk) => disk.backup !== false);
  if (data.length > 0) return `it has a data disk (${data.map((disk) => disk.slot).join(", ")})`;
  const tagged = guest.tags.filter((tag) => stateTags.includes(tag));
  if (tagged.length > 0) return `it is tagged ${tagged.join(", ")}`;
  return undefined;
}

interface JobIndex {
  readonly dependencies: ReadonlySet<string>;
  readonly vmids: ReadonlySet<string>;
}

/**
 * A job's dependencies (by URN) and vmids as sets, built once per job: a job that backs up every VM
 * lists them all, and scanning that list once per VM is quadratic in the VMs.
 */
const jobIndexes = new WeakMap<PolicyResource, JobIndex>();

function jobIndex(job: PolicyResource): JobIndex {
  let index = jobIndexes.get(job);
  if (!index) {
    const vmids = (job.props as { vmids?: unknown }).vmids;
    index = {
      dependencies: new Set(
        [...job.dependencies, ...Object.values(job.propertyDependencies).flat()].map(
          (dependency) => dependency.urn,
        ),
      ),
      vmids: new Set(Array.isArray(vmids) ? vmids.map(String) : []),
    };
    jobIndexes.set(job, index);
  }
  return index;
}

/** Whether a backup job takes in a VM: by its vmids (dependencies on the VM), its pool, or all guests. */
export function backsUp(job: PolicyResource, vm: PolicyResource): boolean {
  const props = job.props as {
    enabled?: unknown;
    all?: unknown;
    pool?: unknown;
    node?: unknown;
  };
  const vmProps = vm.props as { vmId?: unknown; poolId?: unknown; nodeName?: unknown };
  if (props.enabled === false) return false;
  if (typeof props.node === "string" && props.node !== "" && props.node !== vmProps.nodeName) return false;
  const index = jobIndex(job);
  if (index.dependencies.has(vm.urn)) return true;
  if (vmProps.vmId !== undefined && index.vmids.has(String(vmProps.vmId))) return true;
  if (typeof props.pool === "string" && props.pool !== "" && props.pool === vmProps.poolId) return true;
  return props.all === true;
}

export const stateProtectedAndBackedUp: StackValidationPolicy = {
  name: "state-protected-and-backed-up",
  description:
    "Every resource that holds state is protected from deletion and, for guests, taken in by a backup job: Proxmox guests of every kind (VMs, clones, containers) with protection, a data disk or mount point, a state tag, or MISP on them; persistent volume claims; and the response layer's chart volumes, judged by their values: TheHive's Cassandra (and Elasticsearch and MinIO when enabled) with persistence on and no claim retention policy that deletes, every claim TheHive and Cortex mount a protected claim of the plan, attachments on a claim, Cortex's job directory claim made outside its chart; kube-prometheus-stack's Prometheus with a volumeClaimTemplate, no retention policy that deletes its claim, and that claim (by the name its StatefulSet gives it) a protected claim of the plan.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      stateTags: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_STATE_TAGS,
        description: "VM tags that mark a VM as holding state (etcd on k3s servers, the SIEM indexer).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ stateTags?: unknown }>();
    const stateTags = Array.isArray(config.stateTags) ? config.stateTags.map(String) : DEFAULT_STATE_TAGS;
    const jobs = args.resources.filter((resource) => resource.type === BACKUP_JOB_TYPE);
    const mispHosts = new Set(
      args.resources
        .filter((resource) => resource.type === COMPONENT_TYPES.misp)
        .map((resource) => String(resource.props.host ?? "")),
    );
    const claims: PlannedClaim[] = args.resources
      .filter((resource) => resource.type === PVC_TYPE)
      .map((resource) => {
        const metadata = (resource.props.metadata ?? {}) as { name?: unknown; namespace?: unknown };
        return {
          name: typeof metadata.name === "string" ? metadata.name : resource.name,
          namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
          protect: resource.opts.protect === true,
        };
      });
    for (const chart of args.resources.filter((resource) => CHART_TYPES.has(resource.type))) {
      if (isPrometheusStackChart(chart.props)) {
        const values = mergeValues(chartValuesOf(chart).sources.map((source) => source.values));
        const metadata = (chart.props.metadata ?? {}) as { name?: unknown };
        const release = String(chart.props.name ?? metadata.name ?? chart.name);
        for (const problem of prometheusStackStateProblems(release, values, chartNamespaceOf(chart), claims))
          reportViolation(`${chartLabel(chart)}: ${problem}`, chart.urn);
        continue;
      }
      const product = strangeBeeChart(chart.props);
      if (!product) continue;
      const values = mergeValues(chartValuesOf(chart).sources.map((source) => source.values));
      for (const problem of chartStateProblems(product, values, chartNamespaceOf(chart), claims))
        reportViolation(`${chartLabel(chart)}: ${problem}`, chart.urn);
    }
    for (const resource of args.resources) {
      if (resource.type === PVC_TYPE && resource.opts.protect !== true) {
        reportViolation(
          `persistent volume claim ${resource.name} is not protected, so a replacement or destroy deletes its volume: create it with { protect: true }`,
          resource.urn,
        );
      }
      const guest = guestOf(resource);
      const reason = guest && stateReason(resource, stateTags, mispHosts);
      if (!guest || !reason) continue;
      const vm = `${guest.kind} ${guest.name}`;
      if (resource.opts.protect !== true) {
        reportViolation(
          `${vm} holds state (${reason}) but is not protected, so pulumi destroy or a replacement deletes it: create it with { protect: true }`,
          resource.urn,
        );
      }
      if (!jobs.some((job) => backsUp(job, resource))) {
        reportViolation(
          `${vm} holds state (${reason}) but no enabled backup job takes it in: add its vmId to a proxmoxve.backup.Job's vmids` +
            (reason.startsWith("it has a data disk") ? ", or mark a scratch disk backup: false" : ""),
          resource.urn,
        );
      }
    }
  },
};
