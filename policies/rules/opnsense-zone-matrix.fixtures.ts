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

/** The Wazuh manager's planned address on the servers network. */
export const MANAGER = "10.10.20.64";

/** The lab's clamd address: the first k3s server, where ServiceLB listens (stacks/hostFlows.ts clamdHost). */
export const CLAMD = "10.10.20.11";

/**
 * The host flows Fortress derives (stacks/hostFlows.ts), as the Network component records them: users
 * reach the manager's address on the agent ports and clamd's on 3310, quarantine the manager on the
 * agent link (1514) alone.
 */
export const HOST_FLOWS = [
  { from: "users", to: "servers", host: "wazuh-manager-1", address: MANAGER, services: ["wazuh-agent"] },
  {
    from: "quarantine",
    to: "servers",
    host: "wazuh-manager-1",
    address: MANAGER,
    services: ["wazuh-agent-events"],
  },
  { from: "users", to: "servers", host: "k3s-server-1", address: CLAMD, services: ["clamd"] },
];

/** The vulnerability scanner's planned address on the servers network. */
export const SCANNER = "10.10.20.70";

/** The scanner's reach Fortress derives (stacks/scanTargets.ts): every protocol of the users and iot networks. */
export const SCAN_FLOWS = [
  { from: "servers", host: "greenbone-1", address: SCANNER, to: "users" },
  { from: "servers", host: "greenbone-1", address: SCANNER, to: "iot" },
];

export const zonedNetwork = planResource(NETWORK_TYPE, "network", {
  networks: NETWORKS,
  zones: ZONES,
  hostFlows: HOST_FLOWS,
  scanFlows: SCAN_FLOWS,
});

const portAlias = (name: string, content: string) =>
  planResource(OPNSENSE("alias"), `alias-${name}`, { fields: { name, type: "port", content } });

