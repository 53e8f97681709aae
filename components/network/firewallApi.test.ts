import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addressRange, covers } from "../../vocabulary/addresses";
import type { CompiledZones, FirewallApiClient, HostFlow, RuleSpec, ZoneEntry, ZoneNetwork } from "./types";
import { compileProxmoxFirewall, compileZones } from "./zoneRules";
import { firewallApiEndpoint } from "./firewallApi";
import { homeValue } from "../../test/support/homeConfig";
import { zoneNetwork as net } from "../../test/support/fixtures";

const NETWORKS: readonly ZoneNetwork[] = [
  net("mgmt", 10, "management", "opt1"),
  net("servers", 20, "servers", "opt2"),
  net("sensors", 30, "sensors", "opt3"),
  net("users", 40, "users", "opt4"),
  net("iot", 50, "iot", "opt5"),
  net("guest", 60, "guest", "opt6"),
  net("quarantine", 99, "quarantine", "opt7"),
];
const SEED = homeValue("zones") as readonly ZoneEntry[];
const MANAGER = "10.10.20.64";
const API = { address: "10.10.10.1", port: 443 };
const FLOWS: readonly HostFlow[] = [
  { from: "users", to: "servers", host: "wazuh-manager-1", address: MANAGER, services: ["wazuh-agent"] },
];
const CLIENT: FirewallApiClient = {
  from: "servers",
  host: "wazuh-manager-1",
  address: MANAGER,
  why: "containment",
};
const reportsTo = { host: "wazuh-manager-1", address: MANAGER, network: "servers" };
const base = { networks: NETWORKS, zones: SEED, hostFlows: FLOWS, quarantine: { reportsTo } };
const input = { ...base, firewallApiClients: [CLIENT], firewallApi: API };

const onInterface = (rules: readonly RuleSpec[], iface: string) =>
  rules.filter((rule) => rule.interface === iface).sort((a, b) => a.sequence - b.sequence);

const isApiPass = (rule: RuleSpec) => rule.description.startsWith("fortress firewall API:");

/**
 * The first quick rule of an interface that matches an IPv4 TCP packet, as pf takes it: the rules in
 * sequence order (one interface: one priority group), addresses through the compiled aliases, `(self)`
 * as the firewall's gateways, the quarantine table empty (nothing contained).
 */
function firstMatch(
  compiled: CompiledZones,
  iface: string,
  packet: { src: string; dst: string; port: number },
) {
  const aliases = new Map(compiled.aliases.map((alias) => [alias.name, alias]));
  const inside = (field: string, address: string): boolean => {
    if (field === "any") return true;
    if (field === "(self)") return NETWORKS.some((network) => network.gateway === address);
    const alias = aliases.get(field);
    const cidrs = alias ? alias.content : [field];
    const target = addressRange(address);
    return (
      target !== undefined &&
      cidrs.some((cidr) =>
        covers(
          [addressRange(cidr)].flatMap((r) => r ?? []),
          target,
        ),
      )
    );
  };
  const portIn = (field: string) => {
    if (field === "") return true;
    const alias = aliases.get(field);
    return (alias ? alias.content : field.split(",")).map(Number).includes(packet.port);
  };
  return onInterface(compiled.rules, iface).find(
    (rule) =>
      rule.quick &&
      ["any", "TCP", "TCP/UDP"].includes(rule.protocol) &&
      inside(rule.source_net, packet.src) !== rule.source_not &&
      inside(rule.destination_net, packet.dst) !== rule.destination_not &&
      portIn(rule.destination_port),
  );
}

describe("firewallApiEndpoint: the host and port of fortress:opnsense.url", () => {
  it("reads an IPv4 host and its port, 443 for https and 80 for http when none is written", () => {
    assert.deepEqual(firewallApiEndpoint("https://10.10.10.1"), { address: "10.10.10.1", port: 443 });
    assert.deepEqual(firewallApiEndpoint("https://10.10.10.1/"), { address: "10.10.10.1", port: 443 });
    assert.deepEqual(firewallApiEndpoint("https://10.10.10.1:8443"), { address: "10.10.10.1", port: 8443 });
    assert.deepEqual(firewallApiEndpoint("http://10.10.10.1"), { address: "10.10.10.1", port: 80 });
  });

  it("gives nothing for a host name, an IPv6 host or no URL: a rule needs the address", () => {
    for (const url of ["https://fw.home.arpa", "https://[fd00::1]", "not a url"])
      assert.equal(firewallApiEndpoint(url), undefined, url);
  });
});

