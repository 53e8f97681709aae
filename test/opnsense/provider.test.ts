/**
 * The OPNsense provider's real HTTP code against the loopback API: CRUD, drift and idempotence,
 * retries, auth and validation errors, write serialization, the safe apply with a firewall that
 * stops answering, the preflight, and a serialized provider run in a separate process.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  OpnsenseAuthError,
  OpnsenseError,
  OpnsensePrivilegeError,
  OpnsenseValidationError,
} from "../../components/opnsense/errors";
import { MINIMUM_VERSION, OpnsensePreflightError, sourceProblem } from "../../components/opnsense/preflight";
import { OpnsenseLockoutError } from "../../components/opnsense/safeApply";
import { DNSMASQ_DHCP_VERSION } from "../../stacks/layers/firewall";
import {
  type FirewallRef,
  type ItemInputs,
  type ItemOutputs,
  ItemProvider,
  KEY_CONFIG,
  PreflightProvider,
  SECRET_CONFIG,
  SettingsProvider,
  type Timing,
} from "../../components/opnsense/provider";
import { CHRONY, DNSMASQ_DHCP, KEA_DHCPV4 } from "../../components/opnsense/models";
import { toSettingsFields } from "../../components/opnsense/toFields";
import {
  DEFAULT_KEY,
  DEFAULT_SECRET,
  type OpnsenseApi,
  type ServerOptions,
  startOpnsenseApi,
} from "./server";
import { runNodeScript } from "../support/runNode";

/** The API user's privileges per version, as the README lists them (OPNsense's own names, test/opnsense/acl.ts). */
const LEAST_PRIVILEGES: Record<string, string[]> = {
  "25.7.3": [
    "Lobby: Dashboard",
    "Status: Interfaces",
    "Interfaces: VLAN",
    "Firewall: Alias: Edit",
    "Firewall: Automation: Filter",
    "Services: Chrony",
    "Status: Services",
    "Services: Unbound (MVC)",
    "Services: DHCP: Kea(v4)",
    "Services: Dnsmasq DNS/DHCP: Settings",
    "System: Settings: Logging",
  ],
  "26.1.2": [
    "Lobby: Dashboard",
    "Status: Interfaces",
    "Interfaces: VLAN",
    "Firewall: Alias: Edit",
    "Firewall: Rules [new]",
    "Services: Chrony",
    "Status: Services",
    "Services: Unbound (MVC)",
    "Services: DHCP: Kea(v4)",
    "Services: Dnsmasq DNS/DHCP: Settings",
    "System: Settings: Logging",
  ],
  "26.7.1": [
    "Lobby: Dashboard",
    "Status: Interfaces",
    "Interfaces: VLAN",
    "Interfaces: Assign network ports",
    "Firewall: Alias: Edit",
    "Firewall: Rules [new]",
    "Services: Chrony",
    "Status: Services",
    "Services: Unbound",
    "Services: DHCP: Kea(v4)",
    "Services: Dnsmasq DNS/DHCP: Settings",
    "System: Settings: Logging",
  ],
};

const FAST: Timing = {
  retry: { timeoutMs: 400, retries: 3, backoffMs: 5 },
  probe: { timeoutMs: 250, attempts: 2, intervalMs: 5 },
};

function stackConfig(key = DEFAULT_KEY, secret = DEFAULT_SECRET): pulumi.dynamic.Config {
  const values: Record<string, string> = { [KEY_CONFIG]: key, [SECRET_CONFIG]: secret };
  return {
    get: (name) => values[name],
    require: (name) => {
      const value = values[name];
      if (value === undefined) throw new Error(`missing ${name}`);
      return value;
    },
  };
}

async function configured<T extends { configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> }>(
  provider: T,
  key?: string,
  secret?: string,
): Promise<T> {
  await provider.configure({ config: stackConfig(key, secret) });
  return provider;
}

const alias = (name: string, content = "10.10.20.0/24"): Record<string, string> => ({
  enabled: "1",
  name,
  type: "network",
  content,
  description: `fortress ${name}`,
});

const rule = (description: string): Record<string, string> => ({
  enabled: "1",
  sequence: "4001",
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
  description,
});

/** create() with its outputs, which the provider always returns. */
async function create(
  provider: ItemProvider,
  inputs: ItemInputs,
): Promise<{ id: string; outs: ItemOutputs }> {
  const result = await provider.create(inputs);
  assert.ok(result.outs, "create returned no outputs");
  return { id: result.id, outs: result.outs };
}

