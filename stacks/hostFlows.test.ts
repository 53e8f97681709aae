import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AGENT_ZONE_PURPOSES,
  CONTAINMENT_WHY,
  clamdFlows,
  clamdHost,
  derivedHostFlows,
  type FirewallApiLab,
  firewallApiClients,
  type HostFlowLab,
  indexerShipperFlows,
  indexerShippers,
  managerFlows,
  ROUTE_HOSTS,
  routeTarget,
} from "./hostFlows";

const NETWORKS = [
  { name: "mgmt", purpose: "management" },
  { name: "servers", purpose: "servers" },
  { name: "sensors", purpose: "sensors" },
  { name: "users", purpose: "users" },
  { name: "iot", purpose: "iot" },
  { name: "guest", purpose: "guest" },
  { name: "quarantine", purpose: "quarantine" },
] as const;

const vm = (name: string, role: string, ip: string, network = "servers") => ({
  name,
  ip,
  role: { name: role },
  networkConfig: { name: network },
});

const lab = (
  services: string[],
  vms = [vm("wazuh-manager-1", "wazuh-manager", "10.10.20.64")],
): HostFlowLab => ({
  config: { services, networks: NETWORKS },
  vms: [vm("k3s-server-1", "k3s-server", "10.10.20.11"), ...vms],
});

describe("managerFlows", () => {
  it("opens the manager's address to every agent zone on wazuh-agent, and to quarantine on the agent link alone", () => {
    assert.deepEqual(managerFlows(lab(["wazuh-manager", "wazuh-agent"])), [
      {
        from: "mgmt",
        to: "servers",
        host: "wazuh-manager-1",
        address: "10.10.20.64",
        services: ["wazuh-agent"],
      },
      {
        from: "sensors",
        to: "servers",
        host: "wazuh-manager-1",
        address: "10.10.20.64",
        services: ["wazuh-agent"],
      },
      {
        from: "users",
        to: "servers",
        host: "wazuh-manager-1",
        address: "10.10.20.64",
        services: ["wazuh-agent"],
      },
      {
        from: "quarantine",
        to: "servers",
        host: "wazuh-manager-1",
        address: "10.10.20.64",
        services: ["wazuh-agent-events"],
      },
    ]);
  });

  it("gives iot and guest nothing, and the manager's own network nothing (same VLAN)", () => {
    const flows = managerFlows(lab(["wazuh-manager"]));
    for (const name of ["iot", "guest", "servers"])
      assert.ok(!flows.some((flow) => flow.from === name), name);
    assert.deepEqual([...AGENT_ZONE_PURPOSES], ["management", "servers", "sensors", "users"]);
  });

  it("follows the manager's network and address wherever the lab puts it", () => {
    const flows = managerFlows(
      lab(["wazuh-manager"], [vm("wazuh-manager-1", "wazuh-manager", "10.10.30.9", "sensors")]),
    );
    assert.deepEqual(
      flows.map((flow) => [flow.from, flow.to, flow.address]),
      [
        ["mgmt", "sensors", "10.10.30.9"],
        ["servers", "sensors", "10.10.30.9"],
        ["users", "sensors", "10.10.30.9"],
        ["quarantine", "sensors", "10.10.30.9"],
      ],
    );
  });

  it("derives nothing while the manager service is off, or without a manager VM", () => {
    assert.deepEqual(derivedHostFlows(lab(["wazuh-agent", "k3s"])), []);
    assert.deepEqual(derivedHostFlows(lab(["wazuh-manager"], [])), []);
  });
});

