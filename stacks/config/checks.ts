/**
 * Semantic checks that the shape alone cannot express. Each takes the keys it needs, already
 * shape-checked, and returns every problem it finds; a key that failed its shape check is passed as
 * undefined, and the checks that need it are skipped.
 */
import { LAYERS, type LayerName, upstreamOf } from "../blueprint";
import { ROLES, type ServiceId, serviceSpec } from "../catalog";
import type { ConfigIssue } from "./errors";
import { cidrContainsHost, cidrsOverlap, ipToInt, parseCidr } from "../../vocabulary/addresses";
import type { NetworkConfig, NodeConfig, PlainConfig, ProxmoxSettings } from "./schema";

export const issue = (path: string, message: string, hint: string): ConfigIssue => ({ path, message, hint });

function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string | number,
): Map<string | number, number[]> {
  const seen = new Map<string | number, number[]>();
  items.forEach((item, index) => {
    const value = key(item);
    seen.set(value, [...(seen.get(value) ?? []), index]);
  });
  return new Map([...seen].filter(([, indexes]) => indexes.length > 1));
}

function uniqueness<T>(
  items: readonly T[],
  collection: string,
  field: string,
  key: (item: T) => string | number,
  hint: string,
): ConfigIssue[] {
  return [...duplicates(items, key)].flatMap(([value, indexes]) =>
    indexes
      .slice(1)
      .map((index) =>
        issue(
          `${collection}[${index}].${field}`,
          `${field} ${JSON.stringify(value)} is already used by ${collection}[${indexes[0]}]`,
          hint,
        ),
      ),
  );
}

const inDhcpRange = (network: NetworkConfig, ip: string) =>
  ipToInt(ip) >= ipToInt(network.dhcp.start) && ipToInt(ip) <= ipToInt(network.dhcp.end);

/** Purposes whose VMs and rules Fortress puts on exactly one network. */
const SINGLE_NETWORK_PURPOSES = ["management", "servers", "sensors", "quarantine"] as const;

function singlePurposeIssues(networks: readonly NetworkConfig[]): ConfigIssue[] {
  return SINGLE_NETWORK_PURPOSES.flatMap((purpose) => {
    const indexes = networks.flatMap((network, index) => (network.purpose === purpose ? [index] : []));
    return indexes
      .slice(1)
      .map((index) =>
        issue(
          `networks[${index}].purpose`,
          `purpose ${purpose} is already used by networks[${indexes[0]}]`,
          `Fortress puts its ${purpose} VMs and rules on one network; give this one another purpose`,
        ),
      );
  });
}

/** `complete`: false when some entries failed their shape check, so a purpose missing here may be theirs. */
export function checkNetworks(networks: readonly NetworkConfig[], complete = true): ConfigIssue[] {
  const issues: ConfigIssue[] = [
    ...uniqueness(networks, "networks", "name", (n) => n.name, "give every network its own name"),
    ...uniqueness(networks, "networks", "vlan", (n) => n.vlan, "give every network its own VLAN id"),
  ];
  networks.forEach((network, index) => {
    const path = `networks[${index}]`;
    const cidr = parseCidr(network.cidr);
    if (!cidr) return;
    for (let other = 0; other < index; other++) {
      const otherCidr = parseCidr(networks[other]?.cidr ?? "");
      if (otherCidr && cidrsOverlap(cidr, otherCidr)) {
        issues.push(
          issue(
            `${path}.cidr`,
            `${network.cidr} overlaps networks[${other}] (${networks[other]?.name}, ${networks[other]?.cidr})`,
            "give every VLAN a subnet of its own",
          ),
        );
      }
    }
    if (!cidrContainsHost(cidr, network.gateway)) {
      issues.push(
        issue(
          `${path}.gateway`,
          `${network.gateway} is not a host address of ${network.cidr}`,
          "use the firewall's address on this VLAN",
        ),
      );
    }
    for (const end of ["start", "end"] as const) {
      if (!cidrContainsHost(cidr, network.dhcp[end])) {
        issues.push(
          issue(
            `${path}.dhcp.${end}`,
            `${network.dhcp[end]} is not a host address of ${network.cidr}`,
            "keep the DHCP range inside the subnet",
          ),
        );
      }
    }
    if (ipToInt(network.dhcp.start) > ipToInt(network.dhcp.end)) {
      issues.push(
        issue(
          `${path}.dhcp`,
          `the range starts at ${network.dhcp.start}, after its end ${network.dhcp.end}`,
          "swap start and end",
        ),
      );
    } else if (inDhcpRange(network, network.gateway)) {
      issues.push(
        issue(
          `${path}.gateway`,
          `${network.gateway} is inside the DHCP range ${network.dhcp.start}–${network.dhcp.end}`,
          "move the DHCP range off the gateway",
        ),
      );
    }
  });
  issues.push(...singlePurposeIssues(networks));
  if (complete && !networks.some((network) => network.purpose === "management")) {
    issues.push(
      issue(
        "networks",
        "no network has purpose management",
        "declare the VLAN the Proxmox nodes and the firewall are managed on",
      ),
    );
  }
  return issues;
}

