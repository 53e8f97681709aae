import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { layerBarrier } from "../../stacks/layerOrder";
import { type CapturedResource, REDACTED } from "../../stacks/plan/capture";
import type { HypervisorArgs, HypervisorVmArgs } from "./args";
import { Hypervisor } from "./hypervisor";
import { proxmoxProvider } from "../proxmox/provider";
import { snippetFileId, snippetFileName } from "./snippet";
import { cloudInitSchema } from "../../test/support/cloudInit";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import {
  assertProxmoxProviderSecret,
  TEST_API_TOKEN,
  TEST_SSH_KEY,
  testHostKey,
  HYPERVISOR_SETTINGS,
} from "../../test/support/fixtures";

function vm(name: string, node: string, extra: Partial<HypervisorVmArgs> = {}): HypervisorVmArgs {
  return {
    name,
    fqdn: `${name}.lab.example`,
    node,
    cores: 2,
    memoryGb: 4,
    diskGb: 32,
    dataDiskGb: 0,
    stateful: false,
    gpu: false,
    nic: { vlan: 20, address: "10.0.20.10", prefix: 24, gateway: "10.0.20.1", mac: "02:00:00:00:00:01" },
    tags: ["test"],
    description: `test ${name}`,
    ...extra,
  };
}

const args: Omit<HypervisorArgs, "provider"> = {
  connection: {
    endpoint: "https://pve-a:8006/",
    apiToken: pulumi.secret(TEST_API_TOKEN),
    insecure: false,
    sshUser: "root",
    sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
    nodes: [
      { name: "pve-a", address: "10.0.10.11", sshHostKey: testHostKey("pve-a") },
      { name: "pve-b", address: "10.0.10.12", sshHostKey: testHostKey("pve-b") },
      { name: "pve-c", address: "10.0.10.14", sshHostKey: testHostKey("pve-c") },
    ],
  },
  nodes: [
    { name: "pve-a", address: "10.0.10.11", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
    {
      name: "pve-b",
      address: "10.0.10.12",
      gpu: { id: "10de:1e93", subsystemId: "1025:1441", iommuGroup: 12, path: "0000:01:00" },
      capacity: { cores: 16, memoryGb: 30, diskGb: 794 },
    },
    {
      name: "pve-c",
      address: "10.0.10.14",
      gpu: {
        id: "10de:1ed3",
        subsystemId: "1462:12ec",
        iommuGroup: 2,
        path: "0000:02:00",
        romFile: "tu104m.rom",
      },
      capacity: { cores: 16, memoryGb: 30, diskGb: 794 },
    },
    { name: "pve-idle", address: "10.0.10.13", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
  ],
  ...HYPERVISOR_SETTINGS,
  vms: [
    vm("db-1", "pve-a", { stateful: true, dataDiskGb: 50 }),
    vm("web-1", "pve-a"),
    vm("gpu-1", "pve-b", { gpu: true }),
    vm("gpu-2", "pve-c", { gpu: true }),
  ],
};

let resources: CapturedResource[] = [];
let userData: Record<string, string> = {};
let hypervisor: Hypervisor;
let barrier: CapturedResource;
/** `ignoreChanges` and `deleteBeforeReplace` per resource name, which the capture does not record. */
const ignoredChanges = new Map<string, string[]>();
const deletedBeforeReplace = new Set<string>();
/** The SSH connection per command name, unredacted (the capture shows it as "[secret]"). */
const connections = new Map<string, Record<string, unknown>>();

/** Records each registration's ignoreChanges, deleteBeforeReplace and SSH connection as they reach the mock monitor. */
function recordIgnoreChanges(): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(
      request: {
        getName(): string;
        getIgnorechangesList(): string[];
        getDeletebeforereplace(): boolean;
        getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
      },
      callback: unknown,
    ): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    ignoredChanges.set(request.getName(), request.getIgnorechangesList());
    if (request.getDeletebeforereplace()) deletedBeforeReplace.add(request.getName());
    const connection = request.getObject()?.toJavaScript().connection as
      { value?: Record<string, unknown> } | undefined;
    if (connection) connections.set(request.getName(), connection.value ?? connection);
    return original(request, callback);
  };
}
/** URNs of what each GPU VM's users wait for, per VM name. */
let gpuReady: Record<string, string[]> = {};
let userDataSecret = false;
let hostKeys: Record<string, string> = {};

const ofType = (type: string) => resources.filter((resource) => resource.type.endsWith(type));
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
type Inputs = Record<string, any>;

