import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { NETWORK_TYPE, OPNSENSE } from "../lib/resources";
import type { PlanResource } from "../lib/types";

/** The lab's networks as the Network component records them. */
export const NETWORKS = [
  {
    name: "mgmt",
    vlan: 10,
    cidr: "10.10.10.0/24",
    gateway: "10.10.10.1",
    purpose: "management",
    interface: "lan",
  },
  {
    name: "servers",
    vlan: 20,
    cidr: "10.10.20.0/24",
    gateway: "10.10.20.1",
    purpose: "servers",
    interface: "opt1",
  },
  {
    name: "users",
    vlan: 40,
    cidr: "10.10.40.0/24",
    gateway: "10.10.40.1",
    purpose: "users",
    interface: "opt3",
  },
  { name: "iot", vlan: 50, cidr: "10.10.50.0/24", gateway: "10.10.50.1", purpose: "iot", interface: "opt4" },
  {
    name: "guest",
    vlan: 60,
    cidr: "10.10.60.0/24",
    gateway: "10.10.60.1",
    purpose: "guest",
    interface: "opt5",
  },
  {
    name: "quarantine",
    vlan: 99,
    cidr: "10.10.99.0/24",
    gateway: "10.10.99.1",
    purpose: "quarantine",
    interface: "opt6",
  },
] as const;

export const network = planResource(NETWORK_TYPE, "network", { networks: NETWORKS, zones: [] });
const parent = { parent: network };
const firewall = { url: "https://10.10.10.1", insecure: false };

const alias = (name: string, type: string, content: string) =>
  planResource(
    OPNSENSE("alias"),
    `network-alias-${name}`,
    { firewall, fields: { name, type, content } },
    parent,
  );

export const aliases: readonly PlanResource[] = [
  ...NETWORKS.map((zone) => alias(`fz_net_${zone.name}`, "network", zone.cidr)),
  alias("fz_private", "network", "10.0.0.0/8\n172.16.0.0/12\n192.168.0.0/16"),
];

let counter = 0;
/** An OPNsense filter rule with the fields the Network component writes, overridden by `fields`. */
export function rule(fields: Record<string, string>, name = `network-rule-${++counter}`): PlanResource {
  return planResource(
    OPNSENSE("rule"),
    name,
    {
      firewall,
      fields: {
        action: "pass",
        direction: "in",
        enabled: "1",
        ipprotocol: "inet",
        protocol: "any",
        quick: "1",
        source_not: "0",
        destination_not: "0",
        destination_port: "",
        ...fields,
      },
    },
    parent,
  );
}

/** The zone matrix's rules for users: own gateway, servers on https, the internet, then the default deny. */
const usersRules = [
  rule({ interface: "opt3", source_net: "fz_net_users", destination_net: "10.10.40.1", sequence: "8001" }),
  rule({
    interface: "opt3",
    action: "block",
    source_net: "any",
    destination_net: "(self)",
    sequence: "8003",
  }),
  rule({
    interface: "opt3",
    source_net: "fz_net_users",
    destination_net: "fz_net_servers",
    destination_port: "443",
    sequence: "8004",
  }),
  rule({
    interface: "opt3",
    source_net: "fz_net_users",
    destination_net: "fz_private",
    destination_not: "1",
    sequence: "8005",
  }),
  rule({
    interface: "opt3",
    action: "block",
    source_net: "any",
    destination_net: "any",
    ipprotocol: "inet46",
    sequence: "8199",
  }),
];

const base = [network, ...aliases];

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "users reach their gateway, servers and the internet only", resources: [...base, ...usersRules] },
    {
      name: "servers may reach the Proxmox UI in management",
      resources: [
        ...base,
        rule({
          interface: "opt1",
          source_net: "fz_net_servers",
          destination_net: "fz_net_mgmt",
          sequence: "4004",
        }),
      ],
    },
    {
      name: "block and disabled rules into management",
      resources: [
        ...base,
        rule({ interface: "opt4", action: "block", source_net: "any", destination_net: "fz_net_mgmt" }),
        rule({ interface: "opt5", enabled: "0", source_net: "fz_net_guest", destination_net: "fz_net_mgmt" }),
      ],
    },
  ],
  failing: [
    {
      name: "users pass to the management alias",
      resources: [
        ...base,
        rule({ interface: "opt3", source_net: "fz_net_users", destination_net: "fz_net_mgmt" }),
      ],
    },
    {
      name: "iot passes to any",
      resources: [...base, rule({ interface: "opt4", source_net: "fz_net_iot", destination_net: "any" })],
    },
    {
      name: "guest passes to a CIDR that holds management",
      resources: [...base, rule({ interface: "opt5", source_net: "any", destination_net: "10.0.0.0/8" })],
    },
    {
      name: "quarantine passes to the firewall itself",
      resources: [...base, rule({ interface: "opt6", source_net: "any", destination_net: "(self)" })],
    },
    {
      name: "users pass to everything but servers",
      resources: [
        ...base,
        rule({
          interface: "opt3",
          source_net: "any",
          destination_net: "fz_net_servers",
          destination_not: "1",
        }),
      ],
    },
    {
      name: "an outbound rule on the management interface lets guests in",
      resources: [
        ...base,
        rule({ interface: "lan", direction: "out", source_net: "fz_net_guest", destination_net: "any" }),
      ],
    },
  ],
};