export function checkNodes(
  nodes: readonly NodeConfig[],
  networks: readonly NetworkConfig[] | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [
    ...uniqueness(nodes, "nodes", "name", (n) => n.name, "give every node its own name"),
    ...uniqueness(
      nodes,
      "nodes",
      "proxmoxNode",
      (n) => n.proxmoxNode,
      "each entry is one Proxmox node; list it once",
    ),
    ...uniqueness(nodes, "nodes", "address", (n) => n.address, "each node needs its own management address"),
  ];
  const management = networks?.find((network) => network.purpose === "management");
  const managementCidr = management && parseCidr(management.cidr);
  nodes.forEach((node, index) => {
    const path = `nodes[${index}]`;
    const hasGpuCapability = node.capabilities.includes("gpu");
    if (hasGpuCapability && !node.gpu) {
      issues.push(
        issue(
          `${path}.gpu`,
          "the node has the gpu capability but no gpu device",
          "add gpu: {id, subsystemId, iommuGroup, path} as the README's GPU host setup shows (`lspci -nn -v` on the node)",
        ),
      );
    }
    if (!hasGpuCapability && node.gpu) {
      issues.push(
        issue(
          `${path}.capabilities`,
          "the node has a gpu device but not the gpu capability",
          'add "gpu" to capabilities',
        ),
      );
    }
    if (management && managementCidr) {
      if (!cidrContainsHost(managementCidr, node.address)) {
        issues.push(
          issue(
            `${path}.address`,
            `${node.address} is not in the management network ${management.cidr}`,
            "give the node an address on the management VLAN",
          ),
        );
      } else if (inDhcpRange(management, node.address) || node.address === management.gateway) {
        issues.push(
          issue(
            `${path}.address`,
            `${node.address} is the gateway or inside the management DHCP range`,
            "use a static address outside the DHCP range",
          ),
        );
      }
    }
  });
  return issues;
}

export function isLayerEnabled(layers: PlainConfig["layers"], layer: LayerName): boolean {
  return layers[layer] ?? true;
}

export function checkLayers(layers: PlainConfig["layers"]): ConfigIssue[] {
  return LAYERS.filter((layer) => isLayerEnabled(layers, layer)).flatMap((layer) =>
    [...upstreamOf(layer)]
      .filter((upstream) => !isLayerEnabled(layers, upstream))
      .map((upstream) =>
        issue(
          `layers.${layer}`,
          `layer ${layer} is enabled but it depends on ${upstream}, which is disabled`,
          `enable ${upstream} or disable ${layer}`,
        ),
      ),
  );
}

/** `complete`: false when some entries failed their shape check, so a dependency missing here may be one of them. */
export function checkServices(
  services: readonly ServiceId[],
  layers: PlainConfig["layers"] | undefined,
  nodes: readonly NodeConfig[] | undefined,
  networks: readonly NetworkConfig[] | undefined,
  complete = true,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const enabled = new Set(services);
  services.forEach((id, index) => {
    const first = services.indexOf(id);
    if (first !== index) {
      issues.push(
        issue(
          `services[${index}]`,
          `${id} is already listed at services[${first}]`,
          "list each service once",
        ),
      );
    }
    const spec = serviceSpec(id);
    const path = `services[${index}]`;
    for (const needed of spec.requires) {
      if (complete && !enabled.has(needed)) {
        issues.push(
          issue(
            path,
            `${id} needs ${needed}, which is not enabled`,
            `add ${needed} to services or remove ${id}`,
          ),
        );
      }
    }
    if (layers && !isLayerEnabled(layers, spec.layer)) {
      issues.push(
        issue(
          path,
          `${id} belongs to layer ${spec.layer}, which is disabled`,
          `enable layers.${spec.layer} or remove ${id}`,
        ),
      );
    }
    const role = spec.placement.kind === "vm" ? ROLES[spec.placement.role] : undefined;
    if (
      role?.requires &&
      nodes &&
      !nodes.some((node) => node.capabilities.includes(role.requires as never))
    ) {
      issues.push(
        issue(
          path,
          `${id} needs a node with the ${role.requires} capability`,
          `add "${role.requires}" to a node's capabilities or remove ${id}`,
        ),
      );
    }
    if (role && networks && !networks.some((network) => network.purpose === role.network)) {
      issues.push(
        issue(
          path,
          `${id} runs on the ${role.network} network, and none is declared`,
          `declare a network with purpose ${role.network}`,
        ),
      );
    }
  });
  return issues;
}

/** Checks of per-VM overrides that need only the declared names; placement and addresses are checked in lab.ts. */
export function checkVmOverrides(
  overrides: PlainConfig["vms"],
  derivedNames: ReadonlySet<string>,
  nodes: readonly NodeConfig[] | undefined,
): ConfigIssue[] {
  return Object.entries(overrides).flatMap(([name, override]) => {
    const issues: ConfigIssue[] = [];
    if (!derivedNames.has(name)) {
      const known = [...derivedNames].join(", ") || "none: no service that needs a VM is enabled";
      issues.push(
        issue(`vms.${name}`, `no VM named ${name} follows from the enabled services`, `use one of: ${known}`),
      );
    }
    if (override.node !== undefined && nodes && !nodes.some((node) => node.name === override.node)) {
      issues.push(
        issue(
          `vms.${name}.node`,
          `node ${override.node} is not declared`,
          `use one of: ${nodes.map((node) => node.name).join(", ")}`,
        ),
      );
    }
    return issues;
  });
}

