import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource } from "../../stacks/plan/capture";
import { type DnsDhcpArgs, type DnsHost, DnsDhcp } from "./dnsDhcp";
import { captureUnderMocks } from "../../test/support/mockRuntime";

const DYNAMIC = "pulumi-nodejs:dynamic/fortress:opnsense:";

const HOSTS: readonly DnsHost[] = [
  // A Proxmox node: a name, no reservation.
  { name: "pve-a", address: "10.10.10.11", network: "mgmt" },
  { name: "web-1", address: "10.10.20.10", mac: "02:AB:CD:00:00:01", network: "servers" },
  { name: "ws-1", address: "10.10.40.10", mac: "02:ab:cd:00:00:02", network: "users" },
];

const args = (dhcp: DnsDhcpArgs["dhcp"], firewallReady?: pulumi.Resource): DnsDhcpArgs => ({
  firewall: { url: "https://fw.lab.example", insecure: false },
  domain: "lab.example",
  dhcp,
  networks: [
    {
      name: "mgmt",
      cidr: "10.10.10.0/24",
      interface: "lan",
      dhcp: { start: "10.10.10.100", end: "10.10.10.199" },
    },
    {
      name: "servers",
      cidr: "10.10.20.0/24",
      interface: "opt1",
      dhcp: { start: "10.10.20.100", end: "10.10.20.199" },
    },
    {
      name: "users",
      cidr: "10.10.40.0/24",
      interface: "opt3",
      dhcp: { start: "10.10.40.50", end: "10.10.40.250" },
    },
  ],
  hosts: HOSTS,
  ...(firewallReady ? { firewallReady } : {}),
});

type Inputs = Record<string, any>;

/** Stands for the network layer's preflight. */
class Ready extends pulumi.CustomResource {
  constructor(name: string) {
    super("fortress:test:Ready", name, {});
  }
}

let resources: CapturedResource[] = [];
let kea: DnsDhcp;
let dnsmasq: DnsDhcp;
let unknownNetwork: unknown;
let unknownNetworkDnsmasq: unknown;

const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
const ofModel = (model: string, owner: string) =>
  resources.filter(
    (resource) => resource.type === `${DYNAMIC}${model}` && resource.parent === named(owner).urn,
  );
const fieldsOf = (resource: CapturedResource) => (resource.inputs as Inputs).fields as Record<string, string>;

