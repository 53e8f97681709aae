/** The plan's text report: what it leads with, what it folds, and how wide its lines get. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NetworkConfig } from "../config/schema";
import type { NodePlacement, PlanDocument, PlanLayer, PlanResource } from "./document";
import { renderPlan } from "./report";
import { table, wrapList } from "./table";

const resource = (layer: PlanLayer["name"] | null, type: string, name: string): PlanResource => ({
  urn: `urn:pulumi:lab::fortress::${type}::${name}`,
  type,
  name,
  custom: true,
  parent: null,
  dependencies: [],
  protect: false,
  provider: null,
  inputs: {},
  layer,
});

const network = (name: string, vlan: number, purpose: NetworkConfig["purpose"]): NetworkConfig => ({
  name,
  vlan,
  cidr: `10.0.${vlan}.0/24`,
  gateway: `10.0.${vlan}.1`,
  purpose,
  dhcp: { start: `10.0.${vlan}.100`, end: `10.0.${vlan}.200` },
  interface: "lan",
});

function node(name: string, vms: number, usedGb: number): NodePlacement {
  return {
    node: name,
    proxmoxNode: name,
    capacity: { cores: 16, memoryGb: 64, diskGb: 1000 },
    used: { cores: vms, memoryGb: usedGb, diskGb: 10 * vms },
    headroomPct: { cores: ((16 - vms) / 16) * 100, memoryGb: Math.round(((64 - usedGb) / 64) * 1000) / 10, diskGb: 99 },
    vms: Array.from({ length: vms }, (_, index) => ({
      name: `${name}-workload-with-a-long-name-${index + 1}`,
      cores: 1,
      memoryGb: usedGb / vms,
      diskGb: 10,
      address: null,
      vlan: 20,
    })),
  };
}

/** A lab big enough that every list in the report is longer than a terminal line. */
function lab(violations: PlanDocument["violations"] = []): PlanDocument {
  const rules = Array.from({ length: 40 }, (_, index) =>
    resource("network", "pulumi-nodejs:dynamic/fortress:opnsense:rule", `network-rule-${index}-allow-something`),
  );
  return {
    version: 1,
    project: "fortress",
    stack: "lab",
    resources: [
      resource("network", "fortress:network:Network", "network"),
      ...rules,
      resource("network", "proxmoxve:firewall/ipsetLegacy:IpsetLegacy", "network-ipset-mgmt"),
      resource("hypervisor", "proxmoxve:index/vmLegacy:VmLegacy", "vm-1"),
      resource(null, "pulumi:providers:proxmoxve", "proxmox"),
    ],
    layers: [
      { name: "network", status: "built", dependsOn: [], resources: 42 },
      { name: "hypervisor", status: "built", dependsOn: ["network"], resources: 1 },
      { name: "siem", status: "not built yet", dependsOn: ["hypervisor"], resources: 0 },
    ],
    edges: [],
    placement: [node("pve1", 2, 12), node("big", 9, 60)],
    networks: [
      network("mgmt", 10, "management"),
      network("servers", 20, "servers"),
      network("users", 40, "users"),
      network("quarantine", 99, "quarantine"),
    ],
    zones: [
      { from: "mgmt", to: "any", services: ["all"] },
      { from: "users", to: "servers", services: ["https", "ssh", "syslog-tcp", "wazuh-agent", "node-exporter"] },
      { from: "users", to: "internet", services: ["http", "https", "http3"] },
    ],
    violations,
  };
}

const sections = (text: string) => text.split("\n").filter((line) => line.startsWith("== "));
const longest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

