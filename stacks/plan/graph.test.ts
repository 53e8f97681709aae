import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CapturedResource } from "./capture";
import {
  assignLayers,
  duplicateUrnViolations,
  layerOfType,
  observedLayerEdges,
} from "./graph";

const STACK = "urn:pulumi:home::fortress";

function resource(
  type: string,
  name: string,
  options: { parent?: string | null; dependencies?: string[]; custom?: boolean } = {},
): CapturedResource {
  return {
    urn: `${STACK}::${type}::${name}`,
    type,
    name,
    custom: options.custom ?? !type.startsWith("fortress:"),
    parent: options.parent ?? null,
    dependencies: options.dependencies ?? [],
    protect: false,
    provider: null,
    inputs: {},
  };
}

/**
 * A small stack: the root stack resource, a network layer with a bridge, a hypervisor layer with
 * a nested helper component holding a VM, a platform layer, and an orphan outside any layer.
 */
function fixture() {
  const stack = resource("pulumi:pulumi:Stack", "fortress-home", { custom: false });
  const network = resource("fortress:network:Network", "network", { parent: stack.urn });
  const bridge = resource("proxmoxve:network/linux/bridge:Bridge", "vmbr0", { parent: network.urn });
  const hypervisor = resource("fortress:hypervisor:Hypervisor", "hypervisor", { parent: stack.urn });
  const helper = resource("fortress:shared:CloudInit", "k3s-server-1-init", { parent: hypervisor.urn });
  const vm = resource("proxmoxve:index/vmLegacy:VmLegacy", "k3s-server-1", {
    parent: helper.urn,
    dependencies: [bridge.urn],
  });
  const platform = resource("fortress:platform:Platform", "platform", { parent: stack.urn });
  const cluster = resource("command:remote:Command", "k3s-init", {
    parent: platform.urn,
    dependencies: [vm.urn],
  });
  const orphan = resource("random:index/randomPassword:RandomPassword", "orphan", { parent: stack.urn });
  return { stack, network, bridge, hypervisor, helper, vm, platform, cluster, orphan };
}

const all = (f: ReturnType<typeof fixture>) => Object.values(f);

describe("layerOfType", () => {
  it("reads the layer from fortress:<layer>:<Name> and nothing else", () => {
    assert.equal(layerOfType("fortress:hypervisor:Hypervisor"), "hypervisor");
    assert.equal(layerOfType("fortress:dns-dhcp:DnsDhcp"), "dns-dhcp");
    assert.equal(layerOfType("fortress:shared:CloudInit"), undefined);
    assert.equal(layerOfType("other:hypervisor:Hypervisor"), undefined);
    assert.equal(layerOfType("proxmoxve:index/vmLegacy:VmLegacy"), undefined);
    assert.equal(layerOfType("fortress"), undefined);
  });
});

describe("assignLayers", () => {
  it("gives each resource the layer of its nearest layer component, through nested components", () => {
    const f = fixture();
    const layers = assignLayers(all(f));
    assert.equal(layers.get(f.network.urn), "network");
    assert.equal(layers.get(f.bridge.urn), "network");
    assert.equal(layers.get(f.hypervisor.urn), "hypervisor");
    assert.equal(layers.get(f.helper.urn), "hypervisor");
    assert.equal(layers.get(f.vm.urn), "hypervisor");
    assert.equal(layers.get(f.cluster.urn), "platform");
  });

  it("gives null to resources outside every layer and to those whose parent was not captured", () => {
    const f = fixture();
    const stray = resource("random:index/randomId:RandomId", "stray", {
      parent: `${STACK}::missing::parent`,
    });
    const layers = assignLayers([...all(f), stray]);
    assert.equal(layers.get(f.stack.urn), null);
    assert.equal(layers.get(f.orphan.urn), null);
    assert.equal(layers.get(stray.urn), null);
    assert.equal(layers.size, all(f).length + 1);
  });

  it("does not depend on the order the resources were registered in", () => {
    const f = fixture();
    const forward = assignLayers(all(f));
    const backward = assignLayers([...all(f)].reverse());
    assert.deepEqual(
      [...backward].sort(([a], [b]) => a.localeCompare(b)),
      [...forward].sort(([a], [b]) => a.localeCompare(b)),
    );
  });

  it("terminates on a parent cycle", () => {
    const a = resource("x:y:Z", "a", { parent: `${STACK}::x:y:Z::b` });
    const b = resource("x:y:Z", "b", { parent: a.urn });
    const layers = assignLayers([a, b]);
    assert.equal(layers.get(a.urn), null);
    assert.equal(layers.get(b.urn), null);
  });
});

describe("observedLayerEdges", () => {
  it("projects resource dependencies onto layers, each pair once, without self-edges or unlayered ends", () => {
    const f = fixture();
    const extraVm = resource("proxmoxve:index/vmLegacy:VmLegacy", "k3s-server-2", {
      parent: f.hypervisor.urn,
      dependencies: [f.bridge.urn, f.vm.urn, f.orphan.urn],
    });
    const resources = [...all(f), extraVm];
    const edges = observedLayerEdges(resources, assignLayers(resources));
    const pairs = edges.map((edge) => `${edge.from}->${edge.to}`).sort();
    assert.deepEqual(pairs, ["hypervisor->network", "platform->hypervisor"]);
  });

  it("is empty when nothing crosses a layer", () => {
    const f = fixture();
    const resources = [f.stack, f.network, f.bridge];
    assert.deepEqual(observedLayerEdges(resources, assignLayers(resources)), []);
  });
});

describe("duplicateUrnViolations", () => {
  it("finds nothing in a stack of unique URNs", () => {
    assert.deepEqual(duplicateUrnViolations(all(fixture())), []);
  });

  it("reports each duplicated URN once, with its count", () => {
    const f = fixture();
    const resources = [...all(f), { ...f.vm }, { ...f.vm }, { ...f.bridge }];
    const violations = duplicateUrnViolations(resources);
    assert.equal(violations.length, 2);
    const byUrn = new Map(violations.map((violation) => [violation.urn, violation]));
    assert.match(byUrn.get(f.vm.urn)?.message ?? "", /^3 resources share this URN/);
    assert.match(byUrn.get(f.bridge.urn)?.message ?? "", /^2 resources share this URN/);
    for (const violation of violations) {
      assert.equal(violation.policy, "unique-urn");
      assert.equal(violation.level, "mandatory");
    }
  });
});
