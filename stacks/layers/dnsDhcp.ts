/** Maps the lab model onto the DNS/DHCP layer: a name for every VM and node, a reservation for every VM. */
import { type DnsHost, DnsDhcp } from "../../components/dns-dhcp/dnsDhcp";
import { k3sServers } from "../cluster";
import { firewallRef } from "./connections";
import type { LabModel } from "../lab";
import { ingressHosts } from "./ingress";
import type { LayerBuild } from "./types";

/** The Kubernetes API name on every k3s server (round robin); an existing cluster has its own name. */
function apiHosts(lab: LabModel): DnsHost[] {
  const { platform } = lab.config;
  if (platform.mode !== "k3s") return [];
  return k3sServers(lab).map((server) => ({
    name: platform.apiName,
    key: `${platform.apiName}-${server.name}`,
    address: server.ip,
    network: server.networkConfig.name,
    description: `fortress Kubernetes API on ${server.name}`,
  }));
}

export const buildDnsDhcp: LayerBuild<"dns-dhcp", "network"> = (inputs, opts) => {
  const { config, vms } = inputs.lab;
  const management = config.networks.find((network) => network.purpose === "management");
  const hosts: DnsHost[] = [
    ...config.nodes.map((node) => ({
      name: node.name,
      address: node.address,
      network: management?.name ?? "",
    })),
    ...vms.map((vm) => ({ name: vm.name, address: vm.ip, mac: vm.mac, network: vm.networkConfig.name })),
    ...apiHosts(inputs.lab),
    ...ingressHosts(inputs.lab),
  ];
  const { network } = inputs.upstream;
  return new DnsDhcp(
    "dns-dhcp",
    {
      firewall: firewallRef(inputs),
      domain: config.lab.domain,
      dhcp: config.opnsense?.dhcp ?? "kea",
      networks: config.networks.map((entry) => ({
        name: entry.name,
        cidr: entry.cidr,
        interface: entry.interface ?? "",
        dhcp: entry.dhcp,
      })),
      hosts,
      firewallReady: network.preflight,
    },
    opts,
  );
};
