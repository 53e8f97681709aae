import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, REDACTED } from "../../stacks/plan/capture";
import type { HypervisorArgs, HypervisorVmArgs } from "./args";
import { Hypervisor } from "./hypervisor";
import { cloudInitSchema } from "../../test/support/cloudInit";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import { assertProxmoxProviderSecret, TEST_API_TOKEN, TEST_SSH_KEY } from "../../test/support/fixtures";

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

const args: HypervisorArgs = {
  connection: {
    endpoint: "https://pve-a:8006/",
    apiToken: pulumi.secret(TEST_API_TOKEN),
    insecure: false,
    sshUser: "root",
    sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
    nodes: [
      { name: "pve-a", address: "10.0.10.11" },
      { name: "pve-b", address: "10.0.10.12" },
    ],
  },
  nodes: [
    { name: "pve-a", address: "10.0.10.11", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
    {
      name: "pve-b",
      address: "10.0.10.12",
      gpu: { id: "10de:1ed1", path: "0000:01:00.0" },
      capacity: { cores: 16, memoryGb: 30, diskGb: 968 },
    },
    { name: "pve-idle", address: "10.0.10.13", capacity: { cores: 8, memoryGb: 14, diskGb: 224 } },
  ],
  pool: "fortress",
  bridge: "vmbr0",
  vmDatastore: "local-lvm",
  imageDatastore: "local",
  snippetDatastore: "local",
  image: {
    url: "https://cloud.example/debian.qcow2",
    fileName: "debian.qcow2",
    checksum: "ab".repeat(32),
    checksumAlgorithm: "sha256",
  },
  backup: { storage: "pbs", schedule: "*-*-* 03:00", keepDaily: 5, keepWeekly: 2 },
  guest: {
    domain: "lab.example",
    timezone: "UTC",
    adminUser: "ops",
    sshPublicKeys: ["ssh-ed25519 AAAAtest ops@lab"],
  },
  vms: [
    vm("db-1", "pve-a", { stateful: true, dataDiskGb: 50 }),
    vm("web-1", "pve-a"),
    vm("gpu-1", "pve-b", { gpu: true }),
  ],
};

let resources: CapturedResource[] = [];
let userData: Record<string, string> = {};
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
    const component = new Hypervisor("hv", args);
    const names = Object.keys(component.userData);
    await new Promise<void>((resolve) =>
      pulumi
        .all([
          pulumi.all(names.map((name) => component.userData[name] as pulumi.Output<string>)),
          pulumi.all(names.map((name) => pulumi.isSecret(component.userData[name] as pulumi.Output<string>))),
          pulumi.all(names.map((name) => component.vms[name]?.hostKey as pulumi.Output<string>)),
          component.poolId,
        ])
        .apply(([texts, secrets, keys]) => {
          userData = Object.fromEntries(names.map((name, index) => [name, texts[index] as string]));
          hostKeys = Object.fromEntries(names.map((name, index) => [name, keys[index] as string]));
          userDataSecret = secrets.every(Boolean);
          resolve();
        }),
    );
    await pulumi.runtime.disconnect();
  });

  it("registers as fortress:hypervisor:Hypervisor with every child parented to it", () => {
    const component = named("hv");
    assert.equal(component.type, "fortress:hypervisor:Hypervisor");
    for (const child of resources.filter((resource) => resource !== component)) {
      assert.equal(child.parent, component.urn, `${child.name} is not a child of the layer`);
    }
  });

  it("configures the provider from args, with TLS verification on and credentials secret", () => {
    const [provider] = ofType("providers:proxmoxve");
    assert.ok(provider);
    assertProxmoxProviderSecret(provider, resources);
  });

  it("downloads the pinned image once per node that hosts a VM", () => {
    const images = ofType("download/file:File");
    assert.deepEqual(images.map((image) => (image.inputs as Inputs).nodeName).sort(), ["pve-a", "pve-b"]);
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
      assert.equal(inputs.initialization.userDataFileId, `${machine.name}-user-data-id`);
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

  it("maps the GPU of its node and passes it only to the VM that asks", () => {
    const mappings = ofType("hardware/mapping/pci:Pci");
    const [mapping] = mappings;
    assert.ok(mapping && mappings.length === 1);
    assert.deepEqual((mapping.inputs as Inputs).maps, [
      { node: "pve-b", id: "10de:1ed1", path: "0000:01:00.0" },
    ]);
    const gpu = named("gpu-1").inputs as Inputs;
    assert.deepEqual(gpu.hostpcis, [
      { device: "hostpci0", mapping: "fortress-gpu-pve-b", pcie: true, rombar: true },
    ]);
    assert.equal(gpu.machine, "q35");
    assert.equal((named("web-1").inputs as Inputs).hostpcis, undefined);
  });

  it("uploads each VM's user-data as a secret snippet on the VM's node, with no password in it", () => {
    for (const name of ["db-1", "web-1", "gpu-1"]) {
      const snippet = named(`${name}-user-data`).inputs as Inputs;
      assert.equal(snippet.contentType, "snippets");
      assert.equal(snippet.sourceRaw.data, REDACTED, "it carries the VM's SSH host private key");
      assert.match(userData[name] ?? "", /ssh-ed25519 AAAAtest ops@lab/);
      assert.doesNotMatch(
        userData[name] ?? "",
        /^\s*-?\s*(passwd|hashed_passwd|plain_text_passwd|password):|chpasswd/m,
      );
    }
    assert.ok(userDataSecret, "the rendered user-data is secret");
    assert.match(userData["db-1"] ?? "", /fortress-data/);
    assert.doesNotMatch(userData["web-1"] ?? "", /fortress-data/);
  });

  it("generates one ED25519 SSH host key per VM, puts it in the VM's user-data and exposes its public half", () => {
    const keys = ofType("tls:index/privateKey:PrivateKey");
    assert.deepEqual(keys.map((key) => key.name).sort(), [
      "db-1-ssh-host-key",
      "gpu-1-ssh-host-key",
      "web-1-ssh-host-key",
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
