import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { TEST_API_TOKEN, TEST_SSH_KEY, testHostKey, HYPERVISOR_SETTINGS } from "../../test/support/fixtures";
import type { HypervisorArgs } from "./args";
import { Hypervisor } from "./hypervisor";
import { proxmoxProvider } from "../proxmox/provider";

/** What the node reports for 0000:01:00.0: a subsystem id other than the config's. */
const NODE_DEVICE = {
  id: "0000:01:00.0",
  class: "0x030000",
  vendor: "0x10de",
  device: "0x1e93",
  subsystemVendor: "0x1025",
  subsystemDevice: "0x1462",
  iommuGroup: 1,
};

const args: Omit<HypervisorArgs, "provider"> = {
  connection: {
    endpoint: "https://pve-g:8006/",
    apiToken: pulumi.secret(TEST_API_TOKEN),
    insecure: false,
    sshUser: "root",
    sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
    nodes: [{ name: "pve-g", address: "10.0.10.15", sshHostKey: testHostKey("pve-g") }],
  },
  nodes: [
    {
      name: "pve-g",
      address: "10.0.10.15",
      gpu: { id: "10de:1e93", subsystemId: "1025:1441", iommuGroup: 1, path: "0000:01:00" },
      capacity: { cores: 16, memoryGb: 30, diskGb: 794 },
    },
  ],
  ...HYPERVISOR_SETTINGS,
  vms: [
    {
      name: "gpu-1",
      fqdn: "gpu-1.lab.example",
      node: "pve-g",
      cores: 4,
      memoryGb: 8,
      diskGb: 64,
      dataDiskGb: 0,
      stateful: false,
      gpu: true,
      nic: { vlan: 20, address: "10.0.20.30", prefix: 24, gateway: "10.0.20.1", mac: "02:00:00:00:00:09" },
      tags: ["gpu"],
      description: "test gpu-1",
    },
  ],
};

/** What bpg reports when the token lacks Sys.Audit on / (pve-manager PVE/API2/Hardware/PCI.pm). */
const DENIED =
  "error retrieving PCI devices: received an HTTP 403 response - Reason: Permission check failed (/, Sys.Audit)";

describe("the GPU preflight", () => {
  it("asks the node for the mapped device at preview and warns, naming the key, where it differs", async () => {
    const invokes: { token: string; inputs: Record<string, unknown> }[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (resource) => ({
          id: `${resource.name}-id`,
          state: { ...resource.inputs, ...(resource.type.endsWith("VmLegacy") ? { vmId: 100 } : {}) },
        }),
        call: (call) => {
          invokes.push({ token: call.token, inputs: call.inputs });
          return call.token === "proxmoxve:hardware/getPci:getPci"
            ? { ...call.inputs, devices: [NODE_DEVICE] }
            : call.inputs;
        },
      },
      "fortress",
      "gpu",
      true,
    );
    const warn = mock.method(console, "warn", () => undefined);
    try {
      const hypervisor = new Hypervisor("hv", {
        ...args,
        provider: proxmoxProvider("proxmox", args.connection),
      });
      await new Promise<void>((resolve) => hypervisor.poolId.apply(() => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      warn.mock.restore();
    }
    const pci = invokes.filter((invoke) => invoke.token === "proxmoxve:hardware/getPci:getPci");
    assert.equal(pci.length, 1);
    assert.equal(pci[0]?.inputs.nodeName, "pve-g");
    assert.deepEqual(pci[0]?.inputs.filters, { id: "0000:01:00" });
    const warnings = warn.mock.calls.map((call) => String(call.arguments[0]));
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(
      warnings[0] ?? "",
      /gpu\.subsystemId is 1025:1441, the device at 0000:01:00\.0 has 1025:1462: Proxmox will not start the GPU VM/,
    );
  });

  it("turns a node it cannot ask (unreachable, or a token without Sys.Audit) into a warning, not a failed preview", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (resource) => ({
          id: `${resource.name}-id`,
          state: { ...resource.inputs, ...(resource.type.endsWith("VmLegacy") ? { vmId: 100 } : {}) },
        }),
        call: (call) => {
          // The engine answers a failed invoke with a gRPC error whose `details` is the provider's message.
          if (call.token === "proxmoxve:hardware/getPci:getPci")
            throw Object.assign(new Error("invoke failed"), { code: 2, details: DENIED });
          return call.inputs;
        },
      },
      "fortress",
      "gpu",
      true,
    );
    const warn = mock.method(console, "warn", () => undefined);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const hypervisor = new Hypervisor("hv", {
        ...args,
        provider: proxmoxProvider("proxmox", args.connection),
      });
      await new Promise<void>((resolve) => hypervisor.poolId.apply(() => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      warn.mock.restore();
      process.off("unhandledRejection", onRejection);
    }
    assert.deepEqual(rejections.map(String), [], "the failed read must not fail the program");
    const warnings = warn.mock.calls.map((call) => String(call.arguments[0]));
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0] ?? "", /could not read the GPU of pve-g/);
    assert.match(warnings[0] ?? "", /Permission check failed/, "it says what Proxmox answered");
    assert.match(warnings[0] ?? "", /Sys\.Audit on \//);
    assert.match(warnings[0] ?? "", /fortress:proxmox/);
  });
});
