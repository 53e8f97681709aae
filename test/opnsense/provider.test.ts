/**
 * The OPNsense provider's real HTTP code against the loopback API: CRUD, drift and idempotence,
 * retries, auth and validation errors, write serialization, the safe apply with a firewall that
 * stops answering, the preflight, and a serialized provider run in a separate process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  OpnsenseAuthError,
  OpnsenseError,
  OpnsensePrivilegeError,
  OpnsenseRollbackError,
  OpnsenseValidationError,
} from "../../components/opnsense/errors";
import { MINIMUM_VERSION, OpnsensePreflightError } from "../../components/opnsense/preflight";
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
import { CHRONY } from "../../components/opnsense/models";
import {
  DEFAULT_KEY,
  DEFAULT_SECRET,
  type OpnsenseApi,
  type ServerOptions,
  startOpnsenseApi,
} from "./server";

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
    it("applies with savepoint, apply and cancel_rollback, so the rule stays", async () => {
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
    });

    it("fails with a rollback error and leaves nothing half-applied when the firewall stops answering", async () => {
      const provider = await configured(new ItemProvider(FAST));
      const savedBefore = api.state
        .items("firewall/filter")
        .map((item) => item.uuid)
        .sort();
      const activeBefore = api.state
        .activeRules()
        .map((item) => item.uuid)
        .sort();
      api.faults.stopAnsweringAfterApply();
      await assert.rejects(
        provider.create({ model: "rule", firewall, fields: rule("fortress zones: lockout") }),
        (error: unknown) => {
          return error instanceof OpnsenseRollbackError && /reverts it by itself/.test(error.message);
        },
      );
      // OPNsense's own timer (300 ms here, 60 s on a real firewall) puts the rules back.
      const deadline = Date.now() + 5_000;
      while (api.faults.dark && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(api.faults.dark, false, "the rollback never happened");
      assert.ok(api.state.events.some((event) => event.startsWith("rollback ")));
      assert.deepEqual(
        api.state
          .items("firewall/filter")
          .map((item) => item.uuid)
          .sort(),
        savedBefore,
      );
      assert.deepEqual(
        api.state
          .activeRules()
          .map((item) => item.uuid)
          .sort(),
        activeBefore,
      );
    });

    it("on OPNsense without savepoints (26.7), applies and checks, and says nothing will roll back", async () => {
      await restart({ savepoints: false, version: "26.7" });
      const provider = await configured(new ItemProvider(FAST));
      const created = await create(provider, {
        model: "rule",
        firewall,
        fields: rule("fortress zones: plain apply"),
      });
      assert.ok(api.state.activeRules().some((item) => item.uuid === created.id));
      api.faults.stopAnsweringAfterApply();
      await assert.rejects(
        provider.create({ model: "rule", firewall, fields: rule("fortress zones: lockout 26.7") }),
        /nothing rolls the change back/,
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

    it("passes on a ready firewall", async () => {
      api.state.assign({ identifier: "opt7", device: "vtnet1" });
      const provider = await configured(new PreflightProvider(FAST));
      await provider.create({ firewall, needs });
    });

    it("lists everything that is missing in one error and changes nothing", async () => {
      await restart({
        version: "25.1.4",
        plugins: [],
        users: [
          {
            key: "k",
            secret: "s",
            privileges: ["System: Firmware", "Firewall: Aliases", "Status: Interfaces"],
          },
        ],
      });
      const provider = await configured(new PreflightProvider(FAST), "k", "s");
      const writesBefore = api.state.requests.filter((request) => request.method === "POST").length;
      await assert.rejects(provider.create({ firewall, needs }), (error: unknown) => {
        assert.ok(error instanceof OpnsensePreflightError);
        const text = error.problems.join("\n");
        assert.match(text, /25\.1\.4 is older than 25\.7/);
        assert.match(text, /os-chrony is not installed/);
        assert.match(text, /Firewall: Rules \[new\]/);
        assert.match(text, /Services: DHCP: Kea\(v4\)/);
        assert.match(text, /interface opt7 is not assigned/);
        assert.equal(error.problems.length, 5);
        return true;
      });
      assert.equal(api.state.requests.filter((request) => request.method === "POST").length, writesBefore);
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
      const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
        (resolve) => {
          const running = spawn(process.execPath, ["-e", script], {
            env: {
              ...process.env,
              NODE_OPTIONS: "",
              K: DEFAULT_KEY,
              S: DEFAULT_SECRET,
              U: api.url,
              F: JSON.stringify(alias("fz_serialized")),
            },
          });
          let stdout = "";
          let stderr = "";
          running.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
          running.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
          const timer = setTimeout(() => running.kill(), 30_000);
          running.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout, stderr });
          });
        },
      );
      assert.equal(child.status, 0, child.stderr);
      const { id } = JSON.parse(child.stdout.trim()) as { id: string };
      assert.ok(
        api.state.items("firewall/alias").some((item) => item.uuid === id && item.name === "fz_serialized"),
      );
    });
  });
});
