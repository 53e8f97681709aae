import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { NETWORK_TYPE, OPNSENSE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { aliases, NETWORKS, rule } from "./opnsense-no-pass-into-management.fixtures";

/** A matrix like the home lab's: users reach the servers by https, the firewall by dns, the internet by web. */
export const ZONES = [
  { from: "mgmt", to: "any", services: "all" },
  { from: "users", to: "firewall", services: ["dns"] },
  { from: "users", to: "servers", services: ["https"] },
  { from: "users", to: "internet", services: ["http", "https"] },
];

export const zonedNetwork = planResource(NETWORK_TYPE, "network", { networks: NETWORKS, zones: ZONES });

const portAlias = (name: string, content: string) =>
  planResource(OPNSENSE("alias"), `alias-${name}`, { fields: { name, type: "port", content } });

export const portAliases: readonly PlanResource[] = [
  portAlias("fz_svc_https", "443"),
  portAlias("fz_svc_http", "80"),
  portAlias("fz_svc_dns", "53"),
];

export const lab = (...rules: PlanResource[]) => [zonedNetwork, ...aliases, ...portAliases, ...rules];

const users = { interface: "opt3", source_net: "fz_net_users" };
export const usersToServers = rule({
  ...users,
  protocol: "TCP",
  destination_net: "fz_net_servers",
  destination_port: "fz_svc_https",
  description: "fortress zones: users → servers (https)",
});

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the passes the compiler writes for the matrix, the anti-lockout among them",
      resources: lab(
        rule({
          interface: "lan",
          source_net: "fz_net_mgmt",
          destination_net: "(self)",
          protocol: "TCP",
          destination_port: "fz_svc_https",
        }),
        rule({ interface: "lan", source_net: "fz_net_mgmt", destination_net: "any" }),
        usersToServers,
        rule({
          ...users,
          protocol: "TCP/UDP",
          destination_net: "10.10.40.1",
          destination_port: "fz_svc_dns",
        }),
        rule({
          ...users,
          protocol: "TCP",
          destination_net: "fz_private",
          destination_not: "1",
          destination_port: "fz_svc_http",
        }),
        rule({ ...users, action: "block", destination_net: "(self)" }),
      ),
    },
  ],
  failing: [
    {
      name: "users to the management network, which no entry grants",
      resources: lab(
        rule({ ...users, protocol: "TCP", destination_net: "fz_net_mgmt", destination_port: "443" }),
      ),
    },
    {
      name: "users to the servers on every port",
      resources: lab(rule({ ...users, destination_net: "fz_net_servers" })),
    },
    {
      name: "users to the internet, written as any",
      resources: lab(rule({ ...users, protocol: "TCP", destination_net: "any", destination_port: "443" })),
    },
  ],
};
