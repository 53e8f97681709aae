import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateConfig } from "./config/load";
import type { LabModel } from "./lab";
import {
  exporterVms,
  firewallScrapeGranted,
  monitoringFlows,
  proxmoxHosts,
  scrapeSourceNetworks,
  targetLabels,
} from "./monitoringTargets";
import { readStackConfig, stackConfigSource } from "./plan/stackConfig";

function homeLab(): LabModel {
  const { model, issues } = validateConfig(stackConfigSource(readStackConfig("Pulumi.home.yaml")));
  assert.ok(model, `the home config is valid: ${JSON.stringify(issues)}`);
  return model;
}

const home = homeLab();
const withConfig = (patch: Partial<LabModel["config"]>): LabModel => ({
  ...home,
  config: { ...home.config, ...patch },
});

describe("what the monitoring layer scrapes outside the cluster", () => {
  it("gives the node exporter package to every VM that is no k3s node, with its layer, role and node", () => {
    const hosts = exporterVms(home);
    assert.deepEqual(hosts.map((host) => host.labels.role).sort(), [
      "greenbone",
      "misp",
      "wazuh-manager",
      "workstation",
      "zeek",
    ]);
    const zeek = hosts.find((host) => host.labels.role === "zeek");
    assert.equal(zeek?.labels.layer, "sensors");
    assert.equal(zeek?.network, "sensors");
    assert.deepEqual(targetLabels(zeek!), { layer: "sensors", role: "zeek", node: zeek!.labels.node });
  });

  it("scrapes every Proxmox node on the management network, labelled as the hypervisor's", () => {
    assert.deepEqual(
      proxmoxHosts(home).map((host) => [host.name, host.address, host.network, host.labels.role]),
      home.config.nodes.map((node) => [node.name, node.address, "mgmt", "proxmox-node"]),
    );
  });

  it("scrapes from the general k3s agents' network, and opens only what crosses the firewall, to one address each", () => {
    assert.deepEqual(scrapeSourceNetworks(home), ["servers"]);
    const flows = monitoringFlows(home);
    assert.ok(flows.every((flow) => flow.from === "servers" && flow.to !== "servers"));
    assert.deepEqual(
      flows.filter((flow) => flow.to === "mgmt").map((flow) => flow.services),
      home.config.nodes.map(() => ["node-exporter", "proxmox-ui"]),
    );
    assert.deepEqual(
      flows.filter((flow) => flow.to !== "mgmt").map((flow) => [flow.host, flow.services.join()]),
      [
        ["workstation-1", "node-exporter"],
        ["zeek-1", "node-exporter"],
      ],
    );
  });

  it("opens nothing while the monitoring layer or the prometheus service is off", () => {
    assert.deepEqual(
      monitoringFlows(withConfig({ layers: { ...home.config.layers, monitoring: false } })),
      [],
    );
    const services = home.config.services.filter((service) => service !== "prometheus");
    assert.deepEqual(monitoringFlows(withConfig({ services })), []);
  });

  it("scrapes the firewall only where the zone matrix lets node-exporter from servers to the firewall, and not otherwise", () => {
    assert.equal(firewallScrapeGranted(home.config), true);
    const zones = home.config.zones.map((zone) =>
      zone.from === "servers" && zone.to === "firewall" ? { ...zone, services: ["dns", "ntp"] } : zone,
    );
    assert.equal(firewallScrapeGranted({ ...home.config, zones }), false);
    const all = zones.map((zone) =>
      zone.from === "servers" && zone.to === "firewall" ? { ...zone, services: "all" as const } : zone,
    );
    assert.equal(firewallScrapeGranted({ ...home.config, zones: all }), true);
  });
});
