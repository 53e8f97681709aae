import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { DNS_DHCP_TYPE, NETWORK_TYPE, OPNSENSE, VM_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";

const network = planResource(NETWORK_TYPE, "network", {
  networks: [
    { name: "mgmt", vlan: 10, cidr: "10.10.10.0/24" },
    { name: "servers", vlan: 20, cidr: "10.10.20.0/24" },
  ],
});
const dnsDhcp = planResource(DNS_DHCP_TYPE, "dns-dhcp");
const hypervisor = layerComponent("hypervisor");

const vm = (name: string, vlanId: number, macAddress: string): PlanResource =>
  planResource(
    VM_TYPE,
    name,
    { name, nodeName: "pve1", networkDevices: [{ bridge: "vmbr0", vlanId, macAddress }] },
    { parent: hypervisor },
  );
const dns = (hostname: string) =>
  planResource(
    OPNSENSE("hostOverride"),
    `dns-dhcp-dns-${hostname}`,
    { fields: { hostname, domain: "home.arpa", rr: "A" } },
    { parent: dnsDhcp },
  );
const kea = (hostname: string, hw_address: string) =>
  planResource(
    OPNSENSE("keaReservation"),
    `dns-dhcp-dhcp-${hostname}`,
    { fields: { hostname, hw_address } },
    { parent: dnsDhcp },
  );
const dnsmasq = (host: string, hwaddr: string) =>
  planResource(
    OPNSENSE("dnsmasqHost"),
    `dns-dhcp-dhcp-${host}`,
    { fields: { host, hwaddr } },
    { parent: dnsDhcp },
  );

const server = vm("k3s-server-1", 20, "02:73:3D:E7:81:05");
const named = [network, dnsDhcp, hypervisor, server, dns("k3s-server-1")];

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a VM with its VLAN, DNS name and Kea reservation (MAC case differs)",
      resources: [...named, kea("k3s-server-1", "02:73:3d:e7:81:05")],
    },
    {
      name: "a VM reserved through Dnsmasq",
      resources: [...named, dnsmasq("k3s-server-1", "02:73:3d:e7:81:05")],
    },
    {
      name: "before the dns-dhcp layer exists, a declared VLAN is enough",
      resources: [network, hypervisor, server],
    },
    { name: "no Network component: not applicable", resources: [hypervisor, vm("x", 4000, "")] },
  ],
  failing: [
    {
      name: "a VM on an undeclared VLAN",
      resources: [network, hypervisor, vm("zeek-1", 30, "02:00:00:00:00:01")],
    },
    {
      name: "a VM without a DNS name",
      resources: [network, dnsDhcp, hypervisor, server, kea("x", "02:73:3d:e7:81:05")],
    },
    { name: "a VM without a DHCP reservation", resources: named },
    {
      name: "a reservation for another MAC",
      resources: [...named, kea("k3s-server-1", "02:73:3d:e7:81:06")],
    },
  ],
};