describe("clamdFlows", () => {
  const servers = [
    vm("k3s-server-10", "k3s-server", "10.10.20.20"),
    vm("k3s-server-2", "k3s-server", "10.10.20.12"),
    vm("k3s-agent-1", "k3s-agent", "10.10.20.31"),
  ];
  const clamLab = (services: string[]): HostFlowLab => ({
    config: { services, networks: NETWORKS },
    vms: servers,
  });

  it("opens the first k3s server's address (by name, numerically) to every other agent zone on clamd, and nothing from quarantine", () => {
    assert.equal(clamdHost(servers)?.name, "k3s-server-2");
    assert.deepEqual(clamdFlows(clamLab(["k3s", "wazuh-agent", "clamav"])), [
      { from: "mgmt", to: "servers", host: "k3s-server-2", address: "10.10.20.12", services: ["clamd"] },
      { from: "sensors", to: "servers", host: "k3s-server-2", address: "10.10.20.12", services: ["clamd"] },
      { from: "users", to: "servers", host: "k3s-server-2", address: "10.10.20.12", services: ["clamd"] },
    ]);
  });

  it("derives nothing while clamav is off or no k3s server is planned, and joins the manager flows when on", () => {
    assert.deepEqual(clamdFlows(clamLab(["k3s", "wazuh-agent"])), []);
    assert.deepEqual(
      clamdFlows({ config: { services: ["clamav"], networks: NETWORKS }, vms: [servers[2]!] }),
      [],
    );
    const both = derivedHostFlows(lab(["wazuh-manager", "clamav"]));
    assert.deepEqual([...new Set(both.map((flow) => `${flow.host} ${flow.services.join(",")}`))].sort(), [
      "k3s-server-1 clamd",
      "wazuh-manager-1 wazuh-agent",
      "wazuh-manager-1 wazuh-agent-events",
    ]);
    assert.ok(!both.some((flow) => flow.from === "quarantine" && flow.services.includes("clamd")));
  });
});

describe("indexerShipperFlows (issue 13)", () => {
  const shippers = [
    vm("k3s-indexer-1", "k3s-indexer", "10.10.20.30"),
    vm("zeek-1", "zeek", "10.10.30.5", "sensors"),
    vm("greenbone-1", "greenbone", "10.10.20.70"),
  ];

  it("opens the indexer node's 9200 to each shipper's network but the indexer's own", () => {
    assert.deepEqual(indexerShipperFlows(lab(["wazuh-indexer"], shippers)), [
      {
        from: "sensors",
        to: "servers",
        host: "k3s-indexer-1",
        address: "10.10.20.30",
        services: ["opensearch"],
      },
    ]);
    assert.deepEqual(
      indexerShippers(lab(["wazuh-indexer"], shippers)).map((shipper) => shipper.name),
      ["zeek-1", "greenbone-1"],
    );
  });

  it("opens nothing without the indexer, or without an indexer node", () => {
    assert.deepEqual(indexerShipperFlows(lab([], shippers)), []);
    const withoutK3s = (vms: ReturnType<typeof lab>["vms"]) =>
      vms.filter((vm) => !vm.role.name.startsWith("k3s-"));
    const bare = lab(["wazuh-indexer"], shippers.slice(1));
    assert.deepEqual(indexerShipperFlows({ ...bare, vms: withoutK3s(bare.vms) }), []);
  });

  it("opens the k3s server's 9200 when the server runs the workloads (no agents: the minimal profile)", () => {
    assert.deepEqual(
      indexerShipperFlows(lab(["wazuh-indexer"], shippers.slice(1))).map((flow) => flow.host),
      ["k3s-server-1"],
    );
    assert.ok(
      derivedHostFlows(lab(["wazuh-indexer"], shippers)).some((flow) => flow.services.includes("opensearch")),
    );
  });
});

