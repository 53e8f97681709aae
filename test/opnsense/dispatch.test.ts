/**
 * The one provider object OPNsense items and settings share (components/opnsense/dispatch.ts): routed by
 * each resource's inputs, serialized once without credentials, and working from its serialized text
 * in a fresh process, as a dynamic provider host runs it.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { opnsenseProviders } from "../../components/opnsense/dispatch";
import { OpnsenseError } from "../../components/opnsense/errors";
import { type FirewallRef, KEY_CONFIG, SECRET_CONFIG, type Timing } from "../../components/opnsense/provider";
import { DEFAULT_KEY, DEFAULT_SECRET, type OpnsenseApi, startOpnsenseApi } from "./server";
import { runNodeScript } from "../support/runNode";

const FAST: Timing = {
  retry: { timeoutMs: 400, retries: 3, backoffMs: 5 },
  probe: { timeoutMs: 250, attempts: 2, intervalMs: 5 },
};

const ALIAS = {
  enabled: "1",
  name: "fz_shared",
  type: "network",
  content: "10.10.20.0/24",
  description: "fz",
};
const CHRONY = { enabled: "1", peers: "0.pool.ntp.org", allowednetworks: "10.10.30.0/24" };

const ROOT = join(__dirname, "..", "..");

/**
 * The loader the SDK's dynamic provider host uses for `__provider` (require-from-string, from
 * @pulumi/pulumi cmd/dynamic-provider/index.js): the text is loaded with no file name, so its
 * `require`s resolve from the host's working directory, the project's.
 */
const REQUIRE_FROM_STRING = createRequire(
  require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"),
).resolve("require-from-string");

/** Runs `script` in a fresh node (no tsx) in the project directory, `stdin` its input. */
const runNode = (script: string, stdin: string, env: Record<string, string>) =>
  runNodeScript(script, { cwd: ROOT, stdin, env });

describe("the shared OPNsense provider object of items and settings", () => {
  let api: OpnsenseApi;
  let firewall: FirewallRef;
  before(async () => {
    api = await startOpnsenseApi({ rollbackMs: 300 });
    firewall = { url: api.url, insecure: false };
  });
  after(() => api.close());

  it("refuses a resource that names neither an item model nor a settings model", async () => {
    const provider = opnsenseProviders(FAST);
    await assert.rejects(provider.create({ firewall, fields: {} }), OpnsenseError);
    await assert.rejects(provider.create({ firewall, model: "nat", fields: {} }), /model nat/);
    await assert.rejects(provider.create({ firewall, settings: "ntpd", fields: {} }), /settings ntpd/);
  });

  it("is serialized without credentials and routes items and settings from its text in a fresh process", async () => {
    const provider = opnsenseProviders(FAST);
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    assert.ok(!serialized.text.includes(DEFAULT_SECRET), "the secret was captured");
    assert.ok(!serialized.text.includes(DEFAULT_KEY), "the key was captured");
    // Only what items and settings run: the preflight's code (its own provider object) stays out.
    assert.ok(!serialized.text.includes("function __preflight("), "the preflight's code was captured");
    const script = `
      const text = require("node:fs").readFileSync(0, "utf8");
      const provider = require(${JSON.stringify(REQUIRE_FROM_STRING)})(text).${serialized.exportName}();
      const values = { ${JSON.stringify(KEY_CONFIG)}: process.env.K, ${JSON.stringify(SECRET_CONFIG)}: process.env.S };
      const firewall = { url: process.env.U, insecure: false };
      (async () => {
        await provider.configure({ config: { get: (k) => values[k], require: (k) => values[k] } });
        const item = await provider.create({ model: "alias", firewall, fields: JSON.parse(process.env.A) });
        const settings = await provider.create({ settings: "chrony", firewall, fields: JSON.parse(process.env.C) });
        const read = await provider.read(settings.id, settings.outs);
        console.log(JSON.stringify({ item, settings, read }));
      })().catch((error) => { console.error(error.stack || error); process.exit(1); });`;
    const child = await runNode(script, serialized.text, {
      K: DEFAULT_KEY,
      S: DEFAULT_SECRET,
      U: api.url,
      A: JSON.stringify(ALIAS),
      C: JSON.stringify(CHRONY),
    });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout.trim()) as {
      item: { id: string };
      settings: { id: string };
      read: { props: { fields: Record<string, string>; settings: string } };
    };
    assert.ok(api.state.items("firewall/alias").some((item) => item.uuid === result.item.id));
    assert.equal(api.state.chrony().allowednetworks, "10.10.30.0/24");
    assert.equal(result.settings.id, `${api.url}#chrony/general`);
    assert.deepEqual(result.read.props.fields, CHRONY);
    assert.equal(result.read.props.settings, "chrony");
  });
});
