/**
 * The fake OPNsense API against the behaviour OPNsense documents and implements (see server.ts for
 * the sources), so provider tests that run against it test something real.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { privilegeFor, privilegesGranting } from "../../components/opnsense/privileges";
import { aclFor, compareVersions } from "./acl";
import { DEFAULT_KEY, type OpnsenseApi, type ServerOptions, startOpnsenseApi } from "./server";

interface Answer {
  status: number;
  body: any;
}

async function call(
  api: OpnsenseApi,
  method: string,
  path: string,
  body?: unknown,
  init: { authorization?: string | null; timeoutMs?: number; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.authorization !== null) headers.authorization = init.authorization ?? api.authorization();
  if (body !== undefined || init.rawBody !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${api.url}/api/${path}`, {
    method,
    headers,
    body: init.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: AbortSignal.timeout(init.timeoutMs ?? 3_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text; // an HTML error page
  }
  return { status: response.status, body: parsed };
}

async function withApi(
  options: Partial<ServerOptions>,
  run: (api: OpnsenseApi) => Promise<void>,
): Promise<void> {
  const api = await startOpnsenseApi(options);
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

/** Poll (bounded) until `check` holds. */
async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every endpoint prefix the provider and its preflight call, with one path under it. */
const PROVIDER_PATHS = [
  "firewall/alias/add_item",
  "firewall/alias/reconfigure",
  "firewall/alias_util/add/quarantine",
  "firewall/filter/add_rule",
  "firewall/filter/cancel_rollback/1700000000.12",
  "interfaces/vlan_settings/reconfigure",
  "interfaces/overview/export",
  "unbound/settings/add_host_override",
  "unbound/service/reconfigure",
  "kea/dhcpv4/add_reservation",
  "kea/service/reconfigure",
  "dnsmasq/settings/add_host",
  "dnsmasq/service/reconfigure",
  "chrony/general/set",
  "chrony/service/reconfigure",
  "diagnostics/system/system_information",
];

describe("privileges", () => {
  for (const version of ["25.7.3", "26.1.2", "26.7.1"]) {
    it(`names, on ${version}, a privilege that OPNsense's own ACL of that version grants for every endpoint`, () => {
      const acl = aclFor(version);
      for (const path of PROVIDER_PATHS) {
        const named = privilegeFor(path, version);
        assert.ok(named, `no privilege for ${path}`);
        assert.ok(
          acl.granting(`api/${path}`).includes(named),
          `${version}: "${named}" does not grant ${path}; OPNsense's ACL grants it with ${acl.granting(`api/${path}`).join(", ")}`,
        );
      }
      if (compareVersions(version, "26.7") >= 0) {
        const named = privilegeFor("interfaces/assignment/add_item", version);
        assert.ok(named && acl.granting("api/interfaces/assignment/add_item").includes(named));
      }
    });
  }

  it("names the privileges as each version calls them, and every name when the version is unknown", () => {
    assert.equal(privilegeFor("firewall/filter/add_rule", "25.7.3"), "Firewall: Automation: Filter");
    assert.equal(privilegeFor("firewall/filter/add_rule", "26.1"), "Firewall: Rules [new]");
    assert.equal(privilegeFor("unbound/service/reconfigure", "26.1.9"), "Services: Unbound (MVC)");
    assert.equal(privilegeFor("unbound/service/reconfigure", "26.7"), "Services: Unbound");
    assert.equal(
      privilegeFor("/api/firewall/filter/apply/1.2?x=1"),
      "Firewall: Rules [new] (before 26.1: Firewall: Automation: Filter)",
    );
    assert.equal(privilegeFor("ids/settings/get"), "Services: Intrusion Detection");
    assert.equal(privilegeFor("captiveportal/settings/get"), undefined);
    assert.equal(privilegeFor("firewall/aliasx/get"), undefined);
  });

  it("reads the version with the read-only dashboard privilege, not System: Firmware", () => {
    for (const version of ["25.7", "26.1", "26.7"]) {
      const granting = aclFor(version).granting("api/diagnostics/system/system_information");
      assert.ok(granting.includes("Lobby: Dashboard"));
      assert.ok(!granting.includes("System: Firmware"));
    }
    assert.ok(aclFor("26.1").granting("api/core/firmware/poweroff").includes("System: Firmware"));
  });

  it("grants the way OPNsense matches patterns: every matching privilege, All pages included", () => {
    assert.deepEqual(aclFor("26.1").granting("api/firewall/alias/search_item"), [
      "All pages",
      "Firewall: Alias: Edit",
      "Firewall: Aliases",
    ]);
    assert.deepEqual(privilegesGranting("firewall/alias/add_item"), ["All pages", "Firewall: Alias: Edit"]);
    // Core/ACL.php urlMatch: a trailing `/*` also matches the bare path.
    assert.ok(
      aclFor("26.1")
        .granting("api/unbound/settings/add_host_override")
        .includes("Services: Unbound DNS: Edit Host and Domain Override"),
    );
    assert.ok(aclFor("25.7").granting("api/kea/service/reconfigure").includes("Services: DHCP: Kea(v6)"));
    assert.deepEqual(aclFor("26.1").granting("api/interfaces/assignment/add_item"), ["All pages"]);
  });
});

