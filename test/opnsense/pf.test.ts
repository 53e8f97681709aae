/** The loopback OPNsense's alias_util and kill_states, as opnsense/core@26.7.2 answers them (./pf.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type OpnsenseApi, startOpnsenseApi } from "./server";

const CONTAIN = { key: "contain-key", secret: "contain-secret", privileges: [] as string[] };

async function call(api: OpnsenseApi, method: string, path: string, body?: unknown, user = CONTAIN) {
  const response = await fetch(`${api.url}/api/${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.key}:${user.secret}`).toString("base64")}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function withApi(version: string, run: (api: OpnsenseApi) => Promise<void>) {
  const containUser = {
    ...CONTAIN,
    privileges:
      // The two privileges containment holds, by their names on every supported version.
      ["Diagnostics: PF Table IP addresses", "Diagnostics: Show States"],
  };
  const api = await startOpnsenseApi({
    version,
    users: [{ key: "admin", secret: "admin-secret", privileges: "all" }, containUser],
  });
  try {
    const admin = { key: "admin", secret: "admin-secret", privileges: [] };
    for (const alias of [
      { name: "fz_quarantine", type: "external" },
      { name: "hosts", type: "host", content: "" },
      { name: "nets", type: "network", content: "" },
    ]) {
      const added = await call(api, "POST", "firewall/alias/add_item", { alias }, admin);
      assert.equal(added.body.result, "saved", JSON.stringify(added.body));
    }
    await run(api);
  } finally {
    await api.close();
  }
}

describe("loopback OPNsense: alias_util and kill_states", () => {
  for (const version of ["25.7.11", "26.1.11", "26.7.2"]) {
    it(`adds to an external alias's pf table only, listing it as pfctl shows it (${version})`, async () => {
      await withApi(version, async (api) => {
        const add = (address: string) =>
          call(api, "POST", "firewall/alias_util/add/fz_quarantine", { address });
        assert.deepEqual((await add("10.10.40.23")).body, { status: "done" });
        assert.deepEqual((await add("10.10.40.23/32")).body, { status: "done" });
        assert.deepEqual(api.state.liveTable("fz_quarantine"), ["10.10.40.23"], "a pf table is a set");
        const alias = api.state.items("firewall/alias").find((item) => item.name === "fz_quarantine");
        assert.equal(alias?.content ?? "", "", "an external alias's config is untouched");
        const listed = await call(api, "GET", "firewall/alias_util/list/fz_quarantine");
        assert.deepEqual(listed.body.rows, [{ ip: "10.10.40.23" }]);
        assert.equal(listed.body.total, 1);
      });
    });
  }

  it("answers not_an_address, nonexistent alias and failed as the controller does", async () => {
    await withApi("26.7.2", async (api) => {
      const post = (alias: string, body: unknown) =>
        call(api, "POST", `firewall/alias_util/add/${alias}`, body);
      assert.deepEqual((await post("fz_quarantine", { address: "10.10.40.23; pfctl -F all" })).body, {
        status: "not_an_address",
      });
      assert.deepEqual((await post("fz_quarantine", { address: "FE80::1" })).body, {
        status: "not_an_address",
      });
      assert.deepEqual((await post("nosuch", { address: "10.10.40.23" })).body, {
        status: "failed",
        status_msg: "nonexistent alias nosuch",
      });
      assert.deepEqual((await post("fz_quarantine", {})).body, { status: "failed" });
      // pfctl refuses 10.10.40 but the controller does not look: done, and nothing in the table.
      assert.deepEqual((await post("fz_quarantine", { address: "10.10.40" })).body, { status: "done" });
      assert.deepEqual(api.state.liveTable("fz_quarantine"), []);
      assert.deepEqual((await call(api, "GET", "firewall/alias_util/flush/fz_quarantine")).body, {
        status: "failed",
      });
    });
  });

  it("writes a host or network alias's entries into config, twice at index 0 (array_search)", async () => {
    await withApi("26.7.2", async (api) => {
      const content = (name: string) =>
        api.state.items("firewall/alias").find((item) => item.name === name)?.content;
      for (let round = 0; round < 2; round++)
        await call(api, "POST", "firewall/alias_util/add/hosts", { address: "10.10.40.23" });
      assert.equal(content("hosts"), "10.10.40.23\n10.10.40.23", "the index-0 bug appends it again");
      await call(api, "POST", "firewall/alias_util/add/nets", { address: "10.10.40.24" });
      assert.equal(content("nets"), "10.10.40.24/32");
      await call(api, "POST", "firewall/alias_util/delete/nets", { address: "10.10.40.24" });
      assert.equal(content("nets"), "");
    });
  });

  it("deletes only an entry equal to what pfctl shows, answers done for any alias, and flushes", async () => {
    await withApi("26.7.2", async (api) => {
      await call(api, "POST", "firewall/alias_util/add/fz_quarantine", { address: "10.10.40.23" });
      await call(api, "POST", "firewall/alias_util/add/fz_quarantine", { address: "10.10.40.24" });
      const del = (alias: string, address: string) =>
        call(api, "POST", `firewall/alias_util/delete/${alias}`, { address });
      assert.deepEqual((await del("fz_quarantine", "10.10.40.23/32")).body, { status: "done" });
      assert.deepEqual(api.state.liveTable("fz_quarantine"), ["10.10.40.23", "10.10.40.24"]);
      assert.deepEqual((await del("fz_quarantine", "10.10.40.23")).body, { status: "done" });
      assert.deepEqual((await del("nosuch", "10.10.40.23")).body, { status: "done" });
      assert.deepEqual(api.state.liveTable("fz_quarantine"), ["10.10.40.24"]);
      assert.deepEqual((await call(api, "POST", "firewall/alias_util/flush/fz_quarantine", {})).body, {
        status: "done",
      });
      assert.deepEqual(api.state.liveTable("fz_quarantine"), []);
    });
  });

  it("kills the states of an address, sanitizing the filter as SanitizeFilter 'query' does", async () => {
    await withApi("26.7.2", async (api) => {
      const open = (src: string, dst: string) =>
        api.state.addPfState({
          proto: "tcp",
          src_addr: src,
          src_port: "50000",
          dst_addr: dst,
          dst_port: "443",
        });
      open("10.10.40.23", "10.10.20.5");
      open("10.10.20.5", "10.10.40.23");
      open("10.10.40.24", "10.10.20.5");
      const kill = (body: unknown) => call(api, "POST", "diagnostics/firewall/kill_states", body);
      assert.deepEqual((await kill({ filter: "10.10.40.23" })).body, { result: "ok", dropped_states: 2 });
      assert.deepEqual((await kill({ filter: "10.10.40.23" })).body, { result: "ok", dropped_states: 0 });
      assert.deepEqual((await kill({})).body, { result: "failed" });
      assert.deepEqual((await call(api, "GET", "diagnostics/firewall/kill_states")).body, {
        result: "failed",
      });
      // '/' is stripped: 10.10.40.0/24 becomes the text 10.10.40.024, which matches nothing.
      assert.deepEqual((await kill({ filter: "10.10.40.0/24" })).body, { result: "ok", dropped_states: 0 });
      assert.equal(api.state.pfStates().length, 1);
    });
  });

  it("lets the containment key call alias_util and kill_states, and nothing else", async () => {
    await withApi("26.7.2", async (api) => {
      assert.equal((await call(api, "GET", "firewall/alias_util/list/fz_quarantine")).status, 200);
      assert.equal(
        (await call(api, "POST", "diagnostics/firewall/kill_states", { filter: "10.0.0.1" })).status,
        200,
      );
      for (const [method, path] of [
        ["GET", "firewall/alias/search_item"],
        ["GET", "firewall/filter/search_rule"],
        ["GET", "core/firmware/info"],
      ] as const) {
        assert.equal((await call(api, method, path)).status, 403, path);
      }
    });
  });
});
