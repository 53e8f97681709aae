/**
 * The os-node_exporter plugin through the provider's real HTTP code against the loopback API, on each
 * supported version: installed through the firmware API (the job polled until done, the install
 * proven by `info`), adopted when already there, configured through its own API with the least
 * privileges, its rc.conf listening on the one address Fortress gives it.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { OpnsenseError, OpnsensePrivilegeError } from "../../components/opnsense/errors";
import { NODE_EXPORTER } from "../../components/opnsense/models";
import {
  PLUGIN_KIND,
  type PluginInputs,
  type PluginOutputs,
  PluginProvider,
} from "../../components/opnsense/plugin";
import { privilegeFor } from "../../components/opnsense/privileges";
import { PLUGIN_ENDPOINTS } from "../../components/opnsense/preflight";
import {
  KEY_CONFIG,
  SECRET_CONFIG,
  type SettingsInputs,
  SettingsProvider,
  type Timing,
} from "../../components/opnsense/provider";
import { toSettingsFields } from "../../components/opnsense/toFields";
import { nodeExporterFields } from "../../components/monitoring/hosts/opnsenseExporter";
import { NODE_EXPORTER_PLUGIN } from "./nodeExporter";
import { type OpnsenseApi, startOpnsenseApi } from "./server";

const FAST: Timing = {
  retry: { timeoutMs: 400, retries: 3, backoffMs: 5 },
  probe: { timeoutMs: 250, attempts: 2, intervalMs: 5 },
};
const FIRMWARE = "System: Firmware";
const EXPORTER = "Services: Prometheus Exporter";

async function configured<T extends { configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> }>(
  provider: T,
  key: string,
  secret: string,
): Promise<T> {
  const values: Record<string, string> = { [KEY_CONFIG]: key, [SECRET_CONFIG]: secret };
  await provider.configure({
    config: { get: (name) => values[name], require: (name) => values[name] ?? "" },
  });
  return provider;
}

const servers: OpnsenseApi[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function firewall(version: string, plugins: string[] = []) {
  const api = await startOpnsenseApi({
    version,
    plugins,
    users: [
      { key: "firmware", secret: "f", privileges: [FIRMWARE] },
      { key: "exporter", secret: "e", privileges: [EXPORTER] },
      { key: "other", secret: "o", privileges: ["Services: Chrony"] },
    ],
  });
  servers.push(api);
  return api;
}

const pluginInputs = (api: OpnsenseApi): PluginInputs => ({
  kind: PLUGIN_KIND,
  firewall: { url: api.url, insecure: false },
  name: NODE_EXPORTER_PLUGIN,
  timeoutSeconds: 5,
});

for (const version of ["25.7.3", "26.1.2", "26.7.1"]) {
  describe(`os-node_exporter on OPNsense ${version}`, () => {
    it("installs the plugin through the firmware API with 'System: Firmware' alone, then adopts nothing twice", async () => {
      const api = await firewall(version);
      const plugins = await configured(new PluginProvider(FAST), "firmware", "f");
      const created = await plugins.create(pluginInputs(api));
      const outs = created.outs as PluginOutputs;
      assert.equal(outs.version, "1.2");
      assert.equal(outs.adopted, "0");
      assert.ok(api.state.firmware.installed.has(NODE_EXPORTER_PLUGIN));
      assert.deepEqual(api.state.firmware.started, [`install ${NODE_EXPORTER_PLUGIN}`]);
      // The job was polled until its log said done.
      const polls = api.state.requests.filter((request) =>
        request.path.endsWith("core/firmware/upgradestatus"),
      );
      assert.ok(polls.length >= 2);
      const read = await plugins.read(created.id, outs);
      assert.equal(read.props?.version, "1.2");
      const again = await plugins.create(pluginInputs(api));
      const adopted = again.outs as PluginOutputs;
      assert.equal(adopted.adopted, "1");
      assert.equal(api.state.firmware.started.length, 1, "no second install");
      // Fortress's install is removed on delete; an adopted plugin stays.
      await plugins.delete(again.id, adopted);
      assert.ok(api.state.firmware.installed.has(NODE_EXPORTER_PLUGIN));
      await plugins.delete(created.id, outs);
      assert.ok(!api.state.firmware.installed.has(NODE_EXPORTER_PLUGIN));
    });

    it("fails when the job ends done but pkg installed nothing, when it runs too long, and names the privilege on a 403", async () => {
      const api = await firewall(version);
      api.state.firmware.broken.add(NODE_EXPORTER_PLUGIN);
      const plugins = await configured(new PluginProvider(FAST), "firmware", "f");
      await assert.rejects(
        plugins.create(pluginInputs(api)),
        /the firmware job finished but os-node_exporter is not installed/,
      );
      api.state.firmware.broken.clear();
      api.state.firmware.jobPolls = 1_000_000;
      await assert.rejects(
        plugins.create({ ...pluginInputs(api), timeoutSeconds: 0.05 }),
        /did not finish within/,
      );
      const refused = await configured(new PluginProvider(FAST), "exporter", "e");
      await assert.rejects(
        refused.create(pluginInputs(api)),
        (error: unknown) => error instanceof OpnsensePrivilegeError && /System: Firmware/.test(error.message),
      );
      await assert.rejects(
        plugins.create({ ...pluginInputs(api), name: "os-x; rm" }),
        (error: unknown) =>
          error instanceof OpnsenseError && /no OPNsense plugin package name/.test(error.message),
      );
    });

    it("configures the exporter with 'Services: Prometheus Exporter' alone: on, one address, port 9100, the collectors the dashboards read", async () => {
      const api = await firewall(version, [NODE_EXPORTER_PLUGIN]);
      const settings = await configured(new SettingsProvider(NODE_EXPORTER, FAST), "exporter", "e");
      const inputs: SettingsInputs = {
        settings: "nodeExporter",
        firewall: { url: api.url, insecure: false },
        fields: toSettingsFields(NODE_EXPORTER, nodeExporterFields("10.10.20.1")) as Record<string, string>,
      };
      await settings.create(inputs);
      const stored = api.state.nodeExporter();
      assert.equal(stored.enabled, "1");
      assert.equal(stored.listenaddress, "10.10.20.1");
      assert.equal(stored.listenport, "9100");
      assert.equal(api.state.reconfigures["nodeexporter/service"], 1);
      assert.ok(api.state.running("nodeexporter/service"));
      const rc = api.state.nodeExporterRcConf() ?? "";
      assert.match(rc, /^node_exporter_listen_address="10\.10\.20\.1:9100"$/m);
      for (const collector of ["cpu", "filesystem", "loadavg", "meminfo", "netdev", "time"])
        assert.doesNotMatch(rc, new RegExp(`--no-collector\\.${collector} `), collector);
      const read = await settings.read("nodeexporter", inputs);
      assert.deepEqual(read.props?.fields, inputs.fields);
    });

    it("is absent until the plugin is installed (the preflight's probe answers 404), and refuses a listen address with a netmask", async () => {
      const api = await firewall(version);
      const settings = await configured(new SettingsProvider(NODE_EXPORTER, FAST), "exporter", "e");
      const inputs: SettingsInputs = {
        settings: "nodeExporter",
        firewall: { url: api.url, insecure: false },
        fields: toSettingsFields(NODE_EXPORTER, nodeExporterFields("10.10.20.1")) as Record<string, string>,
      };
      await assert.rejects(settings.create(inputs), /404|not found/i);
      assert.equal(PLUGIN_ENDPOINTS[NODE_EXPORTER_PLUGIN], "nodeexporter/general/get");
      api.state.firmware.installed.add(NODE_EXPORTER_PLUGIN);
      await assert.rejects(
        settings.create({ ...inputs, fields: { ...inputs.fields, listenaddress: "10.10.20.0/24" } }),
        /listenaddress/,
      );
      const wrong = await configured(new SettingsProvider(NODE_EXPORTER, FAST), "other", "o");
      await assert.rejects(
        wrong.create(inputs),
        (error: unknown) =>
          error instanceof OpnsensePrivilegeError && /Services: Prometheus Exporter/.test(error.message),
      );
    });
  });
}

describe("the node exporter's privileges", () => {
  it("names the plugin's own privilege for its API and 'System: Firmware' for the firmware calls", () => {
    assert.equal(privilegeFor("nodeexporter/general/set", "26.7"), EXPORTER);
    assert.equal(privilegeFor("nodeexporter/service/reconfigure", "25.7"), EXPORTER);
    for (const path of [
      "core/firmware/install/os-node_exporter",
      "core/firmware/upgradestatus",
      "core/firmware/info",
    ])
      assert.equal(privilegeFor(path, "26.1"), FIRMWARE, path);
  });
});