describe("authentication and authorization", () => {
  let api: OpnsenseApi;
  before(async () => {
    api = await startOpnsenseApi({
      users: [
        { key: DEFAULT_KEY, secret: "s3cret", privileges: "all" },
        { key: "reader", secret: "r", privileges: ["Firewall: Aliases"], name: "alias-reader" },
        { key: "admin", secret: "a", privileges: ["All pages"] },
      ],
    });
  });
  after(() => api.close());

  it("answers 401 Authentication Failed without credentials or with a wrong secret", async () => {
    const none = await call(api, "GET", "firewall/alias/search_item", undefined, { authorization: null });
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { status: 401, message: "Authentication Failed" });
    const wrong = `Basic ${Buffer.from(`${DEFAULT_KEY}:nope`).toString("base64")}`;
    const bad = await call(api, "GET", "firewall/alias/search_item", undefined, { authorization: wrong });
    assert.equal(bad.status, 401);
  });

  it("answers 403 Forbidden, naming no privilege, to a user whose privileges do not grant the path", async () => {
    const reader = api.authorization("reader");
    assert.equal(
      (await call(api, "GET", "firewall/alias/search_item", undefined, { authorization: reader })).status,
      200,
    );
    const denied = await call(
      api,
      "POST",
      "firewall/alias/add_item",
      { alias: {} },
      { authorization: reader },
    );
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { status: 403, message: "Forbidden" });
    assert.equal(
      (await call(api, "GET", "core/firmware/info", undefined, { authorization: reader })).status,
      403,
    );
    const admin = api.authorization("admin");
    assert.equal(
      (await call(api, "GET", "core/firmware/info", undefined, { authorization: admin })).status,
      200,
    );
    const logged = api.state.requests.filter((r) => r.user === "alias-reader").map((r) => r.status);
    assert.deepEqual(logged, [200, 403, 403]);
  });

  it("rejects a JSON POST with an empty body with 400", async () => {
    const empty = await call(api, "POST", "firewall/alias/reconfigure", undefined, { rawBody: "" });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body, { message: "Invalid JSON syntax", status: 400 });
    assert.equal((await call(api, "GET", "nothing/here/at_all")).status, 404);
  });

  it("answers an action without its required parameter 404 Endpoint not found, before authentication", async () => {
    for (const [path, authorization] of [
      ["firewall/alias/set_item", undefined],
      ["firewall/alias/del_item", null],
      ["firewall/filter/toggle_rule", null],
      ["firewall/alias_util/list", null],
    ] as const) {
      const answer = await call(api, "POST", path, { alias: {} }, { authorization });
      assert.equal(answer.status, 404, path);
      assert.deepEqual(answer.body, { errorMessage: "Endpoint not found" }, path);
    }
    // An optional parameter (get_item's uuid, apply's revision) is not required.
    assert.equal((await call(api, "GET", "firewall/alias/get_item")).status, 200);
  });
});