describe("DnsDhcp", () => {
  before(async () => {
    resources = await captureUnderMocks();
    const ready = new Ready("ready");
    kea = new DnsDhcp("kea", args("kea", ready));
    dnsmasq = new DnsDhcp("dm", args("dnsmasq", ready));
    const stray: DnsHost = {
      name: "lost-1",
      address: "10.10.77.10",
      mac: "02:00:00:00:00:77",
      network: "nowhere",
    };
    try {
      new DnsDhcp("bad", { ...args("kea"), hosts: [stray] });
    } catch (error) {
      unknownNetwork = error;
    }
    try {
      new DnsDhcp("bad-dm", { ...args("dnsmasq"), hosts: [stray] });
    } catch (error) {
      unknownNetworkDnsmasq = error;
    }
    await new Promise<void>((resolve) => pulumi.all([kea.urn, dnsmasq.urn]).apply(() => resolve()));
    await pulumi.runtime.disconnect();
  });

  it("registers as fortress:dns-dhcp:DnsDhcp with every child parented to it", () => {
    for (const owner of ["kea", "dm"]) {
      const layer = named(owner);
      assert.equal(layer.type, "fortress:dns-dhcp:DnsDhcp");
      const children = resources.filter((resource) => resource.name.startsWith(`${owner}-`));
      assert.ok(children.length >= HOSTS.length);
      for (const child of children) {
        assert.equal(child.parent, layer.urn, `${child.name} is not a child of ${owner}`);
      }
    }
  });

  it("gives every host, with or without a MAC, an A record under the domain", () => {
    for (const owner of ["kea", "dm"]) {
      assert.equal(ofModel("hostOverride", owner).length, HOSTS.length);
      for (const host of HOSTS) {
        const override = named(`${owner}-dns-${host.name}`);
        assert.deepEqual(fieldsOf(override), {
          enabled: "1",
          hostname: host.name,
          domain: "lab.example",
          rr: "A",
          server: host.address,
          description: `fortress ${host.name}`,
        });
        assert.deepEqual((override.inputs as Inputs).firewall, {
          url: "https://fw.lab.example",
          insecure: false,
        });
      }
    }
  });

  it("reports each host's fully qualified name", () => {
    const expected = {
      "pve-a": "pve-a.lab.example",
      "web-1": "web-1.lab.example",
      "ws-1": "ws-1.lab.example",
    };
    assert.deepEqual(kea.names, expected);
    assert.deepEqual(dnsmasq.names, expected);
  });

  it("waits for firewallReady before the host overrides and Kea subnets", () => {
    const ready = named("ready");
    for (const resource of [
      ...ofModel("hostOverride", "kea"),
      ...ofModel("keaSubnet", "kea"),
      ...ofModel("hostOverride", "dm"),
      ...ofModel("dnsmasqHost", "dm"),
    ]) {
      assert.ok(
        resource.dependencies.includes(ready.urn),
        `${resource.name} does not wait for firewallReady`,
      );
    }
  });

  describe("with Kea", () => {
    it("creates one subnet per network, with its pool", () => {
      const subnets = ofModel("keaSubnet", "kea");
      assert.equal(subnets.length, 3);
      assert.deepEqual(fieldsOf(named("kea-kea-subnet-servers")), {
        subnet: "10.10.20.0/24",
        pools: "10.10.20.100 - 10.10.20.199",
        option_data_autocollect: "1",
        description: "fortress servers",
      });
      assert.equal(fieldsOf(named("kea-kea-subnet-users")).pools, "10.10.40.50 - 10.10.40.250");
      assert.equal(fieldsOf(named("kea-kea-subnet-mgmt")).subnet, "10.10.10.0/24");
    });

    it("reserves each MAC's address in its network's subnet, by the subnet's uuid", () => {
      const reservations = ofModel("keaReservation", "kea");
      assert.deepEqual(reservations.map((reservation) => reservation.name).sort(), [
        "kea-dhcp-web-1",
        "kea-dhcp-ws-1",
      ]);
      for (const [host, network, mac] of [
        ["web-1", "servers", "02:ab:cd:00:00:01"],
        ["ws-1", "users", "02:ab:cd:00:00:02"],
      ] as const) {
        const reservation = named(`kea-dhcp-${host}`);
        const subnet = named(`kea-kea-subnet-${network}`);
        assert.deepEqual(fieldsOf(reservation), {
          subnet: `kea-kea-subnet-${network}-uuid`,
          ip_address: HOSTS.find((candidate) => candidate.name === host)?.address,
          hw_address: mac,
          hostname: host,
          description: `fortress ${host}`,
        });
        assert.ok(
          reservation.dependencies.includes(subnet.urn),
          `${reservation.name} does not wait for its subnet`,
        );
      }
    });

    it("reserves nothing for a host without a MAC", () => {
      assert.ok(!resources.some((resource) => resource.name === "kea-dhcp-pve-a"));
    });

    it("creates no Dnsmasq hosts", () => {
      assert.deepEqual(ofModel("dnsmasqHost", "kea"), []);
    });

    it("switches Kea on for every network's interface, after the subnets", () => {
      const [settings, ...more] = resources.filter(
        (resource) => resource.type === `${DYNAMIC}keaDhcpv4` && resource.parent === named("kea").urn,
      );
      assert.ok(settings, "Kea is never enabled: KeaDhcpv4.xml general.enabled defaults to 0");
      assert.deepEqual(more, []);
      assert.deepEqual(fieldsOf(settings), { enabled: "1", interfaces: "lan,opt1,opt3" });
      for (const subnet of ofModel("keaSubnet", "kea")) {
        assert.ok(settings.dependencies.includes(subnet.urn), `Kea starts before ${subnet.name}`);
      }
      assert.ok(settings.dependencies.includes(named("ready").urn));
      assert.deepEqual(
        resources.filter(
          (resource) => resource.type === `${DYNAMIC}dnsmasq` && resource.parent === named("kea").urn,
        ),
        [],
      );
    });

    it("switches Dnsmasq's DHCP off on Kea's interfaces before Kea starts, leaving its DNS alone", () => {
      const [off, ...more] = resources.filter(
        (resource) => resource.type === `${DYNAMIC}dnsmasqDhcp` && resource.parent === named("kea").urn,
      );
      assert.ok(
        off,
        "a fresh OPNsense ships Dnsmasq serving DHCP on lan (config.xml.sample): both would answer",
      );
      assert.deepEqual(more, []);
      assert.deepEqual(fieldsOf(off), { no_interface: "lan,opt1,opt3" });
      assert.ok(off.dependencies.includes(named("ready").urn));
      const [settings] = resources.filter(
        (resource) => resource.type === `${DYNAMIC}keaDhcpv4` && resource.parent === named("kea").urn,
      );
      assert.ok(settings?.dependencies.includes(off.urn), "Kea starts before Dnsmasq's DHCP is off");
      assert.deepEqual(
        resources.filter(
          (resource) => resource.type === `${DYNAMIC}dnsmasqDhcp` && resource.parent === named("dm").urn,
        ),
        [],
      );
    });

    it("rejects a host on a network that has no DHCP subnet", () => {
      assert.ok(unknownNetwork instanceof Error, "no error for a host on an unknown network");
      assert.match(unknownNetwork.message, /lost-1 is on nowhere, which has no DHCP subnet/);
    });
  });

  describe("with Dnsmasq", () => {
    it("creates a host entry for each MAC, and none for a host without one", () => {
      const entries = ofModel("dnsmasqHost", "dm");
      assert.deepEqual(entries.map((entry) => entry.name).sort(), ["dm-dhcp-web-1", "dm-dhcp-ws-1"]);
      assert.deepEqual(fieldsOf(named("dm-dhcp-web-1")), {
        host: "web-1",
        domain: "lab.example",
        ip: "10.10.20.10",
        hwaddr: "02:ab:cd:00:00:01",
        descr: "fortress web-1",
      });
      assert.equal(fieldsOf(named("dm-dhcp-ws-1")).ip, "10.10.40.10");
    });

    it("creates no Kea subnets or reservations", () => {
      assert.deepEqual(ofModel("keaSubnet", "dm"), []);
      assert.deepEqual(ofModel("keaReservation", "dm"), []);
    });

    it("gives each network a DHCP range, without which Dnsmasq ignores its host entries", () => {
      const children = resources.filter((resource) => resource.parent === named("dm").urn);
      for (const network of args("dnsmasq").networks) {
        const range = children.find((child) => {
          const values = Object.values(fieldsOf(child) ?? {});
          return values.includes(network.dhcp.start) && values.includes(network.dhcp.end);
        });
        assert.ok(range, `no DHCP range ${network.dhcp.start}–${network.dhcp.end} for ${network.name}`);
      }
    });

    it("switches Dnsmasq on, listening on every network's interface, after the ranges", () => {
      const [settings, ...more] = resources.filter(
        (resource) => resource.type === `${DYNAMIC}dnsmasq` && resource.parent === named("dm").urn,
      );
      assert.ok(settings, "Dnsmasq is never enabled");
      assert.deepEqual(more, []);
      assert.deepEqual(fieldsOf(settings), { enable: "1", interface: "lan,opt1,opt3" });
      for (const range of ofModel("dnsmasqRange", "dm")) {
        assert.ok(settings.dependencies.includes(range.urn), `Dnsmasq starts before ${range.name}`);
      }
      assert.deepEqual(
        resources.filter(
          (resource) => resource.type === `${DYNAMIC}keaDhcpv4` && resource.parent === named("dm").urn,
        ),
        [],
      );
    });

    it("rejects a host on a network that is not declared", () => {
      assert.ok(unknownNetworkDnsmasq instanceof Error, "no error for a host on an unknown network");
      assert.match(unknownNetworkDnsmasq.message, /lost-1 is on nowhere/);
    });
  });
});