/**
 * While the network layer is on, Fortress needs the firewall and the interface each VLAN is assigned to.
 * `opnsenseSet`: the key is in the config, even if its shape check failed (that problem is reported there).
 */
export function checkFirewall(
  opnsense: PlainConfig["opnsense"],
  networks: readonly NetworkConfig[] | undefined,
  layers: PlainConfig["layers"] | undefined,
  opnsenseSet = opnsense !== undefined,
): ConfigIssue[] {
  if (!isLayerEnabled(layers ?? {}, "network")) return [];
  const issues: ConfigIssue[] = [];
  if (!opnsenseSet) {
    issues.push(
      issue(
        "opnsense",
        "is not set, and the network layer needs the firewall",
        "add fortress:opnsense with url and trunk, or set layers.network: false",
      ),
    );
  }
  (networks ?? []).forEach((network, index) => {
    if (network.interface === undefined) {
      issues.push(
        issue(
          `networks[${index}].interface`,
          "is not set, and the network layer puts the VLAN's rules on it",
          "assign the VLAN device under Interfaces > Assignments in OPNsense and give its identifier here (e.g. opt2)",
        ),
      );
    }
  });
  const firstWith = new Map<string, number>();
  (networks ?? []).forEach((network, index) => {
    if (network.interface === undefined) return;
    const first = firstWith.get(network.interface);
    if (first === undefined) firstWith.set(network.interface, index);
    else {
      issues.push(
        issue(
          `networks[${index}].interface`,
          `interface ${network.interface} is already used by networks[${first}]`,
          "each VLAN has its own OPNsense interface",
        ),
      );
    }
  });
  return issues;
}

/** k3s mode builds the cluster from the k3s service's VMs; an existing cluster needs none of them. */
export function checkPlatform(
  platform: Pick<PlainConfig["platform"], "mode"> &
    Partial<Pick<PlainConfig["platform"], "installer" | "airgap" | "certificateRotation" | "cluster">>,
  services: readonly ServiceId[],
  layers: PlainConfig["layers"] | undefined,
): ConfigIssue[] {
  if (!isLayerEnabled(layers ?? {}, "platform")) return [];
  if (platform.mode === "k3s" && !services.includes("k3s")) {
    return [
      issue(
        "services",
        "the platform layer builds k3s, and the k3s service is not enabled",
        "add k3s to services, or set platform.mode: existing and fortress:kubeconfig",
      ),
    ];
  }
  const issues: ConfigIssue[] = [];
  if (platform.mode === "k3s" && platform.cluster?.loadBalancer !== undefined)
    issues.push(
      issue(
        "platform.cluster.loadBalancer",
        "names the load balancer of a cluster Fortress does not build, and platform.mode is k3s (k3s's ServiceLB serves the routes on the nodes' addresses)",
        "remove platform.cluster.loadBalancer, or set platform.mode: existing and fortress:kubeconfig",
      ),
    );
  if (platform.mode === "existing" && services.includes("gpu-worker")) {
    issues.push(
      issue(
        "services",
        "gpu-worker is a k3s agent VM, and platform.mode is existing",
        "remove gpu-worker, or let Fortress build k3s (platform.mode: k3s)",
      ),
    );
  }
  if (platform.mode === "existing") {
    for (const key of ["installer", "airgap", "certificateRotation"] as const) {
      if (platform[key] !== undefined)
        issues.push(
          issue(
            `platform.${key}`,
            "applies to the k3s Fortress builds, and platform.mode is existing",
            `remove platform.${key}, or let Fortress build k3s (platform.mode: k3s)`,
          ),
        );
    }
  }
  return issues;
}

/**
 * Storage ids that a default Proxmox install puts on the boot disk, beside the VM disks: `local` (a
 * directory on the root volume) and `local-lvm` / `local-zfs` (the VM datastore itself).
 */
const BOOT_DISK_STORAGES: ReadonlySet<string> = new Set(["local", "local-lvm", "local-zfs"]);

/** Backups on the VMs' own disk die with it: say so at the door unless the config accepts it. */
export function checkBackup(proxmox: Pick<ProxmoxSettings, "backup" | "vmDatastore">): ConfigIssue[] {
  const { backup } = proxmox;
  const onVmDisk = BOOT_DISK_STORAGES.has(backup.storage) || backup.storage === proxmox.vmDatastore;
  if (!onVmDisk || backup.onVmDisk) return [];
  return [
    issue(
      "proxmox.backup.storage",
      `${backup.storage} is on the same disk as the VMs (${proxmox.vmDatastore}): a failed disk loses the VMs and their backups together`,
      "add a storage on another disk or machine (NFS, Proxmox Backup Server: Datacenter > Storage) and name it here, or set proxmox.backup.onVmDisk: true to accept the risk",
    ),
  ];
}
