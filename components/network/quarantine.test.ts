import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HostFlow, RuleSpec, ZoneEntry, ZoneNetwork } from "./types";
import { compileProxmoxFirewall, compileZones, RULES_PER_VLAN } from "./zoneRules";
import { QUARANTINE_ALIAS } from "./quarantine";
import { toFields } from "../opnsense/toFields";
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
const FLOWS: readonly HostFlow[] = [
  { from: "users", to: "servers", host: "wazuh-manager-1", address: MANAGER, services: ["wazuh-agent"] },
  {
    from: "quarantine",
    to: "servers",
    host: "wazuh-manager-1",
    address: MANAGER,
    services: ["wazuh-agent-events"],
  },
];
const reportsTo = { host: "wazuh-manager-1", address: MANAGER, network: "servers" };
const input = { networks: NETWORKS, zones: SEED, hostFlows: FLOWS, quarantine: { reportsTo } };

const onInterface = (rules: readonly RuleSpec[], iface: string) =>
  rules.filter((rule) => rule.interface === iface).sort((a, b) => a.sequence - b.sequence);

const BLOCK = {
  enabled: true,
  action: "block",
  quick: true,
  direction: "in",
  ipprotocol: "inet46",
  protocol: "any",
  source_not: false,
  destination_not: false,
  destination_port: "",
  log: true,
} as const;