let api: OpnsenseApi;
let firewall: FirewallRef;

async function restart(options: Partial<ServerOptions> = {}) {
  await api?.close();
  api = await startOpnsenseApi({ rollbackMs: 300, ...options });
  firewall = { url: api.url, insecure: false };
}

describe("OPNsense provider against the loopback API", () => {
  before(() => restart());
  afterEach(() => api.faults.clear());
  after(() => api.close());

  describe("items", () => {
    it("creates, reads, updates in place and deletes an alias, reconfiguring each time", async () => {
      const provider = await configured(new ItemProvider(FAST));
      const inputs: ItemInputs = { model: "alias", firewall, fields: alias("fz_net_servers") };
      const created = await create(provider, inputs);
      const stored = api.state.items("firewall/alias").find((item) => item.uuid === created.id);
      assert.ok(stored, "the alias is not on the firewall");
      assert.equal(stored.name, "fz_net_servers");
      assert.equal(api.state.reconfigures["firewall/alias"], 1);

      const read = await provider.read(created.id, created.outs);
      assert.deepEqual(read.props?.fields, inputs.fields);
      assert.deepEqual(await provider.diff(created.id, created.outs, inputs), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });

      const changed: ItemInputs = {
        model: "alias",
        firewall,
        fields: alias("fz_net_servers", "10.10.21.0/24"),
      };
      const diff = await provider.diff(created.id, created.outs, changed);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
      await provider.update(created.id, created.outs, changed);
      assert.equal(
        api.state.items("firewall/alias").find((item) => item.uuid === created.id)?.content,
        "10.10.21.0/24",
      );

      await provider.delete(created.id, { ...changed, uuid: created.id });
      assert.equal(
        api.state.items("firewall/alias").some((item) => item.uuid === created.id),
        false,
      );
      assert.equal(api.state.reconfigures["firewall/alias"], 3);
    });

    it("detects drift made on the firewall, and a deleted item", async () => {
      const provider = await configured(new ItemProvider(FAST));
      const created = await create(provider, { model: "alias", firewall, fields: alias("fz_drift") });
      const response = await fetch(`${api.url}/api/firewall/alias/set_item/${created.id}`, {
        method: "POST",
        headers: { authorization: api.authorization(), "content-type": "application/json" },
        body: JSON.stringify({ alias: { content: "192.168.99.0/24" } }),
      });
      assert.equal(response.status, 200);
      const read = await provider.read(created.id, created.outs);
      assert.equal(read.props?.fields.content, "192.168.99.0/24");
      assert.ok(read.props);
      assert.equal(
        (await provider.diff(created.id, read.props, { model: "alias", firewall, fields: alias("fz_drift") }))
          .changes,
        true,
      );

      await provider.delete(created.id, created.outs);
      assert.deepEqual(await provider.read(created.id, created.outs), {});
    });

    it("replaces an alias whose name changes, since rules refer to it by name", async () => {
      const provider = await configured(new ItemProvider(FAST));
      const created = await create(provider, { model: "alias", firewall, fields: alias("fz_old") });
      const diff = await provider.diff(created.id, created.outs, {
        model: "alias",
        firewall,
        fields: alias("fz_new"),
      });
      assert.deepEqual(diff.replaces, ["fields.name"]);
    });

    it("names the fields OPNsense refused", async () => {
      const provider = await configured(new ItemProvider(FAST));
      await assert.rejects(
        provider.create({
          model: "vlan",
          firewall,
          fields: { if: "vtnet1", tag: "5000", pcp: "0", descr: "fortress bad" },
        }),
        (error: unknown) =>
          error instanceof OpnsenseValidationError &&
          Object.keys(error.validations).includes("vlan.tag") &&
          /VLAN device: vlan\.tag/.test(error.message),
      );
    });

    it("creates a DHCP reservation in a Kea subnet and an Unbound host override", async () => {
      const subnets = await configured(new ItemProvider(FAST));
      const subnet = await create(subnets, {
        model: "keaSubnet",
        firewall,
        fields: {
          subnet: "10.10.20.0/24",
          pools: "10.10.20.200 - 10.10.20.250",
          option_data_autocollect: "1",
          description: "fortress servers",
        },
      });
      const reservations = await configured(new ItemProvider(FAST));
      await reservations.create({
        model: "keaReservation",
        firewall,
        fields: {
          subnet: subnet.id,
          ip_address: "10.10.20.37",
          hw_address: "02:aa:bb:cc:dd:ee",
          hostname: "misp-1",
          description: "fortress misp-1",
        },
      });
      assert.equal(
        api.state.items("kea/dhcpv4", "reservation").find((item) => item.hostname === "misp-1")?.ip_address,
        "10.10.20.37",
      );
      const hosts = await configured(new ItemProvider(FAST));
      await hosts.create({
        model: "hostOverride",
        firewall,
        fields: {
          enabled: "1",
          hostname: "misp-1",
          domain: "home.arpa",
          rr: "A",
          server: "10.10.20.37",
          description: "fortress misp-1",
        },
      });
      assert.ok(api.state.items("unbound/settings").some((item) => item.hostname === "misp-1"));
      assert.ok((api.state.reconfigures["kea/service"] ?? 0) >= 2);
    });

    it("sets chrony's settings", async () => {
      const provider = await configured(new SettingsProvider(CHRONY, FAST));
      await provider.create({
        firewall,
        fields: { enabled: "1", peers: "0.pool.ntp.org", allowednetworks: "10.10.20.0/24" },
      });
      assert.equal(api.state.chrony().enabled, "1");
      assert.equal(api.state.chrony().allowednetworks, "10.10.20.0/24");
    });

    it("with Kea on lan, leaves Kea the only DHCP server there once Dnsmasq's DHCP is off on it", async () => {
      await restart();
      assert.deepEqual(api.state.dhcpServers("lan"), ["dnsmasq"], "as a fresh install ships");
      const off = await configured(new SettingsProvider(DNSMASQ_DHCP, FAST));
      await off.create({ firewall, fields: toSettingsFields(DNSMASQ_DHCP, { no_interface: ["lan"] }) });
      const kea = await configured(new SettingsProvider(KEA_DHCPV4, FAST));
      await kea.create({
        firewall,
        fields: toSettingsFields(KEA_DHCPV4, { enabled: true, interfaces: ["lan"] }),
      });
      assert.deepEqual(api.state.dhcpServers("lan"), ["kea"]);
      const read = await off.read(`${firewall.url}#dnsmasq/settings`, {
        firewall,
        fields: toSettingsFields(DNSMASQ_DHCP, { no_interface: ["lan"] }),
      });
      assert.deepEqual(read.props?.fields, { no_interface: "lan" }, "a refresh shows no drift");
      await restart();
    });
  });

  describe("errors and retries", () => {
    it("retries 5xx answers and timeouts with backoff", async () => {
      const provider = await configured(new ItemProvider(FAST));
      api.faults.inject({ path: "firewall/alias/add_item", kind: "5xx", times: 1 });
      api.faults.inject({ path: "firewall/alias/reconfigure", kind: "timeout", times: 1 });
      const created = await create(provider, { model: "alias", firewall, fields: alias("fz_retried") });
      assert.ok(api.state.items("firewall/alias").some((item) => item.uuid === created.id));
    });

    it("never makes two copies when an add's answer is lost", async () => {
      const provider = await configured(new ItemProvider(FAST));
      api.faults.inject({ path: "firewall/alias/add_item", kind: "timeout", times: 1, after: true });
      const created = await create(provider, { model: "alias", firewall, fields: alias("fz_once") });
      const copies = api.state.items("firewall/alias").filter((item) => item.name === "fz_once");
      assert.equal(copies.length, 1);
      assert.equal(copies[0]?.uuid, created.id);
    });

    it("gives up after the retries with an error naming the firewall", async () => {
      const provider = await configured(new ItemProvider(FAST));
      api.faults.inject({ path: "firewall/alias", kind: "5xx", times: 50 });
      await assert.rejects(
        provider.create({ model: "alias", firewall, fields: alias("fz_down") }),
        (error: unknown) => {
          return (
            error instanceof OpnsenseError &&
            error.message.includes(api.url) &&
            /HTTP 500/.test(error.message)
          );
        },
      );
    });

    it("says which config keys to check on 401", async () => {
      const provider = await configured(new ItemProvider(FAST), DEFAULT_KEY, "wrong");
      await assert.rejects(
        provider.create({ model: "alias", firewall, fields: alias("fz_denied") }),
        (error: unknown) =>
          error instanceof OpnsenseAuthError && /fortress:opnsenseApiKey/.test(error.message),
      );
    });

    it("names the missing privilege on 403", async () => {
      await restart({
        users: [{ key: "limited", secret: "limited-secret", privileges: ["Firewall: Aliases"] }],
      });
      const provider = await configured(new ItemProvider(FAST), "limited", "limited-secret");
      await assert.rejects(
        provider.create({ model: "alias", firewall, fields: alias("fz_readonly") }),
        (error: unknown) =>
          error instanceof OpnsensePrivilegeError &&
          error.privilege === "Firewall: Alias: Edit" &&
          error.message.includes('"Firewall: Alias: Edit"'),
      );
      await restart();
    });
  });

  describe("filter rules", () => {
    const ruleOn = (iface: string, description: string) => ({ ...rule(description), interface: iface });

    it("applies each change and probes; takes and cancels a savepoint where one exists (best effort)", async () => {
      await restart({ version: "26.1.2" });
      const provider = await configured(new ItemProvider(FAST));
      const created = await create(provider, {
        model: "rule",
        firewall,
        fields: rule("fortress zones: users → servers (https)"),
      });
      assert.ok(api.state.activeRules().some((item) => item.uuid === created.id));
      assert.deepEqual(
        api.state.events.slice(-3).map((event) => event.split(" ")[0]),
        ["savepoint", "apply", "cancel"],
      );
      assert.deepEqual(api.state.pendingRollbacks(), []);
      const last = api.state.requests.filter((request) => request.method === "POST").at(-1);
      assert.match(last?.path ?? "", /cancel_rollback/);
    });

    it("when the firewall goes dark after apply (26.1): says what went live, by interface, and how to restore it from the console; nothing rolls back", async (t) => {
      await restart({
        version: "26.1.5",
        assignedInterfaces: [
          { identifier: "lan", device: "vtnet1", ipv4: "10.10.10.1/24" },
          { identifier: "opt1", device: "vtnet2", ipv4: "10.10.20.1/24" },
        ],
      });
      const provider = await configured(new ItemProvider(FAST));
      await create(provider, {
        model: "rule",
        firewall,
        fields: ruleOn("lan", "fortress: mgmt anti-lockout"),
      });
      api.faults.stopAnsweringAfterApply();
      let message = "";
      await assert.rejects(
        provider.create({ model: "rule", firewall, fields: ruleOn("opt1", "fortress zones: lockout") }),
        (error: unknown) => {
          assert.ok(error instanceof OpnsenseLockoutError, String(error));
          message = error.message;
          return true;
        },
      );
      t.diagnostic(`what the user sees:\n${message}`);
      const revision = api.state.events.find((event) => event.startsWith("savepoint "))?.split(" ")[1] ?? "";
      const lastSavepoint = api.state.events
        .filter((event) => event.startsWith("savepoint "))
        .at(-1)
        ?.split(" ")[1];
      assert.ok(revision && lastSavepoint);
      assert.match(
        message,
        /Applied in this run, in order:\n {2}- lan: 1 rule change\(s\), the API still answered afterwards\n {2}- opt1: the rule "fortress zones: lockout" added; after this the API no longer answered\n/,
      );
      assert.match(message, /Nothing rolls this back by itself/);
      assert.match(message, /the menu \(opnsense-shell\) opens; choose 13 "Restore a backup"/);
      assert.ok(message.includes(`savepoint revision ${lastSavepoint}`), message);
      assert.ok(message.includes(`/conf/backup/config-${lastSavepoint.split(".")[0]}.`), message);
      // What the real 26.1 does: the 60 s timer (300 ms here) finds no backup and reverts nothing.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(api.state.events.includes(`rollback-failed ${lastSavepoint}`));
      assert.equal(api.faults.dark, true, "the firewall is still dark");
      assert.ok(api.state.activeRules().some((item) => item.description === "fortress zones: lockout"));
      await restart();
    });

    it("detects a lockout although the connection that carried the apply stays open (pf keeps its state)", async () => {
      await restart({ version: "26.1.2" });
      const provider = await configured(new ItemProvider(FAST));
      api.faults.stopAnsweringAfterApply("new-connections");
      await assert.rejects(
        provider.create({ model: "rule", firewall, fields: rule("fortress zones: lockout, kept alive") }),
        (error: unknown) => {
          assert.ok(error instanceof OpnsenseLockoutError, String(error));
          return true;
        },
      );
      // The probes' new connections were dropped before they could send a request: nothing after the apply was answered.
      const apply = api.state.requests.findIndex((request) =>
        request.path.startsWith("/api/firewall/filter/apply"),
      );
      assert.ok(apply >= 0);
      assert.deepEqual(
        api.state.requests.slice(apply + 1).filter((request) => request.status !== undefined),
        [],
      );
      await restart();
    });

    it("on OPNsense 26.7, whose search lists every rule and the non-MVC ones: adopts its own leftover, never a non-MVC rule", async () => {
      await restart({ version: "26.7.1" });
      const provider = await configured(new ItemProvider(FAST));
      const leftover = api.state.put("firewall/filter", {
        ...ruleOn("lan", "fortress zones: left over"),
        sequence: "7",
      });
      const adopted = await create(provider, {
        model: "rule",
        firewall,
        fields: ruleOn("lan", "fortress zones: left over"),
      });
      assert.equal(adopted.id, leftover);
      assert.equal(
        api.state.items("firewall/filter").find((item) => item.uuid === leftover)?.sequence,
        "4001",
      );
      // The same description as the GUI's own anti-lockout (a non-MVC rule whose uuid is its pf label).
      const fresh = await create(provider, {
        model: "rule",
        firewall,
        fields: ruleOn("lan", "anti-lockout rule"),
      });
      assert.ok(api.state.items("firewall/filter").some((item) => item.uuid === fresh.id));
      assert.ok(api.state.activeRules().some((item) => item.uuid === fresh.id));
      await restart();
    });

    it("on OPNsense 26.7 (no savepoints): applies plainly, and when dark, names the backup by time", async () => {
      await restart({ version: "26.7.1" });
      const provider = await configured(new ItemProvider(FAST));
      const created = await create(provider, {
        model: "rule",
        firewall,
        fields: rule("fortress zones: plain"),
      });
      assert.ok(api.state.activeRules().some((item) => item.uuid === created.id));
      const savepoints = api.state.requests.filter((request) => request.path.includes("savepoint"));
      assert.deepEqual(
        savepoints.map((request) => request.status),
        [404],
      );
      assert.ok(api.state.requests.some((request) => request.path === "/api/firewall/filter/apply"));
      api.faults.stopAnsweringAfterApply();
      const before = new Date();
      await assert.rejects(
        provider.create({ model: "rule", firewall, fields: rule("fortress zones: lockout 26.7") }),
        (error: unknown) => {
          assert.ok(error instanceof OpnsenseLockoutError);
          assert.ok(error.restore.revision === undefined);
          assert.ok(error.restore.before.getTime() >= before.getTime() - 1000);
          assert.match(error.message, /the newest backup older than \d{4}-\d\d-\d\dT/);
          assert.match(error.message, /26\.7 has none/);
          return true;
        },
      );
      await restart();
    });
  });

  describe("write serialization", () => {
    it("runs one firewall's writes one after another, each with its reconfigure", async () => {
      const provider = await configured(new ItemProvider(FAST));
      const before = api.state.requests.length;
      await Promise.all(
        ["a", "b", "c", "d"].map((suffix) =>
          provider.create({ model: "alias", firewall, fields: alias(`fz_par_${suffix}`) }),
        ),
      );
      const writes = api.state.requests
        .slice(before)
        // search_item is a POST too, but a read (the add looks for an item to adopt first).
        .filter((request) => request.method === "POST" && !request.path.includes("/search_"))
        .map((request) => (request.path.includes("reconfigure") ? "reconfigure" : "add"));
      assert.deepEqual(writes, [
        "add",
        "reconfigure",
        "add",
        "reconfigure",
        "add",
        "reconfigure",
        "add",
        "reconfigure",
      ]);
    });
  });

  describe("preflight", () => {
    const needs = {
      minimumVersion: MINIMUM_VERSION,
      plugins: ["os-chrony"],
      probes: ["firewall/alias/search_item", "firewall/filter/search_rule", "kea/dhcpv4/search_reservation"],
      interfaces: [
        { identifier: "lan", vlan: 10 },
        { identifier: "opt7", vlan: 70 },
      ],
    };

    /** Creates VLAN devices through the API, as the network layer does; OPNsense names them vlan01, vlan02, … */
    async function vlanDevices(tags: number[], user?: { key: string; secret: string }): Promise<void> {
      const items = await configured(new ItemProvider(FAST), user?.key, user?.secret);
      for (const tag of tags) {
        await create(items, {
          model: "vlan",
          firewall,
          fields: { if: "vtnet1", tag: String(tag), pcp: "0", descr: `fortress vlan ${tag}` },
        });
      }
    }

    it("passes on a ready firewall: each interface holds its VLAN's device", async () => {
      await restart();
      await vlanDevices([10, 70]);
      api.state.assign({ identifier: "lan", device: "vlan01", ipv4: "10.10.10.1/24" });
      api.state.assign({ identifier: "opt7", device: "vlan02", ipv4: "10.10.70.1/24" });
      const provider = await configured(new PreflightProvider(FAST));
      await provider.create({ firewall, needs });
      await restart();
    });

    it("refuses an interface that holds another device than its VLAN's, lan included", async () => {
      await restart();
      await vlanDevices([10, 70]);
      api.state.assign({ identifier: "opt7", device: "vtnet2" });
      const provider = await configured(new PreflightProvider(FAST));
      await assert.rejects(provider.create({ firewall, needs }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError, String(error));
        assert.equal(error.problems.length, 2, error.message);
        assert.match(
          error.problems[0] ?? "",
          /interface lan holds vtnet1 \(no VLAN\), not vlan01, the VLAN 10 device Fortress made for it/,
        );
        assert.match(
          error.problems[1] ?? "",
          /interface opt7 holds vtnet2 \(no VLAN\), not vlan02, the VLAN 70 device/,
        );
        return true;
      });
      await restart();
    });

    it("refuses to run from outside the management networks, whose anti-lockout alone keeps the API open", async () => {
      await restart();
      const provider = await configured(new PreflightProvider(FAST));
      const from = { minimumVersion: MINIMUM_VERSION, plugins: [], probes: [], interfaces: [] };
      await assert.rejects(
        provider.create({ firewall, needs: { ...from, managementCidrs: ["10.10.10.0/24"] } }),
        (error: unknown) => {
          assert.ok(error instanceof OpnsensePreflightError, String(error));
          assert.equal(error.problems.length, 1);
          assert.match(
            error.problems[0] ?? "",
            /this machine reaches the firewall from 127\.0\.0\.1, which is in no management network \(10\.10\.10\.0\/24\).*run Pulumi from a machine in a management network/,
          );
          return true;
        },
      );
      await provider.create({
        firewall,
        needs: { ...from, managementCidrs: ["10.10.10.0/24", "127.0.0.0/8"] },
      });
    });

    it("judges the source address by family: an IPv4-mapped address is IPv4, IPv6 needs an IPv6 management network", () => {
      assert.equal(sourceProblem("::ffff:10.10.10.7", ["10.10.10.0/24"]), undefined);
      assert.match(
        sourceProblem("2001:db8::7", ["10.10.10.0/24"]) ?? "",
        /from 2001:db8::7, which is in no management network/,
      );
      assert.equal(sourceProblem("2001:db8::7", ["10.10.10.0/24", "2001:db8::/64"]), undefined);
      assert.match(sourceProblem(undefined, ["10.10.10.0/24"]) ?? "", /could not tell/);
    });

    it("refuses chrony's port while OPNsense's own ntpd is configured, as a fresh install ships it", async () => {
      await restart({ version: "26.1.2" });
      const provider = await configured(new PreflightProvider(FAST));
      const wanted = {
        minimumVersion: MINIMUM_VERSION,
        plugins: [],
        probes: ["core/service/search"],
        interfaces: [],
        absentServices: ["ntpd"],
      };
      await assert.rejects(provider.create({ firewall, needs: wanted }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError, String(error));
        assert.equal(error.problems.length, 1);
        assert.match(
          error.problems[0] ?? "",
          /OPNsense's own NTP server \(ntpd\) is on.*UDP 123.*Services > Network Time > General.*remove every time server/,
        );
        return true;
      });
      // What the GUI does when the list is emptied (services_ntpd.php unsets system/timeservers).
      api.state.setTimeservers(undefined);
      await provider.create({ firewall, needs: wanted });
      await restart();
    });

    it("lists everything that is missing in one error, naming privileges as the version does, and changes nothing", async () => {
      await restart({
        version: "25.1.4",
        plugins: [],
        users: [
          {
            key: "k",
            secret: "s",
            privileges: [
              "Lobby: Dashboard",
              "Firewall: Aliases",
              "Status: Interfaces",
              "Firewall: Rules [new]",
            ],
          },
        ],
      });
      const provider = await configured(new PreflightProvider(FAST), "k", "s");
      const writesBefore = api.state.requests.filter((request) => request.method === "POST").length;
      await assert.rejects(provider.create({ firewall, needs }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError);
        const text = error.problems.join("\n");
        assert.match(text, /25\.1\.4 is older than 25\.7/);
        assert.match(text, /the plugin os-chrony is not installed/);
        assert.match(
          text,
          /missing privilege "Firewall: Automation: Filter" for firewall\/filter\/search_rule/,
        );
        assert.match(text, /Services: DHCP: Kea\(v4\)/);
        assert.match(text, /interface opt7 is not assigned: .*before OPNsense 26\.7/);
        assert.match(
          text,
          /interface lan holds vtnet1 \(no VLAN\), not the VLAN 10 device Fortress made for it/,
        );
        assert.equal(error.problems.length, 6);
        assert.match(error.message, /nothing was changed/);
        return true;
      });
      assert.equal(api.state.requests.filter((request) => request.method === "POST").length, writesBefore);
      assert.ok(!api.state.requests.some((request) => request.path.includes("core/firmware")));
      await restart();
    });

    for (const [version, privileges] of Object.entries(LEAST_PRIVILEGES)) {
      it(`passes on ${version} with the README's privileges for it, System: Firmware not among them`, async () => {
        await restart({ version, users: [{ key: "least", secret: "p", privileges }] });
        await vlanDevices([10, 70], { key: "least", secret: "p" });
        api.state.assign({ identifier: "lan", device: "vlan01" });
        api.state.assign({ identifier: "opt7", device: "vlan02" });
        const preflight = await configured(new PreflightProvider(FAST), "least", "p");
        await preflight.create({
          firewall,
          needs: {
            ...needs,
            probes: [
              "interfaces/vlan_settings/search_item",
              "firewall/alias/search_item",
              "firewall/filter/search_rule",
              "chrony/general/get",
              "core/service/search",
              "unbound/settings/search_host_override",
              "kea/dhcpv4/search_reservation",
              "dnsmasq/settings/search_host",
            ],
          },
        });
        const items = await configured(new ItemProvider(FAST), "least", "p");
        await create(items, { model: "alias", firewall, fields: alias("fz_least") });
        await create(items, { model: "rule", firewall, fields: rule("fortress zones: least privilege") });
        await create(items, {
          model: "syslogDestination",
          firewall,
          fields: {
            enabled: "1",
            transport: "udp4",
            hostname: "10.20.0.5",
            port: "514",
            rfc5424: "0",
            level: "info,notice,warn,err,crit,alert,emerg",
            description: "fortress: firewall logs to the Wazuh manager",
          },
        });
        assert.ok(!privileges.includes("System: Firmware"));
        const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
        const section = readme.slice(
          readme.indexOf("## OPNsense prerequisites"),
          readme.indexOf("## Real use"),
        );
        for (const name of privileges) assert.ok(section.includes(name), `README does not list ${name}`);
        await restart();
      });
    }

    it("names a missing privilege on a later 403 as the firewall's version calls it", async () => {
      await restart({
        version: "26.7.1",
        users: [{ key: "k", secret: "s", privileges: ["Lobby: Dashboard", "Services: Unbound (MVC)"] }],
      });
      await (
        await configured(new PreflightProvider(FAST), "k", "s")
      ).create({
        firewall,
        needs: { minimumVersion: MINIMUM_VERSION, plugins: [], probes: [], interfaces: [] },
      });
      const provider = await configured(new ItemProvider(FAST), "k", "s");
      await assert.rejects(
        provider.create({
          model: "hostOverride",
          firewall,
          fields: {
            enabled: "1",
            hostname: "a",
            domain: "lab.internal",
            rr: "A",
            server: "10.0.0.5",
            description: "a",
          },
        }),
        (error: unknown) =>
          error instanceof OpnsensePrivilegeError && error.privilege === "Services: Unbound",
      );
      await restart();
    });

    it("accepts Dnsmasq DHCP on 25.7, where its ranges and hosts exist", async () => {
      await restart({ version: "25.7.1" });
      const provider = await configured(new PreflightProvider(FAST));
      await provider.create({
        firewall,
        needs: {
          minimumVersion: DNSMASQ_DHCP_VERSION,
          plugins: [],
          probes: ["dnsmasq/settings/search_host"],
          interfaces: [],
        },
      });
      await restart();
    });

    it("on 26.7 assigns the VLAN device itself and leaves only enabling and addressing to do", async () => {
      await restart({ version: "26.7.1" });
      await vlanDevices([20]);
      const provider = await configured(new PreflightProvider(FAST));
      const wanted = {
        minimumVersion: MINIMUM_VERSION,
        plugins: [],
        probes: [],
        interfaces: [{ identifier: "opt1", vlan: 20 }],
      };
      await assert.rejects(provider.create({ firewall, needs: wanted }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError);
        assert.deepEqual(error.changed, ["assigned vlan01 (VLAN 20) as opt1"]);
        assert.deepEqual(error.problems.length, 1);
        assert.match(
          error.problems[0] ?? "",
          /interface opt1 is assigned but not enabled: enable it under Interfaces > \[opt1\]/,
        );
        return true;
      });
      assert.equal(api.state.reconfigures["interfaces/assignment"], 1);
      const posted = api.state.requests.find(
        (request) => request.path === "/api/interfaces/assignment/add_item",
      );
      assert.deepEqual(posted?.body, { interface: { if: "vlan01", lock: "0" } });
      // Once an admin enabled and addressed it, the next run passes and assigns nothing more.
      api.state.assign({ identifier: "opt1", device: "vlan01", ipv4: "10.10.20.1/24" });
      await provider.create({ firewall, needs: wanted });
      assert.equal(api.state.reconfigures["interfaces/assignment"], 1);
      await restart();
    });

    it("on 26.7 reports the identifier OPNsense chose when it is not the one the config names", async () => {
      await restart({ version: "26.7.1" });
      await vlanDevices([30]);
      const provider = await configured(new PreflightProvider(FAST));
      const wanted = {
        minimumVersion: MINIMUM_VERSION,
        plugins: [],
        probes: [],
        interfaces: [{ identifier: "opt2", vlan: 30 }],
      };
      await assert.rejects(provider.create({ firewall, needs: wanted }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError);
        assert.deepEqual(error.changed, ["assigned vlan01 (VLAN 30) as opt1"]);
        assert.equal(error.problems.length, 1, error.message);
        assert.match(
          error.problems[0] ?? "",
          /OPNsense assigned vlan01 \(VLAN 30\) as opt1, not opt2: set networks\[\]\.interface of the VLAN 30 network to opt1/,
        );
        return true;
      });
      const opt1 = api.state.requests.filter(
        (request) => request.path === "/api/interfaces/assignment/add_item",
      );
      assert.equal(opt1.length, 1);
      await restart();
    });

    it("on 26.7 says so when the interface the config names holds another device, and leaves it alone", async () => {
      await restart({ version: "26.7.1" });
      await vlanDevices([20]);
      api.state.assign({ identifier: "opt1", device: "vtnet2" });
      const provider = await configured(new PreflightProvider(FAST));
      const wanted = {
        minimumVersion: MINIMUM_VERSION,
        plugins: [],
        probes: [],
        interfaces: [{ identifier: "opt1", vlan: 20 }],
      };
      await assert.rejects(provider.create({ firewall, needs: wanted }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError);
        assert.deepEqual(error.changed, []);
        assert.match(
          error.problems.join("\n"),
          /interface opt1 holds vtnet2 \(no VLAN\), not vlan01, the VLAN 20 device/,
        );
        return true;
      });
      assert.equal(api.state.reconfigures["interfaces/assignment"], undefined);
      await restart();
    });
  });

  describe("closure serialization", () => {
    it("serializes without credentials and works from the serialized text in a fresh process", async () => {
      const provider = new ItemProvider(FAST);
      const serialized = await pulumi.runtime.serializeFunction(() => provider);
      assert.ok(!serialized.text.includes(DEFAULT_SECRET), "the secret was captured");
      assert.ok(!serialized.text.includes(DEFAULT_KEY), "the key was captured");

      const dir = mkdtempSync(join(tmpdir(), "fortress-dynamic-"));
      writeFileSync(join(dir, "provider.js"), serialized.text);
      const script = `
        const factory = require(${JSON.stringify(join(dir, "provider.js"))}).${serialized.exportName};
        const provider = factory();
        const values = { ${JSON.stringify(KEY_CONFIG)}: process.env.K, ${JSON.stringify(SECRET_CONFIG)}: process.env.S };
        provider.configure({ config: { get: (k) => values[k], require: (k) => values[k] } })
          .then(() => provider.create({ model: "alias", firewall: { url: process.env.U, insecure: false }, fields: JSON.parse(process.env.F) }))
          .then((result) => console.log(JSON.stringify(result)))
          .catch((error) => { console.error(error.stack || error); process.exit(1); });`;
      // Asynchronous: the loopback API answers from this process's event loop.
      const child = await runNodeScript(script, {
        env: {
          K: DEFAULT_KEY,
          S: DEFAULT_SECRET,
          U: api.url,
          F: JSON.stringify(alias("fz_serialized")),
        },
      });
      assert.equal(child.status, 0, child.stderr);
      const { id } = JSON.parse(child.stdout.trim()) as { id: string };
      assert.ok(
        api.state.items("firewall/alias").some((item) => item.uuid === id && item.name === "fz_serialized"),
      );
    });
  });
});
