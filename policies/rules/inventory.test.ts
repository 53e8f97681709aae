import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { DNS_DHCP_TYPE, NETWORK_TYPE, OPNSENSE, VM_TYPE } from "../lib/resources";
import { inventory } from "./inventory";

const network = planResource(NETWORK_TYPE, "network", {
  networks: [
    { name: "mgmt", vlan: 10 },
    { name: "servers", vlan: 20 },
  ],
});
const dnsDhcp = planResource(DNS_DHCP_TYPE, "dns-dhcp");
const vm = (name: string, networkDevices: unknown[]) =>
  planResource(VM_TYPE, `res-${name}`, { name, nodeName: "pve1", networkDevices });
const hostOverride = (hostname: string) =>
  planResource(OPNSENSE("hostOverride"), `dns-${hostname}`, { fields: { hostname } });
const reservation = (hw_address: string) =>
  planResource(OPNSENSE("keaReservation"), `dhcp-${hw_address}`, { fields: { hw_address } });

const messages = async (resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([inventory], resources)).map((violation) => violation.message);

describe("inventory", () => {
  it("names the VM, its VLAN and the declared ones, on the VM", async () => {
    const zeek = vm("zeek-1", [{ vlanId: 30, macAddress: "02:00:00:00:00:01" }]);
    const violations = await evaluatePolicies([inventory], [network, zeek]);
    assert.equal(violations.length, 1);
    assert.equal(violations[0]?.urn, zeek.urn);
    assert.match(
      violations[0]?.message ?? "",
      /VM zeek-1 is on VLAN 30, which no network .* \(declared: 10 \(mgmt\), 20 \(servers\)\): move it/,
    );
  });

  it("flags an untagged NIC and a VM without a NIC", async () => {
    assert.match(
      (await messages([network, vm("a", [{ bridge: "vmbr0" }])]))[0] ?? "",
      /VM a has an untagged NIC/,
    );
    assert.match((await messages([network, vm("b", [])]))[0] ?? "", /VM b has no network device/);
  });

  it("asks for a DNS name and a reservation only once the dns-dhcp layer exists", async () => {
    const bare = vm("k3s-agent-1", [{ vlanId: 20, macAddress: "02:AA:BB:CC:DD:EE" }]);
    assert.deepEqual(await messages([network, bare]), []);
    const found = await messages([network, dnsDhcp, bare]);
    assert.equal(found.length, 2);
    assert.match(
      found[0] ?? "",
      /VM k3s-agent-1 has no DNS name: add an Unbound host override with hostname "k3s-agent-1"/,
    );
    assert.match(found[1] ?? "", /VM k3s-agent-1 \(MAC 02:AA:BB:CC:DD:EE\) has no DHCP reservation/);
  });

  it("matches the host override on the guest name and the reservation on the MAC, ignoring case", async () => {
    const agent = vm("k3s-agent-1", [{ vlanId: 20, macAddress: "02:AA:BB:CC:DD:EE" }]);
    assert.deepEqual(
      await messages([
        network,
        dnsDhcp,
        agent,
        hostOverride("k3s-agent-1"),
        reservation("02:aa:bb:cc:dd:ee"),
      ]),
      [],
    );
    const wrongName = await messages([
      network,
      dnsDhcp,
      agent,
      hostOverride("res-k3s-agent-1"),
      reservation("02:aa:bb:cc:dd:ee"),
    ]);
    assert.equal(wrongName.length, 1);
    assert.match(wrongName[0] ?? "", /no DNS name/);
  });

  it("accepts a Dnsmasq host as the reservation", async () => {
    const agent = vm("k3s-agent-1", [{ vlanId: 20, macAddress: "02:aa:bb:cc:dd:ee" }]);
    const host = planResource(OPNSENSE("dnsmasqHost"), "dm", { fields: { hwaddr: "02:AA:BB:CC:DD:EE" } });
    assert.deepEqual(await messages([network, dnsDhcp, agent, hostOverride("k3s-agent-1"), host]), []);
  });

  it("flags a VM whose NIC has no fixed MAC once reservations are due", async () => {
    const found = await messages([network, dnsDhcp, vm("x", [{ vlanId: 10 }]), hostOverride("x")]);
    assert.equal(found.length, 1);
    assert.match(found[0] ?? "", /VM x has no fixed MAC address/);
  });

  it("is not applicable without a Network component", async () => {
    assert.deepEqual(await messages([dnsDhcp, vm("y", [])]), []);
  });
});
