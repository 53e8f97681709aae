import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { OPNSENSE } from "../lib/resources";
import { aliases, network, rule } from "./opnsense-no-pass-into-management.fixtures";

const portAlias = (name: string, content: string) =>
  planResource(
    OPNSENSE("alias"),
    `network-alias-${name}`,
    { firewall: { url: "https://10.10.10.1", insecure: false }, fields: { name, type: "port", content } },
    { parent: network },
  );

export const portAliases = [portAlias("fz_svc_https", "443"), portAlias("fz_svc_ssh", "22")];

/** The anti-lockout pair the zone compiler writes on the management interface (lan). */
export const antiLockout = (
  sequences: [string, string] = ["1", "2"],
  fields: Record<string, string> = {},
) => [
  rule({
    interface: "lan",
    protocol: "TCP",
    source_net: "fz_net_mgmt",
    destination_net: "(self)",
    destination_port: "fz_svc_https",
    description: "fortress: mgmt anti-lockout (https)",
    sequence: sequences[0],
    ...fields,
  }),
  rule({
    interface: "lan",
    protocol: "TCP",
    source_net: "fz_net_mgmt",
    destination_net: "(self)",
    destination_port: "fz_svc_ssh",
    description: "fortress: mgmt anti-lockout (ssh)",
    sequence: sequences[1],
  }),
];

/**
 * Other rules of the lab, each after the anti-lockout. (A pass from management to `any`, every port,
 * would itself count as an anti-lockout: it lets the whole network reach the firewall.)
 */
export const laterRules = [
  rule({ interface: "lan", source_net: "fz_net_mgmt", destination_net: "fz_net_servers", sequence: "2001" }),
  rule({
    interface: "lan",
    action: "block",
    source_net: "any",
    destination_net: "any",
    ipprotocol: "inet46",
    sequence: "2199",
  }),
  rule({
    interface: "opt1",
    action: "block",
    source_net: "any",
    destination_net: "any",
    ipprotocol: "inet46",
    sequence: "4199",
  }),
];

const base = [network, ...aliases, ...portAliases];

/** The containment blocks the compiler writes right after the anti-lockout (components/network/quarantine.ts). */
const quarantineBlocks = (sequence: number) => [
  rule({
    interface: "lan",
    action: "block",
    source_net: "fz_quarantine",
    destination_net: "any",
    ipprotocol: "inet46",
    log: "1",
    sequence: String(sequence),
  }),
  rule({
    interface: "lan",
    action: "block",
    source_net: "any",
    destination_net: "fz_quarantine",
    ipprotocol: "inet46",
    log: "1",
    sequence: String(sequence + 1),
  }),
];

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the anti-lockout (https and ssh, to (self)) has the lowest sequences",
      resources: [...base, ...antiLockout(), ...laterRules],
    },
    {
      name: "a disabled rule before it does not count, and the source may be the network's CIDR",
      resources: [
        ...base,
        ...antiLockout(["5", "6"], { source_net: "10.10.10.0/24" }),
        rule({ interface: "lan", action: "block", enabled: "0", sequence: "1" }),
        ...laterRules,
      ],
    },
    {
      name: "the quarantine blocks come right after it, at the interface's first sequences (issue 14)",
      resources: [...base, ...antiLockout(), ...quarantineBlocks(2001), ...laterRules],
    },
  ],
  failing: [
    { name: "no anti-lockout at all", resources: [...base, ...laterRules] },
    {
      name: "a block on the management interface comes first",
      resources: [
        ...base,
        ...antiLockout(["5", "6"]),
        rule({ interface: "lan", action: "block", source_net: "any", destination_net: "any", sequence: "3" }),
      ],
    },
    {
      name: "a floating block, whatever its sequence, is evaluated before single-interface rules",
      resources: [
        ...base,
        ...antiLockout(),
        rule({
          interface: "lan,opt1",
          action: "block",
          source_net: "any",
          destination_net: "any",
          sequence: "9000",
        }),
      ],
    },
    {
      name: "a rule on another interface ties with the anti-lockout (OPNsense breaks ties by UUID)",
      resources: [
        ...base,
        ...antiLockout(),
        rule({
          interface: "opt3",
          action: "block",
          source_net: "any",
          destination_net: "any",
          sequence: "2",
        }),
        ...laterRules,
      ],
    },
    {
      name: "a quarantine block ahead of the anti-lockout: contained or not, it could shut the admins out",
      resources: [...base, ...antiLockout(["5", "6"]), ...quarantineBlocks(1), ...laterRules],
    },
    {
      name: "the anti-lockout opens https only to one host of the management network",
      resources: [...base, ...antiLockout(["1", "2"], { source_net: "10.10.10.5" }), ...laterRules],
    },
  ],
};
