/**
 * The k3s workloads on an existing cluster (platform.mode: existing with platform.cluster.nodes): each
 * service's pods placed by memory, largest first, on the node with the most room, replicas of one service
 * on distinct nodes (the anti-affinity the smb profile sets), each node filled to 90 % at most (the
 * headroom every profile keeps). It estimates what the scheduler will find; it is not the scheduler. Pure.
 */
import type { ConfigIssue } from "./config/errors";
import type { PlainConfig } from "./config/schema";
import { serviceDemand } from "./demand";

/** The share of a cluster node's declared memory the plan fills: 10 % stays free. */
export const CLUSTER_FILL = 0.9;

export interface ClusterNodeUsage {
  readonly node: string;
  readonly memoryGb: number;
  readonly usedGb: number;
  readonly pods: readonly string[];
}

export interface ClusterPlacement {
  readonly usage: readonly ClusterNodeUsage[];
  readonly unplaced: readonly { readonly pod: string; readonly memoryGb: number }[];
}

type ClusterConfig = Pick<PlainConfig, "services" | "lab" | "platform"> &
  Partial<Pick<PlainConfig, "workloads">>;

export function placeOnCluster(config: ClusterConfig): ClusterPlacement | undefined {
  const nodes = config.platform.mode === "existing" ? config.platform.cluster?.nodes : undefined;
  if (!nodes) return undefined;
  const bins = nodes.map((node) => ({
    node: node.name,
    memoryGb: node.memoryGb,
    usedGb: 0,
    pods: [] as string[],
  }));
  const pods = serviceDemand(config)
    .flatMap(({ service, pods: sizes, names }) =>
      sizes.map((memoryGb, index) => {
        const name = names[index] ?? service;
        // Replicas of one service (Grafana's beside the stack's) keep apart; Grafana's database goes anywhere.
        return { name, service: name === "grafana-postgres" ? name : service, memoryGb };
      }),
    )
    .sort((a, b) => b.memoryGb - a.memoryGb || a.name.localeCompare(b.name));
  const unplaced: { pod: string; memoryGb: number }[] = [];
  const serviceOf = new Map(pods.map((pod) => [pod.name, pod.service]));
  for (const pod of pods) {
    const best = bins
      .filter((bin) => !bin.pods.some((other) => serviceOf.get(other) === pod.service))
      .filter((bin) => bin.usedGb + pod.memoryGb <= bin.memoryGb * CLUSTER_FILL + 1e-9)
      .sort((a, b) => b.memoryGb - b.usedGb - (a.memoryGb - a.usedGb) || a.node.localeCompare(b.node))[0];
    if (!best) {
      unplaced.push({ pod: pod.name, memoryGb: pod.memoryGb });
      continue;
    }
    best.usedGb += pod.memoryGb;
    best.pods.push(pod.name);
  }
  return { usage: bins, unplaced };
}

/** One issue for the pods the declared cluster cannot hold, with what would make them fit. */
export function clusterCapacityIssues(placement: ClusterPlacement | undefined): ConfigIssue[] {
  if (!placement || placement.unplaced.length === 0) return [];
  const need = placement.unplaced.reduce((sum, pod) => sum + pod.memoryGb, 0);
  const free = placement.usage.map(
    (node) => `${node.node} ${Math.round((node.memoryGb - node.usedGb) * 100) / 100} GB free`,
  );
  return [
    {
      path: "platform.cluster.nodes",
      message: `the cluster cannot hold ${placement.unplaced.map((pod) => `${pod.pod} (${pod.memoryGb} GB)`).join(", ")}: ${need} GB more, with ${free.join(", ")} (replicas of one service go to distinct nodes; 10 % of each node stays free)`,
      hint: "add a node or memory to platform.cluster.nodes, lower workloads.<name>.replicas or memoryGb, or drop a service from fortress:services",
    },
  ];
}
