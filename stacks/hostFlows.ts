/**
 * The flows Fortress derives from the lab, beside the admin's zone matrix (issue 12, "The zone matrix
 * carries the flows"). With the `wazuh-manager` service on, its VM's planned address is known before
 * the network layer is built (addresses are planned, stacks/addressing.ts), so the firewall opens
 * exactly that address, not the manager's whole network:
 *
 * - every zone with agents (AGENT_ZONE_PURPOSES: the zones with Fortress VMs or user devices) →
 *   the manager, `wazuh-agent` (1514/TCP events, 1515/TCP enrollment);
 * - every quarantine network → the manager, `wazuh-agent-events` (1514/TCP) alone: a contained host
 *   keeps its agent link and reaches nothing else.
 *
 * - with the `clamav` service on, every zone with agents → the lab's clamd address (the first k3s
 *   server, where ServiceLB listens: clamdHost; on an existing cluster, the address its load balancer
 *   hands clamd's route: routeTarget), `clamd` (3310/TCP): fortress-clamdscan streams new
 *   files there. Not from quarantine: a contained host keeps its 1514 link and nothing else.
 *
 * - with the `wazuh-indexer` service on, every network with a VM that ships logs to the indexer with
 *   Vector (INDEXER_SHIPPER_ROLES: Zeek's sensor, the scanner) → the indexer node's address, where
 *   ServiceLB listens (components/siem/indexerRoute.ts), or the existing cluster's load-balancer
 *   address for the indexer's route, `opensearch` (9200/TCP).
 *
 * The target's own network needs no flow (same-VLAN traffic never crosses the firewall).
 *
 * OPNsense's own syslog to the manager is not a flow here: it is the firewall's outbound traffic,
 * which OPNsense passes with a built-in rule, "let out anything from firewall host itself" (direction
 * out, keep state, on every interface: opnsense/core@26.7.2 src/etc/inc/filter.lib.inc), not with an
 * inbound rule on a VLAN interface, where the zone matrix lives. It leaves from the firewall's address
 * on the manager's VLAN, which the Proxmox group of that zone accepts as intra-zone traffic.
 *
 * Beside them, the hosts that call the firewall's own API (`firewallApiClients`, not a HostFlow: the
 * destination is the firewall, on the API's port alone, and the source one address): the Wazuh manager,
 * where the containment action runs, while the `quarantine` and `wazuh-manager` services and the
 * response layer are on.
 *
 * Pure: no Pulumi, no I/O.
 */
import { firewallApiEndpoint } from "../components/network/firewallApi";
import type { FirewallApiClient, HostFlow } from "../components/network/types";
import type { NetworkPurpose } from "../vocabulary/zones";
import type { NetworkConfig } from "./config/schema";
import { K3S_SERVER_ROLE } from "./catalog";
import { poolHosts } from "./cluster";
import { MANAGER_ROLE } from "./enrollment";
import { isLayerEnabled } from "./config/checks";
import type { ClusterRoute } from "./config/clusterRoutes";
import type { PlainConfig } from "./config/schema";

/** The zones whose hosts run Wazuh agents: Fortress's VMs (servers, sensors, users) and admins' machines. */
export const AGENT_ZONE_PURPOSES: readonly NetworkPurpose[] = ["management", "servers", "sensors", "users"];

/** What the derivation reads of the lab: the enabled services, the networks, and the planned VMs. */
export interface HostFlowLab {
  readonly config: {
    readonly services: readonly string[];
    readonly networks: readonly Pick<NetworkConfig, "name" | "purpose">[];
    /** On an existing cluster, the routes' load-balancer addresses (platform.cluster.loadBalancer). */
    readonly platform?: {
      readonly mode: "k3s" | "existing";
      readonly cluster?: { readonly loadBalancer?: Partial<Record<ClusterRoute, string>> | undefined };
    };
  };
  readonly vms: readonly {
    readonly name: string;
    readonly ip: string;
    readonly role: { readonly name: string };
    readonly networkConfig: Pick<NetworkConfig, "name">;
  }[];
}

