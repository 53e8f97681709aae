import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { NETWORK_TYPE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { GREENBONE_TYPE } from "./scan-targets-declared";

export const NETWORKS = [
  {
    name: "management",
    vlan: 10,
    cidr: "10.0.10.0/24",
    gateway: "10.0.10.1",
    purpose: "management",
    interface: "opt1",
  },
  {
    name: "servers",
    vlan: 20,
    cidr: "10.0.20.0/24",
    gateway: "10.0.20.1",
    purpose: "servers",
    interface: "opt2",
  },
];
export const network = planResource(NETWORK_TYPE, "network", { networks: NETWORKS, zones: [] });
export const greenbone = (targets: readonly { name: string; hosts: readonly string[] }[]): PlanResource =>
  planResource(GREENBONE_TYPE, "greenbone", { host: "greenbone-1", adminPasswordType: "random", targets });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "one target per VLAN and one per role, inside the declared networks",
      resources: [
        network,
        greenbone([
          { name: "management", hosts: ["10.0.10.0/24"] },
          { name: "servers", hosts: ["10.0.20.0/24"] },
          { name: "role-k3s", hosts: ["10.0.20.11", "10.0.20.12"] },
        ]),
      ],
    },
  ],
  failing: [
    {
      name: "an address outside every network",
      resources: [network, greenbone([{ name: "x", hosts: ["192.0.2.10"] }])],
    },
    {
      name: "a CIDR wider than the network it starts in",
      resources: [network, greenbone([{ name: "x", hosts: ["10.0.0.0/16"] }])],
    },
    { name: "no networks declared", resources: [greenbone([{ name: "x", hosts: ["10.0.20.0/24"] }])] },
  ],
};
