import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileZones } from "../components/network/zoneRules";
import { type ScanLab, scanFlows, scanTargets } from "./scanTargets";

const networks = [
  { name: "mgmt", purpose: "management", cidr: "10.10.10.0/24" },
  { name: "servers", purpose: "servers", cidr: "10.10.20.0/24" },
  { name: "sensors", purpose: "sensors", cidr: "10.10.30.0/24" },
  { name: "users", purpose: "users", cidr: "10.10.40.0/24" },
  { name: "iot", purpose: "iot", cidr: "10.10.50.0/24" },
  { name: "guest", purpose: "guest", cidr: "10.10.60.0/24" },
  { name: "quarantine", purpose: "quarantine", cidr: "10.10.99.0/24" },
] as const;

const lab = (services: string[], scanManagement = false): ScanLab => ({
  config: { services, networks, vuln: { scanManagement } },
  vms: [
    {
      name: "greenbone-1",
      ip: "10.10.20.70",
      role: { name: "greenbone" },
      networkConfig: { name: "servers" },
    },
    { name: "zeek-1", ip: "10.10.30.5", role: { name: "zeek" }, networkConfig: { name: "sensors" } },
  ],
});

describe("scan targets from the inventory (issue 13)", () => {
  it("targets each lab network but guest, quarantine and (by default) management, with its whole range", () => {
    assert.deepEqual(scanTargets(lab(["greenbone"])), [
      { name: "servers", network: "servers", hosts: ["10.10.20.0/24"] },
      { name: "sensors", network: "sensors", hosts: ["10.10.30.0/24"] },
      { name: "users", network: "users", hosts: ["10.10.40.0/24"] },
      { name: "iot", network: "iot", hosts: ["10.10.50.0/24"] },
    ]);
    assert.deepEqual(
      scanTargets(lab(["greenbone"], true)).map((target) => target.network),
      ["mgmt", "servers", "sensors", "users", "iot"],
    );
    assert.deepEqual(scanTargets(lab([])), [], "no scanner, no targets");
  });

  it("opens each target network but the scanner's own to the scanner's address, and the compiler takes them", () => {
    const flows = scanFlows(lab(["greenbone"]));
    assert.deepEqual(
      flows.map((flow) => `${flow.host} ${flow.address} ${flow.from}→${flow.to}`),
      [
        "greenbone-1 10.10.20.70 servers→sensors",
        "greenbone-1 10.10.20.70 servers→users",
        "greenbone-1 10.10.20.70 servers→iot",
      ],
    );
    const zoneNetworks = networks.map((network, index) => ({
      ...network,
      vlan: (index + 1) * 10,
      gateway: network.cidr.replace(/0\/24$/, "1"),
      interface: `opt${index + 1}`,
    }));
    const compiled = compileZones({ networks: zoneNetworks, zones: [], scanFlows: flows });
    assert.equal(compiled.rules.filter((rule) => rule.source_net === "10.10.20.70").length, 3);
  });
});
