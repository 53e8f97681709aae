/**
 * k3s in HA over SSH: the first server starts the embedded etcd (`cluster-init`), the other servers
 * join it one after another, then the agents join through the API name, one after another. Each
 * node gets `/etc/rancher/k3s/config.yaml` (rendered here, no secret in it) and the shared token
 * in its own root-only file (`token-file`), sent on the command's stdin, which is secret.
 *
 * Re-runnable: each node's command carries the version and its config in its triggers, so changing
 * the version (or a flag) re-runs the installer node by node, in the same chain, and each server
 * waits for its API to answer `/readyz` before the next one starts. The commands have no `delete`:
 * a replacement (which an upgrade is) must never uninstall k3s.
 */
import * as command from "@pulumi/command";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as yaml from "js-yaml";

export const K3S_TYPE = "fortress:platform:K3s";

export const K3S_CONFIG_PATH = "/etc/rancher/k3s/config.yaml";
export const K3S_TOKEN_PATH = "/etc/rancher/k3s/token";
export const K3S_KUBECONFIG_PATH = "/etc/rancher/k3s/k3s.yaml";
export const K3S_API_PORT = 6443;
/** The label that names an agent's pool; workloads select their pool with it. */
export const POOL_LABEL = "fortress/pool";
/** What the NVIDIA device plugin (and GPU workloads) select on. */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present=true";
/** Keeps everything but GPU workloads off the GPU agent. */
export const GPU_TAINT = "nvidia.com/gpu=true:NoSchedule";
/** Keeps workloads off the servers while there are general agents (k3s's documented taint). */
export const SERVER_TAINT = "CriticalAddonsOnly=true:NoExecute";

/** Bounded waits: attempts × seconds. */
const READY_ATTEMPTS = 60;
const READY_INTERVAL_S = 5;

export type K3sPool = "general" | "indexer" | "gpu";

export interface K3sNodeArgs {
  /** The VM's name, also its Kubernetes node name (its hostname). */
  readonly name: string;
  /** Its static address: SSH goes there, and it is the node IP. */
  readonly address: string;
}

export interface K3sAgentArgs extends K3sNodeArgs {
  readonly pool: K3sPool;
  /** The agent's VM, when the hypervisor layer's barrier does not wait for it (a GPU VM). */
  readonly vm?: pulumi.Resource;
}

export interface K3sClusterArgs {
  /** Pinned k3s release, as INSTALL_K3S_VERSION takes it (v1.33.13+k3s1). */
  readonly version: string;
  /** The API's stable name (`<apiName>.<domain>`), resolving to every server: tls-san, agents, kubeconfig. */
  readonly apiFqdn: string;
  /** In bootstrap order: the first one initialises the cluster. An odd number (etcd quorum). */
  readonly servers: readonly K3sNodeArgs[];
  readonly agents: readonly K3sAgentArgs[];
  readonly ssh: {
    /** The VMs' admin user (cloud-init), with passwordless sudo. */
    readonly user: string;
    readonly privateKey: pulumi.Input<string>;
  };
}

type K3sConfig = Record<string, string | boolean | readonly string[]>;

/** Flags every server must share (k3s refuses a server whose cluster-wide flags differ). */
export function serverClusterFlags(args: Pick<K3sClusterArgs, "apiFqdn" | "servers">): K3sConfig {
  return {
    "token-file": K3S_TOKEN_PATH,
    "tls-san": [args.apiFqdn, ...args.servers.map((server) => server.address)],
    "write-kubeconfig-mode": "0600",
    "secrets-encryption": true,
    // Control-plane metrics on the node address, for the monitoring layer (DESIGN.md §4); the
    // Proxmox firewall and the zone rules decide who reaches them.
    "kube-controller-manager-arg": ["bind-address=0.0.0.0"],
    "kube-scheduler-arg": ["bind-address=0.0.0.0"],
    "etcd-expose-metrics": true,
  };
}

