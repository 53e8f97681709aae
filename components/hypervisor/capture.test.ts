import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { CAPTURE_HOOKSCRIPT, CAPTURE_VLAN, MIRROR_COMMAND } from "../../vocabulary/capture";
import type { HypervisorArgs, HypervisorVmArgs } from "./args";
import { captureHookScript, hookAttachScript, hookDetachScript } from "./capture";
import { Hypervisor } from "./hypervisor";
import { proxmoxProvider } from "../proxmox/provider";
import { shellcheck } from "../../test/support/debianTools";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { HYPERVISOR_SETTINGS, TEST_API_TOKEN, TEST_SSH_KEY, testHostKey } from "../../test/support/fixtures";

function vm(name: string, node: string, extra: Partial<HypervisorVmArgs> = {}): HypervisorVmArgs {
  return {
    ...{ name, fqdn: `${name}.lab.example`, node, cores: 2, memoryGb: 4, diskGb: 32, dataDiskGb: 0 },
    ...{ stateful: false, gpu: false, tags: ["test"], description: `test ${name}` },
    nic: { vlan: 30, address: "10.0.30.10", prefix: 24, gateway: "10.0.30.1", mac: "02:00:00:00:00:01" },
    ...extra,
  };
}

const args: Omit<HypervisorArgs, "provider"> = {
  connection: {
    ...{ endpoint: "https://pve-a:8006/", apiToken: pulumi.secret(TEST_API_TOKEN), insecure: false },
    sshUser: "root",
    sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
    nodes: [
      { name: "pve-a", address: "10.0.10.11", sshHostKey: testHostKey("pve-a") },
      { name: "pve-b", address: "10.0.10.12", sshHostKey: testHostKey("pve-b") },
    ],
  },
  nodes: [
    { name: "pve-a", address: "10.0.10.11", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
    { name: "pve-b", address: "10.0.10.12", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
  ],
  ...HYPERVISOR_SETTINGS,
  vms: [vm("zeek-1", "pve-a", { captureNic: true }), vm("web-1", "pve-a"), vm("db-1", "pve-b")],
};

let resources: CapturedResource[] = [];
const ignored = new Map<string, string[]>();
type Inputs = Record<string, any>;
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};

describe("Hypervisor: capture NIC and mirror hookscript", () => {
  before(async () => {
    resources = await captureUnderMocks();
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(
        request: { getName(): string; getIgnorechangesList(): string[] },
        callback: unknown,
      ): unknown;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      ignored.set(request.getName(), request.getIgnorechangesList());
      return original(request, callback);
    };
    new Hypervisor("hv", { ...args, provider: proxmoxProvider("proxmox", args.connection) });
    await pulumi.runtime.disconnect();
  });

  it("gives the capture VM a second NIC on the capture VLAN with the firewall on, and no other VM one", () => {
    const nics = (name: string) => (named(name).inputs as Inputs).networkDevices as Inputs[];
    assert.equal(nics("zeek-1").length, 2);
    assert.deepEqual(nics("zeek-1")[1], {
      bridge: "vmbr0",
      vlanId: CAPTURE_VLAN,
      firewall: true,
      model: "virtio",
    });
    assert.equal(nics("web-1").length, 1);
    assert.equal(nics("db-1").length, 1);
  });

  it("uploads the hookscript as an executable snippet on the capture node only", () => {
    const files = resources.filter((r) => r.type.endsWith("FileLegacy") && (r.inputs as Inputs).fileMode);
    assert.deepEqual(
      files.map((file) => [(file.inputs as Inputs).nodeName, (file.inputs as Inputs).fileMode]),
      [["pve-a", "0700"]],
    );
    assert.equal((files[0]?.inputs as Inputs).sourceRaw.fileName, CAPTURE_HOOKSCRIPT);
  });

  it("sets the hookscript on every VM of the capture node over SSH as root, after the file and the VMs", () => {
    const attach = named("hv-capture-hook-pve-a-attach");
    const inputs = attach.inputs as Inputs;
    assert.equal(inputs.logging, "none");
    assert.match(inputs.create, new RegExp(`qm set \\d+ --hookscript local:snippets/${CAPTURE_HOOKSCRIPT}`));
    assert.equal(
      (inputs.create.match(/--hookscript/g) ?? []).length,
      2,
      "zeek-1 and web-1, not db-1 on pve-b",
    );
    assert.match(inputs.delete, /--delete hookscript/);
    for (const dependency of ["zeek-1", "web-1", "hv-capture-hook-pve-a-file"])
      assert.ok(attach.dependencies.includes(named(dependency).urn), dependency);
    assert.ok(!resources.some((r) => r.name.includes("capture-hook-pve-b")));
  });

  it("lets the VMs of the capture node ignore the hookscript the API token cannot set", () => {
    assert.ok(ignored.get("zeek-1")?.includes("hookScriptFileId"));
    assert.ok(ignored.get("web-1")?.includes("hookScriptFileId"));
    assert.ok(!ignored.get("db-1")?.includes("hookScriptFileId"));
  });

  it("renders a hookscript that only re-applies the mirror after a start and never fails the start", () => {
    const script = captureHookScript();
    assert.match(script, new RegExp(`"\\$phase" = post-start \\] && \\[ -x ${MIRROR_COMMAND} \\]`));
    assert.match(script, /\nexit 0\n$/);
    for (const text of [
      script,
      hookAttachScript([101, 102], "local:snippets/x.sh"),
      hookDetachScript([101]),
    ]) {
      const lint = shellcheck(
        text.startsWith("#!") ? text : `#!/bin/sh\n${text}`,
        text.startsWith("#!") ? "bash" : "sh",
      );
      assert.equal(lint.status, 0, lint.stdout);
    }
  });
});