describe("routeTarget: where VMs and the firewall reach the cluster's routes", () => {
  const vms = [
    vm("wazuh-manager-1", "wazuh-manager", "10.10.20.64"),
    vm("zeek-1", "zeek", "10.10.30.5", "sensors"),
    vm("greenbone-1", "greenbone", "10.10.20.70"),
  ];
  // A cluster Fortress did not build: no k3s VM, the load balancer's addresses on the servers network.
  const existing = (loadBalancer: Record<string, string> | undefined): HostFlowLab => ({
    config: {
      services: ["wazuh-manager", "wazuh-indexer", "clamav"],
      networks: NETWORKS,
      platform: { mode: "existing", cluster: { loadBalancer } },
    },
    vms,
  });
  const addresses = { indexer: "10.10.20.60", clamd: "10.10.20.61", syslog: "10.10.20.62" };

  it("is the load balancer's address on the servers network on an existing cluster", () => {
    assert.deepEqual(routeTarget(existing(addresses), "indexer"), {
      network: "servers",
      host: ROUTE_HOSTS.indexer,
      address: "10.10.20.60",
      loadBalancer: true,
    });
    assert.equal(routeTarget(existing(addresses), "syslog")?.address, "10.10.20.62");
    assert.equal(routeTarget(existing({ indexer: "10.10.20.60" }), "clamd"), undefined);
    assert.equal(routeTarget(existing(undefined), "indexer"), undefined);
  });

  it("opens the load balancer's clamd and indexer addresses, not a node's, to the agents' and shippers' networks", () => {
    const flows = derivedHostFlows(existing(addresses));
    assert.deepEqual(
      flows
        .filter((flow) => flow.services.includes("clamd"))
        .map((flow) => [flow.from, flow.address, flow.host]),
      [
        ["mgmt", "10.10.20.61", "lb-clamd"],
        ["sensors", "10.10.20.61", "lb-clamd"],
        ["users", "10.10.20.61", "lb-clamd"],
      ],
    );
    assert.deepEqual(indexerShipperFlows(existing(addresses)), [
      {
        from: "sensors",
        to: "servers",
        host: "lb-wazuh-indexer",
        address: "10.10.20.60",
        services: ["opensearch"],
      },
    ]);
    assert.deepEqual(clamdFlows(existing(undefined)), []);
  });

  it("is the k3s node ServiceLB listens on with Fortress's k3s, as before: the first server for clamd and syslog", () => {
    const k3s = lab(["clamav"], [vm("k3s-server-2", "k3s-server", "10.10.20.12")]);
    for (const route of ["clamd", "syslog"] as const)
      assert.deepEqual(routeTarget(k3s, route), {
        network: "servers",
        host: "k3s-server-1",
        address: "10.10.20.11",
        loadBalancer: false,
      });
    // A k3s lab ignores the key (the door refuses it there: config/checks.ts checkPlatform).
    const ignored: HostFlowLab = {
      ...k3s,
      config: { ...k3s.config, platform: { mode: "k3s", cluster: { loadBalancer: addresses } } },
    };
    assert.equal(routeTarget(ignored, "clamd")?.address, "10.10.20.11");
  });
});

describe("firewallApiClients: the hosts that call the firewall's API (issue 14, containment)", () => {
  const ON = ["quarantine", "wazuh-manager"];
  const apiLab = (
    services: string[],
    options: { layers?: Record<string, boolean>; url?: string | null } = {},
  ): FirewallApiLab => ({
    ...lab(services),
    config: {
      ...lab(services).config,
      layers: options.layers ?? {},
      ...(options.url === null ? {} : { opnsense: { url: options.url ?? "https://10.10.10.1" } }),
    },
  });

  it("names the manager's VM, its network and planned address, for containment", () => {
    assert.deepEqual(firewallApiClients(apiLab(ON)), [
      { from: "servers", host: "wazuh-manager-1", address: "10.10.20.64", why: CONTAINMENT_WHY },
    ]);
    assert.equal(firewallApiClients(apiLab(ON, { layers: { response: true } })).length, 1);
  });

  it("names nobody without the quarantine service, the manager service or the response layer", () => {
    assert.deepEqual(firewallApiClients(apiLab(["wazuh-manager"])), []);
    assert.deepEqual(firewallApiClients(apiLab(["quarantine"])), []);
    assert.deepEqual(firewallApiClients(apiLab(ON, { layers: { response: false } })), []);
    assert.deepEqual(firewallApiClients({ ...apiLab(ON), vms: [] }), []);
  });

  it("names nobody when fortress:opnsense.url is a host name or absent: a rule needs the address", () => {
    assert.deepEqual(firewallApiClients(apiLab(ON, { url: "https://fw.home.arpa" })), []);
    assert.deepEqual(firewallApiClients(apiLab(ON, { url: null })), []);
  });

  it("is no host flow: the derived host flows stay as they were", () => {
    assert.deepEqual(derivedHostFlows(apiLab(ON)), derivedHostFlows(lab(ON)));
  });
});
