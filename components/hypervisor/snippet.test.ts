import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { TEST_API_TOKEN, TEST_SSH_KEY, testHostKey, HYPERVISOR_SETTINGS } from "../../test/support/fixtures";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import type { HypervisorArgs } from "./args";
import { Hypervisor } from "./hypervisor";
import { proxmoxProvider } from "../proxmox/provider";

const args = (timezone: string): Omit<HypervisorArgs, "provider"> => ({
  connection: {
    endpoint: "https://pve-a:8006/",
    apiToken: pulumi.secret(TEST_API_TOKEN),
    insecure: false,
    sshUser: "root",
    sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
    nodes: [{ name: "pve-a", address: "10.0.10.11", sshHostKey: testHostKey("pve-a") }],
  },
  nodes: [{ name: "pve-a", address: "10.0.10.11", capacity: { cores: 8, memoryGb: 14, diskGb: 141 } }],
  ...HYPERVISOR_SETTINGS,
  snippetDatastore: "snippets-nfs",
  guest: { ...HYPERVISOR_SETTINGS.guest, timezone },
  vms: [
    {
      name: "db-1",
      fqdn: "db-1.lab.example",
      node: "pve-a",
      cores: 2,
      memoryGb: 4,
      diskGb: 32,
      dataDiskGb: 0,
      stateful: true,
      gpu: false,
      nic: { vlan: 20, address: "10.0.20.10", prefix: 24, gateway: "10.0.20.1", mac: "02:00:00:00:00:01" },
      tags: [],
      description: "test db-1",
    },
  ],
});

interface Registration {
  readonly urn: string;
  readonly inputs: Record<string, any>;
  /** The resources each input property's value came from (what Pulumi's replacement logic reads). */
  readonly propertyDependencies: Record<string, string[]>;
  readonly dependencies: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

interface RegisterRequest {
  getName(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getDeletebeforereplace(): boolean;
}

/** One program run under mocks: each registration by name, and the rendered user-data of db-1. */
async function run(timezone: string): Promise<{ byName: Map<string, Registration>; userData: string }> {
  const captured = await captureUnderMocks("snippet");
  const extra = new Map<string, Omit<Registration, "urn" | "inputs" | "dependencies">>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    request
      .getPropertydependenciesMap()
      .forEach((urns, key) => (propertyDependencies[key] = urns.getUrnsList()));
    extra.set(request.getName(), {
      propertyDependencies,
      deleteBeforeReplace: request.getDeletebeforereplace(),
    });
    return original(request, callback);
  };
  const hypervisorArgs = args(timezone);
  const hypervisor = new Hypervisor("hv", {
    ...hypervisorArgs,
    provider: proxmoxProvider("proxmox", hypervisorArgs.connection),
  });
  const userData = await new Promise<string>((resolve) => hypervisor.userData["db-1"]?.apply(resolve));
  await pulumi.runtime.disconnect();
  const byName = new Map(
    captured.map((resource) => [
      resource.name,
      {
        urn: resource.urn,
        inputs: resource.inputs as Record<string, any>,
        dependencies: resource.dependencies,
        ...(extra.get(resource.name) ?? { propertyDependencies: {}, deleteBeforeReplace: false }),
      },
    ]),
  );
  return { byName, userData };
}

describe("a VM's user-data snippet", () => {
  it("keeps its file name and id when the user-data changes, so the VM (whose user-data id forces a new VM) stays", async () => {
    const before = await run("UTC");
    const after = await run("Europe/Berlin");
    assert.notEqual(before.userData, after.userData, "the test must change the user-data");
    const snippet = (result: typeof before) => result.byName.get("hv-db-1-user-data");
    const vm = (result: typeof before) => result.byName.get("db-1");
    assert.equal(snippet(before)?.inputs.sourceRaw.fileName, "fortress-db-1-user-data.yaml");
    assert.equal(snippet(after)?.inputs.sourceRaw.fileName, snippet(before)?.inputs.sourceRaw.fileName);
    // bpg proxmoxtf/resource/file.go: the id is datastore:content/file name.
    assert.equal(
      vm(before)?.inputs.initialization.userDataFileId,
      "snippets-nfs:snippets/fortress-db-1-user-data.yaml",
    );
    assert.equal(
      vm(after)?.inputs.initialization.userDataFileId,
      vm(before)?.inputs.initialization.userDataFileId,
    );
  });

  it("is replaced delete-first, and the VM depends on it only by order: its replacement never replaces the VM", async () => {
    const { byName } = await run("UTC");
    const snippet = byName.get("hv-db-1-user-data");
    const vm = byName.get("db-1");
    assert.ok(snippet && vm);
    // A create-first replacement would write the same file, then delete it with the old one's delete.
    assert.equal(snippet.deleteBeforeReplace, true);
    // Pulumi replaces a dependent of a delete-first replacement when one of its input properties came
    // from it and the provider says that property forces a new resource (pulumi/pulumi
    // pkg/resource/deploy/step_generator.go calculateDependentReplacements): no property may.
    assert.ok(vm.dependencies.includes(snippet.urn), "the VM is created after its snippet");
    for (const [property, urns] of Object.entries(vm.propertyDependencies))
      assert.ok(!urns.includes(snippet.urn), `the VM's ${property} comes from the snippet`);
  });

  it("gives every VM delete-first replacement: a fixed MAC, address and host key must never run twice", async () => {
    const { byName } = await run("UTC");
    assert.equal(byName.get("db-1")?.deleteBeforeReplace, true);
  });
});
