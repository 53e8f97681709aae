import type { PolicyFixtures } from "../lib/fixtures";
import { planResource } from "../lib/build";
import { NETWORK_TYPE } from "../lib/resources";
import { NETWORKS, rule } from "./opnsense-no-pass-into-management.fixtures";

const mgmt = NETWORKS[0];
const users = NETWORKS[2];
export const twoNetworks = planResource(NETWORK_TYPE, "network", { networks: [mgmt, users], zones: [] });

/** The deny the Network component writes last on each interface. */
export const defaultDeny = (iface: string, sequence: string, fields: Record<string, string> = {}) =>
  rule({
    interface: iface,
    action: "block",
    source_net: "any",
    destination_net: "any",
    ipprotocol: "inet46",
    protocol: "any",
    log: "1",
    description: `fortress: ${iface} default deny`,
    sequence,
    ...fields,
  });

const mgmtRules = [
  rule({ interface: "lan", source_net: "fz_net_mgmt", destination_net: "any", sequence: "2004" }),
  defaultDeny("lan", "2199"),
];
const usersRules = [
  rule({
    interface: "opt3",
    source_net: "fz_net_users",
    destination_net: "fz_net_servers",
    sequence: "8004",
  }),
  rule({
    interface: "opt3",
    action: "block",
    source_net: "any",
    destination_net: "(self)",
    sequence: "8003",
  }),
];

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "every interface ends in a deny from any to any",
      resources: [twoNetworks, ...mgmtRules, ...usersRules, defaultDeny("opt3", "8199")],
    },
    {
      name: "a reject does as well as a block, and disabled rules after it do not count",
      resources: [
        twoNetworks,
        ...mgmtRules,
        ...usersRules,
        defaultDeny("opt3", "8199", { action: "reject" }),
        rule({ interface: "opt3", enabled: "0", sequence: "9000" }),
      ],
    },
  ],
  failing: [
    { name: "users have no deny", resources: [twoNetworks, ...mgmtRules, ...usersRules] },
    {
      name: "a pass rule comes after the deny",
      resources: [
        twoNetworks,
        ...mgmtRules,
        ...usersRules,
        defaultDeny("opt3", "8199"),
        rule({
          interface: "opt3",
          source_net: "fz_net_users",
          destination_net: "fz_private",
          sequence: "8200",
        }),
      ],
    },
    {
      name: "the deny only covers IPv4 TCP",
      resources: [
        twoNetworks,
        ...mgmtRules,
        ...usersRules,
        defaultDeny("opt3", "8199", { ipprotocol: "inet", protocol: "TCP" }),
      ],
    },
    {
      name: "the deny is not logged",
      resources: [twoNetworks, ...mgmtRules, ...usersRules, defaultDeny("opt3", "8199", { log: "0" })],
    },
  ],
};