export const portAliases: readonly PlanResource[] = [
  portAlias("fz_svc_https", "443"),
  portAlias("fz_svc_http", "80"),
  portAlias("fz_svc_dns", "53"),
  portAlias("fz_svc_wazuh_agent", "1514,1515"),
  portAlias("fz_svc_wazuh_agent_events", "1514"),
  portAlias("fz_svc_clamd", "3310"),
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

/** The same lab with a Network that records the matrix but no host flows. */
export const labWithoutHostFlows = (...rules: PlanResource[]) => [
  planResource(NETWORK_TYPE, "network", { networks: NETWORKS, zones: ZONES }),
  ...aliases,
  ...portAliases,
  ...rules,
];

const quarantine = { interface: "opt6", source_net: "fz_net_quarantine" };

/** The compiler's pass for quarantine's agent link: to the manager's address, 1514/TCP. */
const agentLink = {
  ...quarantine,
  protocol: "TCP",
  destination_net: MANAGER,
  destination_port: "fz_svc_wazuh_agent_events",
  description: "fortress flows: quarantine → wazuh-manager-1 10.10.20.64 (wazuh-agent-events)",
};
export const quarantineToManager = rule(agentLink);

/** The compiler's pass for the users' agents: to the manager's address, 1514 and 1515/TCP. */
export const usersToManager = rule({
  ...users,
  protocol: "TCP",
  destination_net: MANAGER,
  destination_port: "fz_svc_wazuh_agent",
  description: "fortress flows: users → wazuh-manager-1 10.10.20.64 (wazuh-agent)",
});

/** The compiler's pass for the users' scans: to clamd's address, 3310/TCP. */
const clamdScan = {
  ...users,
  protocol: "TCP",
  destination_net: CLAMD,
  destination_port: "fz_svc_clamd",
  description: "fortress flows: users → k3s-server-1 10.10.20.11 (clamd)",
};
export const usersToClamd = rule(clamdScan);

/** The quarantine alias as the compiler writes it: external, no content (components/network/quarantine.ts). */
export const quarantineAlias = (type = "external") =>
  planResource(OPNSENSE("alias"), "alias-fz_quarantine", {
    fields: { name: "fz_quarantine", type, content: "" },
  });

/** The lab with the quarantine service on: the Network records the alias and the manager. */
export const labWithQuarantine = (type: string, ...rules: PlanResource[]) => [
  planResource(NETWORK_TYPE, "network", {
    networks: NETWORKS,
    zones: ZONES,
    hostFlows: HOST_FLOWS,
    scanFlows: SCAN_FLOWS,
    quarantine: {
      alias: "fz_quarantine",
      reportsTo: { host: "wazuh-manager-1", address: MANAGER, network: "servers" },
    },
  }),
  ...aliases,
  ...portAliases,
  quarantineAlias(type),
  ...rules,
];

/** The compiler's pass for contained hosts on iot (which has no entry at all): the manager, 1514/TCP. */
const contained = {
  interface: "opt4",
  protocol: "TCP",
  source_net: "fz_quarantine",
  destination_net: MANAGER,
  destination_port: "fz_svc_wazuh_agent_events",
  description: "fortress quarantine: iot contained hosts → wazuh-manager-1 10.10.20.64 (wazuh-agent-events)",
};
export const containedToManager = rule(contained);

/** The firewall's API: the host and port of the fixtures' `firewall.url` (https://10.10.10.1). */
export const FIREWALL_API = { address: "10.10.10.1", port: 443 };

/** The Wazuh manager as the firewall API's client, for containment (stacks/hostFlows.ts firewallApiClients). */
export const API_CLIENTS = [
  { from: "servers", host: "wazuh-manager-1", address: MANAGER, why: "containment" },
];

/** The lab whose Network records the API's clients and endpoint. */
export const labWithApiClients = (...rules: PlanResource[]) => [
  planResource(NETWORK_TYPE, "network", {
    networks: NETWORKS,
    zones: ZONES,
    hostFlows: HOST_FLOWS,
    scanFlows: SCAN_FLOWS,
    firewallApiClients: API_CLIENTS,
    firewallApi: FIREWALL_API,
  }),
  ...aliases,
  ...portAliases,
  ...rules,
];

/** The compiler's pass for the manager's calls to the API: on servers (opt1), its one address, TCP 443. */
export const apiPass = {
  interface: "opt1",
  protocol: "TCP",
  source_net: MANAGER,
  destination_net: "10.10.10.1",
  destination_port: "443",
  log: "1",
  description: "fortress firewall API: containment: wazuh-manager-1 10.10.20.64 → 10.10.10.1:443 (TCP)",
};

/** The API pass widened or moved, each a violation: the servers network, ssh, another host, another port. */
export const widenedApiPasses: readonly (readonly [string, Record<string, string>])[] = [
  ["from the manager's whole network (its alias)", { source_net: "fz_net_servers" }],
  ["from the manager's whole network (a /24)", { source_net: "10.10.20.0/24" }],
  ["to ssh (22)", { destination_port: "22" }],
  ["to 443 and 80", { destination_port: "443,80" }],
  ["from a host that is no recorded client", { source_net: "10.10.20.65" }],
  ["to every address of the firewall ((self))", { destination_net: "(self)" }],
  ["on every protocol", { protocol: "any", destination_port: "" }],
];

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
    {
      name: "the host flows Fortress derives: users and quarantine to the manager's address, on the agent ports",
      resources: lab(usersToManager, quarantineToManager),
    },
    {
      name: "the clamd host flow: users to the first k3s server's address on 3310, where fortress-clamdscan streams",
      resources: lab(usersToClamd),
    },
    {
      name: "contained hosts (the external fz_quarantine) to the manager's address on 1514, on a zone with no entry",
      resources: labWithQuarantine("external", containedToManager),
    },
    {
      name: "the recorded API client (the containment's manager) to the firewall's API address on its port, TCP",
      resources: labWithApiClients(rule(apiPass)),
    },
  ],
  failing: [
    ...widenedApiPasses.map(([what, fields]) => ({
      name: `the manager's API pass ${what}`,
      resources: labWithApiClients(rule({ ...apiPass, ...fields })),
    })),
    {
      name: "the manager's API pass in a lab whose Network records no API client",
      resources: lab(rule(apiPass)),
    },
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
      name: "quarantine to the servers network on the agent link: the host flow grants one address, not the zone",
      resources: lab(rule({ ...agentLink, destination_net: "fz_net_servers" })),
    },
    {
      name: "quarantine to the manager's address on enrollment too (1515): only the agent link leaves quarantine",
      resources: lab(rule({ ...agentLink, destination_port: "fz_svc_wazuh_agent" })),
    },
    {
      name: "users to the servers on any port, beside the users' host flow to the manager",
      resources: lab(usersToManager, rule({ ...users, destination_net: "fz_net_servers" })),
    },
    {
      name: "the manager flows' passes in a lab whose Network records no host flows",
      resources: labWithoutHostFlows(usersToManager, quarantineToManager),
    },
    {
      name: "quarantine to clamd: a contained host keeps its agent link and nothing else",
      resources: lab(rule({ ...clamdScan, ...quarantine })),
    },
    {
      name: "users to another k3s server on clamd: the host flow grants the one address agents use",
      resources: lab(rule({ ...clamdScan, destination_net: "10.10.20.12" })),
    },
    {
      name: "users to clamd's address on every port",
      resources: lab(rule({ ...users, destination_net: CLAMD })),
    },
    {
      name: "contained hosts to the manager on enrollment (1515) too",
      resources: labWithQuarantine(
        "external",
        rule({ ...contained, destination_port: "fz_svc_wazuh_agent" }),
      ),
    },
    {
      name: "contained hosts to the servers network: only the manager's address is granted",
      resources: labWithQuarantine("external", rule({ ...contained, destination_net: "fz_net_servers" })),
    },
    {
      name: "contained hosts to the manager, but fz_quarantine is a host alias (alias_util would write it into config)",
      resources: labWithQuarantine("host", containedToManager),
    },
    {
      name: "contained hosts to the manager on a zone with no entry, and no quarantine recorded",
      resources: lab(quarantineAlias(), containedToManager),
    },
    {
      name: "users to the internet, written as any",
      resources: lab(rule({ ...users, protocol: "TCP", destination_net: "any", destination_port: "443" })),
    },
  ],
};
