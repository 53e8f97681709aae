/**
 * Issue 8, defects 5, 6, 7 and 10 (the provider side), against the loopback API:
 * - 5: OPNsense's own HTTP 500 (a UserException) is its answer: no retries, its message shown, the
 *   interface to unassign named; a VLAN's new tag or trunk is set in place, never a delete it refuses.
 * - 6: a multi-entry alias read back (refresh) is no change.
 * - 7: a create that failed after its add is retried by adopting the item, not adding a second one.
 * - 10: Kea's and Dnsmasq's general settings, with the list of interfaces compared as a set.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { OpnsenseServerError, OpnsenseUnavailableError } from "../../components/opnsense/errors";
import { DNSMASQ, KEA_DHCPV4, type SettingsModel } from "../../components/opnsense/models";
import {
  type FirewallRef,
  type ItemInputs,
  ItemProvider,
  KEY_CONFIG,
  SECRET_CONFIG,
  SettingsProvider,
  type Timing,
} from "../../components/opnsense/provider";
import { DEFAULT_KEY, DEFAULT_SECRET, type OpnsenseApi, startOpnsenseApi } from "./server";

const FAST: Timing = {
  retry: { timeoutMs: 400, retries: 3, backoffMs: 5 },
  probe: { timeoutMs: 250, attempts: 2, intervalMs: 5 },
};

const config: pulumi.dynamic.Config = {
  get: (name) => ({ [KEY_CONFIG]: DEFAULT_KEY, [SECRET_CONFIG]: DEFAULT_SECRET })[name],
  require: (name) => {
    const value = config.get(name);
    if (value === undefined) throw new Error(`missing ${name}`);
    return value;
  },
};

async function items(): Promise<ItemProvider> {
  const provider = new ItemProvider(FAST);
  await provider.configure({ config });
  return provider;
}

async function settings(model: SettingsModel): Promise<SettingsProvider> {
  const provider = new SettingsProvider(model, FAST);
  await provider.configure({ config });
  return provider;
}

let api: OpnsenseApi;
let firewall: FirewallRef;

const requestsTo = (fragment: string) =>
  api.state.requests.filter((request) => request.path.includes(fragment));

const alias = (name: string, type: string, content: string): ItemInputs => ({
  model: "alias",
  firewall,
  fields: { enabled: "1", name, type, content, description: `fortress ${name}` },
});

const vlan = (tag: string, parent = "vtnet1", descr = "fortress servers"): ItemInputs => ({
  model: "vlan",
  firewall,
  fields: { if: parent, tag, pcp: "0", descr },
});

const kea = (subnet: string): ItemInputs => ({
  model: "keaSubnet",
  firewall,
  fields: {
    subnet,
    pools: `${subnet.replace(/0\/24$/, "100")} - ${subnet.replace(/0\/24$/, "199")}`,
    option_data_autocollect: "1",
    description: `fortress ${subnet}`,
  },
});

describe("OPNsense's own answers (issue 8)", () => {
  before(async () => {
    api = await startOpnsenseApi({ rollbackMs: 300, parentDevices: ["vtnet1", "vtnet2"] });
    firewall = { url: api.url, insecure: false };
  });
  afterEach(() => api.faults.clear());
  after(() => api.close());

  describe("defect 5: a UserException is an answer, not an outage", () => {
    it("shows why an alias cannot be deleted, after one request", async () => {
      const provider = await items();
      const created = await provider.create(alias("fz_dns", "host", "10.0.0.53"));
      api.state.put("firewall/filter", {
        interface: "lan",
        protocol: "UDP",
        destination_net: "fz_dns",
        destination_port: "53",
        description: "manual rule",
      });
      const before = requestsTo("/firewall/alias/del_item/").length;
      await assert.rejects(
        provider.delete(created.id, { ...alias("fz_dns", "host", "10.0.0.53"), uuid: created.id }),
        (error: unknown) =>
          error instanceof OpnsenseServerError &&
          error.userException &&
          /Cannot delete alias\. Currently in use by/.test(error.message) &&
          /destination_net/.test(error.message) &&
          !/reachable/.test(error.message),
      );
      assert.equal(requestsTo("/firewall/alias/del_item/").length - before, 1, "a refusal was retried");
    });

    it("names the interface to unassign when a VLAN device is assigned", async () => {
      const provider = await items();
      const created = await provider.create(vlan("60", "vtnet2", "fortress lab"));
      const device = api.state
        .items("interfaces/vlan_settings")
        .find((item) => item.uuid === created.id)?.vlanif;
      assert.ok(device);
      api.state.assign({ identifier: "opt4", device, description: "LAB" });
      const before = requestsTo("/interfaces/vlan_settings/del_item/").length;
      await assert.rejects(
        provider.delete(created.id, { ...vlan("60", "vtnet2", "fortress lab"), uuid: created.id }),
        (error: unknown) =>
          error instanceof OpnsenseServerError &&
          error.message.includes("This VLAN cannot be deleted because it is assigned as an interface.") &&
          error.message.includes(
            `VLAN device ${device} (tag 60 on vtnet2) is assigned to interface LAB (opt4)`,
          ) &&
          error.message.includes("Interfaces > Assignments"),
      );
      assert.equal(requestsTo("/interfaces/vlan_settings/del_item/").length - before, 1);
      assert.ok(api.state.items("interfaces/vlan_settings").some((item) => item.uuid === created.id));
    });

    it("shows a failing reconfigure's message instead of saying the firewall may be down", async () => {
      const provider = await items();
      const message = 'Template generation failed for internal service "kea". See backend log for details.';
      api.faults.inject({
        path: "kea/service/reconfigure",
        kind: "userException",
        message,
        title: "Configuration exception",
      });
      const before = requestsTo("/kea/service/reconfigure").length;
      await assert.rejects(
        provider.create(kea("10.10.70.0/24")),
        (error: unknown) => error instanceof OpnsenseServerError && error.message.includes(message),
      );
      assert.equal(requestsTo("/kea/service/reconfigure").length - before, 1);
    });

    it("says so when PHP failed without a UserException, without retrying it", async () => {
      const provider = await items();
      // A get of an alias that is gone answers api.php's catch-all 500; a read must see it as deleted.
      const created = await provider.create(alias("fz_gone", "host", "10.0.0.9"));
      await provider.delete(created.id, { ...alias("fz_gone", "host", "10.0.0.9"), uuid: created.id });
      const before = requestsTo(`/firewall/alias/get_item/${created.id}`).length;
      assert.deepEqual(
        await provider.read(created.id, { ...alias("fz_gone", "host", "10.0.0.9"), uuid: created.id }),
        {},
      );
      assert.equal(requestsTo(`/firewall/alias/get_item/${created.id}`).length - before, 1);
    });

    it("still retries what may pass: 502/503/504 and a 500 that is not OPNsense's JSON", async () => {
      const provider = await items();
      api.faults.inject({ path: "firewall/alias/add_item", kind: "5xx", status: 503 });
      api.faults.inject({ path: "firewall/alias/reconfigure", kind: "5xx", status: 500 });
      api.faults.inject({ path: "firewall/alias/reconfigure", kind: "5xx", status: 504 });
      const created = await provider.create(alias("fz_flaky", "host", "10.0.0.10"));
      assert.ok(api.state.items("firewall/alias").some((item) => item.uuid === created.id));
      api.faults.inject({ path: "firewall/alias/add_item", kind: "5xx", status: 502, times: 50 });
      await assert.rejects(
        provider.create(alias("fz_down", "host", "10.0.0.11")),
        (error: unknown) =>
          error instanceof OpnsenseUnavailableError &&
          /HTTP 502: 502 Bad Gateway/.test(error.message) &&
          /web server answers but not its API/.test(error.message),
      );
    });

    it("changes an assigned VLAN's tag and trunk in place, keeping its device and assignment", async () => {
      const provider = await items();
      const created = await provider.create(vlan("20"));
      const device = api.state
        .items("interfaces/vlan_settings")
        .find((item) => item.uuid === created.id)?.vlanif;
      assert.ok(device);
      api.state.assign({ identifier: "opt1", device, description: "SERVERS" });
      const outs = { ...vlan("20"), uuid: created.id };
      for (const next of [vlan("21"), vlan("21", "vtnet2")]) {
        const diff = await provider.diff(created.id, outs, next);
        assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
        await provider.update(created.id, outs, next);
      }
      const stored = api.state.items("interfaces/vlan_settings").find((item) => item.uuid === created.id);
      assert.deepEqual([stored?.vlanif, stored?.tag, stored?.if], [device, "21", "vtnet2"]);
      const overview = (await fetch(`${api.url}/api/interfaces/overview/export`, {
        headers: { authorization: api.authorization() },
      }).then((response) => response.json())) as { device: string; identifier: string; vlan_tag: unknown }[];
      assert.equal(overview.find((row) => row.identifier === "opt1")?.vlan_tag, "21");
    });
  });

  describe("defect 6: multi-entry aliases do not drift", () => {
    it("reads back a network alias and a port alias as no change", async () => {
      const provider = await items();
      const wanted = [
        alias("fz_private", "network", "10.0.0.0/8\n172.16.0.0/12\n192.168.0.0/16"),
        // Keys that look like numbers come first in a JSON object: the map's order is not the list's.
        alias("fz_ports", "port", "8443\n443\n80"),
      ];
      for (const inputs of wanted) {
        const created = await provider.create(inputs);
        const read = await provider.read(created.id, created.outs);
        assert.ok(read.props);
        assert.deepEqual(read.props.fields, inputs.fields);
        assert.deepEqual(await provider.diff(created.id, read.props, inputs), {
          changes: false,
          replaces: [],
          deleteBeforeReplace: false,
        });
      }
    });

    it("still sees an entry removed on the firewall", async () => {
      const provider = await items();
      const inputs = alias("fz_lab", "network", "10.10.0.0/16\n10.20.0.0/16");
      const created = await provider.create(inputs);
      await fetch(`${api.url}/api/firewall/alias/set_item/${created.id}`, {
        method: "POST",
        headers: { authorization: api.authorization(), "content-type": "application/json" },
        body: JSON.stringify({ alias: { content: "10.10.0.0/16" } }),
      });
      const read = await provider.read(created.id, created.outs);
      assert.ok(read.props);
      assert.equal(read.props.fields.content, "10.10.0.0/16");
      assert.equal((await provider.diff(created.id, read.props, inputs)).changes, true);
    });
  });

  describe("defect 7: a create that failed after its add adopts the item on the next run", () => {
    // Inputs are made in the test: the firewall's URL is known only once the server runs.
    const cases: [string, () => ItemInputs, string, string[]][] = [
      [
        "an alias (by name)",
        () => alias("fz_orphan", "network", "10.30.0.0/16\n10.31.0.0/16"),
        "firewall/alias",
        ["name"],
      ],
      [
        "a VLAN device (by parent and tag)",
        () => vlan("77", "vtnet1", "fortress orphan"),
        "interfaces/vlan_settings",
        ["if", "tag"],
      ],
      ["a Kea subnet (by subnet)", () => kea("10.10.77.0/24"), "kea/dhcpv4", ["subnet"]],
    ];
    for (const [what, wanted, base, identity] of cases) {
      it(`adopts ${what}`, async () => {
        const inputs = wanted();
        const provider = await items();
        const reconfigure = base === "kea/dhcpv4" ? "kea/service/reconfigure" : `${base}/reconfigure`;
        api.faults.inject({ path: reconfigure, kind: "userException", message: "reconfigure failed" });
        await assert.rejects(provider.create(inputs), OpnsenseServerError);
        const itemKey = base === "kea/dhcpv4" ? "subnet4" : undefined;
        const orphans = api.state.items(base, itemKey);
        const orphan = orphans.find((item) => identity.every((key) => item[key] === inputs.fields[key]));
        assert.ok(orphan, "the failed create left nothing behind to adopt");
        const count = orphans.length;

        const retried = await provider.create(inputs);
        assert.equal(retried.id, orphan.uuid);
        assert.equal(retried.outs?.adopted, true);
        assert.equal(api.state.items(base, itemKey).length, count, "a second copy was added");
        const read = await provider.read(retried.id, retried.outs);
        assert.deepEqual(read.props?.fields, inputs.fields);
      });
    }

    it("adopts a filter rule on one interface by its description instead of adding a second copy", async () => {
      const provider = await items();
      const fields = {
        enabled: "1",
        sequence: "4100",
        action: "pass",
        quick: "1",
        interface: "lan",
        direction: "in",
        ipprotocol: "inet",
        protocol: "TCP",
        source_net: "lan",
        destination_net: "10.0.0.1",
        destination_port: "443",
        log: "1",
        description: "fortress orphan rule",
      };
      const orphan = api.state.put("firewall/filter", fields);
      const created = await provider.create({ model: "rule", firewall, fields });
      assert.equal(created.id, orphan);
      assert.equal(
        api.state.items("firewall/filter").filter((rule) => rule.description === fields.description).length,
        1,
      );
    });

    it("sets the adopted item to the wanted fields", async () => {
      const provider = await items();
      const uuid = api.state.put("firewall/alias", {
        name: "fz_stale",
        type: "network",
        content: "10.99.0.0/16",
        description: "stale",
      });
      const inputs = alias("fz_stale", "network", "10.40.0.0/16");
      const created = await provider.create(inputs);
      assert.equal(created.id, uuid);
      const stored = api.state.items("firewall/alias").find((item) => item.uuid === uuid);
      assert.deepEqual([stored?.content, stored?.description], ["10.40.0.0/16", "fortress fz_stale"]);
    });
  });

  describe("defect 10: Kea and Dnsmasq general settings", () => {
    it("turns Kea on for the DHCP interfaces, so that its rc.conf.d starts it", async () => {
      assert.equal(api.state.running("kea/service"), false);
      api.state.assign({ identifier: "opt2", device: "vtnet2", description: "OPT2" });
      const provider = await settings(KEA_DHCPV4);
      const inputs = { firewall, fields: { enabled: "1", interfaces: "opt2,lan" } };
      const created = await provider.create(inputs);
      assert.equal(api.state.keaDhcpv4()["general.enabled"], "1");
      assert.deepEqual(api.state.keaDhcpv4()["general.interfaces"]?.split(",").sort(), ["lan", "opt2"]);
      assert.equal(api.state.running("kea/service"), true);
      const read = await provider.read(created.id, inputs);
      assert.deepEqual(read.props?.fields, inputs.fields);
      assert.equal((await provider.diff(created.id, inputs, inputs)).changes, false);
    });

    it("turns Dnsmasq on for the DHCP interfaces", async () => {
      api.state.assign({ identifier: "opt3", device: "vtnet3", description: "OPT3" });
      const provider = await settings(DNSMASQ);
      const inputs = { firewall, fields: { enable: "1", interface: "lan,opt3" } };
      const created = await provider.create(inputs);
      assert.equal(api.state.dnsmasq().enable, "1");
      assert.equal(api.state.dnsmasq().interface, "lan,opt3");
      assert.equal(api.state.running("dnsmasq/service"), true);
      const read = await provider.read(created.id, inputs);
      assert.deepEqual(read.props?.fields, inputs.fields);
    });
  });
});