describe("the text report", () => {
  it("leads with a summary (resources, VMs, nodes, least headroom, violations, exit), then placement, zones, DAG, violations", () => {
    const text = renderPlan(lab());
    const [title, ...summary] = text.split("\n").slice(0, 6);
    assert.equal(title, 'Fortress plan for stack "lab": 44 resources');
    assert.deepEqual(summary, [
      "  resources  44 in 2 built layers (1 not built: siem (not built yet)), 1 outside any layer",
      "  VMs        11 on 2 nodes",
      "  headroom   lowest 6.3 % (RAM on big)",
      "  violations 0 (0 mandatory)",
      "  exit       0: the plan is clean",
    ]);
    assert.deepEqual(
      sections(text).map((line) => line.replace(/ \(.*$/, "")),
      ["== Placement", "== VLANs", "== Firewall matrix", "== Layer DAG", "== Violations", "== Resources per layer"],
    );
  });

  it("says what exit 1 means when a mandatory violation is planned", () => {
    const text = renderPlan(
      lab([{ policy: "node-capacity", level: "mandatory", message: "big is over its RAM", urn: "urn:x" }]),
    );
    assert.match(text, /^ {2}violations 1 \(1 mandatory\)$/m);
    assert.match(text, /^ {2}exit {7}1: 1 mandatory violation \(fix it or set the policy advisory\)$/m);
    assert.match(text, /^node-capacity \(mandatory\): 1\n {4}big is over its RAM\n {6}at urn:x$/m);
  });

  it("folds the resources to one line per layer with counts per type; --verbose names every one", () => {
    const folded = renderPlan(lab(), { width: 200 });
    assert.match(
      folded,
      /^network: 42 resources — Network ×1, rule ×40, IpsetLegacy ×1$/m,
      "one line per layer, counts per type",
    );
    assert.match(folded, /^hypervisor: 1 resources — VmLegacy ×1$/m);
    assert.match(folded, /^siem: not built yet$/m);
    assert.ok(!folded.includes("network-rule-7-allow-something"), "no resource names without --verbose");
    const verbose = renderPlan(lab(), { verbose: true, width: 200 });
    assert.match(verbose, /^ {4}pulumi-nodejs:dynamic\/fortress:opnsense:rule ×40: network-rule-0-allow-something, /m);
    for (let index = 0; index < 40; index++) assert.ok(verbose.includes(`network-rule-${index}-allow-something`));
  });

  for (const width of [100, 80, 60])
    it(`keeps every line within ${width} columns, wrapping long lists${width < 80 ? " and cutting tables" : ""}`, () => {
      for (const verbose of [false, true]) {
        const text = renderPlan(
          lab([{ policy: "inventory", level: "advisory", message: "a long message ".repeat(12).trim() }]),
          { width, verbose },
        );
        assert.ok(longest(text) <= width, `verbose ${verbose}: a line of ${longest(text)} columns`);
        // Nothing was cut: every VM name and every service is still there (at 60 columns a table may cut).
        if (width < 80) continue;
        for (const vm of lab().placement.flatMap((entry) => entry.vms)) assert.ok(text.includes(vm.name), vm.name);
        for (const service of ["syslog-tcp", "wazuh-agent", "node-exporter", "http3"]) assert.ok(text.includes(service));
      }
    });

  it("writes the zone matrix as one line per source when the grid is wider than the terminal", () => {
    const wide = renderPlan(lab(), { width: 120 });
    assert.match(wide, /^from \\ to +mgmt +servers +users +quarantine +internet +any$/m);
    const narrow = renderPlan(lab(), { width: 45 });
    assert.doesNotMatch(narrow, /^from \\ to/m);
    assert.match(narrow, /^ {2}users →\n {6}servers: https,ssh,syslog-tcp,wazuh-agent,node-exporter;\n {6}internet: http,https,http3$/m);
    assert.match(narrow, /^ {2}mgmt → servers: all\*; users: all\*;\n {6}internet: all\*; any: all$/m);
    assert.match(narrow, /^ {2}servers → nothing$/m);
    assert.match(narrow, /^ {2}quarantine → nothing$/m);
  });

  it("fails the width check when nothing wraps (the check can fail)", () => {
    const header = ["node", "VMs"];
    const rows = [["big", Array.from({ length: 20 }, (_, index) => `vm-${index}`).join(", ")]];
    assert.ok(longest(table(header, rows)) > 100, "unwrapped, the list is wider than 100");
    assert.ok(longest(table(header, rows, 100)) <= 100);
  });

  it("wraps a comma list after its commas, keeping each item whole", () => {
    assert.deepEqual(wrapList("http,https,http3", 11), ["http,https,", "http3"]);
    assert.deepEqual(wrapList("a-long-item, b", 4), ["a-long-item,", "b"]);
    assert.deepEqual(wrapList("short", 100), ["short"]);
  });
});