describe("generic model commands", () => {
  let api: OpnsenseApi;
  before(async () => {
    api = await startOpnsenseApi();
  });
  after(() => api.close());

  it("round-trips a firewall alias: add, get, search, set, del, reconfigure", async () => {
    const added = await call(api, "POST", "firewall/alias/add_item", {
      alias: { name: "web_servers", type: "host", content: "10.0.0.5\n10.0.0.6", description: "web" },
    });
    assert.equal(added.body.result, "saved");
    const uuid: string = added.body.uuid;

    const got = await call(api, "GET", `firewall/alias/get_item/${uuid}`);
    assert.equal(got.body.alias.name, "web_servers");
    assert.deepEqual(got.body.alias.type.host, { value: "Host(s)", selected: 1 });
    assert.equal(got.body.alias.type.network.selected, 0);
    // AliasController::getItemAction: the entries, then every alias unselected, each with its description.
    assert.deepEqual(got.body.alias.content, {
      "10.0.0.5": { value: "10.0.0.5", selected: 1 },
      "10.0.0.6": { value: "10.0.0.6", selected: 1 },
      web_servers: { selected: 0, value: "web_servers", description: "web" },
    });

    const searched = await call(api, "POST", "firewall/alias/search_item", { searchPhrase: "web_servers" });
    assert.deepEqual(Object.keys(searched.body).sort(), ["current", "rowCount", "rows", "total"]);
    assert.equal(searched.body.total, 1);
    assert.equal(searched.body.rows[0].uuid, uuid);
    assert.equal(searched.body.rows[0].type, "host");

    const updated = await call(api, "POST", `firewall/alias/set_item/${uuid}`, {
      alias: { content: "10.0.0.7" },
    });
    assert.deepEqual(updated.body, { result: "saved" });
    assert.equal(api.state.items("firewall/alias")[0]?.content, "10.0.0.7");
    assert.equal(api.state.items("firewall/alias")[0]?.description, "web", "set merges the posted keys only");

    assert.deepEqual((await call(api, "POST", "firewall/alias/reconfigure", {})).body, { status: "ok" });
    assert.deepEqual((await call(api, "GET", "firewall/alias/reconfigure")).body, { status: "failed" });
    assert.equal(api.state.reconfigures["firewall/alias"], 1);

    assert.deepEqual((await call(api, "POST", `firewall/alias/del_item/${uuid}`, {})).body, {
      result: "deleted",
    });
    assert.deepEqual((await call(api, "POST", `firewall/alias/del_item/${uuid}`, {})).body, {
      result: "not found",
    });
    // getBase() answers [] and getItemAction then fails on its content: api.php's catch-all.
    assert.deepEqual(await call(api, "GET", `firewall/alias/get_item/${uuid}`), {
      status: 500,
      body: { errorMessage: "Unexpected error, check log for details" },
    });
  });

  it("returns the model's validations keyed <item>.<field> on a failed save (HTTP 200)", async () => {
    const bad = await call(api, "POST", "firewall/alias/add_item", {
      alias: { name: "1bad", type: "host", content: "10.0.0.1,10.0.0.2" },
    });
    assert.equal(bad.status, 200);
    assert.equal(bad.body.result, "failed");
    assert.match(bad.body.validations["alias.name"], /must start with a letter/);
    assert.equal(
      bad.body.validations["alias.content"],
      'Entry "10.0.0.1,10.0.0.2" is not a valid hostname or IP address.',
    );

    await call(api, "POST", "firewall/alias/add_item", {
      alias: { name: "dup", type: "network", content: "10.1.0.0/16" },
    });
    const dup = await call(api, "POST", "firewall/alias/add_item", {
      alias: { name: "dup", type: "port", content: "70000" },
    });
    assert.equal(dup.body.validations["alias.name"], "An alias with this name already exists.");
    assert.equal(dup.body.validations["alias.content"], 'Entry "70000" is not a valid port number.');
    const noType = await call(api, "POST", "firewall/alias/add_item", { alias: { name: "x1" } });
    assert.ok(noType.body.validations["alias.type"]);
  });

  it("treats GET on write commands and set with a malformed uuid as failed, set with an unknown uuid as upsert", async () => {
    assert.deepEqual((await call(api, "GET", "firewall/alias/add_item")).body, { result: "failed" });
    assert.deepEqual((await call(api, "POST", "firewall/alias/add_item", { wrong: {} })).body, {
      result: "failed",
    });
    const malformed = await call(api, "POST", "firewall/alias/set_item/not-a-uuid", {
      alias: { name: "a1" },
    });
    assert.deepEqual(malformed.body, { result: "failed" });
    const uuid = "6f1c3a52-5b0e-4c83-9a71-2d0f4e8b9c11";
    const upsert = await call(api, "POST", `firewall/alias/set_item/${uuid}`, {
      alias: { name: "upserted", type: "host", content: "10.9.9.9" },
    });
    assert.deepEqual(upsert.body, { result: "saved" });
    assert.ok(api.state.items("firewall/alias").some((a) => a.uuid === uuid && a.name === "upserted"));
    const defaults = await call(api, "GET", "firewall/alias/get_item");
    assert.equal(defaults.body.alias.enabled, "1");
  });

  it("pages search results with current / rowCount", async () => {
    await withApi({}, async (fresh) => {
      for (let i = 1; i <= 5; i += 1) {
        await call(fresh, "POST", "unbound/settings/add_host_override", {
          host: { hostname: `vm${i}`, domain: "lab.internal", rr: "A", server: `10.0.10.${i}` },
        });
      }
      const second = await call(fresh, "GET", "unbound/settings/search_host_override?current=2&rowCount=2");
      assert.equal(second.body.total, 5);
      assert.equal(second.body.rowCount, 2);
      assert.equal(second.body.current, 2);
      assert.deepEqual(
        second.body.rows.map((r: any) => r.hostname),
        ["vm3", "vm4"],
      );
      const all = await call(fresh, "POST", "unbound/settings/search_host_override", { rowCount: -1 });
      assert.equal(all.body.rows.length, 5);
    });
  });

  it("refuses to delete an alias a rule uses (HTTP 500 UserException)", async () => {
    await withApi({}, async (fresh) => {
      const alias = await call(fresh, "POST", "firewall/alias/add_item", {
        alias: { name: "dns_servers", type: "host", content: "10.0.0.53" },
      });
      const rule = await call(fresh, "POST", "firewall/filter/add_rule", {
        rule: { interface: "lan", protocol: "UDP", destination_net: "dns_servers", destination_port: "53" },
      });
      assert.equal(rule.body.result, "saved");
      const refused = await call(fresh, "POST", `firewall/alias/del_item/${alias.body.uuid}`, {});
      // AliasController::delItemAction with Alias::whereUsed(): MVC rules have no descr.
      assert.deepEqual(refused, {
        status: 500,
        body: {
          errorMessage:
            "Cannot delete alias. Currently in use by \n[OPNsense.Firewall.Filter.rules.rule.0/destination_net] ",
          errorTitle: "Alias in use",
        },
      });
    });
    await withApi({ version: "26.7" }, async (fresh) => {
      const inner = await call(fresh, "POST", "firewall/alias/add_item", {
        alias: { name: "inner", type: "host", content: "10.0.0.1" },
      });
      const outer = await call(fresh, "POST", "firewall/alias/add_item", {
        alias: { name: "outer", type: "host", content: "inner\n10.0.0.2", description: "<outer>" },
      });
      const refused = await call(fresh, "POST", `firewall/alias/del_item/${inner.body.uuid}`, {});
      assert.equal(refused.status, 500);
      assert.equal(
        refused.body.errorMessage,
        `Cannot delete alias inner. Currently in use by \n[aliases.alias.${outer.body.uuid}] &lt;outer&gt;`,
      );
    });
  });

  it("refuses to delete an assigned VLAN device with an untitled UserException", async () => {
    await withApi({}, async (fresh) => {
      const vlan = await call(fresh, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "vtnet1", tag: "20", descr: "servers" },
      });
      await call(fresh, "POST", "interfaces/vlan_settings/reconfigure", {});
      fresh.state.assign({ identifier: "opt1", device: "vlan01", description: "SERVERS" });
      const refused = await call(fresh, "POST", `interfaces/vlan_settings/del_item/${vlan.body.uuid}`, {});
      assert.deepEqual(refused, {
        status: 500,
        body: {
          errorMessage: "This VLAN cannot be deleted because it is assigned as an interface.",
          errorTitle: "",
        },
      });
      // A new tag on the assigned device keeps its name, so the assignment holds (setItemAction).
      const retagged = await call(fresh, "POST", `interfaces/vlan_settings/set_item/${vlan.body.uuid}`, {
        vlan: { if: "vtnet1", tag: "21", descr: "servers" },
      });
      assert.deepEqual(retagged.body, { result: "saved" });
      assert.equal(fresh.state.items("interfaces/vlan_settings")[0]?.vlanif, "vlan01");
    });
  });
});

