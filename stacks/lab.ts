/**
 * The lab model: a valid config turned into concrete VMs (placed on nodes, addressed on their
 * VLANs), or the list of problems that stop it. Pure: no Pulumi, no secrets.
 */
import { allocateAddresses, macFor } from "./addressing";
import type { ConfigIssue } from "./config/errors";
import type { ProfileDecision } from "./config/profile";
import { cidrContainsHost, ipToInt, parseCidr } from "../vocabulary/addresses";
import type { NetworkConfig, NodeConfig, PlainConfig } from "./config/schema";
import { deriveVms, type VmRequest } from "./inventory";
import { type Placement, placeVms } from "./placement";
import { unplacedIssue } from "./placementAdvice";
import { type ClusterPlacement, clusterCapacityIssues, placeOnCluster } from "./clusterPlacement";

export interface PlannedVm extends VmRequest {
  readonly node: NodeConfig;
  readonly networkConfig: NetworkConfig;
  readonly ip: string;
  readonly prefix: number;
  readonly mac: string;
  readonly fqdn: string;
}

export interface LabModel {
  readonly config: PlainConfig;
  readonly vms: readonly PlannedVm[];
  readonly placement: Placement;
  /** The k3s workloads on the existing cluster's declared nodes (platform.cluster), when there are any. */
  readonly cluster?: ClusterPlacement;
  /** Values the lab's profile decided because the config left them out (config/profile.ts); from the door. */
  readonly decisions?: readonly ProfileDecision[];
}

export type Resolution =
  { readonly ok: true; readonly lab: LabModel } | { readonly ok: false; readonly issues: ConfigIssue[] };

function capacityIssues(config: PlainConfig, placement: Placement, vms: readonly VmRequest[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const { vm, reason } of placement.unplaced) {
    if (vms.find((candidate) => candidate.name === vm)?.pinnedNode === undefined) continue;
    issues.push({
      path: `vms.${vm}.node`,
      message: `VM ${vm} cannot be placed: ${reason}`,
      hint: "pin it to a node that has the room and the capability, or remove the pin",
    });
  }
  const unplaced = unplacedIssue(config, vms, placement);
  if (unplaced) issues.push(unplaced);
  placement.usage.forEach((usage, index) => {
    const over = (["memoryGb", "cores", "diskGb"] as const).filter(
      (key) => usage.used[key] > usage.capacity[key] + 1e-9,
    );
    for (const key of over) {
      const unit = key === "cores" ? "vCPU" : key === "memoryGb" ? "GB RAM" : "GB disk";
      const where = key === "diskGb" ? "in its VM datastore (vmStorageGb)" : "after the reserve for Proxmox";
      issues.push({
        path: `nodes[${index}]`,
        message: `${usage.node} is over capacity: its VMs (${usage.vms.join(", ")}) need ${usage.used[key]} ${unit}, it has ${usage.capacity[key]} ${where}`,
        hint: "move a pinned VM (vms.<name>.node) elsewhere, shrink it, or raise the node's size if it was understated",
      });
    }
  });
  return issues;
}

/** A pin overrides the placer, so it must not put a VM on a node without the capability its role cannot run without. */
function addressIssues(
  config: PlainConfig,
  requests: readonly VmRequest[],
  networkFor: (vm: VmRequest) => NetworkConfig | undefined,
): { issues: ConfigIssue[]; addressOf: Map<string, string> } {
  const issues: ConfigIssue[] = [];
  const addressOf = new Map<string, string>();
  const taken = new Map<string, string>(config.nodes.map((node) => [node.address, `nodes ${node.name}`]));
  for (const network of config.networks) taken.set(network.gateway, `the gateway of ${network.name}`);
  // The routes' load-balancer addresses on an existing cluster (config/checks.ts checkPlatform).
  for (const [route, address] of Object.entries(config.platform.cluster?.loadBalancer ?? {}))
    taken.set(address, `platform.cluster.loadBalancer.${route}`);

  for (const vm of requests) {
    if (vm.pinnedIp === undefined) continue;
    const network = networkFor(vm);
    const path = `vms.${vm.name}.ip`;
    const cidr = network && parseCidr(network.cidr);
    if (!network || !cidr) continue;
    const clash = taken.get(vm.pinnedIp);
    if (!cidrContainsHost(cidr, vm.pinnedIp)) {
      issues.push({
        path,
        message: `${vm.pinnedIp} is not in ${network.name} (${network.cidr}), the network of ${vm.name}`,
        hint: `pick a free address of ${network.cidr}`,
      });
    } else if (
      ipToInt(vm.pinnedIp) >= ipToInt(network.dhcp.start) &&
      ipToInt(vm.pinnedIp) <= ipToInt(network.dhcp.end)
    ) {
      issues.push({
        path,
        message: `${vm.pinnedIp} is inside the DHCP range ${network.dhcp.start}–${network.dhcp.end}`,
        hint: "use an address outside the DHCP range",
      });
    } else if (clash) {
      issues.push({
        path,
        message: `${vm.pinnedIp} is already used by ${clash}`,
        hint: "give every VM its own address",
      });
    }
    taken.set(vm.pinnedIp, `vms ${vm.name}`);
  }
  if (issues.length > 0) return { issues, addressOf };

  for (const network of config.networks) {
    const members = requests.filter((vm) => networkFor(vm) === network);
    const allocation = allocateAddresses(network, members, new Set(taken.keys()));
    for (const [name, ip] of allocation.addressOf) addressOf.set(name, ip);
    for (const name of allocation.exhausted) {
      issues.push({
        path: `networks[${config.networks.indexOf(network)}].dhcp`,
        message: `no static address is left in ${network.name} for ${name}`,
        hint: "shrink the DHCP range or widen the subnet",
      });
    }
  }
  return { issues, addressOf };
}

/** Turns a shape- and semantics-checked config into the lab model, or the problems of capacity and addresses. */
export function resolveLab(config: PlainConfig): Resolution {
  const requests = deriveVms(config);
  const placement = placeVms(requests, config.nodes, config.lab);
  const networkFor = (vm: VmRequest) => config.networks.find((network) => network.purpose === vm.network);
  const addressing = addressIssues(config, requests, networkFor);
  const cluster = placeOnCluster(config);
  const issues = [
    ...capacityIssues(config, placement, requests),
    ...clusterCapacityIssues(cluster),
    ...addressing.issues,
  ];
  if (issues.length > 0) return { ok: false, issues };

  const vms = requests.map<PlannedVm>((vm) => {
    const node = config.nodes.find((candidate) => candidate.name === placement.nodeOf.get(vm.name));
    const networkConfig = networkFor(vm);
    const ip = addressing.addressOf.get(vm.name);
    const cidr = networkConfig && parseCidr(networkConfig.cidr);
    if (!node || !networkConfig || !ip || !cidr) throw new Error(`internal: ${vm.name} was not resolved`);
    return {
      ...vm,
      node,
      networkConfig,
      ip,
      prefix: cidr.prefix,
      mac: macFor(vm.name),
      fqdn: `${vm.name}.${config.lab.domain}`,
    };
  });
  return { ok: true, lab: { config, vms, placement, ...(cluster ? { cluster } : {}) } };
}
