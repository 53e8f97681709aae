import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { validateConfig } from "../../../stacks/config/load";
import { K3S_ROLES } from "../../../stacks/catalog";
import { type CapturedResource, captureRegistrations } from "../../../stacks/plan/capture";
import { readStackConfig, stackConfigSource } from "../../../stacks/plan/stackConfig";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { NodeExporterHost } from "./nodeExporterHost";
import { nodeScrapeJob, opnsenseScrapeJob, proxmoxNodeLabels, vmLabels } from "./scrapeJobs";

const SSH = "-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-CANARY-0003\n-----END OPENSSH PRIVATE KEY-----\n";
type Inputs = Record<string, unknown>;

function homeLab() {
  const { model } = validateConfig(
    stackConfigSource(readStackConfig(join(__dirname, "..", "..", "..", "Pulumi.home.yaml"))),
  );
  assert.ok(model, "the home config is valid");
  return model;
}

describe("NodeExporterHost and the node job over the home lab", () => {
  let resources: CapturedResource[] = [];
  const lab = homeLab();
  const vms = lab.vms.filter((vm) => !K3S_ROLES.has(vm.role.name));
  const hosts: NodeExporterHost[] = [];
  let connection: Inputs = {};

  before(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (mock) => ({ id: `${mock.name}-id`, state: mock.inputs }), call: (mock) => mock.inputs },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    for (const vm of vms)
      hosts.push(
        new NodeExporterHost(`node-exporter-${vm.name}`, {
          host: {
            name: vm.name,
            address: vm.ip,
            user: "fortress",
            privateKey: pulumi.secret(SSH),
            hostKey: `ssh-ed25519 AAAA${vm.name}`,
          },
          labels: vmLabels({ role: vm.role, node: vm.node.proxmoxNode }),
        }),
      );
    for (const node of lab.config.nodes)
      hosts.push(
        new NodeExporterHost(`node-exporter-${node.proxmoxNode}`, {
          host: {
            name: node.proxmoxNode,
            address: node.address,
            user: "root",
            privateKey: pulumi.secret(SSH),
            hostKey: node.sshHostKey,
          },
          labels: proxmoxNodeLabels(node.proxmoxNode),
        }),
      );
    connection = await new Promise((resolve) =>
      (hosts[0]?.install.connection as unknown as pulumi.Output<Inputs>).apply(resolve),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("covers the manager, Zeek, Greenbone and MISP VMs and no k3s node", () => {
    const roles = new Set(vms.map((vm) => vm.role.name));
    for (const role of ["wazuh-manager", "zeek", "greenbone", "misp"] as const)
      assert.ok(roles.has(role), role);
    for (const role of roles) assert.ok(!role.startsWith("k3s"), role);
  });

  it("lists every host once in the node job, at its own address :9100, with layer, role and node", () => {
    const job = nodeScrapeJob(hosts.map((host) => host.target));
    assert.equal(job.job, "node");
    assert.equal(job.targets.length, vms.length + lab.config.nodes.length);
    const manager = vms.find((vm) => vm.role.name === "wazuh-manager");
    assert.ok(manager);
    assert.deepEqual(job.targets.find((target) => target.address === `${manager.ip}:9100`)?.labels, {
      layer: "siem",
      role: "wazuh-manager",
      node: manager.node.proxmoxNode,
    });
    const node = lab.config.nodes[0];
    assert.ok(node);
    assert.deepEqual(job.targets.find((target) => target.address === `${node.address}:9100`)?.labels, {
      layer: "hypervisor",
      role: "proxmox-node",
      node: node.proxmoxNode,
    });
    assert.throws(() => nodeScrapeJob([...job.targets, job.targets[0]!]), /listed twice/);
    assert.throws(() => nodeScrapeJob([]), /no host/);
  });

  it("installs over SSH pinned to the host key, the key secret, nothing logged, each a child of its component", () => {
    assert.equal(connection.hostKey, `ssh-ed25519 AAAA${vms[0]?.name}`);
    const components = resources.filter((resource) => resource.type === COMPONENT_TYPES.nodeExporterHost);
    assert.equal(components.length, hosts.length);
    for (const component of components) {
      const install = resources.find((resource) => resource.name === `${component.name}-install`);
      assert.equal(install?.parent, component.urn);
      assert.equal((install?.inputs as Inputs).logging, "none");
    }
    assert.ok(!JSON.stringify(resources).includes("SSH-CANARY"), "the SSH key is recorded in clear");
  });

  it("gives the firewall its own job on its servers-side address", () => {
    const job = opnsenseScrapeJob("10.10.20.1");
    assert.deepEqual(job, {
      job: "opnsense",
      scheme: "http",
      targets: [{ address: "10.10.20.1:9100", labels: { layer: "network", role: "firewall" } }],
    });
  });
});