describe("models", () => {
  it("validates filter rules as Filter.xml and Filter.php do", async () => {
    await withApi({}, async (api) => {
      const bad = await call(api, "POST", "firewall/filter/add_rule", {
        rule: { interface: "opt9", action: "allow", destination_port: "443", source_net: "10.0.0.0/33" },
      });
      const v = bad.body.validations;
      assert.ok(v["rule.interface"]);
      assert.ok(v["rule.action"]);
      assert.ok(v["rule.source_net"]);
      assert.equal(v["rule.destination_port"], "Destination ports are only valid for tcp or udp type rules.");
      const v6 = await call(api, "POST", "firewall/filter/add_rule", {
        rule: { interface: "lan", destination_net: "2001:db8::/64" },
      });
      assert.equal(
        v6.body.validations["rule.destination_net"],
        "Destination address type should match selected TCP/IP protocol version.",
      );
      const good = await call(api, "POST", "firewall/filter/add_rule", {
        rule: {
          interface: "lan",
          protocol: "TCP",
          source_net: "lan",
          destination_net: "lanip",
          destination_port: "https",
        },
      });
      assert.equal(good.body.result, "saved");
      const got = await call(api, "GET", `firewall/filter/get_rule/${good.body.uuid}`);
      assert.equal(got.body.rule.interface.lan.selected, 1);
      assert.equal(got.body.rule.action.pass.selected, 1, "default action pass");
    });
  });

  it("names VLAN devices, checks tag 1-4094 and uniqueness, shows them in the overview once configured", async () => {
    await withApi({ parentDevices: ["vtnet1"] }, async (api) => {
      const tooHigh = await call(api, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "vtnet1", tag: "4095" },
      });
      assert.ok(tooHigh.body.validations["vlan.tag"]);
      const badParent = await call(api, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "igb7", tag: "20" },
      });
      assert.ok(badParent.body.validations["vlan.if"]);
      const first = await call(api, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "vtnet1", tag: 20, descr: "servers" },
      });
      assert.equal(first.body.result, "saved");
      const again = await call(api, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "vtnet1", tag: "20" },
      });
      assert.equal(again.body.validations["vlan.tag"], "Tag for this device must be unique.");
      const second = await call(api, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "vtnet1", tag: "30" },
      });
      assert.deepEqual(
        api.state.items("interfaces/vlan_settings").map((v) => v.vlanif),
        ["vlan01", "vlan02"],
      );

      const before = (await call(api, "GET", "interfaces/overview/export")).body as any[];
      assert.ok(!before.some((row) => row.device === "vlan01"), "not a device before reconfigure");
      assert.deepEqual((await call(api, "POST", "interfaces/vlan_settings/reconfigure", {})).body, {
        status: "ok",
      });
      const unassigned = (await call(api, "GET", "interfaces/overview/export")).body as any[];
      assert.equal(unassigned.find((row) => row.device === "vlan01")?.identifier, "");

      api.state.assign({
        identifier: "opt1",
        device: "vlan01",
        description: "SERVERS",
        ipv4: "10.0.20.1/24",
      });
      const assigned = (await call(api, "GET", "interfaces/overview/export")).body as any[];
      assert.equal(assigned.find((row) => row.device === "vlan01")?.identifier, "opt1");
      const search = await call(api, "GET", "interfaces/vlan_settings/search_item");
      assert.ok(search.body.rows.some((row: any) => row.vlanif === "vlan01 [SERVERS]"));
      const refused = await call(api, "POST", `interfaces/vlan_settings/del_item/${first.body.uuid}`, {});
      assert.equal(refused.status, 500);
      assert.match(refused.body.errorMessage, /assigned as an interface/);
      const removed = await call(api, "POST", `interfaces/vlan_settings/del_item/${second.body.uuid}`, {});
      assert.deepEqual(removed.body, { result: "deleted" });
    });
  });

  it("round-trips Unbound host overrides and requires the address of an A record", async () => {
    await withApi({}, async (api) => {
      const missing = await call(api, "POST", "unbound/settings/add_host_override", {
        host: { hostname: "vm1", domain: "lab.internal" },
      });
      assert.equal(missing.body.validations["host.server"], "The field IP address is required.");
      const badDomain = await call(api, "POST", "unbound/settings/add_host_override", {
        host: { hostname: "vm1", domain: "-bad-", server: "10.0.0.9" },
      });
      assert.equal(badDomain.body.validations["host.domain"], "A valid domain must be specified.");
      const added = await call(api, "POST", "unbound/settings/add_host_override", {
        host: { hostname: "vm1", domain: "lab.internal", rr: "A", server: "10.0.0.9" },
      });
      const got = await call(api, "GET", `unbound/settings/get_host_override/${added.body.uuid}`);
      assert.equal(got.body.host.server, "10.0.0.9");
      assert.equal(got.body.host.rr.A.selected, 1);
      assert.deepEqual((await call(api, "POST", "unbound/service/reconfigure", {})).body, { status: "ok" });
      assert.equal(api.state.reconfigures["unbound/service"], 1);
    });
  });

  it("checks Kea reservations against their subnet: reference, address inside, MAC, duplicates", async () => {
    await withApi({}, async (api) => {
      const subnet = await call(api, "POST", "kea/dhcpv4/add_subnet", {
        subnet4: {
          subnet: "10.0.20.0/24",
          pools: "10.0.20.100 - 10.0.20.199",
          option_data: { routers: "10.0.20.1" },
        },
      });
      assert.equal(subnet.body.result, "saved");
      const badNet = await call(api, "POST", "kea/dhcpv4/add_subnet", { subnet4: { subnet: "10.0.30.1" } });
      assert.ok(badNet.body.validations["subnet4.subnet"]);
      const badRouter = await call(api, "POST", "kea/dhcpv4/add_subnet", {
        subnet4: { subnet: "10.0.40.0/24", option_data: { routers: "not-an-ip" } },
      });
      assert.ok(badRouter.body.validations["subnet4.option_data.routers"]);

      const orphan = await call(api, "POST", "kea/dhcpv4/add_reservation", {
        reservation: {
          subnet: "3f2a1b4c-0000-4000-8000-000000000000",
          ip_address: "10.0.20.5",
          hw_address: "52:54:00:12:34:56",
        },
      });
      assert.equal(orphan.body.validations["reservation.subnet"], "Related subnet not found.");
      const outside = await call(api, "POST", "kea/dhcpv4/add_reservation", {
        reservation: { subnet: subnet.body.uuid, ip_address: "10.0.21.5", hw_address: "52:54:00:zz:34:56" },
      });
      assert.equal(outside.body.validations["reservation.ip_address"], "Address not in specified subnet");
      assert.ok(outside.body.validations["reservation.hw_address"]);
      const good = await call(api, "POST", "kea/dhcpv4/add_reservation", {
        reservation: {
          subnet: subnet.body.uuid,
          ip_address: "10.0.20.5",
          hw_address: "52:54:00:12:34:56",
          hostname: "vm1",
        },
      });
      assert.equal(good.body.result, "saved");
      const dupMac = await call(api, "POST", "kea/dhcpv4/add_reservation", {
        reservation: { subnet: subnet.body.uuid, ip_address: "10.0.20.6", hw_address: "52:54:00:12:34:56" },
      });
      assert.equal(dupMac.body.validations["reservation.hw_address"], "Duplicate entry exists.");
      const got = await call(api, "GET", `kea/dhcpv4/get_reservation/${good.body.uuid}`);
      assert.deepEqual(got.body.reservation.subnet[subnet.body.uuid], { value: "10.0.20.0/24", selected: 1 });
      assert.equal(api.state.items("kea/dhcpv4", "subnet4")[0]?.["option_data.routers"], "10.0.20.1");
      assert.deepEqual((await call(api, "POST", "kea/service/reconfigure", {})).body, { status: "ok" });
    });
  });

  it("round-trips Dnsmasq hosts with Dnsmasq.php's host checks", async () => {
    await withApi({}, async (api) => {
      const nameless = await call(api, "POST", "dnsmasq/settings/add_host", { host: { ip: "10.0.0.7" } });
      assert.equal(
        nameless.body.validations["host.host"],
        "Hostnames my only be omitted when a hardware address is offered.",
      );
      const v6 = await call(api, "POST", "dnsmasq/settings/add_host", {
        host: { host: "vm2", ip: "2001:db8::7", hwaddr: "52:54:00:00:00:07" },
      });
      assert.equal(v6.body.validations["host.ip"], "Only IPv4 reservations are currently supported");
      const ok = await call(api, "POST", "dnsmasq/settings/add_host", {
        host: { host: "vm2", domain: "lab.internal", ip: "10.0.0.7", hwaddr: "52:54:00:00:00:07" },
      });
      assert.equal(ok.body.result, "saved");
      const listed = await call(api, "GET", "dnsmasq/settings/search_host");
      assert.equal(listed.body.rows[0].host, "vm2");
      assert.deepEqual((await call(api, "POST", "dnsmasq/service/reconfigure", {})).body, { status: "ok" });
    });
  });

  it("serves os-chrony's general settings only when the plugin is installed", async () => {
    await withApi({}, async (api) => {
      const got = await call(api, "GET", "chrony/general/get");
      assert.equal(got.body.general.enabled, "0");
      assert.ok(got.body.general.peers["0.opnsense.pool.ntp.org"]);
      assert.equal(got.body.general.port, "323", "General.xml: port defaults to 323");
      const bad = await call(api, "POST", "chrony/general/set", {
        general: { enabled: "1", port: "70000", peers: "" },
      });
      assert.ok(bad.body.validations["general.port"]);
      assert.ok(bad.body.validations["general.peers"]);
      const saved = await call(api, "POST", "chrony/general/set", {
        general: { enabled: "1", peers: "0.pool.ntp.org,1.pool.ntp.org", allowednetworks: "10.0.20.0/24" },
      });
      assert.deepEqual(saved.body, { result: "saved" });
      assert.equal(api.state.chrony().allowednetworks, "10.0.20.0/24");
      assert.deepEqual((await call(api, "POST", "chrony/service/reconfigure", {})).body, { status: "ok" });
      const info = await call(api, "GET", "core/firmware/info");
      assert.equal(info.body.product.product_version, "25.7.3");
      assert.ok(info.body.plugin.some((p: any) => p.name === "os-chrony" && p.installed === "1"));
    });
    await withApi({ plugins: [], version: "26.1.2" }, async (api) => {
      assert.equal((await call(api, "GET", "chrony/general/get")).status, 404);
      const info = await call(api, "GET", "core/firmware/info");
      assert.equal(info.body.product_version, "26.1.2");
      // The mirror's plugins are listed too (infoAction: remote packages with installed "0").
      assert.deepEqual(
        info.body.plugin.filter((p: any) => p.installed === "1"),
        [],
      );
    });
  });

  it("keeps an alias's live pf table through alias_util", async () => {
    await withApi({}, async (api) => {
      await call(api, "POST", "firewall/alias/add_item", { alias: { name: "quarantine", type: "external" } });
      assert.deepEqual(
        (await call(api, "POST", "firewall/alias_util/add/quarantine", { address: "10.0.20.66" })).body,
        {
          status: "done",
        },
      );
      assert.deepEqual(
        (await call(api, "POST", "firewall/alias_util/add/nosuch", { address: "10.0.20.66" })).body,
        { status: "failed", status_msg: "nonexistent alias nosuch" },
      );
      const listed = await call(api, "GET", "firewall/alias_util/list/quarantine");
      assert.deepEqual(listed.body.rows, [{ ip: "10.0.20.66" }]);
      assert.deepEqual(api.state.liveTable("quarantine"), ["10.0.20.66"]);
    });
  });
});