/** The agents' flows to the Wazuh manager's VM; none while the manager service is off. */
export function managerFlows(lab: HostFlowLab): HostFlow[] {
  if (!lab.config.services.includes("wazuh-manager")) return [];
  const managers = lab.vms.filter((vm) => vm.role.name === MANAGER_ROLE);
  return managers.flatMap((manager) =>
    lab.config.networks
      .filter((network) => network.name !== manager.networkConfig.name)
      .flatMap((network): HostFlow[] => {
        const to = { to: manager.networkConfig.name, host: manager.name, address: manager.ip };
        if (network.purpose === "quarantine")
          return [{ from: network.name, ...to, services: ["wazuh-agent-events"] }];
        if (AGENT_ZONE_PURPOSES.includes(network.purpose))
          return [{ from: network.name, ...to, services: ["wazuh-agent"] }];
        return [];
      }),
  );
}

/**
 * The VM agents reach clamd on: the first k3s server by name (k3s-server-2 before k3s-server-10).
 * ServiceLB's DaemonSet tolerates the control-plane taints (k3s-io/k3s pkg/cloudprovider/servicelb.go
 * `newDaemonSet`), so a server always listens on 3310; one address, since clamdscan does not fall back
 * to a second TCPAddr (components/endpoint/clamav/config.ts). The endpoint layer uses the same one.
 */
export function clamdHost<Vm extends HostFlowLab["vms"][number]>(vms: readonly Vm[]): Vm | undefined {
  return vms
    .filter((vm) => vm.role.name === K3S_SERVER_ROLE)
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }))[0];
}

/** Where VMs and the firewall reach one of the cluster's routes (a network of the lab, a name, one address). */
export interface RouteTarget {
  /** The declared network the address is on. */
  readonly network: string;
  /** The VM's name (k3s), or the route's (an existing cluster's load balancer): for rule descriptions. */
  readonly host: string;
  readonly address: string;
  /** The address is an existing cluster's load balancer's, not a Fortress VM's. */
  readonly loadBalancer: boolean;
}

/** The names the routes' load-balancer addresses carry in the firewall's rule descriptions. */
export const ROUTE_HOSTS: Readonly<Record<ClusterRoute, string>> = {
  indexer: "lb-wazuh-indexer",
  clamd: "lb-clamd",
  syslog: "lb-vector-syslog",
};

/**
 * A route's target: with Fortress's k3s, the node ServiceLB listens on (the indexer's: indexerHost;
 * clamd's and the aggregator's syslog: clamdHost); on an existing cluster, the address its load balancer
 * hands the route, on the servers network (config/checks.ts checkPlatform); none when neither exists.
 */
export function routeTarget(lab: HostFlowLab, route: ClusterRoute): RouteTarget | undefined {
  if (lab.config.platform?.mode === "existing") {
    const address = lab.config.platform.cluster?.loadBalancer?.[route];
    const servers = lab.config.networks.find((network) => network.purpose === "servers");
    if (address === undefined || !servers) return undefined;
    return { network: servers.name, host: ROUTE_HOSTS[route], address, loadBalancer: true };
  }
  const vm = route === "indexer" ? indexerHost(lab.vms) : clamdHost(lab.vms);
  return vm && { network: vm.networkConfig.name, host: vm.name, address: vm.ip, loadBalancer: false };
}

/** The agents' flows to the lab's clamd; none while the clamav service is off. */
export function clamdFlows(lab: HostFlowLab): HostFlow[] {
  if (!lab.config.services.includes("clamav")) return [];
  const target = routeTarget(lab, "clamd");
  if (!target) return [];
  return lab.config.networks
    .filter((network) => network.name !== target.network)
    .filter((network) => AGENT_ZONE_PURPOSES.includes(network.purpose))
    .map((network) => ({
      from: network.name,
      to: target.network,
      host: target.host,
      address: target.address,
      services: ["clamd"],
    }));
}

