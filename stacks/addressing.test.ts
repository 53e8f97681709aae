import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AddressRequest, allocateAddresses, macFor, staticPool } from "./addressing";
import { cidrContainsHost, intToIp, parseCidr } from "../vocabulary/addresses";
import type { NetworkConfig } from "./config/schema";

const servers: NetworkConfig = {
  name: "servers",
  vlan: 20,
  cidr: "10.10.20.0/24",
  gateway: "10.10.20.1",
  purpose: "servers",
  dhcp: { start: "10.10.20.200", end: "10.10.20.250" },
};

/** A /29: hosts .1-.6, gateway .1, DHCP .5-.6, so three static addresses: .2, .3, .4. */
const tiny: NetworkConfig = {
  name: "tiny",
  vlan: 70,
  cidr: "192.168.7.0/29",
  gateway: "192.168.7.1",
  purpose: "iot",
  dhcp: { start: "192.168.7.5", end: "192.168.7.6" },
};

/** The VMs the home stack puts on its servers network. */
const HOME_SERVERS = [
  "greenbone-1",
  "k3s-agent-1",
  "k3s-agent-2",
  "k3s-agent-3",
  "k3s-gpu-1",
  "k3s-indexer-1",
  "k3s-server-1",
  "k3s-server-2",
  "k3s-server-3",
  "misp-1",
  "wazuh-manager-1",
];

const requests = (names: readonly string[]): AddressRequest[] => names.map((name) => ({ name }));
const none = new Set<string>();

function assertValidAllocation(
  network: NetworkConfig,
  allocation: ReturnType<typeof allocateAddresses>,
  taken: ReadonlySet<string>,
) {
  const pool = new Set(staticPool(network).map(intToIp));
  const addresses = [...allocation.addressOf.values()];
  assert.equal(new Set(addresses).size, addresses.length, "an address was handed out twice");
  for (const [name, ip] of allocation.addressOf) {
    assert.ok(pool.has(ip), `${name} got ${ip}, outside the static pool`);
    assert.ok(!taken.has(ip), `${name} got ${ip}, which was taken`);
  }
}

describe("macFor", () => {
  it("is stable for a name", () => {
    assert.equal(macFor("k3s-server-1"), macFor("k3s-server-1"));
    assert.equal(macFor("misp-1"), macFor(`misp-${1}`));
  });

  it("is a locally administered unicast MAC with first octet 02", () => {
    for (const name of [...HOME_SERVERS, "zeek-1", "", "x"]) {
      const mac = macFor(name);
      assert.match(mac, /^02(:[0-9A-F]{2}){5}$/, mac);
      const first = Number.parseInt(mac.slice(0, 2), 16);
      assert.equal(first & 0x01, 0, "multicast bit set");
      assert.equal(first & 0x02, 0x02, "locally administered bit not set");
    }
  });

  it("differs by name", () => {
    const names = Array.from({ length: 500 }, (_, index) => `vm-${index}`);
    assert.equal(new Set(names.map(macFor)).size, names.length);
    assert.notEqual(macFor("k3s-agent-1"), macFor("k3s-agent-2"));
  });
});

describe("staticPool", () => {
  it("holds every host address but the gateway and the DHCP range", () => {
    const pool = staticPool(servers).map(intToIp);
    // .2-.199 and .251-.254: 198 + 4.
    assert.equal(pool.length, 202);
    assert.equal(pool[0], "10.10.20.2");
    assert.equal(pool.at(-1), "10.10.20.254");
    for (const excluded of [
      "10.10.20.0",
      "10.10.20.1",
      "10.10.20.200",
      "10.10.20.225",
      "10.10.20.250",
      "10.10.20.255",
    ]) {
      assert.ok(!pool.includes(excluded), `${excluded} is in the pool`);
    }
    for (const included of ["10.10.20.2", "10.10.20.199", "10.10.20.251", "10.10.20.254"]) {
      assert.ok(pool.includes(included), `${included} is not in the pool`);
    }
    const cidr = parseCidr(servers.cidr);
    assert.ok(cidr);
    for (const ip of pool) assert.ok(cidrContainsHost(cidr, ip));
  });

  it("handles a gateway at the top of the range and a DHCP range at the bottom", () => {
    const pool = staticPool({
      ...tiny,
      gateway: "192.168.7.6",
      dhcp: { start: "192.168.7.1", end: "192.168.7.2" },
    });
    assert.deepEqual(pool.map(intToIp), ["192.168.7.3", "192.168.7.4", "192.168.7.5"]);
  });

  it("is empty for a malformed network", () => {
    assert.deepEqual(staticPool({ ...servers, cidr: "10.10.20.1/24" }), []);
  });
});