describe("safe apply of filter rules", () => {
  const rule = { rule: { interface: "lan", protocol: "TCP", destination_port: "22", description: "ssh" } };

  it("saves rule edits without activating them until apply", async () => {
    await withApi({}, async (api) => {
      await call(api, "POST", "firewall/filter/add_rule", rule);
      assert.equal(api.state.items("firewall/filter").length, 1);
      assert.equal(api.state.activeRules().length, 0);
      assert.deepEqual((await call(api, "POST", "firewall/filter/apply", {})).body, { status: "OK\n\n" });
      assert.equal(api.state.activeRules().length, 1);
      assert.deepEqual((await call(api, "GET", "firewall/filter/apply")).body, { status: "error" });
    });
  });

  it("savepoint → apply/{rev} → cancel_rollback/{rev} keeps the new rules", async () => {
    await withApi({ rollbackMs: 300 }, async (api) => {
      const savepoint = await call(api, "POST", "firewall/filter/savepoint", {});
      assert.equal(savepoint.body.status, "ok");
      assert.match(savepoint.body.revision, /^\d+\.\d{2}$/);
      const revision: string = savepoint.body.revision;
      await call(api, "POST", "firewall/filter/add_rule", rule);
      await call(api, "POST", `firewall/filter/apply/${revision}`, {});
      assert.deepEqual(api.state.pendingRollbacks(), [revision]);
      assert.deepEqual((await call(api, "POST", `firewall/filter/cancel_rollback/${revision}`, {})).body, {
        status: "OK\n\n",
      });
      assert.deepEqual(api.state.pendingRollbacks(), []);
      assert.deepEqual((await call(api, "POST", `firewall/filter/cancel_rollback/${revision}`, {})).body, {
        status: "Execute error",
      });
      await new Promise((resolve) => setTimeout(resolve, 450));
      assert.equal(api.state.activeRules().length, 1);
      assert.deepEqual(api.state.events, [
        `savepoint ${revision}`,
        `apply ${revision}`,
        `cancel ${revision}`,
      ]);
    });
  });

  it("rolls saved and active rules back when nobody cancels within rollbackMs (before 25.7 only)", async () => {
    await withApi({ version: "25.1.12", rollbackMs: 300 }, async (api) => {
      const kept = api.state.put("firewall/filter", { interface: "lan", description: "existing" });
      const revision: string = (await call(api, "POST", "firewall/filter/savepoint", {})).body.revision;
      await call(api, "POST", "firewall/filter/add_rule", rule);
      await call(api, "POST", `firewall/filter/set_rule/${kept}`, { rule: { description: "changed" } });
      await call(api, "POST", `firewall/filter/apply/${revision}`, {});
      assert.equal(api.state.activeRules().length, 2);
      await eventually(() => api.state.events.includes(`rollback ${revision}`));
      assert.deepEqual(
        api.state.activeRules().map((r) => r.description),
        ["existing"],
      );
      assert.deepEqual(
        api.state.items("firewall/filter").map((r) => r.description),
        ["existing"],
      );
    });
  });

  it("reverts on request and reports an unknown savepoint", async () => {
    await withApi({}, async (api) => {
      const revision: string = (await call(api, "POST", "firewall/filter/savepoint", {})).body.revision;
      await call(api, "POST", "firewall/filter/add_rule", rule);
      assert.deepEqual((await call(api, "POST", `firewall/filter/revert/${revision}`, {})).body, {
        status: "ok",
      });
      assert.equal(api.state.items("firewall/filter").length, 0);
      assert.deepEqual((await call(api, "POST", "firewall/filter/revert/12.34", {})).body, {
        status: "unknown (or removed) savepoint",
      });
    });
  });

  it("serves 26.7 without savepoints, and the 25.7–26.1 bug where the timer reverts nothing, by default", async () => {
    await withApi({ version: "26.7.1", rollbackMs: 100 }, async (api) => {
      const missing = await call(api, "POST", "firewall/filter/savepoint", {}, { authorization: null });
      assert.equal(missing.status, 404, "the dispatcher answers before it authenticates");
      assert.deepEqual(missing.body, { errorMessage: "Endpoint not found" });
      assert.equal((await call(api, "POST", "firewall/filter/cancel_rollback/1.00", {})).status, 404);
      await call(api, "POST", "firewall/filter/add_rule", rule);
      assert.equal((await call(api, "POST", "firewall/filter/apply/1.00", {})).status, 200);
      assert.deepEqual(api.state.pendingRollbacks(), [], "apply/<anything> is a plain apply");
    });
    for (const version of ["25.7.3", "26.1.5"]) {
      await withApi({ version, rollbackMs: 100 }, async (api) => {
        const revision: string = (await call(api, "POST", "firewall/filter/savepoint", {})).body.revision;
        await call(api, "POST", "firewall/filter/add_rule", rule);
        await call(api, "POST", `firewall/filter/apply/${revision}`, {});
        await eventually(() => api.state.events.includes(`rollback-failed ${revision}`));
        assert.equal(api.state.activeRules().length, 1);
      });
    }
  });
});