describe("Hypervisor", () => {
  before(async () => {
    resources = await captureUnderMocks();
    recordIgnoreChanges();
    hypervisor = new Hypervisor("hv", { ...args, provider: proxmoxProvider("proxmox", args.connection) });
    layerBarrier("hypervisor", hypervisor);
    const component = hypervisor;
    const names = Object.keys(component.userData);
    await new Promise<void>((resolve) =>
      pulumi
        .all([
          pulumi.all(names.map((name) => component.userData[name] as pulumi.Output<string>)),
          pulumi.all(names.map((name) => pulumi.isSecret(component.userData[name] as pulumi.Output<string>))),
          pulumi.all(names.map((name) => component.vms[name]?.hostKey as pulumi.Output<string>)),
          component.poolId,
          pulumi.all(
            Object.values(component.gpuReady).map((ready) =>
              pulumi.all(ready.map((resource) => resource.urn)),
            ),
          ),
        ])
        .apply(([texts, secrets, keys, , ready]) => {
          gpuReady = Object.fromEntries(
            Object.keys(component.gpuReady).map((name, index) => [name, ready[index] as string[]]),
          );
          userData = Object.fromEntries(names.map((name, index) => [name, texts[index] as string]));
          hostKeys = Object.fromEntries(names.map((name, index) => [name, keys[index] as string]));
          userDataSecret = secrets.every(Boolean);
          resolve();
        }),
    );
    await pulumi.runtime.disconnect();
    barrier = named("hypervisor-ready");
  });

  it("registers as fortress:hypervisor:Hypervisor with every child parented to it", () => {
    const component = named("hv");
    assert.equal(component.type, "fortress:hypervisor:Hypervisor");
    // The provider is given to it (in a stack, the one the layers share).
    const provider = named("proxmox");
    const children = resources.filter((resource) => ![component, barrier, provider].includes(resource));
    for (const child of children) {
      assert.equal(child.parent, component.urn, `${child.name} is not a child of the layer`);
    }
  });

  it("uses the provider it is given, with TLS verification on and credentials secret", () => {
    const [provider, ...others] = ofType("providers:proxmoxve");
    assert.ok(provider);
    assert.deepEqual(others, [], "it makes no provider of its own");
    assertProxmoxProviderSecret(provider, resources);
    const onProxmox = resources.filter((resource) => resource.type.startsWith("proxmoxve:"));
    assert.ok(onProxmox.length > 0);
    for (const resource of onProxmox) assert.equal(resource.provider, provider.urn, resource.name);
  });

  it("downloads the pinned image once per node that hosts a VM", () => {
    const images = ofType("download/file:File");
    assert.deepEqual(images.map((image) => (image.inputs as Inputs).nodeName).sort(), [
      "pve-a",
      "pve-b",
      "pve-c",
    ]);
    for (const image of images) {
      const inputs = image.inputs as Inputs;
      assert.equal(inputs.checksum, "ab".repeat(32));
      assert.equal(inputs.checksumAlgorithm, "sha256");
      assert.equal(inputs.contentType, "import");
    }
  });

  it("gives every VM a VLAN-tagged NIC with the firewall on, its static address, DNS and its image", () => {
    for (const machine of ofType("VmLegacy")) {
      const inputs = machine.inputs as Inputs;
      const [nic] = inputs.networkDevices;
      assert.equal(nic.vlanId, 20);
      assert.equal(nic.firewall, true);
      assert.equal(nic.bridge, "vmbr0");
      assert.match(nic.macAddress, /^02:/);
      assert.deepEqual(inputs.initialization.ipConfigs, [
        { ipv4: { address: "10.0.20.10/24", gateway: "10.0.20.1" } },
      ]);
      assert.deepEqual(inputs.initialization.dns.servers, ["10.0.20.1"]);
      assert.equal(inputs.agent.enabled, true);
      assert.equal(inputs.poolId, "fortress");
      assert.equal(inputs.disks[0].importFrom, `hv-image-${inputs.nodeName}-id`);
      assert.equal(inputs.initialization.userDataFileId, snippetFileId("local", machine.name));
      assert.ok(!("userAccount" in inputs.initialization), "passwords or keys must come only from user-data");
    }
  });

  it("protects the VMs that hold state, gives them a data disk and backs them up; not the others", () => {
    const database = named("db-1");
    const web = named("web-1");
    assert.equal(database.protect, true);
    assert.equal((database.inputs as Inputs).protection, true);
    assert.deepEqual(
      (database.inputs as Inputs).disks.map((disk: Inputs) => [disk.interface, disk.size]),
      [
        ["scsi0", 32],
        ["scsi1", 50],
      ],
    );
    assert.equal(web.protect, false);
    const [job] = ofType("backup/job:Job");
    assert.ok(job);
    const jobInputs = job.inputs as Inputs;
    // Only db-1 is stateful: one VMID, taken from db-1's vmId output.
    assert.equal(jobInputs.vmids.length, 1);
    assert.match(jobInputs.vmids[0], /^\d+$/);
    assert.ok(job.dependencies.includes(database.urn));
    assert.ok(!job.dependencies.includes(web.urn));
    assert.equal(jobInputs.storage, "pbs");
    assert.deepEqual(jobInputs.pruneBackups, { "keep-daily": "5", "keep-weekly": "2" });
    assert.equal(job.protect, true);
  });

  it("maps each GPU as Proxmox checks it at VM start, the whole device, and passes it only to the VM that asks", () => {
    const mappings = ofType("hardware/mapping/pci:Pci");
    assert.equal(mappings.length, 2);
    // pve-guest-common Mapping/PCI.pm assert_valid: id, subsystem-id and iommugroup must all match.
    assert.deepEqual((named("hv-gpu-pve-b").inputs as Inputs).maps, [
      { node: "pve-b", id: "10de:1e93", subsystemId: "1025:1441", iommuGroup: 12, path: "0000:01:00" },
    ]);
    const gpu = named("gpu-1").inputs as Inputs;
    assert.deepEqual(gpu.hostpcis, [
      { device: "hostpci0", mapping: "fortress-gpu-pve-b", pcie: true, rombar: true },
    ]);
    assert.equal(gpu.machine, "q35");
    assert.equal((named("web-1").inputs as Inputs).hostpcis, undefined);
  });

  it("sets a GPU's ROM file over SSH as root, since Proxmox refuses romfile from an API token", () => {
    const gpu2 = named("gpu-2");
    assert.deepEqual((gpu2.inputs as Inputs).hostpcis, [
      { device: "hostpci0", mapping: "fortress-gpu-pve-c", pcie: true, rombar: true },
    ]);
    assert.deepEqual(ignoredChanges.get("gpu-2"), ["hostpcis"], "the VM must not take the ROM away again");
    assert.deepEqual(ignoredChanges.get("gpu-1"), [], "without a ROM file the VM owns its hostpci list");
    const rom = named("hv-gpu-2-gpu-rom");
    assert.equal(rom.type, "command:remote:Command");
    const inputs = rom.inputs as Inputs;
    assert.equal(inputs.connection, REDACTED, "the SSH connection carries the private key: secret");
    assert.equal(connections.get("hv-gpu-2-gpu-rom")?.host, "10.0.10.14");
    assert.equal(
      connections.get("hv-gpu-2-gpu-rom")?.hostKey,
      testHostKey("pve-c"),
      "the node's host key is not pinned",
    );
    assert.match(inputs.create, /test -f \/usr\/share\/kvm\/tu104m\.rom/);
    assert.match(
      inputs.create,
      /qm set \d+ --hostpci0 mapping=fortress-gpu-pve-c,pcie=1,rombar=1,romfile=tu104m\.rom/,
    );
    assert.ok(rom.dependencies.includes(gpu2.urn));
    assert.equal(resources.filter((resource) => resource.name.endsWith("-gpu-rom")).length, 1);
  });

  it("restarts a GPU VM for its ROM gracefully, and its users wait for that restart", () => {
    const rom = named("hv-gpu-2-gpu-rom");
    const create = (rom.inputs as Inputs).create as string;
    // qemu-server applies a pending hostpci change at the next start: shut down, then start.
    assert.match(create, /qm shutdown \d+ --timeout 180 \|\| \$as_root qm stop \d+/);
    assert.match(create, /\$as_root qm start \d+/);
    assert.doesNotMatch(create, /qm stop \d+ && qm start/);
    assert.deepEqual(
      gpuReady["gpu-2"],
      [named("gpu-2").urn, rom.urn],
      "the GPU join must wait for the ROM restart",
    );
    assert.deepEqual(gpuReady["gpu-1"], [named("gpu-1").urn]);
  });

  it("takes the ROM off again as root when the ROM command goes, so that the API token can manage the VM", () => {
    const rom = named("hv-gpu-2-gpu-rom");
    const inputs = rom.inputs as Inputs;
    assert.equal(
      typeof inputs.delete,
      "string",
      "without a delete, the VM keeps a romfile only root may change",
    );
    assert.match(
      inputs.delete,
      /\$as_root qm set \d+ --hostpci0 mapping=fortress-gpu-pve-c,pcie=1,rombar=1$/m,
    );
    assert.doesNotMatch(inputs.delete, /romfile/);
    for (const script of [inputs.create as string, inputs.delete as string])
      assert.match(script, /as_root="sudo -n"/, "a non-root SSH user runs qm through sudo");
    // Created first, a new ROM would be set and then taken off by the old command's delete.
    assert.ok(deletedBeforeReplace.has("hv-gpu-2-gpu-rom"));
  });

  it("names what it makes per VM after itself (hv-<vm>-…), aliased to the name it had before (issue 9)", () => {
    const vms = ["db-1", "web-1", "gpu-1", "gpu-2"];
    const perVm = resources.filter((resource) => vms.some((vm) => resource.name.startsWith(`hv-${vm}-`)));
    assert.deepEqual(
      [...new Set(perVm.map((resource) => resource.name.replace(/^hv-(db|web|gpu)-\d-/, "")))].sort(),
      ["gpu-rom", "ssh-host-key", "user-data"],
    );
    for (const resource of perVm) {
      const before = resource.urn.replace(/::hv-([^:]+)$/, "::$1");
      assert.deepEqual(resource.aliases, [before], resource.name);
    }
    // Nothing per VM is left under the old names.
    assert.deepEqual(
      resources.filter((resource) => vms.some((vm) => resource.name.startsWith(`${vm}-`))).map((r) => r.name),
      [],
    );
  });

  it("keeps the GPU VMs out of the layer's barrier, and everything else in it", () => {
    assert.deepEqual(Object.keys(hypervisor.gpuVms).sort(), ["gpu-1", "gpu-2"]);
    const waitsFor = new Set(barrier.dependencies);
    for (const name of [
      "db-1",
      "web-1",
      "hv-db-1-user-data",
      "hv-web-1-user-data",
      "hv-pool",
      "hv-state-backup",
    ]) {
      assert.ok(waitsFor.has(named(name).urn), `the barrier does not wait for ${name}`);
    }
    for (const name of ["hv-image-pve-a", "hv-image-pve-b"]) assert.ok(waitsFor.has(named(name).urn));
    for (const name of ["gpu-1", "gpu-2", "hv-gpu-1-user-data", "hv-gpu-2-gpu-rom", "hv-gpu-pve-b"]) {
      assert.ok(!waitsFor.has(named(name).urn), `the barrier waits for ${name}`);
    }
  });

  it("uploads each VM's user-data as a secret snippet on the VM's node, with no password in it", () => {
    for (const name of ["db-1", "web-1", "gpu-1"]) {
      const snippet = named(`hv-${name}-user-data`).inputs as Inputs;
      assert.equal(snippet.contentType, "snippets");
      assert.equal(snippet.sourceRaw.data, REDACTED, "it carries the VM's SSH host private key");
      assert.match(userData[name] ?? "", /ssh-ed25519 AAAAtest ops@lab/);
      // One file name per VM for good: the VM's user-data id must never change (snippet.ts).
      assert.equal(snippet.sourceRaw.fileName, snippetFileName(name));
      assert.doesNotMatch(
        userData[name] ?? "",
        /^\s*-?\s*(passwd|hashed_passwd|plain_text_passwd|password):|chpasswd/m,
      );
    }
    assert.ok(userDataSecret, "the rendered user-data is secret");
    assert.match(userData["db-1"] ?? "", /fortress-data/);
    assert.doesNotMatch(userData["web-1"] ?? "", /fortress-data/);
  });

  it("names each VM's snippet after the VM alone, one file per VM", () => {
    assert.equal(snippetFileName("db-1"), "fortress-db-1-user-data.yaml");
    const names = ["db-1", "web-1", "gpu-1"].map(
      (name) => (named(`hv-${name}-user-data`).inputs as Inputs).sourceRaw.fileName,
    );
    assert.equal(new Set(names).size, 3);
  });

  it("generates one ED25519 SSH host key per VM, puts it in the VM's user-data and exposes its public half", () => {
    const keys = ofType("tls:index/privateKey:PrivateKey");
    assert.deepEqual(keys.map((key) => key.name).sort(), [
      "hv-db-1-ssh-host-key",
      "hv-gpu-1-ssh-host-key",
      "hv-gpu-2-ssh-host-key",
      "hv-web-1-ssh-host-key",
    ]);
    for (const key of keys) assert.equal((key.inputs as Inputs).algorithm, "ED25519");
    for (const name of ["db-1", "web-1", "gpu-1"]) {
      const publicKey = hostKeys[name] ?? "";
      assert.match(publicKey, /^ssh-ed25519 AAAA/);
      assert.ok((userData[name] ?? "").includes(`ed25519_public: ${publicKey.trim()}`), name);
      assert.match(userData[name] ?? "", /ed25519_private: \|/);
    }
    assert.notEqual(hostKeys["db-1"], hostKeys["web-1"], "each VM has its own key");
    for (const [name, document] of Object.entries(userData)) {
      const { status, output } = cloudInitSchema(document);
      assert.equal(status, 0, `${name}: ${output}`);
    }
  });
});