/** The roles whose VMs ship logs to the indexer with Vector: Zeek's sensor and the scanner. */
export const INDEXER_SHIPPER_ROLES: readonly string[] = ["zeek", "greenbone"];

/** The VM the shippers reach the indexer on: the first VM of the indexer's pool by name (ServiceLB listens there). */
export function indexerHost<Vm extends HostFlowLab["vms"][number]>(vms: readonly Vm[]): Vm | undefined {
  return poolHosts(vms, "indexer")[0];
}

/** The VMs that ship logs to the indexer (INDEXER_SHIPPER_ROLES); none while the indexer is off. */
export function indexerShippers<Vm extends HostFlowLab["vms"][number]>(lab: {
  readonly config: { readonly services: readonly string[] };
  readonly vms: readonly Vm[];
}): Vm[] {
  if (!lab.config.services.includes("wazuh-indexer")) return [];
  return lab.vms.filter((vm) => INDEXER_SHIPPER_ROLES.includes(vm.role.name));
}

/** The shippers' flows to the indexer: one per network with a shipper, but the indexer's own. */
export function indexerShipperFlows(lab: HostFlowLab): HostFlow[] {
  const target = routeTarget(lab, "indexer");
  if (!target) return [];
  const from = new Set(
    indexerShippers(lab)
      .map((vm) => vm.networkConfig.name)
      .filter((network) => network !== target.network),
  );
  return [...from].map((network) => ({
    from: network,
    to: target.network,
    host: target.host,
    address: target.address,
    services: ["opensearch"],
  }));
}

/** Every flow Fortress derives for the network layer. */
export function derivedHostFlows(lab: HostFlowLab): HostFlow[] {
  return [...managerFlows(lab), ...clamdFlows(lab), ...indexerShipperFlows(lab)];
}

/** Why the manager calls the firewall's API, as its rule's description says it. */
export const CONTAINMENT_WHY = "containment";
/** Why a general k3s agent calls the firewall's API: Cortex's containment responder may run there. */
export const CORTEX_RESPONDER_WHY = "containment responder (Cortex)";

/** What the API clients' derivation reads beyond HostFlowLab: the layers and the firewall's URL. */
export interface FirewallApiLab extends HostFlowLab {
  readonly config: HostFlowLab["config"] & {
    readonly layers: PlainConfig["layers"];
    readonly opnsense?: { readonly url: string };
  };
}

/**
 * The hosts that call the firewall's API: each Wazuh manager VM, where fortress-contain runs
 * (components/response/containment: `firewall/alias_util/add`, `diagnostics/firewall/kill_states`),
 * while the `quarantine` service (the alias it fills), the `wazuh-manager` service (the host) and the
 * response layer (fortress:layers.response, on unless false) are on. None when `fortress:opnsense.url`
 * names a host name rather than an IPv4 address: a filter rule needs the address (firewallApiEndpoint).
 */
export function firewallApiClients(lab: FirewallApiLab): FirewallApiClient[] {
  const { services, layers, opnsense } = lab.config;
  if (!services.includes("quarantine") || !services.includes("wazuh-manager")) return [];
  if (!isLayerEnabled(layers, "response")) return [];
  if (!opnsense || !firewallApiEndpoint(opnsense.url)) return [];
  const client = (why: string) => (vm: FirewallApiLab["vms"][number]) => ({
    from: vm.networkConfig.name,
    host: vm.name,
    address: vm.ip,
    why,
  });
  // Cortex's containment responder runs in Cortex's pod, on a general k3s agent, whose address its
  // traffic leaves with; the response namespace's NetworkPolicy lets Cortex alone reach the API.
  const cortexNodes = services.includes("cortex")
    ? poolHosts(lab.vms, "general").map(client(CORTEX_RESPONDER_WHY))
    : [];
  return [
    ...lab.vms.filter((vm) => vm.role.name === MANAGER_ROLE).map(client(CONTAINMENT_WHY)),
    ...cortexNodes,
  ];
}