describe("zone compiler: quarantine", () => {
  it("creates fz_quarantine as an external alias with no content, only with the service on", () => {
    const alias = compileZones(input).aliases.find((candidate) => candidate.name === QUARANTINE_ALIAS);
    assert.equal(alias?.type, "external");
    assert.deepEqual(alias?.content, []);
    // What the API receives: type external, empty content (nothing Pulumi would later rewrite).
    const fields = toFields("alias", alias as NonNullable<typeof alias>);
    assert.equal(fields.type, "external");
    assert.equal(fields.content, "");
    const off = compileZones({ networks: NETWORKS, zones: SEED, hostFlows: FLOWS });
    assert.ok(!off.aliases.some((candidate) => candidate.name === QUARANTINE_ALIAS));
    assert.ok(!off.rules.some((rule) => rule.description.startsWith("fortress quarantine:")));
  });

  it("puts the pass to the manager and the two logged blocks first on every VLAN interface, right after the anti-lockout", () => {
    const rules = compileZones(input).rules;
    const antiLockout = rules.filter((rule) => rule.description.includes("anti-lockout"));
    assert.deepEqual(
      antiLockout.map((rule) => rule.sequence),
      antiLockout.map((_, index) => index + 1),
    );
    for (const network of NETWORKS) {
      const own = onInterface(rules, network.interface).filter((rule) => !antiLockout.includes(rule));
      const base = network.vlan * RULES_PER_VLAN;
      const passToManager = network.name === "servers" ? [] : [own[0]];
      const blocks = own.slice(passToManager.length, passToManager.length + 2);
      if (network.name !== "servers") {
        assert.deepEqual(own[0], {
          ...BLOCK,
          action: "pass",
          ipprotocol: "inet",
          protocol: "TCP",
          interface: network.interface,
          source_net: QUARANTINE_ALIAS,
          destination_net: MANAGER,
          destination_port: "fz_svc_wazuh_agent_events",
          sequence: base + 1,
          description: `fortress quarantine: ${network.name} contained hosts → wazuh-manager-1 ${MANAGER} (wazuh-agent-events)`,
        });
      }
      assert.deepEqual(blocks, [
        {
          ...BLOCK,
          interface: network.interface,
          source_net: QUARANTINE_ALIAS,
          destination_net: "any",
          sequence: base + passToManager.length + 1,
          description: `fortress quarantine: ${network.name} contained hosts → anything blocked`,
        },
        {
          ...BLOCK,
          interface: network.interface,
          source_net: "any",
          destination_net: QUARANTINE_ALIAS,
          sequence: base + passToManager.length + 2,
          description: `fortress quarantine: ${network.name} anything → contained hosts blocked`,
        },
      ]);
      // Every other rule of the interface comes after them; the default deny stays last.
      const rest = own.slice(passToManager.length + 2);
      assert.ok(rest.every((rule) => rule.sequence > base + passToManager.length + 2));
      assert.equal(rest.at(-1)?.description, `fortress: ${network.name} default deny`);
    }
    assert.ok(compileZones(input).aliases.some((alias) => alias.name === "fz_svc_wazuh_agent_events"));
  });

  it("shifts the interface's other rules and changes nothing else", () => {
    const without = compileZones({ networks: NETWORKS, zones: SEED, hostFlows: FLOWS });
    const withQuarantine = compileZones(input);
    const strip = (rules: readonly RuleSpec[]) =>
      rules
        .filter((rule) => !rule.description.startsWith("fortress quarantine:"))
        .map(({ sequence: _sequence, ...rule }) => rule);
    assert.deepEqual(strip(withQuarantine.rules), strip(without.rules));
    assert.equal(
      withQuarantine.rules.length - without.rules.length,
      NETWORKS.length * 2 + (NETWORKS.length - 1),
    );
    // Proxmox is untouched: the quarantine table lives on OPNsense alone.
    assert.deepEqual(
      compileProxmoxFirewall(input),
      compileProxmoxFirewall({ networks: NETWORKS, zones: SEED, hostFlows: FLOWS }),
    );
  });

  it("blocks without a pass while no manager is planned", () => {
    const rules = compileZones({ ...input, quarantine: {} }).rules;
    const own = onInterface(rules, "opt4");
    assert.deepEqual(
      own.slice(0, 2).map((rule) => [rule.action, rule.source_net, rule.destination_net]),
      [
        ["block", QUARANTINE_ALIAS, "any"],
        ["block", "any", QUARANTINE_ALIAS],
      ],
    );
    assert.ok(!rules.some((rule) => rule.action === "pass" && rule.source_net === QUARANTINE_ALIAS));
  });

  it("refuses a manager outside its network, on its gateway, in quarantine or on an unknown network", () => {
    const bad: [typeof reportsTo, RegExp][] = [
      [{ ...reportsTo, address: "10.10.40.5" }, /not a host address of servers/],
      [{ ...reportsTo, address: "10.10.20.1" }, /not a host address of servers/],
      [{ ...reportsTo, network: "quarantine", address: "10.10.99.5" }, /cannot sit in a quarantine network/],
      [{ ...reportsTo, network: "nowhere" }, /unknown network nowhere/],
    ];
    for (const [candidate, message] of bad) {
      assert.throws(() => compileZones({ ...input, quarantine: { reportsTo: candidate } }), message);
    }
  });

  it("lets the scanner reach the contained hosts for the rescan: one logged pass on its interface, after the manager's pass, before the blocks", () => {
    const SCANNER = "10.10.20.9";
    const scanFlows = ["users", "iot", "sensors"].map((to) => ({
      from: "servers",
      host: "greenbone-1",
      address: SCANNER,
      to,
    }));
    const rules = compileZones({ ...input, scanFlows }).rules;
    const servers = onInterface(rules, "opt2").filter((rule) =>
      rule.description.startsWith("fortress quarantine:"),
    );
    assert.deepEqual(
      servers.map((rule) => [rule.action, rule.source_net, rule.destination_net]),
      [
        ["pass", SCANNER, QUARANTINE_ALIAS],
        ["block", QUARANTINE_ALIAS, "any"],
        ["block", "any", QUARANTINE_ALIAS],
      ],
      "one pass however many networks the scanner scans",
    );
    assert.deepEqual(
      { ...servers[0], sequence: 0 },
      {
        ...BLOCK,
        action: "pass",
        ipprotocol: "inet",
        interface: "opt2",
        source_net: SCANNER,
        destination_net: QUARANTINE_ALIAS,
        description: `fortress quarantine: servers scanner greenbone-1 ${SCANNER} → contained hosts (rescan)`,
        sequence: 0,
      },
    );
    // No other interface gets it: the scanner's packets enter on its own.
    assert.equal(
      rules.filter((rule) => rule.destination_net === QUARANTINE_ALIAS && rule.action === "pass").length,
      1,
    );
    // Without the scanner, none.
    assert.ok(!compileZones(input).rules.some((rule) => rule.description.includes("(rescan)")));
  });
});
