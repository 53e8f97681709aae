import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layerComponent, planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { blueprintDag } from "./blueprint-dag";
import * as command from "@pulumi/command";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";

describe("blueprint-dag", () => {
  it("names both layers and the offending resource", async () => {
    const hypervisor = layerComponent("hypervisor");
    const platform = layerComponent("platform");
    const cluster = planResource(
      pulumiTypeOf(command.remote.Command),
      "k3s-install",
      {},
      { parent: platform },
    );
    const vm = planResource(SDK_TYPES.proxmoxVm, "bad-vm", {}, { parent: hypervisor, dependsOn: [cluster] });
    const [violation, ...rest] = await evaluatePolicies([blueprintDag], [hypervisor, platform, cluster, vm]);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, vm.urn);
    assert.equal(violation?.level, "mandatory");
    assert.match(
      violation?.message ?? "",
      /bad-vm \(layer hypervisor\) depends on k3s-install in layer platform/,
    );
  });

  it("flags a dependency between sibling layers, once per dependency", async () => {
    const sensors = layerComponent("sensors");
    const vuln = layerComponent("vuln");
    const zeek = planResource("x:index:Thing", "zeek", {}, { parent: sensors });
    const greenbone = planResource(
      "x:index:Thing",
      "greenbone",
      {},
      { parent: vuln, dependsOn: [zeek, sensors] },
    );
    const violations = await evaluatePolicies([blueprintDag], [sensors, vuln, zeek, greenbone]);
    assert.equal(violations.length, 2);
    assert.ok(violations.every((violation) => violation.urn === greenbone.urn));
  });

  it("ignores dependencies on resources outside every layer", async () => {
    const hypervisor = layerComponent("hypervisor");
    const orphan = planResource(SDK_TYPES.randomPassword, "orphan");
    const vm = planResource(SDK_TYPES.proxmoxVm, "vm", {}, { parent: hypervisor, dependsOn: [orphan] });
    assert.deepEqual(await evaluatePolicies([blueprintDag], [hypervisor, orphan, vm]), []);
  });

  it("can be turned down to advisory or off by the pack config", async () => {
    const hypervisor = layerComponent("hypervisor");
    const platform = layerComponent("platform");
    const cluster = planResource("x:index:Thing", "c", {}, { parent: platform });
    const vm = planResource("x:index:Thing", "v", {}, { parent: hypervisor, dependsOn: [cluster] });
    const resources = [hypervisor, platform, cluster, vm];
    const advisory = await evaluatePolicies([blueprintDag], resources, { "blueprint-dag": "advisory" });
    assert.deepEqual(
      advisory.map((violation) => violation.level),
      ["advisory"],
    );
    assert.deepEqual(
      await evaluatePolicies([blueprintDag], resources, {
        "blueprint-dag": { enforcementLevel: "disabled" },
      }),
      [],
    );
  });
});
