/**
 * What each k3s node is told: the cluster's args, and the `/etc/rancher/k3s/config.yaml` of every
 * server and agent (the labels, taints and packaged components they carry).
 */
import type { K3sPool } from "../../vocabulary/pools";
import { K3S_DISABLED_COMPONENTS, K3S_KEPT_COMPONENTS } from "../../vocabulary/k3sComponents";
import type * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { K3S_AGENT_TOKEN_PATH, K3S_TOKEN_PATH, type K3sAirgap, type K3sInstaller } from "./k3sInstall";

export const K3S_API_PORT = 6443;
/** The label that names an agent's pool; workloads select their pool with it. */
export const POOL_LABEL = "fortress/pool";
/** What the NVIDIA device plugin (and GPU workloads) select on. */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present=true";
/** Keeps everything but GPU workloads off the GPU agent. */
export const GPU_TAINT = "nvidia.com/gpu=true:NoSchedule";
/** Keeps workloads off the servers while there are general agents (k3s's documented taint). */
export const SERVER_TAINT = "CriticalAddonsOnly=true:NoExecute";

/**
 * What k3s deploys by itself, kept or disabled: one list with the pack's `k3s-packaged-components`
 * (vocabulary/k3sComponents.ts, with why each is kept).
 */
export const K3S_PACKAGED = { kept: K3S_KEPT_COMPONENTS, disabled: K3S_DISABLED_COMPONENTS } as const;

export type { K3sPool };

export interface K3sNodeArgs {
  /** The VM's name, also its Kubernetes node name (its hostname). */
  readonly name: string;
  /** Its static address: SSH goes there, and it is the node IP. */
  readonly address: string;
  /** The VM's SSH host public key (`ssh-ed25519 AAAA…`): the only key its connections accept. */
  readonly hostKey: pulumi.Input<string>;
  /** The VM's Proxmox id: the install waits for the VM, and runs again on a rebuilt one. */
  readonly vmId?: pulumi.Input<number>;
}

export interface K3sAgentArgs extends K3sNodeArgs {
  readonly pool: K3sPool;
}

export interface K3sSsh {
  /** The VMs' admin user (cloud-init), with passwordless sudo. */
  readonly user: string;
  readonly privateKey: pulumi.Input<string>;
}

export interface K3sClusterArgs {
  /** Pinned k3s release, as INSTALL_K3S_VERSION takes it (v1.35.6+k3s1). */
  readonly version: string;
  /** The API's stable name (`<apiName>.<domain>`), resolving to every server: tls-san, agents, kubeconfig. */
  readonly apiFqdn: string;
  /** In bootstrap order: the first one initialises the cluster. An odd number (etcd quorum). */
  readonly servers: readonly K3sNodeArgs[];
  /** Agents joined in this component's chain, after the servers. */
  readonly agents: readonly K3sAgentArgs[];
  readonly ssh: K3sSsh;
  /** Where the local-path provisioner puts volumes: on the VMs' data disk. */
  readonly localStoragePath: string;
  /** Defaults to K3S_INSTALLER; an air-gapped lab points at its own copy (same digest). */
  readonly installer?: K3sInstaller;
  readonly airgap?: K3sAirgap;
  /** A label; changing it rotates the servers' certificates and re-reads the kubeconfig. */
  readonly certificateRotation?: string;
}

export type K3sConfig = Record<string, string | boolean | readonly string[]>;

/** Flags every server must share (k3s refuses a server whose cluster-wide flags differ). */
export function serverClusterFlags(
  args: Pick<K3sClusterArgs, "apiFqdn" | "servers" | "localStoragePath">,
): K3sConfig {
  return {
    "token-file": K3S_TOKEN_PATH,
    // Agents join with their own token, so a leaked agent token cannot add a server.
    "agent-token-file": K3S_AGENT_TOKEN_PATH,
    "tls-san": [args.apiFqdn, ...args.servers.map((server) => server.address)],
    "write-kubeconfig-mode": "0600",
    "secrets-encryption": true,
    disable: [...K3S_PACKAGED.disabled],
    // local-path's volumes on the data disk, not the 32 GB root disk (k3s writes this path into
    // the provisioner's config: manifests/local-storage.yaml `%{DEFAULT_LOCAL_STORAGE_PATH}%`).
    "default-local-storage-path": args.localStoragePath,
    // Control-plane metrics on the node address, for the monitoring layer (DESIGN.md §4); the
    // Proxmox firewall and the zone rules decide who reaches them.
    "kube-controller-manager-arg": ["bind-address=0.0.0.0"],
    "kube-scheduler-arg": ["bind-address=0.0.0.0"],
    "etcd-expose-metrics": true,
  };
}

/** The k3s config of one server, as an object (rendered with js-yaml by renderK3sConfig). */
export function serverConfig(
  args: Pick<K3sClusterArgs, "apiFqdn" | "servers" | "agents" | "localStoragePath">,
  index: number,
): K3sConfig {
  const server = args.servers[index];
  const first = args.servers[0];
  if (!server || !first) throw new Error(`internal: no k3s server #${index}`);
  const dedicated = args.agents.some((agent) => agent.pool === "general");
  return {
    ...serverClusterFlags(args),
    "node-ip": server.address,
    ...(dedicated ? { "node-taint": [SERVER_TAINT] } : {}),
    ...(index === 0 ? { "cluster-init": true } : { server: `https://${first.address}:${K3S_API_PORT}` }),
  };
}

/** The k3s config of one agent. */
export function agentConfig(apiFqdn: string, agent: K3sAgentArgs): K3sConfig {
  return {
    server: `https://${apiFqdn}:${K3S_API_PORT}`,
    "token-file": K3S_TOKEN_PATH,
    "node-ip": agent.address,
    // k3s finds nvidia-container-runtime by itself when the driver and toolkit are installed later
    // (then restart k3s-agent); nothing here installs a driver.
    "node-label": [`${POOL_LABEL}=${agent.pool}`, ...(agent.pool === "gpu" ? [GPU_PRESENT_LABEL] : [])],
    ...(agent.pool === "gpu" ? { "node-taint": [GPU_TAINT] } : {}),
  };
}

export function renderK3sConfig(config: K3sConfig): string {
  return `---\n# Managed by Fortress: changes here are overwritten on the next update.\n${yaml.dump(config, { lineWidth: -1, noRefs: true })}`;
}
