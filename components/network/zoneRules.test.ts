import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVICE_NAMES, serviceMatches } from "../../vocabulary/services";
import type { HostFlow, RuleSpec, ZoneEntry, ZoneNetwork } from "./types";
import {
  compileProxmoxFirewall,
  compileZones,
  PRIVATE_ALIAS,
  RULES_PER_VLAN,
  serviceAliasName,
} from "./zoneRules";
import { toFields } from "../opnsense/toFields";
import { homeValue } from "../../test/support/homeConfig";
import { zoneNetwork } from "../../test/support/fixtures";

const net = zoneNetwork;

/** The networks of Pulumi.home.yaml, with made-up OPNsense interface identifiers. */
const NETWORKS: readonly ZoneNetwork[] = [
  net("mgmt", 10, "management", "opt1"),
  net("servers", 20, "servers", "opt2"),
  net("sensors", 30, "sensors", "opt3"),
  net("users", 40, "users", "opt4"),
  net("iot", 50, "iot", "opt5"),
  net("guest", 60, "guest", "opt6"),
  net("quarantine", 99, "quarantine", "opt7"),
];

/** The seed matrix of Pulumi.home.yaml. */
const SEED = homeValue("zones") as readonly ZoneEntry[];

const seed = () => compileZones({ networks: NETWORKS, zones: SEED });

const onInterface = (rules: readonly RuleSpec[], iface: string) =>
  rules.filter((rule) => rule.interface === iface).sort((a, b) => a.sequence - b.sequence);

const network = (name: string) => NETWORKS.find((candidate) => candidate.name === name) as ZoneNetwork;

const pass = (fields: Partial<RuleSpec>): Partial<RuleSpec> => ({
  enabled: true,
  action: "pass",
  quick: true,
  direction: "in",
  ipprotocol: "inet",
  source_not: false,
  destination_not: false,
  ...fields,
});

const block = (fields: Partial<RuleSpec>): Partial<RuleSpec> => ({
  enabled: true,
  action: "block",
  quick: true,
  direction: "in",
  ipprotocol: "inet46",
  protocol: "any",
  source_net: "any",
  source_not: false,
  destination_not: false,
  destination_port: "",
  log: true,
  ...fields,
});

