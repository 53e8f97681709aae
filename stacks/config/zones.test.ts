import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileProxmoxFirewall, compileZones } from "../../components/network/zoneRules";
import type { NetworkConfig } from "./schema";
import { checkZones, type ZoneConfig, zonesSchema } from "./zones";
import { homeValue } from "../../test/support/homeConfig";

const net = (name: string, vlan: number, purpose: NetworkConfig["purpose"]): NetworkConfig => ({
  name,
  vlan,
  cidr: `10.10.${vlan}.0/24`,
  gateway: `10.10.${vlan}.1`,
  purpose,
  dhcp: { start: `10.10.${vlan}.100`, end: `10.10.${vlan}.250` },
});

/** The networks of Pulumi.home.yaml. */
const NETWORKS: readonly NetworkConfig[] = [
  net("mgmt", 10, "management"),
  net("servers", 20, "servers"),
  net("sensors", 30, "sensors"),
  net("users", 40, "users"),
  net("iot", 50, "iot"),
  net("guest", 60, "guest"),
  net("quarantine", 99, "quarantine"),
];

/** The seed matrix of Pulumi.home.yaml, as the YAML decodes. */
const SEED = homeValue("zones") as unknown;

const parse = (value: unknown) => zonesSchema.parse(value);

/** The issues of one entry appended to the seed, which itself has none. */
function issuesOf(entry: ZoneConfig, networks: readonly NetworkConfig[] = NETWORKS) {
  const zones = [...parse(SEED), entry];
  return checkZones(zones, networks);
}

function assertOneIssue(entry: ZoneConfig, path: string, message: RegExp) {
  const issues = issuesOf(entry);
  assert.equal(issues.length, 1, JSON.stringify(issues));
  const [found] = issues;
  assert.equal(found?.path, path);
  assert.match(found?.message ?? "", message);
  assert.ok((found?.hint ?? "").length > 10, "every issue carries a hint");
}

const last = 14; // index of the appended entry

describe("zonesSchema", () => {
  it("accepts the seed matrix and defaults to no entries", () => {
    assert.equal(parse(SEED).length, 14);
    assert.deepEqual(parse(undefined), []);
  });

  it("reports shape problems at the offending entry", () => {
    const cases: [unknown, (string | number)[]][] = [
      [[{ from: "users", to: "servers" }], [0, "services"]],
      [[{ from: "users", to: "servers", services: [] }], [0, "services"]],
      [[{ from: "users", to: "servers", services: "https" }], [0, "services"]],
      [[{ from: "users", to: "", services: ["https"] }], [0, "to"]],
      [[{ from: "users", to: "servers", services: ["https"], port: 443 }], [0]],
      [{ from: "users" }, []],
    ];
    for (const [value, path] of cases) {
      const result = zonesSchema.safeParse(value);
      assert.equal(result.success, false, JSON.stringify(value));
      assert.deepEqual(result.error?.issues[0]?.path, path, JSON.stringify(value));
    }
  });
});