describe("versions", () => {
  it("checks privileges by the names the firewall's version uses", async () => {
    const users = [
      { key: "new", secret: "n", privileges: ["Firewall: Rules [new]", "Services: Unbound (MVC)"] },
      { key: "old", secret: "o", privileges: ["Firewall: Automation: Filter", "Services: Unbound"] },
    ];
    const status = async (api: OpnsenseApi, key: string, path: string) =>
      (await call(api, "GET", path, undefined, { authorization: api.authorization(key) })).status;
    await withApi({ version: "25.7.3", users }, async (api) => {
      assert.equal(await status(api, "new", "firewall/filter/search_rule"), 403);
      assert.equal(await status(api, "old", "firewall/filter/search_rule"), 200);
      assert.equal(await status(api, "new", "unbound/settings/search_host_override"), 200);
    });
    await withApi({ version: "26.1.2", users }, async (api) => {
      assert.equal(await status(api, "new", "firewall/filter/search_rule"), 200);
      assert.equal(await status(api, "old", "firewall/filter/search_rule"), 403);
    });
    await withApi({ version: "26.7.1", users }, async (api) => {
      assert.equal(await status(api, "new", "unbound/settings/search_host_override"), 403);
      assert.equal(await status(api, "old", "unbound/settings/search_host_override"), 200);
    });
  });

  it("tells the version through system_information, under Lobby: Dashboard", async () => {
    const users = [{ key: "lobby", secret: "l", privileges: ["Lobby: Dashboard"] }];
    await withApi({ version: "26.1.4", users }, async (api) => {
      const info = await call(api, "GET", "diagnostics/system/system_information");
      assert.equal(info.status, 200);
      assert.equal(info.body.versions[0], "OPNsense 26.1.4-amd64");
      assert.equal((await call(api, "GET", "core/firmware/info")).status, 403);
    });
  });

  it("assigns a VLAN device through interfaces/assignment on 26.7, disabled and without address", async () => {
    await withApi({ version: "26.7.1" }, async (api) => {
      await call(api, "POST", "interfaces/vlan_settings/add_item", {
        vlan: { if: "vtnet1", tag: "20", descr: "servers" },
      });
      await call(api, "POST", "interfaces/vlan_settings/reconfigure", {});
      const device: string = api.state.items("interfaces/vlan_settings")[0]?.vlanif ?? "";
      const added = await call(api, "POST", "interfaces/assignment/add_item", {
        interface: { if: device, descr: "SERVERS", lock: "0" },
      });
      assert.equal(added.body.result, "saved");
      const again = await call(api, "POST", "interfaces/assignment/add_item", { interface: { if: device } });
      assert.deepEqual(again.body.validations, {
        "interface.if": "Can not assign a device to more interfaces.",
      });
      assert.deepEqual((await call(api, "POST", "interfaces/assignment/reconfigure", {})).body, {
        status: "ok",
      });
      const rows: any[] = (await call(api, "GET", "interfaces/overview/export")).body;
      const row = rows.find((candidate) => candidate.device === device);
      assert.equal(row.identifier, "opt1", "the lowest free optN");
      assert.equal(row.enabled, false);
      assert.equal(row.addr4, "");
    });
    await withApi({ version: "26.1.2" }, async (api) => {
      assert.equal((await call(api, "GET", "interfaces/assignment/search_item")).status, 404);
    });
  });
});