/** The k3s config of one node, as an object (rendered with js-yaml by renderK3sConfig). */
export function k3sNodeConfig(
  args: Pick<K3sClusterArgs, "apiFqdn" | "servers" | "agents">,
  node:
    { readonly kind: "server"; readonly index: number } | { readonly kind: "agent"; readonly index: number },
): K3sConfig {
  if (node.kind === "server") {
    const server = args.servers[node.index];
    const first = args.servers[0];
    if (!server || !first) throw new Error(`internal: no k3s server #${node.index}`);
    const dedicated = args.agents.some((agent) => agent.pool === "general");
    return {
      ...serverClusterFlags(args),
      "node-ip": server.address,
      ...(dedicated ? { "node-taint": [SERVER_TAINT] } : {}),
      ...(node.index === 0
        ? { "cluster-init": true }
        : { server: `https://${first.address}:${K3S_API_PORT}` }),
    };
  }
  const agent = args.agents[node.index];
  if (!agent) throw new Error(`internal: no k3s agent #${node.index}`);
  return {
    server: `https://${args.apiFqdn}:${K3S_API_PORT}`,
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

const HEREDOC = "FORTRESS_K3S_CONFIG";

/**
 * The script of one node: wait for cloud-init, write the token (stdin) and the config, run the
 * pinned installer (which also upgrades), then wait until the node serves.
 */
export function installScript(role: "server" | "agent", version: string, config: string): string {
  if (config.includes(HEREDOC)) throw new Error("internal: the k3s config contains the heredoc marker");
  const wait =
    role === "server"
      ? `sudo k3s kubectl get --raw /readyz >/dev/null 2>&1`
      : `systemctl is-active --quiet k3s-agent`;
  return [
    "set -eu",
    "cloud-init status --wait >/dev/null 2>&1 || true",
    "sudo install -d -m 0755 /etc/rancher/k3s",
    `sudo sh -c 'umask 077 && cat > ${K3S_TOKEN_PATH}'`,
    `sudo tee ${K3S_CONFIG_PATH} >/dev/null <<'${HEREDOC}'`,
    config.trimEnd(),
    HEREDOC,
    `sudo chmod 0600 ${K3S_CONFIG_PATH}`,
    "installer=$(mktemp)",
    'curl -sfL https://get.k3s.io -o "$installer"',
    `sudo env INSTALL_K3S_VERSION=${version} INSTALL_K3S_EXEC=${role} sh "$installer"`,
    'rm -f "$installer"',
    `for attempt in $(seq 1 ${READY_ATTEMPTS}); do`,
    `  if ${wait}; then exit 0; fi`,
    `  sleep ${READY_INTERVAL_S}`,
    "done",
    `echo "k3s ${role} on $(hostname) is not ready after ${READY_ATTEMPTS * READY_INTERVAL_S} s" >&2`,
    "exit 1",
  ].join("\n");
}

export class K3sCluster extends pulumi.ComponentResource {
  /** Admin kubeconfig whose server is https://<apiFqdn>:6443 (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: kubernetes.Provider;
  /** The install commands in chain order: servers, then agents. */
  readonly chain: readonly command.remote.Command[];

  constructor(name: string, args: K3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.servers.length === 0) throw new Error("k3s needs at least one server");
    if (args.servers.length % 2 === 0)
      throw new Error(`k3s with embedded etcd needs an odd number of servers, not ${args.servers.length}`);
    // Plain, serializable args only: the key and the token stay out of the component's state.
    super(
      K3S_TYPE,
      name,
      {
        version: args.version,
        apiFqdn: args.apiFqdn,
        servers: args.servers.map((server) => server.name),
        agents: args.agents.map((agent) => ({ name: agent.name, pool: agent.pool })),
      },
      opts,
    );

    const token = new random.RandomPassword(
      `${name}-token`,
      { length: 48, special: false },
      { parent: this },
    );
    const privateKey = pulumi.secret(args.ssh.privateKey);
    const connectionTo = (node: K3sNodeArgs) => ({ host: node.address, user: args.ssh.user, privateKey });

    const chain: command.remote.Command[] = [];
    const step = (node: K3sNodeArgs, role: "server" | "agent", config: K3sConfig, vm?: pulumi.Resource) => {
      const rendered = renderK3sConfig(config);
      const previous = chain[chain.length - 1];
      const waitsFor = [...(previous ? [previous] : []), ...(vm ? [vm] : [])];
      const install = new command.remote.Command(
        `${node.name}-k3s-install`,
        {
          connection: connectionTo(node),
          create: installScript(role, args.version, rendered),
          stdin: pulumi.secret(token.result),
          // A new version or config re-runs the installer here, after the node before it.
          triggers: [args.version, rendered],
        },
        {
          parent: this,
          additionalSecretOutputs: ["stdin"],
          ...(waitsFor.length > 0 ? { dependsOn: waitsFor } : {}),
        },
      );
      chain.push(install);
      return install;
    };

    args.servers.forEach((server, index) =>
      step(server, "server", k3sNodeConfig(args, { kind: "server", index })),
    );
    const lastServer = chain[chain.length - 1];
    args.agents.forEach((agent, index) =>
      step(agent, "agent", k3sNodeConfig(args, { kind: "agent", index }), agent.vm),
    );
    this.chain = chain;

    const first = args.servers[0] as K3sNodeArgs;
    const read = new command.remote.Command(
      `${name}-kubeconfig`,
      {
        connection: connectionTo(first),
        create: `sudo cat ${K3S_KUBECONFIG_PATH}`,
        // `pulumi refresh`/`up` re-read it after k3s renews its client certificate (yearly).
        update: `sudo cat ${K3S_KUBECONFIG_PATH}`,
        // A rebuilt first server has a new CA: read it again then.
        triggers: [args.version, ...(chain[0] ? [chain[0].id] : [])],
      },
      { parent: this, additionalSecretOutputs: ["stdout"], dependsOn: lastServer ? [lastServer] : [] },
    );
    this.kubeconfig = pulumi.secret(
      read.stdout.apply((text) => pointAt(text ?? "", `https://${args.apiFqdn}:${K3S_API_PORT}`)),
    );
    this.provider = new kubernetes.Provider(
      `${name}-kubernetes`,
      { kubeconfig: this.kubeconfig },
      { parent: this },
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

/** The kubeconfig k3s writes points at 127.0.0.1: point it at the API name instead. */
export function pointAt(kubeconfig: string, server: string): string {
  return kubeconfig.replace(/https:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, server);
}