describe("checkZones", () => {
  it("finds nothing wrong with the seed matrix, which compiles", () => {
    const zones = parse(SEED);
    assert.deepEqual(checkZones(zones, NETWORKS), []);
    const input = {
      networks: NETWORKS.map((network) => ({ ...network, interface: `opt${network.vlan}` })),
      zones,
    };
    assert.doesNotThrow(() => compileZones(input));
    assert.doesNotThrow(() => compileProxmoxFirewall(input));
  });

  it("rejects unknown networks in from and to, listing the known ones", () => {
    assertOneIssue(
      { from: "lab", to: "servers", services: ["https"] },
      `zones[${last}].from`,
      /no network is named lab/,
    );
    assertOneIssue(
      { from: "users", to: "lab", services: ["https"] },
      `zones[${last}].to`,
      /no network is named lab/,
    );
    const [issue] = issuesOf({ from: "users", to: "lab", services: ["https"] });
    assert.match(issue?.hint ?? "", /mgmt, servers.*internet, firewall, any/);
  });

  it("rejects the internet and other keywords as a source", () => {
    assertOneIssue(
      { from: "internet", to: "servers", services: ["https"] },
      `zones[${last}].from`,
      /from the internet/,
    );
    assertOneIssue(
      { from: "any", to: "servers", services: ["https"] },
      `zones[${last}].from`,
      /declared network/,
    );
    assertOneIssue(
      { from: "firewall", to: "servers", services: ["https"] },
      `zones[${last}].from`,
      /declared network/,
    );
  });

  it("rejects anything granted from or to a quarantine network", () => {
    assertOneIssue(
      { from: "quarantine", to: "internet", services: ["https"] },
      `zones[${last}].from`,
      /quarantine network: nothing may leave/,
    );
    assertOneIssue(
      { from: "users", to: "quarantine", services: ["https"] },
      `zones[${last}].to`,
      /quarantine network: nothing may enter/,
    );
    // Management, too: the response layer's isolation admits no exception.
    assertOneIssue(
      { from: "mgmt", to: "quarantine", services: ["ssh"] },
      `zones[${last}].to`,
      /nothing may enter/,
    );
  });

  it("allows services: all and to: any only from a management network", () => {
    assertOneIssue(
      { from: "users", to: "sensors", services: "all" },
      `zones[${last}].services`,
      /only for a management/,
    );
    assertOneIssue(
      { from: "servers", to: "any", services: ["https"] },
      `zones[${last}].to`,
      /only a management network/,
    );
    assert.deepEqual(checkZones(parse([{ from: "mgmt", to: "servers", services: "all" }]), NETWORKS), []);
  });

  it("rejects an entry whose source is its destination", () => {
    assertOneIssue(
      { from: "users", to: "users", services: ["https"] },
      `zones[${last}].to`,
      /never crosses the firewall/,
    );
  });

  it("rejects unknown and repeated services at their index", () => {
    assertOneIssue(
      { from: "users", to: "sensors", services: ["https", "telnet"] },
      `zones[${last}].services[1]`,
      /telnet is not a known service/,
    );
    assertOneIssue(
      { from: "users", to: "sensors", services: ["https", "ssh", "https"] },
      `zones[${last}].services[2]`,
      /already listed at services\[0\]/,
    );
  });

  it("rejects a from → to pair granted twice, pointing at the first", () => {
    assertOneIssue(
      { from: "users", to: "servers", services: ["ssh"] },
      `zones[${last}]`,
      /already granted by zones\[8\]/,
    );
  });

  it("rejects network names the zone objects cannot carry", () => {
    const networks = [...NETWORKS, net("internet", 70, "iot"), net("kubernetes-nodes", 80, "servers")];
    const issues = checkZones([], networks);
    assert.deepEqual(
      issues.map((found) => [found.path, found.hint.length > 10]),
      [
        ["networks[7].name", true],
        ["networks[8].name", true],
      ],
    );
    assert.match(issues[0]?.message ?? "", /zone keyword/);
    assert.match(issues[1]?.message ?? "", /longer than 15/);
  });

  it("reports every problem of a bad matrix at once, each with a path and a hint", () => {
    const zones = parse([
      { from: "internet", to: "users", services: ["https"] },
      { from: "users", to: "quarantine", services: "all" },
      { from: "guest", to: "nowhere", services: ["gopher"] },
    ]);
    const issues = checkZones(zones, NETWORKS);
    assert.deepEqual(
      issues.map((found) => found.path),
      ["zones[0].from", "zones[1].to", "zones[1].services", "zones[2].to", "zones[2].services[0]"],
    );
    for (const found of issues) assert.ok(found.hint.length > 10, found.path);
  });

  it("agrees with the compiler: whatever it accepts compiles, whatever the compiler refuses it reports", () => {
    const networks = NETWORKS.map((network) => ({ ...network, interface: `opt${network.vlan}` }));
    const candidates: ZoneConfig[] = [
      { from: "quarantine", to: "internet", services: ["https"] },
      { from: "users", to: "quarantine", services: ["https"] },
      { from: "users", to: "internet", services: "all" },
      { from: "users", to: "any", services: ["https"] },
      { from: "users", to: "servers", services: ["telnet"] },
      { from: "users", to: "users", services: ["https"] },
      { from: "mgmt", to: "any", services: ["ssh", "https"] },
      { from: "iot", to: "firewall", services: ["dns"] },
      { from: "guest", to: "internet", services: ["https", "http3"] },
    ];
    for (const entry of candidates) {
      const accepted = checkZones([entry], NETWORKS).length === 0;
      const compiles = (() => {
        try {
          compileZones({ networks, zones: [entry] });
          return true;
        } catch {
          return false;
        }
      })();
      assert.equal(compiles, accepted, JSON.stringify(entry));
    }
  });
});
