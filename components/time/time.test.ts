import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { compileZones } from "../network/zoneRules";
import { type ProxmoxConnectionArgs, proxmoxProvider } from "../proxmox/provider";
import { type TimeArgs, Time } from "./time";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import {
  TEST_API_TOKEN,
  TEST_SSH_KEY,
  testHostKey,
  assertProxmoxProviderSecret,
  zoneNetwork,
} from "../../test/support/fixtures";

const CHRONY_TYPE = "pulumi-nodejs:dynamic/fortress:opnsense:chrony";
const TIME_LEGACY_TYPE = "proxmoxve:index/timeLegacy:TimeLegacy";

const PROXMOX: ProxmoxConnectionArgs = {
  endpoint: "https://pve-a:8006/",
  // Plain strings: the provider must make them secret.
  apiToken: TEST_API_TOKEN,
  insecure: false,
  sshUser: "root",
  sshPrivateKey: TEST_SSH_KEY,
  nodes: [
    { name: "pve-a", address: "10.10.10.11", sshHostKey: testHostKey("pve-a") },
    { name: "pve-b", address: "10.10.10.12", sshHostKey: testHostKey("pve-b") },
    { name: "pve-c", address: "10.10.10.13", sshHostKey: testHostKey("pve-c") },
  ],
};

const NODE_NAMES = PROXMOX.nodes.map((node) => node.name);

const baseArgs: Omit<TimeArgs, "proxmox"> = {
  firewall: { url: "https://fw.lab.example", insecure: false },
  upstream: ["0.pool.ntp.org", "1.pool.ntp.org", "time.cloudflare.com"],
  clientNetworks: ["10.10.10.0/24", "10.10.20.0/24", "10.10.40.0/24"],
  timezone: "Europe/Berlin",
};

type Inputs = Record<string, any>;

/** Stands for the network layer's preflight. */
class Ready extends pulumi.CustomResource {
  constructor(name: string) {
    super("fortress:test:Ready", name, {});
  }
}

let resources: CapturedResource[] = [];

const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
const childrenOf = (owner: string) => resources.filter((resource) => resource.parent === named(owner).urn);

describe("Time", () => {
  before(async () => {
    resources = await captureUnderMocks();
    const ready = new Ready("ready");
    const args: TimeArgs = {
      ...baseArgs,
      proxmox: { provider: proxmoxProvider("proxmox", PROXMOX), nodes: NODE_NAMES },
    };
    const gated = new Time("gated", { ...args, firewallReady: ready });
    const free = new Time("free", args);
    await new Promise<void>((resolve) =>
      pulumi.all([gated.chrony.urn, free.chrony.urn]).apply(() => resolve()),
    );
    await pulumi.runtime.disconnect();
  });

  it("registers as fortress:time:Time with every child parented to it", () => {
    for (const owner of ["gated", "free"]) {
      const layer = named(owner);
      assert.equal(layer.type, "fortress:time:Time");
      const children = resources.filter((resource) => resource.name.startsWith(`${owner}-`));
      // The ntpd check, chrony and a time zone per node (the Proxmox provider is the shared one).
      assert.equal(children.length, 1 + 1 + NODE_NAMES.length);
      for (const child of children) {
        assert.equal(child.parent, layer.urn, `${child.name} is not a child of ${owner}`);
      }
    }
  });

  it("turns chrony on, following the upstream servers and serving every client network", () => {
    for (const owner of ["gated", "free"]) {
      const chronies = childrenOf(owner).filter((resource) => resource.type === CHRONY_TYPE);
      assert.equal(chronies.length, 1);
      const inputs = named(`${owner}-chrony`).inputs as Inputs;
      assert.deepEqual(inputs.fields, {
        enabled: "1",
        port: "123",
        peers: "0.pool.ntp.org,1.pool.ntp.org,time.cloudflare.com",
        allowednetworks: "10.10.10.0/24,10.10.20.0/24,10.10.40.0/24",
      });
      assert.deepEqual(inputs.firewall, baseArgs.firewall);
    }
  });

  it("serves NTP on 123, the port the zone matrix opens, not os-chrony's default 323", () => {
    const network = zoneNetwork;
    const compiled = compileZones({
      networks: [network("mgmt", 10, "management", "opt1"), network("users", 40, "users", "opt4")],
      zones: [{ from: "users", to: "firewall", services: ["ntp"] }],
    });
    const ports = compiled.rules
      .filter((rule) => rule.interface === "opt4" && rule.action === "pass" && rule.protocol === "UDP")
      // A port alias (fz_svc_ntp) or the port itself.
      .flatMap(
        (rule) =>
          compiled.aliases.find((a) => a.name === rule.destination_port)?.content ?? [rule.destination_port],
      );
    assert.ok(ports.length > 0, "the matrix opened no NTP port");
    for (const owner of ["gated", "free"]) {
      const fields = (named(`${owner}-chrony`).inputs as Inputs).fields as Record<string, string>;
      for (const port of ports) assert.equal(fields.port, port);
    }
  });

  it("checks that OPNsense's own ntpd is off before chrony takes UDP 123, and waits for firewallReady only when given", () => {
    const ready = named("ready");
    for (const owner of ["gated", "free"]) {
      const check = named(`${owner}-ntpd-off`);
      assert.equal(check.type, "pulumi-nodejs:dynamic/fortress:opnsense:preflight");
      assert.deepEqual((check.inputs as Inputs).needs.absentServices, ["ntpd"]);
      assert.deepEqual((check.inputs as Inputs).needs.probes, ["core/service/search"]);
      assert.deepEqual(named(`${owner}-chrony`).dependencies, [check.urn]);
    }
    assert.deepEqual(named("gated-ntpd-off").dependencies, [ready.urn]);
    assert.deepEqual(named("free-ntpd-off").dependencies, []);
  });

  it("sets the time zone of every node through the shared Proxmox provider", () => {
    const provider = named("proxmox");
    for (const owner of ["gated", "free"]) {
      const zones = childrenOf(owner).filter((resource) => resource.type === TIME_LEGACY_TYPE);
      assert.deepEqual(
        zones.map((zone) => zone.inputs).sort((a, b) => String(a.nodeName).localeCompare(String(b.nodeName))),
        NODE_NAMES.map((node) => ({ nodeName: node, timeZone: "Europe/Berlin" })),
      );
      for (const zone of zones) {
        assert.equal(zone.name, `${owner}-tz-${(zone.inputs as Inputs).nodeName}`);
        assert.equal(zone.provider, provider.urn);
      }
    }
  });

  it("configures the Proxmox provider with its credentials secret, even when given as plain strings", () => {
    const provider = named("proxmox");
    assertProxmoxProviderSecret(provider, resources);
  });
});