describe("allocateAddresses", () => {
  it("is deterministic, whatever the order of the requests", () => {
    const first = allocateAddresses(servers, requests(HOME_SERVERS), none);
    const again = allocateAddresses(servers, requests(HOME_SERVERS), none);
    const reversed = allocateAddresses(servers, requests([...HOME_SERVERS].reverse()), none);
    const entries = (allocation: typeof first) =>
      [...allocation.addressOf].sort(([a], [b]) => a.localeCompare(b));
    assert.deepEqual(entries(again), entries(first));
    assert.deepEqual(entries(reversed), entries(first));
    assert.equal(first.addressOf.size, HOME_SERVERS.length);
    assert.deepEqual(first.exhausted, []);
    assertValidAllocation(servers, first, none);
  });

  it("spreads addresses by name rather than counting up from the start of the pool", () => {
    const allocation = allocateAddresses(servers, requests(HOME_SERVERS), none);
    const sequential = staticPool(servers).slice(0, HOME_SERVERS.length).map(intToIp);
    assert.notDeepEqual([...allocation.addressOf.values()].sort(), sequential.sort());
  });

  it("honours pinned addresses and keeps them from the others", () => {
    const free = allocateAddresses(servers, requests(HOME_SERVERS), none);
    const victim = "k3s-server-2";
    const stolen = free.addressOf.get(victim);
    assert.ok(stolen);
    // Pin another VM to the address the victim would have had.
    const pinned = allocateAddresses(
      servers,
      HOME_SERVERS.map((name) => (name === "misp-1" ? { name, pinnedIp: stolen } : { name })),
      none,
    );
    assert.equal(pinned.addressOf.get("misp-1"), stolen);
    assert.notEqual(pinned.addressOf.get(victim), stolen);
    const addresses = [...pinned.addressOf.values()];
    assert.equal(new Set(addresses).size, addresses.length);
  });

  it("never hands out a taken address", () => {
    const free = allocateAddresses(servers, requests(HOME_SERVERS), none);
    const taken = new Set([...free.addressOf.values()]);
    const allocation = allocateAddresses(servers, requests(HOME_SERVERS), taken);
    assert.deepEqual(allocation.exhausted, []);
    assertValidAllocation(servers, allocation, taken);
  });

  it("never hands out duplicates, even with many requests and crowded hashes", () => {
    const names = Array.from({ length: 180 }, (_, index) => `vm-${index}`);
    const taken = new Set(["10.10.20.2", "10.10.20.3", "10.10.20.100"]);
    const allocation = allocateAddresses(servers, requests(names), taken);
    assert.deepEqual(allocation.exhausted, []);
    assert.equal(allocation.addressOf.size, names.length);
    assertValidAllocation(servers, allocation, taken);
  });

  it("fills the pool exactly and reports every request beyond it as exhausted", () => {
    const pool = staticPool(servers).length;
    const names = Array.from({ length: pool + 3 }, (_, index) => `vm-${String(index).padStart(3, "0")}`);
    const allocation = allocateAddresses(servers, requests(names), none);
    assert.equal(allocation.addressOf.size, pool);
    assert.equal(allocation.exhausted.length, 3);
    assertValidAllocation(servers, allocation, none);
  });

  it("reports exhaustion on a tiny subnet", () => {
    const allocation = allocateAddresses(tiny, requests(["d", "b", "a", "c"]), none);
    assert.deepEqual([...allocation.addressOf.values()].sort(), [
      "192.168.7.2",
      "192.168.7.3",
      "192.168.7.4",
    ]);
    // Requests are served in name order, so the last name is the one left over.
    assert.deepEqual(allocation.exhausted, ["d"]);
    assert.equal(allocation.addressOf.has("d"), false);

    const crowded = allocateAddresses(tiny, requests(["a", "b"]), new Set(["192.168.7.2", "192.168.7.4"]));
    assert.equal(crowded.addressOf.size, 1);
    assert.equal([...crowded.addressOf.values()][0], "192.168.7.3");
    assert.deepEqual(crowded.exhausted, ["b"]);

    const pinnedFull = allocateAddresses(
      tiny,
      [
        { name: "p1", pinnedIp: "192.168.7.2" },
        { name: "p2", pinnedIp: "192.168.7.3" },
        { name: "p3", pinnedIp: "192.168.7.4" },
        { name: "f" },
      ],
      none,
    );
    assert.deepEqual(pinnedFull.exhausted, ["f"]);
  });

  it("keeps the other VMs' addresses when one VM is added or removed (home servers network)", () => {
    const before = allocateAddresses(servers, requests(HOME_SERVERS), none);
    for (const added of ["k3s-agent-5", "zeek-2", "a-first", "misp-2"]) {
      const after = allocateAddresses(servers, requests([...HOME_SERVERS, added]), none);
      for (const name of HOME_SERVERS) {
        assert.equal(after.addressOf.get(name), before.addressOf.get(name), `adding ${added} moved ${name}`);
      }
    }
    for (const removed of HOME_SERVERS) {
      const after = allocateAddresses(
        servers,
        requests(HOME_SERVERS.filter((name) => name !== removed)),
        none,
      );
      for (const name of HOME_SERVERS.filter((other) => other !== removed)) {
        assert.equal(
          after.addressOf.get(name),
          before.addressOf.get(name),
          `removing ${removed} moved ${name}`,
        );
      }
    }
  });

  it("gives a pinned VM its address whatever else is requested", () => {
    const allocation = allocateAddresses(
      servers,
      [
        { name: "k3s-server-1", pinnedIp: "10.10.20.10" },
        ...requests(HOME_SERVERS.filter((name) => name !== "k3s-server-1")),
      ],
      none,
    );
    assert.equal(allocation.addressOf.get("k3s-server-1"), "10.10.20.10");
    assert.ok(
      ![...allocation.addressOf].some(([name, ip]) => name !== "k3s-server-1" && ip === "10.10.20.10"),
    );
    assert.equal(allocation.addressOf.size, HOME_SERVERS.length);
  });
});