/** A seeded PRNG, so that a failing shuffle can be replayed. */
function shuffled<T>(items: readonly T[], seedValue: number): T[] {
  let state = seedValue;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe("compileZones on the seed matrix", () => {
  it("compiles the users VLAN to exactly these rules", () => {
    assert.deepEqual(onInterface(seed().rules, "opt4"), [
      pass({
        sequence: 8001,
        interface: "opt4",
        protocol: "TCP/UDP",
        source_net: "fz_net_users",
        destination_net: "10.10.40.1",
        destination_port: "fz_svc_dns",
        log: false,
        description: "fortress zones: users → firewall (dns)",
      }),
      pass({
        sequence: 8002,
        interface: "opt4",
        protocol: "UDP",
        source_net: "fz_net_users",
        destination_net: "10.10.40.1",
        destination_port: "fz_svc_ntp",
        log: false,
        description: "fortress zones: users → firewall (ntp)",
      }),
      block({
        sequence: 8003,
        interface: "opt4",
        destination_net: "(self)",
        description: "fortress: users → firewall, other addresses and services blocked",
      }),
      pass({
        sequence: 8004,
        interface: "opt4",
        protocol: "TCP",
        source_net: "fz_net_users",
        destination_net: "fz_net_servers",
        destination_port: "fz_svc_https",
        log: false,
        description: "fortress zones: users → servers (https)",
      }),
      pass({
        sequence: 8005,
        interface: "opt4",
        protocol: "TCP",
        source_net: "fz_net_users",
        destination_net: PRIVATE_ALIAS,
        destination_not: true,
        destination_port: "fz_svc_http",
        log: false,
        description: "fortress zones: users → internet (http)",
      }),
      pass({
        sequence: 8006,
        interface: "opt4",
        protocol: "TCP",
        source_net: "fz_net_users",
        destination_net: PRIVATE_ALIAS,
        destination_not: true,
        destination_port: "fz_svc_https",
        log: false,
        description: "fortress zones: users → internet (https)",
      }),
      pass({
        sequence: 8007,
        interface: "opt4",
        protocol: "UDP",
        source_net: "fz_net_users",
        destination_net: PRIVATE_ALIAS,
        destination_not: true,
        destination_port: "fz_svc_http3",
        log: false,
        description: "fortress zones: users → internet (http3)",
      }),
      block({
        sequence: 8199,
        interface: "opt4",
        destination_net: "any",
        description: "fortress: users default deny",
      }),
    ]);
  });

  it("lets sensors reach the SIEM on servers with syslog (per transport) and the Wazuh agent ports only", () => {
    const toServers = seed().rules.filter(
      (rule) => rule.destination_net === "fz_net_servers" && rule.interface === "opt3",
    );
    assert.deepEqual(toServers, [
      pass({
        sequence: 6004,
        interface: "opt3",
        protocol: "TCP",
        source_net: "fz_net_sensors",
        destination_net: "fz_net_servers",
        destination_port: "fz_svc_syslog_tcp",
        log: false,
        description: "fortress zones: sensors → servers (syslog/tcp)",
      }),
      pass({
        sequence: 6005,
        interface: "opt3",
        protocol: "UDP",
        source_net: "fz_net_sensors",
        destination_net: "fz_net_servers",
        destination_port: "fz_svc_syslog_udp",
        log: false,
        description: "fortress zones: sensors → servers (syslog/udp)",
      }),
      pass({
        sequence: 6006,
        interface: "opt3",
        protocol: "TCP",
        source_net: "fz_net_sensors",
        destination_net: "fz_net_servers",
        destination_port: "fz_svc_wazuh_agent",
        log: false,
        description: "fortress zones: sensors → servers (wazuh-agent)",
      }),
    ]);
  });

  it("gives management everything but quarantine and the firewall's other addresses", () => {
    assert.deepEqual(onInterface(seed().rules, "opt1"), [
      pass({
        sequence: 1,
        interface: "opt1",
        protocol: "TCP",
        source_net: "fz_net_mgmt",
        destination_net: "(self)",
        destination_port: "fz_svc_https",
        ipprotocol: "inet46",
        log: true,
        description: "fortress: mgmt anti-lockout (https)",
      }),
      pass({
        sequence: 2,
        interface: "opt1",
        protocol: "TCP",
        source_net: "fz_net_mgmt",
        destination_net: "(self)",
        destination_port: "fz_svc_ssh",
        ipprotocol: "inet46",
        log: true,
        description: "fortress: mgmt anti-lockout (ssh)",
      }),
      pass({
        sequence: 2001,
        interface: "opt1",
        protocol: "any",
        source_net: "fz_net_mgmt",
        destination_net: "10.10.10.1",
        destination_port: "",
        log: true,
        description: "fortress zones: mgmt → firewall (all)",
      }),
      block({
        sequence: 2002,
        interface: "opt1",
        destination_net: "(self)",
        description: "fortress: mgmt → firewall, other addresses and services blocked",
      }),
      block({
        sequence: 2003,
        interface: "opt1",
        destination_net: "fz_net_quarantine",
        description: "fortress: mgmt → quarantine blocked (quarantine)",
      }),
      pass({
        sequence: 2004,
        interface: "opt1",
        protocol: "any",
        source_net: "fz_net_mgmt",
        destination_net: "any",
        destination_port: "",
        log: true,
        description: "fortress zones: mgmt → any (all)",
      }),
      block({
        sequence: 2199,
        interface: "opt1",
        destination_net: "any",
        description: "fortress: mgmt default deny",
      }),
    ]);
  });

  it("creates a network alias per zone, the private ranges, and a port alias per service in use", () => {
    const { aliases } = seed();
    const byName = new Map(aliases.map((alias) => [alias.name, alias]));
    for (const zone of NETWORKS) {
      assert.deepEqual(byName.get(`fz_net_${zone.name}`), {
        enabled: true,
        name: `fz_net_${zone.name}`,
        type: "network",
        content: [zone.cidr],
        description: `Fortress zone ${zone.name} (VLAN ${zone.vlan}, ${zone.purpose})`,
      });
    }
    assert.deepEqual(byName.get(PRIVATE_ALIAS)?.content, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
    assert.equal(byName.get(PRIVATE_ALIAS)?.type, "network");
    assert.deepEqual(
      aliases.filter((alias) => alias.type === "port").map((alias) => [alias.name, alias.content]),
      [
        ["fz_svc_ssh", ["22"]],
        ["fz_svc_dns", ["53"]],
        ["fz_svc_ntp", ["123"]],
        ["fz_svc_http", ["80"]],
        ["fz_svc_https", ["443"]],
        ["fz_svc_http3", ["443"]],
        ["fz_svc_syslog_tcp", ["6514"]],
        ["fz_svc_syslog_udp", ["514"]],
        ["fz_svc_wazuh_agent", ["1514", "1515"]],
        ["fz_svc_node_exporter", ["9100"]],
      ],
    );
    // Every alias a rule names exists, with the right type.
    for (const rule of seed().rules) {
      if (rule.destination_port)
        assert.equal(byName.get(rule.destination_port)?.type, "port", rule.description);
      for (const address of [rule.source_net, rule.destination_net]) {
        if (address.startsWith("fz_")) assert.equal(byName.get(address)?.type, "network", rule.description);
      }
    }
  });

  it("puts every rule on its source network's interface, inbound", () => {
    for (const rule of seed().rules) {
      assert.equal(rule.direction, "in");
      if (rule.action === "pass") {
        const source = NETWORKS.find((candidate) => `fz_net_${candidate.name}` === rule.source_net);
        assert.ok(source, rule.description);
        assert.equal(rule.interface, source.interface, rule.description);
      }
    }
  });
});

describe("compileZones guarantees", () => {
  it("ends every VLAN interface with a logged default deny from any, IPv4 and IPv6", () => {
    const { rules } = seed();
    for (const zone of NETWORKS) {
      const own = onInterface(rules, zone.interface);
      const last = own.at(-1);
      assert.deepEqual(
        last,
        block({
          sequence: zone.vlan * RULES_PER_VLAN + RULES_PER_VLAN - 1,
          interface: zone.interface,
          destination_net: "any",
          description: `fortress: ${zone.name} default deny`,
        }),
      );
    }
  });

  it("puts the anti-lockout first: the lowest sequences of all, on the management interface", () => {
    const { rules } = seed();
    const ordered = [...rules].sort((a, b) => a.sequence - b.sequence);
    assert.deepEqual(
      ordered.slice(0, 2).map((rule) => [rule.sequence, rule.interface, rule.action, rule.destination_port]),
      [
        [1, "opt1", "pass", "fz_svc_https"],
        [2, "opt1", "pass", "fz_svc_ssh"],
      ],
    );
    // Even with no zone entries at all.
    const bare = compileZones({ networks: NETWORKS, zones: [] });
    assert.deepEqual(
      onInterface(bare.rules, "opt1").map((rule) => rule.description),
      [
        "fortress: mgmt anti-lockout (https)",
        "fortress: mgmt anti-lockout (ssh)",
        "fortress: mgmt default deny",
      ],
    );
    for (const zone of NETWORKS.filter((candidate) => candidate.purpose !== "management")) {
      assert.deepEqual(
        onInterface(bare.rules, zone.interface).map((rule) => rule.action),
        ["block"],
      );
    }
  });

  it("logs every pass whose destination may be in the management network, and only those", () => {
    const mgmt = network("mgmt");
    const intoManagement = (rule: RuleSpec) =>
      rule.destination_net === "fz_net_mgmt" ||
      rule.destination_net === "any" ||
      rule.destination_net === "(self)" ||
      rule.destination_net === mgmt.gateway;
    // The seed and one zone-wide pass into management (the seed's own scrapes of it are derived flows).
    const zones = [...SEED, { from: "servers", to: "mgmt", services: ["ssh"] }];
    const passes = compileZones({ networks: NETWORKS, zones }).rules.filter((rule) => rule.action === "pass");
    assert.ok(
      passes.some((rule) => rule.destination_net === "fz_net_mgmt"),
      "a pass into mgmt",
    );
    for (const rule of passes) assert.equal(rule.log, intoManagement(rule), rule.description);
  });

  it("never passes from any to any, in any rule", () => {
    for (const rule of seed().rules) {
      if (rule.action !== "pass") continue;
      assert.notEqual(rule.source_net, "any", rule.description);
      assert.ok(rule.source_net.startsWith("fz_net_"), rule.description);
      assert.ok(!(rule.source_net === "any" && rule.destination_net === "any"), rule.description);
    }
  });

  it("gives quarantine only its default deny, and lets nothing pass into it", () => {
    const { rules } = seed();
    assert.deepEqual(onInterface(rules, "opt7"), [
      block({
        sequence: 19999,
        interface: "opt7",
        destination_net: "any",
        description: "fortress: quarantine default deny",
      }),
    ]);
    for (const rule of rules.filter((candidate) => candidate.action === "pass")) {
      assert.notEqual(rule.destination_net, "fz_net_quarantine", rule.description);
      assert.notEqual(rule.source_net, "fz_net_quarantine", rule.description);
    }
    // "any" from management excludes quarantine by a block before the pass.
    const mgmt = onInterface(rules, "opt1");
    const blockAt = mgmt.findIndex(
      (rule) => rule.destination_net === "fz_net_quarantine" && rule.action === "block",
    );
    const anyAt = mgmt.findIndex((rule) => rule.destination_net === "any" && rule.action === "pass");
    assert.ok(blockAt >= 0 && blockAt < anyAt);
  });

  it("lets iot reach only !private when it is granted only the internet", () => {
    const zones: ZoneEntry[] = [{ from: "iot", to: "internet", services: ["https", "http"] }];
    const passes = onInterface(compileZones({ networks: NETWORKS, zones }).rules, "opt5").filter(
      (rule) => rule.action === "pass",
    );
    assert.equal(passes.length, 2);
    for (const rule of passes) {
      assert.equal(rule.destination_net, PRIVATE_ALIAS, rule.description);
      assert.equal(rule.destination_not, true, rule.description);
    }
    // In the seed, iot's only other passes are DNS and NTP to its own gateway.
    for (const rule of onInterface(seed().rules, "opt5").filter((candidate) => candidate.action === "pass")) {
      const toInternet = rule.destination_net === PRIVATE_ALIAS && rule.destination_not;
      const toGateway =
        rule.destination_net === "10.10.50.1" && ["fz_svc_dns", "fz_svc_ntp"].includes(rule.destination_port);
      assert.ok(toInternet || toGateway, rule.description);
    }
  });

  it("names the matrix entry and service in every pass rule's description, uniquely", () => {
    const { rules } = seed();
    for (const rule of rules.filter((candidate) => candidate.action === "pass")) {
      const match = /^fortress(?: zones)?: (\S+) (?:→ (\S+) \((.+)\)|anti-lockout \((.+)\))$/.exec(
        rule.description,
      );
      assert.ok(match, rule.description);
      const [, from, to, what] = match;
      assert.equal(`fz_net_${from}`, rule.source_net, rule.description);
      if (to === undefined) continue; // the anti-lockout
      const entry = SEED.find((candidate) => candidate.from === from && candidate.to === to);
      assert.ok(entry, `${rule.description} names an entry of the matrix`);
      const service = what?.split("/")[0] ?? "";
      assert.ok(
        entry.services === "all" ? what === "all" : entry.services.includes(service),
        rule.description,
      );
    }
    const descriptions = rules.map((rule) => rule.description);
    assert.equal(new Set(descriptions).size, descriptions.length);
    for (const description of descriptions) assert.ok(Buffer.byteLength(description) <= 255);
  });

  it("is deterministic: the same input twice, shuffled entries, services and networks give the same output", () => {
    const reference = seed();
    assert.deepEqual(seed(), reference);
    for (let round = 1; round <= 20; round++) {
      const zones = shuffled(SEED, round).map((entry): ZoneEntry => ({
        ...entry,
        services: entry.services === "all" ? "all" : shuffled(entry.services, round + 100),
      }));
      const networks = shuffled(NETWORKS, round + 200);
      assert.deepEqual(compileZones({ networks, zones }), reference, `round ${round}`);
      assert.deepEqual(
        compileProxmoxFirewall({ networks, zones }),
        compileProxmoxFirewall({ networks: NETWORKS, zones: SEED }),
        `round ${round}`,
      );
    }
  });

  it("keeps sequence numbers unique, in range, and stable when a VLAN is added", () => {
    const reference = seed();
    const sequences = reference.rules.map((rule) => rule.sequence);
    assert.equal(new Set(sequences).size, sequences.length);
    for (const sequence of sequences) assert.ok(sequence >= 1 && sequence <= 999_999);
    const lab = net("lab", 15, "servers", "opt8");
    const grown = compileZones({
      networks: [...NETWORKS, lab],
      zones: [...SEED, { from: "lab", to: "internet", services: ["https"] }],
    });
    for (const rule of reference.rules)
      assert.ok(grown.rules.some((other) => JSON.stringify(other) === JSON.stringify(rule)));
  });

  it("puts passes to the firewall before the block to (self), and that block before every other pass", () => {
    for (const zone of NETWORKS) {
      const own = onInterface(seed().rules, zone.interface).filter((rule) => rule.sequence > 2);
      const selfBlock = own.findIndex((rule) => rule.action === "block" && rule.destination_net === "(self)");
      own.forEach((rule, index) => {
        if (rule.action !== "pass") return;
        const toFirewall = rule.destination_net === zone.gateway;
        assert.ok(toFirewall ? index < selfBlock : index > selfBlock, rule.description);
      });
    }
  });

  it("counts a lab network outside RFC 1918 as private, so internet never includes it", () => {
    const odd: ZoneNetwork = {
      ...net("lab", 70, "servers", "opt8"),
      cidr: "100.64.70.0/24",
      gateway: "100.64.70.1",
    };
    const { aliases } = compileZones({ networks: [...NETWORKS, odd], zones: [] });
    assert.deepEqual(aliases.find((alias) => alias.name === PRIVATE_ALIAS)?.content, [
      "10.0.0.0/8",
      "172.16.0.0/12",
      "192.168.0.0/16",
      "100.64.70.0/24",
    ]);
  });

  it("refuses input the config checks would have rejected", () => {
    const attempts: [ZoneEntry, RegExp][] = [
      [{ from: "quarantine", to: "internet", services: ["https"] }, /leave a quarantine/],
      [{ from: "mgmt", to: "quarantine", services: "all" }, /enter a quarantine/],
      [{ from: "users", to: "internet", services: "all" }, /only for the management/],
      [{ from: "users", to: "any", services: ["https"] }, /to: any is only/],
      [{ from: "users", to: "servers", services: ["telnet"] }, /unknown service/],
      [{ from: "nowhere", to: "servers", services: ["https"] }, /unknown source/],
      [{ from: "users", to: "users", services: ["https"] }, /own destination/],
    ];
    for (const [entry, message] of attempts) {
      assert.throws(() => compileZones({ networks: NETWORKS, zones: [entry] }), message);
    }
    assert.throws(
      () => compileZones({ networks: NETWORKS, zones: [SEED[2] as ZoneEntry, SEED[2] as ZoneEntry] }),
      /granted twice/,
    );
    assert.throws(
      () => compileZones({ networks: NETWORKS.filter((zone) => zone.purpose !== "management"), zones: [] }),
      /no management network/,
    );
  });
});

describe("OPNsense encoding and names", () => {
  it("encodes aliases and rules as the API takes them", () => {
    const { aliases, rules } = seed();
    const agent = aliases.find((alias) => alias.name === "fz_svc_wazuh_agent");
    assert.ok(agent);
    assert.deepEqual(toFields("alias", agent), {
      enabled: "1",
      name: "fz_svc_wazuh_agent",
      type: "port",
      content: "1514\n1515",
      description: "Fortress service wazuh-agent: 1514, 1515/tcp",
    });
    const internet = rules.find((rule) => rule.description === "fortress zones: users → internet (https)");
    assert.ok(internet);
    assert.deepEqual(toFields("rule", internet), {
      enabled: "1",
      sequence: "8006",
      action: "pass",
      quick: "1",
      interface: "opt4",
      direction: "in",
      ipprotocol: "inet",
      protocol: "TCP",
      source_net: "fz_net_users",
      source_not: "0",
      destination_net: "fz_private",
      destination_not: "1",
      destination_port: "fz_svc_https",
      log: "0",
      description: "fortress zones: users → internet (https)",
    });
  });

  it("keeps every possible service alias name within OPNsense's limits", () => {
    for (const service of SERVICE_NAMES) {
      for (const match of serviceMatches(service)) {
        assert.match(serviceAliasName(match), /^[A-Za-z0-9_]{1,31}$/);
      }
    }
    for (const alias of seed().aliases) assert.match(alias.name, /^[A-Za-z0-9_]{1,31}$/);
  });
});

describe("compileProxmoxFirewall", () => {
  const compiled = () => compileProxmoxFirewall({ networks: NETWORKS, zones: SEED });
  const group = (name: string) => compiled().securityGroups.find((candidate) => candidate.name === name);

  it("makes one cluster IP set per zone", () => {
    assert.deepEqual(
      compiled().ipSets.map((set) => [set.name, set.cidrs]),
      NETWORKS.map((zone) => [`fz-${zone.name}`, [{ name: zone.cidr, comment: zone.name }]]),
    );
  });

  it("makes a security group per zone but quarantine, within Proxmox's name rules", () => {
    assert.deepEqual(
      compiled().securityGroups.map((candidate) => candidate.name),
      ["fz-mgmt", "fz-servers", "fz-sensors", "fz-users", "fz-iot", "fz-guest"],
    );
    for (const candidate of compiled().securityGroups)
      assert.match(candidate.name, /^[A-Za-z][A-Za-z0-9_-]{1,17}$/);
    for (const set of compiled().ipSets) assert.match(set.name, /^[A-Za-z][A-Za-z0-9_-]{1,63}$/);
  });

  it("lets into servers exactly what the matrix grants, per transport", () => {
    const base = { type: "in", action: "ACCEPT", dest: "+fz-servers", log: "nolog", enabled: true } as const;
    assert.deepEqual(group("fz-servers")?.rules, [
      { ...base, source: "+fz-servers", comment: "fortress: servers intra-zone (same VLAN)" },
      { ...base, source: "+fz-mgmt", comment: "fortress zones: mgmt → any (all)" },
      {
        ...base,
        source: "+fz-sensors",
        proto: "tcp",
        dport: "6514",
        comment: "fortress zones: sensors → servers (syslog/tcp)",
      },
      {
        ...base,
        source: "+fz-sensors",
        proto: "udp",
        dport: "514",
        comment: "fortress zones: sensors → servers (syslog/udp)",
      },
      {
        ...base,
        source: "+fz-sensors",
        proto: "tcp",
        dport: "1514,1515",
        comment: "fortress zones: sensors → servers (wazuh-agent)",
      },
      {
        ...base,
        source: "+fz-users",
        proto: "tcp",
        dport: "443",
        comment: "fortress zones: users → servers (https)",
      },
    ]);
  });

  it("logs what it lets into management, and lets into iot only its own zone and management", () => {
    for (const rule of group("fz-mgmt")?.rules ?? []) assert.equal(rule.log, "info", rule.comment);
    assert.deepEqual(
      group("fz-mgmt")?.rules.map((rule) => [rule.source, rule.proto, rule.dport]),
      // The seed grants nothing into management zone-wide: Prometheus's scrapes of the Proxmox nodes are
      // flows to each node's address (stacks/monitoringTargets.ts), not rows of the matrix.
      [["+fz-mgmt", undefined, undefined]],
    );
    assert.deepEqual(
      group("fz-iot")?.rules.map((rule) => rule.source),
      ["+fz-iot", "+fz-mgmt"],
    );
  });

  it("never accepts from anywhere but a zone's IP set", () => {
    for (const candidate of compiled().securityGroups) {
      for (const rule of candidate.rules) {
        assert.match(rule.source, /^\+fz-/, rule.comment);
        assert.equal(rule.dest, `+${candidate.name}`, rule.comment);
        assert.notEqual(rule.source, "+fz-quarantine", rule.comment);
      }
    }
  });
});

describe("host flows (issue 12: the agents' link to the Wazuh manager)", () => {
  const MANAGER = "10.10.20.64";
  const flow = (from: string, services: string[]): HostFlow => ({
    from,
    to: "servers",
    host: "wazuh-manager-1",
    address: MANAGER,
    services,
  });
  const FLOWS: readonly HostFlow[] = [
    flow("mgmt", ["wazuh-agent"]),
    flow("sensors", ["wazuh-agent"]),
    flow("users", ["wazuh-agent"]),
    flow("quarantine", ["wazuh-agent-events"]),
  ];
  const input = { networks: NETWORKS, zones: SEED, hostFlows: FLOWS };

  it("passes users to the manager's address only, on 1514 and 1515/TCP, before the default deny", () => {
    const users = onInterface(compileZones(input).rules, "opt4");
    const flows = users.filter((rule) => rule.description.startsWith("fortress flows:"));
    assert.deepEqual(flows, [
      pass({
        sequence: flows[0]?.sequence ?? -1,
        interface: "opt4",
        protocol: "TCP",
        source_net: "fz_net_users",
        destination_net: MANAGER,
        destination_port: "fz_svc_wazuh_agent",
        log: false,
        description: `fortress flows: users → wazuh-manager-1 ${MANAGER} (wazuh-agent)`,
      }),
    ]);
    assert.equal(users.at(-1)?.description, "fortress: users default deny");
    assert.ok((flows[0]?.sequence ?? Infinity) < (users.at(-1)?.sequence ?? 0));
    const aliases = compileZones(input).aliases;
    assert.deepEqual(aliases.find((alias) => alias.name === "fz_svc_wazuh_agent")?.content, ["1514", "1515"]);
    assert.deepEqual(aliases.find((alias) => alias.name === "fz_svc_wazuh_agent_events")?.content, ["1514"]);
  });

  it("lets quarantine out to the manager on 1514/TCP, logged, and nothing else", () => {
    const quarantine = onInterface(compileZones(input).rules, "opt7");
    const passes = quarantine.filter((rule) => rule.action === "pass");
    assert.deepEqual(passes, [
      pass({
        sequence: passes[0]?.sequence ?? -1,
        interface: "opt7",
        protocol: "TCP",
        source_net: "fz_net_quarantine",
        destination_net: MANAGER,
        destination_port: "fz_svc_wazuh_agent_events",
        log: true,
        description: `fortress flows: quarantine → wazuh-manager-1 ${MANAGER} (wazuh-agent-events)`,
      }),
    ]);
    assert.deepEqual(
      quarantine.filter((rule) => rule.action === "block").map((rule) => rule.destination_net),
      ["(self)", "any"],
    );
    for (const rule of compileZones(input).rules.filter((candidate) => candidate.action === "pass"))
      assert.notEqual(rule.destination_net, "fz_net_quarantine", rule.description);
  });

  it("adds nothing to the seed's compiled rules without host flows", () => {
    const without = compileZones({ networks: NETWORKS, zones: SEED });
    const withFlows = compileZones(input);
    const flowRules = withFlows.rules.filter((rule) => rule.description.startsWith("fortress flows:"));
    assert.equal(flowRules.length, 4);
    assert.ok(!without.rules.some((rule) => rule.description.startsWith("fortress flows:")));
    assert.ok(!without.aliases.some((alias) => alias.name === "fz_svc_wazuh_agent_events"));
  });

  it("refuses a flow out of quarantine with anything but the agent link, and the other bad flows", () => {
    const bad: [HostFlow, RegExp][] = [
      [flow("quarantine", ["wazuh-agent"]), /only wazuh-agent-events may leave a quarantine network/],
      [flow("quarantine", ["wazuh-agent-events", "ssh"]), /only wazuh-agent-events may leave/],
      [flow("servers", ["wazuh-agent"]), /its host is on another network/],
      [{ ...flow("users", ["wazuh-agent"]), to: "quarantine", address: "10.10.99.5" }, /enter a quarantine/],
      [{ ...flow("users", ["wazuh-agent"]), address: "10.10.40.5" }, /not a host address of servers/],
      [{ ...flow("users", ["wazuh-agent"]), address: "10.10.20.1" }, /not a host address of servers/],
      [flow("users", []), /no services/],
      [flow("users", ["telnet"]), /unknown service telnet/],
      [flow("nowhere", ["wazuh-agent"]), /unknown source network/],
    ];
    for (const [hostFlow, message] of bad) {
      assert.throws(
        () => compileZones({ networks: NETWORKS, zones: SEED, hostFlows: [hostFlow] }),
        message,
        JSON.stringify(hostFlow),
      );
      assert.throws(
        () => compileProxmoxFirewall({ networks: NETWORKS, zones: SEED, hostFlows: [hostFlow] }),
        message,
      );
    }
    assert.throws(
      () => compileZones({ ...input, hostFlows: [...FLOWS, flow("users", ["ssh"])] }),
      /granted twice/,
    );
    // The admin's matrix still cannot name quarantine as a source.
    assert.throws(
      () =>
        compileZones({
          networks: NETWORKS,
          zones: [...SEED, { from: "quarantine", to: "servers", services: ["wazuh-agent-events"] }],
          hostFlows: FLOWS,
        }),
      /nothing may leave a quarantine network/,
    );
  });

  it("accepts the flows on the manager's NIC, to its address only, in the servers group", () => {
    const { securityGroups } = compileProxmoxFirewall(input);
    const servers = securityGroups.find((group) => group.name === "fz-servers");
    const flows = servers?.rules.filter((rule) => rule.comment.startsWith("fortress flows:")) ?? [];
    assert.deepEqual(
      flows.map((rule) => [rule.source, rule.dest, rule.proto, rule.dport, rule.log]),
      [
        ["+fz-mgmt", MANAGER, "tcp", "1514,1515", "nolog"],
        ["+fz-sensors", MANAGER, "tcp", "1514,1515", "nolog"],
        ["+fz-users", MANAGER, "tcp", "1514,1515", "nolog"],
        ["+fz-quarantine", MANAGER, "tcp", "1514", "info"],
      ],
    );
    for (const group of securityGroups.filter((candidate) => candidate.name !== "fz-servers"))
      assert.ok(!group.rules.some((rule) => rule.comment.startsWith("fortress flows:")), group.name);
    assert.equal(
      securityGroups.find((group) => group.name === "fz-quarantine"),
      undefined,
    );
  });
});

describe("scan flows: the vulnerability scanner's reach (issue 13)", () => {
  const SCANNER = "10.10.20.70";
  const scan = (to: string) => ({ from: "servers", host: "greenbone-1", address: SCANNER, to });
  const input = { networks: NETWORKS, zones: SEED, scanFlows: [scan("users"), scan("iot")] };

  it("passes every protocol from the scanner's one address to each network it scans, before the default deny", () => {
    const rules = onInterface(compileZones(input).rules, "opt2");
    const scans = rules.filter((rule) => rule.description.startsWith("fortress scans:"));
    assert.deepEqual(
      scans.map(({ sequence: _sequence, ...rule }) => rule),
      ["users", "iot"].map((to) =>
        pass({
          interface: "opt2",
          protocol: "any",
          source_net: SCANNER,
          destination_net: `fz_net_${to}`,
          destination_port: "",
          log: false,
          description: `fortress scans: greenbone-1 ${SCANNER} → ${to} (all)`,
        }),
      ),
    );
    const deny = rules.at(-1);
    assert.ok(deny && scans.every((rule) => rule.sequence < deny.sequence));
  });

  it("accepts the scanner's address alone in the scanned zone's security group, and nowhere else", () => {
    const { securityGroups } = compileProxmoxFirewall(input);
    const fromScanner = securityGroups.flatMap((group) =>
      group.rules.filter((rule) => rule.source === SCANNER).map((rule) => ({ group: group.name, rule })),
    );
    assert.deepEqual(
      fromScanner.map(({ group, rule }) => [group, rule.proto, rule.dport, rule.dest]),
      [
        ["fz-users", undefined, undefined, "+fz-users"],
        ["fz-iot", undefined, undefined, "+fz-iot"],
      ],
    );
  });

  it("refuses a scan of quarantine, of the scanner's own network, or from an address outside it", () => {
    const compile = (flow: ReturnType<typeof scan>) => () =>
      compileZones({ networks: NETWORKS, zones: SEED, scanFlows: [flow] });
    assert.throws(compile(scan("quarantine")), /no scan enters or leaves a quarantine network/);
    assert.throws(compile(scan("servers")), /it scans another network/);
    assert.throws(compile({ ...scan("users"), address: "10.10.40.9" }), /is not a host address of servers/);
    assert.throws(
      () => compileZones({ ...input, scanFlows: [scan("users"), scan("users")] }),
      /granted twice/,
    );
  });
});