describe("fault injection", () => {
  it("answers 5xx the given number of times, then normally", async () => {
    await withApi({}, async (api) => {
      api.faults.inject({ path: "core/firmware", kind: "5xx", times: 2 });
      assert.equal((await call(api, "GET", "core/firmware/info")).status, 500);
      api.faults.inject({ path: /^core\/firmware\/status$/, kind: "5xx", status: 503 });
      assert.equal(
        (await call(api, "GET", "core/firmware/status")).status,
        500,
        "the first fault still has one left",
      );
      assert.equal((await call(api, "GET", "core/firmware/status")).status, 503);
      assert.equal((await call(api, "GET", "core/firmware/status")).status, 200);
      assert.deepEqual(
        api.state.requests.map((r) => r.fault ?? null),
        ["5xx", "5xx", "5xx", null],
      );
    });
  });

  it("answers 401 as if the key were revoked", async () => {
    await withApi({}, async (api) => {
      api.faults.inject({ path: "firewall/alias", kind: "401" });
      assert.equal((await call(api, "GET", "firewall/alias/search_item")).status, 401);
      assert.equal((await call(api, "GET", "firewall/alias/search_item")).status, 200);
    });
  });

  it("times out (accepts, never answers) and resets the connection", async () => {
    await withApi({}, async (api) => {
      api.faults.inject({ path: "core/firmware/info", kind: "timeout" });
      await assert.rejects(
        call(api, "GET", "core/firmware/info", undefined, { timeoutMs: 200 }),
        (error: Error) => ["TimeoutError", "AbortError"].includes(error.name),
      );
      api.faults.inject({ path: "core/firmware/info", kind: "reset" });
      await assert.rejects(call(api, "GET", "core/firmware/info"), TypeError);
      assert.equal((await call(api, "GET", "core/firmware/info")).status, 200);
    });
  });

  it("can lose the answer after carrying the request out (after: true)", async () => {
    await withApi({}, async (api) => {
      api.faults.inject({ path: "firewall/alias/add_item", kind: "timeout", after: true, method: "POST" });
      await assert.rejects(
        call(
          api,
          "POST",
          "firewall/alias/add_item",
          { alias: { name: "lost", type: "host", content: "10.0.0.1" } },
          {
            timeoutMs: 200,
          },
        ),
      );
      assert.equal(
        api.state.items("firewall/alias").length,
        1,
        "the alias was saved although no answer came",
      );
    });
  });

  for (const mode of ["hang", "reset"] as const) {
    it(`stops answering (${mode}) after apply until the rollback fired and reverted the rules`, async () => {
      await withApi({ version: "25.1.12", rollbackMs: 300 }, async (api) => {
        const revision: string = (await call(api, "POST", "firewall/filter/savepoint", {})).body.revision;
        await call(api, "POST", "firewall/filter/add_rule", {
          rule: { interface: "lan", action: "block", description: "locks me out" },
        });
        api.faults.stopAnsweringAfterApply(mode);
        assert.equal((await call(api, "POST", `firewall/filter/apply/${revision}`, {})).status, 200);
        assert.equal(api.faults.dark, true);
        await assert.rejects(call(api, "GET", "firewall/filter/search_rule", undefined, { timeoutMs: 150 }));
        await assert.rejects(
          call(api, "POST", `firewall/filter/cancel_rollback/${revision}`, {}, { timeoutMs: 100 }),
        );
        await eventually(() => !api.faults.dark);
        const after = await call(api, "GET", "firewall/filter/search_rule");
        assert.equal(after.body.total, 0);
        assert.deepEqual(api.state.activeRules(), []);
        assert.ok(api.state.requests.some((r) => r.fault === "dark"));
      });
    });
  }

  it("close() ends hanging requests and resolves", async () => {
    const api = await startOpnsenseApi();
    api.faults.inject({ path: "core/firmware/info", kind: "timeout" });
    const pending = call(api, "GET", "core/firmware/info", undefined, { timeoutMs: 10_000 });
    await eventually(() => api.state.requests.length === 1);
    const started = Date.now();
    await api.close();
    await assert.rejects(pending);
    assert.ok(Date.now() - started < 2_000, "close did not wait for the hanging request");
    await api.close();
  });
});

