/** Values and checks several component tests share. */
import assert from "node:assert/strict";
import type { ZoneNetwork, ZonePurpose } from "../../components/network/types";
import type { HypervisorArgs } from "../../components/hypervisor/args";
import { type CapturedResource, REDACTED } from "../../stacks/plan/capture";

/** Credentials that must never show in plain text anywhere a test looks. */
export const TEST_API_TOKEN = "fortress@pve!pulumi=00000000-1111-2222-3333-444444444444";
export const TEST_SSH_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nunit-test-key\n-----END OPENSSH PRIVATE KEY-----";

/** A /24 network for VLAN `vlan`, its gateway at .1. */
export const zoneNetwork = (
  name: string,
  vlan: number,
  purpose: ZonePurpose,
  iface: string,
): ZoneNetwork => ({
  name,
  vlan,
  cidr: `10.10.${vlan}.0/24`,
  gateway: `10.10.${vlan}.1`,
  purpose,
  interface: iface,
});

/** A Proxmox provider at `endpoint`, TLS verified, whose token and SSH settings are secret everywhere. */
export function assertProxmoxProviderSecret(
  provider: CapturedResource,
  resources: readonly CapturedResource[],
  endpoint = "https://pve-a:8006/",
): void {
  assert.equal(provider.type, "pulumi:providers:proxmoxve");
  assert.equal(provider.inputs.endpoint, endpoint);
  assert.equal(provider.inputs.insecure, "false");
  assert.equal(provider.inputs.apiToken, REDACTED);
  assert.equal(provider.inputs.ssh, REDACTED);
  const text = JSON.stringify(resources);
  assert.ok(!text.includes(TEST_API_TOKEN) && !text.includes("unit-test-key"), "a credential leaked");
}

/** A node's SSH host key line for tests: the ed25519 shape, distinct per node, never a real key. */
export function testHostKey(node: string): string {
  const tag = `TestOnly${node.replace(/[^A-Za-z0-9]/g, "")}HostKey`.padEnd(43, "A").slice(0, 43);
  return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${tag}`;
}

/** A hypervisor's settings beside its nodes and VMs: pool, bridge, datastores, pinned image, backup, guest. */
export const HYPERVISOR_SETTINGS = {
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
} as const satisfies Partial<HypervisorArgs>;
