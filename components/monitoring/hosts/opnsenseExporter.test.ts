import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations } from "../../../stacks/plan/capture";
import { COMPONENT_TYPES, opnsenseType } from "../../../vocabulary/typeTokens";
import { nodeExporterFields, OpnsenseNodeExporter } from "./opnsenseExporter";

type Inputs = Record<string, unknown>;
const FIREWALL = { url: "https://10.10.10.1", insecure: false };

describe("OpnsenseNodeExporter under mocks", () => {
  let resources: CapturedResource[] = [];
  let withInstall: OpnsenseNodeExporter;
  let byHand: OpnsenseNodeExporter;

  before(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (mock) => ({ id: `${mock.name}-id`, state: mock.inputs }), call: (mock) => mock.inputs },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    withInstall = new OpnsenseNodeExporter("fw-exporter", {
      firewall: FIREWALL,
      listenAddress: "10.10.20.1",
      installPlugin: true,
    });
    byHand = new OpnsenseNodeExporter("fw-exporter-hand", {
      firewall: FIREWALL,
      listenAddress: "10.10.20.1",
      installPlugin: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("installs the plugin first, then turns the exporter on at the servers-side address, port 9100, every collector switch set", () => {
    const plugin = resources.find((resource) => resource.name === "fw-exporter-plugin");
    const settings = resources.find((resource) => resource.name === "fw-exporter-settings");
    assert.equal(plugin?.type, opnsenseType("plugin"));
    assert.equal((plugin?.inputs as Inputs).name, "os-node_exporter");
    assert.equal(settings?.type, opnsenseType("nodeExporter"));
    assert.ok(settings?.dependencies.includes(plugin?.urn ?? ""));
    const fields = (settings?.inputs as { fields: Record<string, string> }).fields;
    assert.equal(fields.enabled, "1");
    assert.equal(fields.listenaddress, "10.10.20.1");
    assert.equal(fields.listenport, "9100");
    assert.equal(Object.keys(fields).length, Object.keys(nodeExporterFields("10.10.20.1")).length);
    const component = resources.find((resource) => resource.type === COMPONENT_TYPES.opnsenseNodeExporter);
    assert.equal(settings?.parent, component?.urn);
  });

  it("leaves the install to the admin when asked, and hands the opnsense job either way", () => {
    assert.equal(byHand.plugin, undefined);
    assert.ok(!resources.some((resource) => resource.name === "fw-exporter-hand-plugin"));
    for (const exporter of [withInstall, byHand])
      assert.deepEqual(exporter.job.targets, [
        { address: "10.10.20.1:9100", labels: { layer: "network", role: "firewall" } },
      ]);
    assert.throws(() => nodeExporterFields("0.0.0.0/0"), /no IPv4 address/);
  });
});