describe("zone compiler: the firewall API's clients (containment)", () => {
  it("passes the client's one address to the API's address and port, TCP, logged, on its network's interface", () => {
    const passes = compileZones(input).rules.filter(isApiPass);
    assert.deepEqual(
      passes.map(({ sequence: _sequence, ...rule }) => rule),
      [
        {
          enabled: true,
          action: "pass",
          quick: true,
          direction: "in",
          ipprotocol: "inet",
          interface: "opt2",
          protocol: "TCP",
          source_net: MANAGER,
          source_not: false,
          destination_net: "10.10.10.1",
          destination_not: false,
          destination_port: "443",
          log: true,
          description: `fortress firewall API: containment: wazuh-manager-1 ${MANAGER} → 10.10.10.1:443 (TCP)`,
        },
      ],
    );
    const custom = compileZones({ ...input, firewallApi: { address: "10.10.10.1", port: 8443 } });
    assert.deepEqual(
      custom.rules.filter(isApiPass).map((rule) => rule.destination_port),
      ["8443"],
    );
  });

  it("sits after the containment rules and before the block to (self), so the containment blocks stay first", () => {
    const rules = onInterface(compileZones(input).rules, "opt2");
    const api = rules.findIndex(isApiPass);
    const self = rules.findIndex((rule) => rule.action === "block" && rule.destination_net === "(self)");
    const lastQuarantine =
      rules.filter((rule) => rule.description.startsWith("fortress quarantine:")).length - 1;
    assert.ok(
      lastQuarantine >= 0 && lastQuarantine < api && api < self,
      `${lastQuarantine} < ${api} < ${self}`,
    );
    assert.ok(
      rules.slice(0, lastQuarantine + 1).every((rule) => rule.description.startsWith("fortress quarantine:")),
    );
  });

  it("lets the manager reach the API and nothing else of the firewall; another host of its network reaches none of it", () => {
    const compiled = compileZones(input);
    const seen = (src: string, port: number, dst = "10.10.10.1") =>
      firstMatch(compiled, "opt2", { src, dst, port });
    assert.equal(seen(MANAGER, 443)?.action, "pass");
    assert.ok(seen(MANAGER, 443) && isApiPass(seen(MANAGER, 443) as RuleSpec));
    for (const [src, port, dst] of [
      [MANAGER, 22, "10.10.10.1"],
      [MANAGER, 80, "10.10.10.1"],
      [MANAGER, 443, "10.10.20.1"],
      ["10.10.20.65", 443, "10.10.10.1"],
    ] as const) {
      const rule = seen(src, port, dst);
      assert.equal(rule?.action, "block", `${src} → ${dst}:${port}: ${rule?.description}`);
      assert.equal(rule?.destination_net, "(self)");
    }
    // Without the client, the manager meets the block to (self) as every other host does.
    const without = firstMatch(compileZones(base), "opt2", { src: MANAGER, dst: "10.10.10.1", port: 443 });
    assert.equal(without?.action, "block");
  });

  it("adds no alias and changes nothing on Proxmox, and none with no client", () => {
    assert.deepEqual(compileZones(input).aliases, compileZones(base).aliases);
    assert.deepEqual(compileProxmoxFirewall(input), compileProxmoxFirewall(base));
    assert.deepEqual(compileZones({ ...base, firewallApi: API }), compileZones(base));
    const withoutApi = compileZones(input).rules.filter((rule) => !isApiPass(rule));
    assert.deepEqual(
      withoutApi.map((rule) => rule.description),
      compileZones(base).rules.map((rule) => rule.description),
    );
  });

  it("refuses a client with no endpoint, in quarantine, outside its network, on its gateway, or twice", () => {
    const compile =
      (clients: FirewallApiClient[], api: typeof API | null = API) =>
      () =>
        compileZones({ ...base, firewallApiClients: clients, ...(api ? { firewallApi: api } : {}) });
    assert.throws(compile([CLIENT], null), /without the firewall's API endpoint/);
    assert.throws(compile([{ ...CLIENT, from: "quarantine", address: "10.10.99.5" }]), /quarantine/);
    assert.throws(compile([{ ...CLIENT, address: "10.10.40.9" }]), /not a host address of servers/);
    assert.throws(compile([{ ...CLIENT, address: "10.10.20.1" }]), /not a host address of servers/);
    assert.throws(compile([{ ...CLIENT, from: "dmz" }]), /unknown network dmz/);
    assert.throws(compile([CLIENT, { ...CLIENT, host: "again" }]), /granted twice/);
    assert.throws(compile([{ ...CLIENT, why: " " }]), /no reason/);
    assert.throws(compile([CLIENT], { address: "fw.home.arpa", port: 443 }), /not an IPv4 address/);
    assert.throws(compile([CLIENT], { address: "10.10.10.1", port: 0 }), /not a TCP port/);
  });
});