describe("DHCP servers as their models and rc.conf.d templates have them", () => {
  it("serves Kea's general settings under dhcpv4, and starts Kea only when enabled on interfaces", async () => {
    await withApi({}, async (api) => {
      const got = await call(api, "GET", "kea/dhcpv4/get");
      assert.equal(got.body.dhcpv4.general.enabled, "0", "KeaDhcpv4.xml: enabled defaults to 0");
      assert.equal(got.body.dhcpv4.general.interfaces.lan.selected, 0);
      assert.equal((await call(api, "POST", "kea/service/reconfigure", {})).body.status, "ok");
      assert.equal(api.state.running("kea/service"), false);
      const onNowhere = await call(api, "POST", "kea/dhcpv4/set", { dhcpv4: { general: { enabled: "1" } } });
      assert.deepEqual(onNowhere.body, { result: "saved" });
      await call(api, "POST", "kea/service/reconfigure", {});
      assert.equal(api.state.running("kea/service"), false, "rc.conf.d needs interfaces too");
      const bad = await call(api, "POST", "kea/dhcpv4/set", { dhcpv4: { general: { interfaces: "opt9" } } });
      assert.ok(bad.body.validations["dhcpv4.general.interfaces"]);
      await call(api, "POST", "kea/dhcpv4/set", { dhcpv4: { general: { interfaces: "lan" } } });
      await call(api, "POST", "kea/service/reconfigure", {});
      assert.equal(api.state.running("kea/service"), true);
    });
  });

  it("keeps Kea subnets unique from 26.1 on, and returns pools as text", async () => {
    const subnet = { subnet: "10.0.5.0/24", pools: "10.0.5.10 - 10.0.5.20\n10.0.5.30 - 10.0.5.40" };
    await withApi({ version: "25.7.3" }, async (api) => {
      const first = await call(api, "POST", "kea/dhcpv4/add_subnet", { subnet4: subnet });
      assert.equal(
        (await call(api, "POST", "kea/dhcpv4/add_subnet", { subnet4: subnet })).body.result,
        "saved",
      );
      const got = await call(api, "GET", `kea/dhcpv4/get_subnet/${first.body.uuid}`);
      assert.equal(got.body.subnet4.pools, subnet.pools);
    });
    await withApi({ version: "26.1.2" }, async (api) => {
      await call(api, "POST", "kea/dhcpv4/add_subnet", { subnet4: subnet });
      const second = await call(api, "POST", "kea/dhcpv4/add_subnet", { subnet4: subnet });
      assert.equal(second.body.validations["subnet4.subnet"], "Subnet must be unique.");
    });
  });

  it("starts Dnsmasq as config.xml.sample ships it: on, DHCP on lan, port 0 on 25.7 and 53053 from 26.1", async () => {
    for (const [version, port] of [
      ["25.7.3", "0"],
      ["26.1.2", "53053"],
    ] as const) {
      await withApi({ version }, async (api) => {
        const got = await call(api, "GET", "dnsmasq/settings/get");
        assert.equal(got.body.dnsmasq.enable, "1");
        assert.equal(got.body.dnsmasq.port, port);
        assert.equal(got.body.dnsmasq.dhcp.default_fw_rules, "1");
        assert.equal(api.state.dnsmasq().interface, "lan");
        assert.equal(api.state.running("dnsmasq/service"), true);
        assert.deepEqual(api.state.dhcpServers("lan"), ["dnsmasq"]);
      });
    }
  });

  it("answers DHCP on an interface from every server set up for it, until dhcp.no_interface stops Dnsmasq's there", async () => {
    await withApi({}, async (api) => {
      await call(api, "POST", "kea/dhcpv4/set", { dhcpv4: { general: { enabled: "1", interfaces: "lan" } } });
      await call(api, "POST", "kea/service/reconfigure", {});
      assert.deepEqual(api.state.dhcpServers("lan"), ["dnsmasq", "kea"]);
      await call(api, "POST", "dnsmasq/settings/set", { dnsmasq: { dhcp: { no_interface: "lan" } } });
      assert.deepEqual(api.state.dhcpServers("lan"), ["dnsmasq", "kea"], "not before its reconfigure");
      await call(api, "POST", "dnsmasq/service/reconfigure", {});
      assert.deepEqual(api.state.dhcpServers("lan"), ["kea"]);
      assert.equal(api.state.running("dnsmasq/service"), true, "its DNS keeps running");
    });
  });
});

describe("filter rule search as FilterController::searchRuleAction lists rules", () => {
  for (const version of ["25.7.3", "26.1.2"]) {
    it(`lists a rule on one interface only when that interface is asked for (${version})`, async () => {
      await withApi({ version }, async (api) => {
        api.state.put("firewall/filter", { interface: "lan", description: "on lan" });
        api.state.put("firewall/filter", { interface: "lan,wan", description: "on both" });
        api.state.put("firewall/filter", { interface: "", description: "floating" });
        const listed = async (params: Record<string, unknown>) =>
          (await call(api, "POST", "firewall/filter/search_rule", params)).body.rows
            .map((row: any) => row.description)
            .sort();
        assert.deepEqual(await listed({}), ["floating", "on both"]);
        assert.deepEqual(await listed({ interface: "lan" }), ["on lan"]);
        assert.deepEqual(await listed({ interface: "lan", show_all: "1" }), [
          "floating",
          "on both",
          "on lan",
        ]);
      });
    });
  }

  it("26.7: all rules without `interface`, with one also the floating and multi-interface rules, and the non-MVC rules merged", async () => {
    await withApi({ version: "26.7.1" }, async (api) => {
      api.state.put("firewall/filter", { interface: "lan", description: "on lan" });
      api.state.put("firewall/filter", { interface: "opt1", description: "on opt1" });
      api.state.put("firewall/filter", { interface: "lan,wan", description: "on both" });
      api.state.put("firewall/filter", { interface: "", description: "floating" });
      api.state.put("firewall/filter", { interface: "lan", interfacenot: "1", description: "not lan" });
      const rows = async (params: Record<string, unknown>) =>
        (await call(api, "POST", "firewall/filter/search_rule", params)).body.rows as any[];
      const listed = async (params: Record<string, unknown>) =>
        (await rows(params)).map((row) => row.description).sort();
      const legacy = ["Default deny / state violation rule", "anti-lockout rule"];
      assert.deepEqual(await listed({}), [...legacy, "floating", "not lan", "on both", "on lan", "on opt1"]);
      assert.deepEqual(await listed({ interface: "lan" }), [
        "Default deny / state violation rule",
        "anti-lockout rule",
        "floating",
        "on both",
        "on lan",
      ]);
      assert.deepEqual(await listed({ interface: "opt1" }), [
        "Default deny / state violation rule",
        "floating",
        "not lan",
        "on opt1",
      ]);
      assert.deepEqual(await listed({ interface: "" }), [
        "Default deny / state violation rule",
        "floating",
        "not lan",
        "on both",
      ]);
      const merged = (await rows({})).filter((row) => row.legacy === true);
      assert.equal(merged.length, 2);
      assert.ok(merged.every((row) => typeof row.uuid === "string" && !/^[0-9a-f-]{36}$/.test(row.uuid)));
    });
  });
});
