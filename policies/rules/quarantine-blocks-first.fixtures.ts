import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import { NETWORK_TYPE, OPNSENSE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { NETWORKS, rule } from "./opnsense-no-pass-into-management.fixtures";

export const MANAGER = "10.10.20.64";
const reportsTo = { host: "wazuh-manager-1", address: MANAGER, network: "servers" };

/** The Network with the quarantine recorded, as components/network/network.ts records it. */
export const quarantineNetwork = planResource(NETWORK_TYPE, "network", {
  networks: NETWORKS,
  zones: [],
  quarantine: { alias: "fz_quarantine", reportsTo },
});

export const SCANNER = "10.10.20.9";

/** The same Network with the vuln layer's scan flows recorded (stacks/scanTargets.ts: from the scanner on servers). */
export const quarantineNetworkWithScanner = planResource(NETWORK_TYPE, "network", {
  networks: NETWORKS,
  zones: [],
  scanFlows: ["users", "iot"].map((to) => ({ from: "servers", host: "greenbone-1", address: SCANNER, to })),
  quarantine: { alias: "fz_quarantine", reportsTo },
});

/** The rescan's pass as the compiler writes it: from the scanner, on its own interface (servers: opt1), to the alias. */
export const scannerPass = (fields: Record<string, string> = {}) =>
  rule({
    interface: "opt1",
    source_net: SCANNER,
    destination_net: "fz_quarantine",
    log: "1",
    sequence: "4001",
    description: "fortress quarantine: servers scanner greenbone-1 → contained hosts (rescan)",
    ...fields,
  });

export const quarantineAlias = (type = "external") =>
  planResource(OPNSENSE("alias"), "network-alias-fz_quarantine", {
    fields: { name: "fz_quarantine", type, content: "" },
  });

const agentEvents = planResource(OPNSENSE("alias"), "network-alias-fz_svc_wazuh_agent_events", {
  fields: { name: "fz_svc_wazuh_agent_events", type: "port", content: "1514" },
});

/** The three quarantine rules of an interface at `base + 1…` (no pass on the manager's own, servers). */
export function quarantineRules(
  iface: string,
  base: number,
  fields: Record<string, string> = {},
): PlanResource[] {
  const block = (from: string, to: string, sequence: number) =>
    rule({
      interface: iface,
      action: "block",
      source_net: from,
      destination_net: to,
      ipprotocol: "inet46",
      log: "1",
      sequence: String(sequence),
      description: `fortress quarantine: ${iface} ${from} → ${to} blocked`,
      ...fields,
    });
  const pass =
    iface === "opt1"
      ? []
      : [
          rule({
            interface: iface,
            protocol: "TCP",
            source_net: "fz_quarantine",
            destination_net: MANAGER,
            destination_port: "fz_svc_wazuh_agent_events",
            log: "1",
            sequence: String(base + 1),
            description: `fortress quarantine: ${iface} contained hosts → manager`,
          }),
        ];
  return [...pass, block("fz_quarantine", "any", base + 2), block("any", "fz_quarantine", base + 3)];
}

const antiLockout = rule({
  interface: "lan",
  protocol: "TCP",
  source_net: "fz_net_mgmt",
  destination_net: "(self)",
  destination_port: "443",
  sequence: "1",
  description: "fortress: mgmt anti-lockout (https)",
});

/** Every interface's quarantine rules, and a pass of the matrix after them on users. */
export const everyInterface = (): PlanResource[] =>
  NETWORKS.flatMap((network) => quarantineRules(network.interface, network.vlan * 200));

const usersPass = (sequence: string) =>
  rule({
    interface: "opt3",
    protocol: "TCP",
    source_net: "fz_net_users",
    destination_net: "fz_net_servers",
    destination_port: "443",
    sequence,
    description: "fortress zones: users → servers (https)",
  });

export const lab = (...resources: PlanResource[]) => [quarantineNetwork, agentEvents, ...resources];
export const labWithScanner = (...resources: PlanResource[]) => [
  quarantineNetworkWithScanner,
  agentEvents,
  ...resources,
];

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "the blocks first on every interface, a matrix pass after them",
      resources: lab(quarantineAlias(), antiLockout, ...everyInterface(), usersPass("8010")),
    },
    {
      name: "the recorded scanner's pass to the contained hosts on its own interface, before the blocks",
      resources: labWithScanner(quarantineAlias(), antiLockout, ...everyInterface(), scannerPass()),
    },
  ],
  failing: [
    {
      name: "a scanner's pass before the blocks while no scanner is recorded",
      resources: lab(quarantineAlias(), antiLockout, ...everyInterface(), scannerPass()),
    },
    {
      name: "the scanner's pass on another network's interface",
      resources: labWithScanner(
        quarantineAlias(),
        antiLockout,
        ...everyInterface(),
        scannerPass({ interface: "opt3", sequence: "8000" }),
      ),
    },
    {
      name: "a matrix pass on users before the quarantine blocks",
      resources: lab(quarantineAlias(), antiLockout, ...everyInterface(), usersPass("8002")),
    },
    {
      name: "the quarantine alias is a host alias, which alias_util writes into config",
      resources: lab(quarantineAlias("host"), antiLockout, ...everyInterface()),
    },
    {
      name: "the iot interface has no quarantine blocks",
      resources: lab(
        quarantineAlias(),
        antiLockout,
        ...NETWORKS.filter((network) => network.name !== "iot").flatMap((network) =>
          quarantineRules(network.interface, network.vlan * 200),
        ),
      ),
    },
    {
      name: "the blocks are not logged",
      resources: lab(
        quarantineAlias(),
        antiLockout,
        ...NETWORKS.flatMap((network) =>
          quarantineRules(network.interface, network.vlan * 200, { log: "0" }),
        ),
      ),
    },
    {
      name: "a floating pass, which OPNsense evaluates before every interface rule",
      resources: lab(
        quarantineAlias(),
        antiLockout,
        ...everyInterface(),
        rule({ interface: "", source_net: "fz_net_users", destination_net: "any", sequence: "9000" }),
      ),
    },
  ],
};
