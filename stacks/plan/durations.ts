/**
 * How long creating one resource takes on a real lab, in seconds: the estimates behind plan.json's
 * critical path (criticalPath.ts). They are orders of magnitude for a home lab on 1 GbE with SSDs,
 * not measurements; what matters is that a change that lines up work that could run side by side
 * makes the estimate grow, and that the diff shows it. The first rule that matches a resource wins.
 */
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { OPNSENSE_TYPE_PREFIX, opnsenseType } from "../../vocabulary/typeTokens";

export interface DurationRule {
  /** The resource type: an exact token, or a prefix when it ends with `*`. */
  readonly type: string;
  /** Only resources whose name matches (commands differ by what they run). */
  readonly name?: RegExp;
  readonly seconds: number;
  readonly why: string;
}

export const DURATIONS: readonly DurationRule[] = [
  // Logical resources: no API call, or one the engine makes in no time.
  { type: "fortress:*", seconds: 0, why: "a component: registration only, nothing is created" },
  { type: "pulumi:providers:*", seconds: 0, why: "a provider: configured in the engine, nothing is created" },
  { type: "random:*", seconds: 0, why: "computed by the provider locally (the layer barriers are random.RandomId)" },
  { type: "tls:*", seconds: 0, why: "a key or certificate generated locally" },
  // Proxmox VE.
  { type: SDK_TYPES.proxmoxDownload, seconds: 120, why: "the node downloads a cloud image of some hundred MB" },
  {
    type: SDK_TYPES.proxmoxVm,
    seconds: 90,
    why: "import the image onto the datastore, create, start and wait for the guest agent (agent.enabled)",
  },
  { type: "proxmoxve:sdn/applier:Applier", seconds: 10, why: "applies the SDN config: every node reloads its network" },
  { type: "proxmoxve:*", seconds: 2, why: "one or two API calls (pool, firewall, snippet upload, time, backup job…)" },
  // OPNsense (components/opnsense): each write is followed by the service's reconfigure.
  { type: opnsenseType("preflight"), seconds: 3, why: "a handful of read-only API calls" },
  {
    type: opnsenseType("rule"),
    seconds: 8,
    why: "add, then savepoint, apply, probe and confirm the filter (safeApply.ts)",
  },
  { type: `${OPNSENSE_TYPE_PREFIX}*`, seconds: 4, why: "set or add, then the service's reconfigure" },
  // Commands over SSH on the VMs and nodes.
  {
    type: "command:remote:Command",
    name: /-k3s-install$/,
    seconds: 180,
    why: "waits for cloud-init's first boot, downloads and runs the k3s installer, waits until the node is ready",
  },
  {
    type: "command:remote:Command",
    name: /-manager-install$/,
    seconds: 300,
    why: "installs wazuh-manager and Filebeat from Wazuh's apt repository (a few hundred MB), then starts them",
  },
  {
    type: "command:remote:Command",
    name: /-wazuh-agent$/,
    seconds: 90,
    why: "installs wazuh-agent and clamdscan from apt, enrolls with the manager, starts the agent",
  },
  { type: "command:remote:Command", seconds: 5, why: "an SSH session running a short script" },
  // Kubernetes: Pulumi waits for readiness of workloads and of a chart's objects (no skipAwait).
  {
    type: SDK_TYPES.helmChartV4,
    seconds: 120,
    why: "renders the chart, then waits until its objects are ready (offline its objects are not in the plan)",
  },
  { type: SDK_TYPES.helmReleaseV3, seconds: 120, why: "helm install waits until the chart's workloads are ready" },
  { type: "kubernetes:apps/v1:StatefulSet", seconds: 60, why: "Pulumi waits for the pods to be ready" },
  { type: "kubernetes:apps/v1:Deployment", seconds: 45, why: "Pulumi waits for the rollout" },
  { type: "kubernetes:networking.k8s.io/v1:Ingress", seconds: 10, why: "Pulumi waits for the ingress to get an address" },
  { type: "kubernetes:*", seconds: 1, why: "one API object; Pulumi does not wait on it" },
];

/** Anything the table does not name: an API call or two. */
export const DEFAULT_SECONDS = 5;

function matches(rule: DurationRule, type: string, name: string): boolean {
  const typeMatches = rule.type.endsWith("*") ? type.startsWith(rule.type.slice(0, -1)) : type === rule.type;
  return typeMatches && (rule.name === undefined || rule.name.test(name));
}

/** The estimated seconds to create a resource of `type` named `name`. */
export function durationOf(type: string, name: string): number {
  return DURATIONS.find((rule) => matches(rule, type, name))?.seconds ?? DEFAULT_SECONDS;
}
