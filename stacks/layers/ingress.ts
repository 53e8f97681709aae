/**
 * The DNS names of the UIs served through the cluster's ingress (Traefik, which k3s ships with
 * ServiceLB). ServiceLB runs Traefik's LoadBalancer ports as hostPorts from a DaemonSet on every
 * eligible node and lists those nodes' addresses as the Service's load-balancer addresses
 * (k3s-io/k3s `pkg/cloudprovider/servicelb.go`: `newDaemonSet`, `podIPs`). The names point at the k3s
 * servers, round robin like the Kubernetes API name: the DaemonSet tolerates the control-plane taints,
 * so the servers always answer; they are the stable, always-on set, while agents may be drained and
 * the GPU worker is tainted (ServiceLB does not tolerate that taint) and may not run at all.
 * An existing cluster has its own ingress address: the names point there when the config gives it
 * (platform.cluster.ingressAddress), and none are made otherwise.
 */
import type { DnsHost } from "../../components/dns-dhcp/dnsDhcp";
import type { ServiceId } from "../catalog";
import { k3sServers } from "../cluster";
import { identityHostnames } from "../hostnames";
import type { LabModel } from "../lab";

/** The UIs behind the ingress and the service that brings each (no name for a UI that is not enabled). */
const INGRESS_UIS = [
  { ui: "keycloak", service: "keycloak" },
  { ui: "vaultwarden", service: "vaultwarden" },
  { ui: "grafana", service: "prometheus" },
  { ui: "wazuhDashboard", service: "wazuh-dashboard" },
  { ui: "thehive", service: "thehive" },
  { ui: "cortex", service: "cortex" },
] as const satisfies readonly { ui: keyof ReturnType<typeof identityHostnames>; service: ServiceId }[];

/**
 * Where the ingress answers: the k3s servers, or on an existing cluster the address its ingress
 * controller answers on (platform.cluster.ingressAddress, on the servers network), if given.
 */
function ingressTargets(lab: LabModel): { name: string; ip: string; network: string }[] {
  const { platform, networks } = lab.config;
  if (platform.mode === "k3s")
    return k3sServers(lab).map((server) => ({
      name: server.name,
      ip: server.ip,
      network: server.networkConfig.name,
    }));
  const address = platform.cluster?.ingressAddress;
  const network = networks.find((candidate) => candidate.purpose === "servers");
  return address && network ? [{ name: "ingress", ip: address, network: network.name }] : [];
}

export function ingressHosts(lab: LabModel): DnsHost[] {
  const { services, lab: settings } = lab.config;
  const enabled = new Set<string>(services);
  const hostnames = identityHostnames(lab);
  const suffix = `.${settings.domain}`;
  const servers = ingressTargets(lab);
  return INGRESS_UIS.filter(({ service }) => enabled.has(service)).flatMap(({ ui }) => {
    const fqdn = hostnames[ui];
    if (!fqdn.endsWith(suffix)) throw new Error(`internal: ${fqdn} is not under ${settings.domain}`);
    const name = fqdn.slice(0, -suffix.length);
    return servers.map((server) => ({
      name,
      key: `${name}-${server.name}`,
      address: server.ip,
      network: server.network,
      description: `fortress ${name} (ingress) on ${server.name}`,
    }));
  });
}
