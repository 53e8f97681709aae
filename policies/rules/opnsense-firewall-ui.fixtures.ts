import type { PolicyFixtures } from "../lib/fixtures";
import { rule } from "./opnsense-no-pass-into-management.fixtures";
import {
  apiPass,
  lab,
  labWithApiClients,
  usersToServers,
  widenedApiPasses,
} from "./opnsense-zone-matrix.fixtures";

/** The compiler's block to the firewall's own addresses, before the zone's passes beyond it. */
export const blockSelf = (iface: string, sequence: string) =>
  rule({
    interface: iface,
    action: "block",
    destination_net: "(self)",
    ipprotocol: "inet46",
    log: "1",
    sequence,
  });

const passToServers = (sequence: string) =>
  rule({ ...(usersToServers.inputs.fields as Record<string, string>), sequence });

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "users → servers (https) after the block to (self)",
      resources: lab(blockSelf("opt3", "8003"), passToServers("8004")),
    },
    {
      name: "users → firewall for DNS only",
      resources: lab(
        rule({
          interface: "opt3",
          protocol: "TCP/UDP",
          destination_net: "10.10.40.1",
          destination_port: "53",
        }),
      ),
    },
    {
      name: "the recorded API client (the containment's manager) to the API's address and port, before the block to (self)",
      resources: labWithApiClients(rule({ ...apiPass, sequence: "4003" }), blockSelf("opt1", "4004")),
    },
  ],
  failing: [
    ...widenedApiPasses.map(([what, fields]) => ({
      name: `the manager's API pass ${what}`,
      resources: labWithApiClients(
        rule({ ...apiPass, ...fields, sequence: "4003" }),
        blockSelf("opt1", "4004"),
      ),
    })),
    {
      name: "the manager's API pass in a lab whose Network records no API client",
      resources: lab(rule({ ...apiPass, sequence: "4003" }), blockSelf("opt1", "4004")),
    },
    { name: "users → servers (https) with no block to (self)", resources: lab(passToServers("8004")) },
    {
      name: "the block to (self) after the pass",
      resources: lab(passToServers("8004"), blockSelf("opt3", "8005")),
    },
    {
      name: "users → (self) on 443",
      resources: lab(
        rule({ interface: "opt3", protocol: "TCP", destination_net: "(self)", destination_port: "443" }),
      ),
    },
  ],
};
