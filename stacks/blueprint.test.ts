import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BLUEPRINT,
  EDGES,
  isLayerName,
  LAYERS,
  type LayerName,
  layerSpec,
  mayDependOn,
  nearestBuiltUpstream,
  upstreamOf,
} from "./blueprint";

/** DESIGN.md §2, column "depends on", written out by hand: [layer, what it depends on]. */
const DESIGN_EDGES: readonly (readonly [LayerName, LayerName])[] = [
  ["time", "network"],
  ["dns-dhcp", "time"],
  ["hypervisor", "dns-dhcp"],
  ["platform", "hypervisor"],
  ["identity", "platform"],
  ["siem", "identity"],
  ["sensors", "siem"],
  ["endpoint", "siem"],
  ["vuln", "siem"],
  ["response", "siem"],
  ["monitoring", "response"],
  ["monitoring", "sensors"],
  ["monitoring", "endpoint"],
  ["monitoring", "vuln"],
];

const key = ([from, to]: readonly [string, string]) => `${from} -> ${to}`;

describe("blueprint", () => {
  it("has the twelve layers of DESIGN.md §2, each once, each with a spec", () => {
    assert.equal(LAYERS.length, 12);
    assert.equal(new Set(LAYERS).size, 12);
    assert.deepEqual(
      BLUEPRINT.map((layer) => layer.name),
      [...LAYERS],
    );
    for (const layer of LAYERS) assert.equal(layerSpec(layer).name, layer);
  });

  it("draws exactly the edges of DESIGN.md §2", () => {
    assert.equal(EDGES.length, DESIGN_EDGES.length);
    assert.deepEqual(EDGES.map(key).sort(), DESIGN_EDGES.map(key).sort());
  });

  it("has no duplicate edges and no self-loops", () => {
    assert.equal(new Set(EDGES.map(key)).size, EDGES.length);
    for (const [from, to] of EDGES) assert.notEqual(from, to);
  });

  it("is acyclic (Kahn's algorithm removes every layer)", () => {
    const indegree = new Map<LayerName, number>(LAYERS.map((layer) => [layer, 0]));
    for (const [from] of EDGES) indegree.set(from, (indegree.get(from) ?? 0) + 1);
    const ready = LAYERS.filter((layer) => indegree.get(layer) === 0);
    const order: LayerName[] = [];
    while (ready.length > 0) {
      const layer = ready.shift() as LayerName;
      order.push(layer);
      for (const [from, to] of EDGES) {
        if (to !== layer) continue;
        const left = (indegree.get(from) ?? 0) - 1;
        indegree.set(from, left);
        if (left === 0) ready.push(from);
      }
    }
    assert.equal(order.length, LAYERS.length, `cycle among ${LAYERS.filter((l) => !order.includes(l))}`);
  });

  it("lists LAYERS in a deployment order: every dependency comes before its dependant", () => {
    for (const [from, to] of EDGES) {
      assert.ok(LAYERS.indexOf(to) < LAYERS.indexOf(from), `${to} must come before ${from}`);
    }
  });

  it("has network as its only root, reached from every other layer", () => {
    assert.deepEqual(
      BLUEPRINT.filter((layer) => layer.dependsOn.length === 0).map((layer) => layer.name),
      ["network"],
    );
    for (const layer of LAYERS.filter((name) => name !== "network")) {
      assert.ok(upstreamOf(layer).has("network"), `${layer} does not reach network`);
    }
    assert.equal(upstreamOf("network").size, 0);
  });

  it("puts every other layer upstream of monitoring, and monitoring upstream of none", () => {
    const upstream = upstreamOf("monitoring");
    assert.deepEqual([...upstream].sort(), LAYERS.filter((layer) => layer !== "monitoring").sort());
    for (const layer of LAYERS) assert.ok(!upstreamOf(layer).has("monitoring"));
  });

  it("gives the transitive upstream of a middle layer and nothing downstream", () => {
    assert.deepEqual([...upstreamOf("platform")].sort(), ["dns-dhcp", "hypervisor", "network", "time"]);
    assert.deepEqual([...upstreamOf("sensors")].sort(), [
      "dns-dhcp",
      "hypervisor",
      "identity",
      "network",
      "platform",
      "siem",
      "time",
    ]);
  });

  it("mayDependOn holds along paths and within a layer", () => {
    assert.ok(mayDependOn("time", "network"));
    assert.ok(mayDependOn("monitoring", "network"));
    assert.ok(mayDependOn("monitoring", "sensors"));
    assert.ok(mayDependOn("response", "hypervisor"));
    assert.ok(mayDependOn("platform", "platform"));
    for (const [from, to] of EDGES) assert.ok(mayDependOn(from, to));
  });

  it("mayDependOn is false upstream -> downstream", () => {
    assert.equal(mayDependOn("network", "time"), false);
    assert.equal(mayDependOn("hypervisor", "platform"), false);
    assert.equal(mayDependOn("siem", "monitoring"), false);
    for (const [from, to] of EDGES) assert.equal(mayDependOn(to, from), false, `${to} -> ${from}`);
  });

  it("mayDependOn is false between siblings", () => {
    const siblings: LayerName[] = ["sensors", "endpoint", "vuln", "response"];
    for (const a of siblings) {
      for (const b of siblings) {
        if (a !== b) assert.equal(mayDependOn(a, b), false, `${a} -> ${b}`);
      }
    }
  });

  describe("nearestBuiltUpstream", () => {
    const built =
      (...layers: LayerName[]) =>
      (layer: LayerName) =>
        layers.includes(layer);

    it("looks through unbuilt layers to the nearest built one", () => {
      assert.deepEqual(nearestBuiltUpstream("platform", built("hypervisor")), ["hypervisor"]);
      assert.deepEqual(nearestBuiltUpstream("platform", built("network")), ["network"]);
      assert.deepEqual(nearestBuiltUpstream("siem", built("network", "hypervisor")), ["hypervisor"]);
    });

    it("gives nothing when nothing upstream is built", () => {
      assert.deepEqual(nearestBuiltUpstream("hypervisor", built()), []);
      assert.deepEqual(nearestBuiltUpstream("network", built(...LAYERS)), []);
    });

    it("gives the direct parents when everything is built", () => {
      const all = built(...LAYERS);
      assert.deepEqual(nearestBuiltUpstream("monitoring", all), ["sensors", "endpoint", "vuln", "response"]);
      assert.deepEqual(nearestBuiltUpstream("time", all), ["network"]);
      assert.deepEqual(nearestBuiltUpstream("vuln", all), ["siem"]);
    });

    it("follows every path of a fan-in", () => {
      assert.deepEqual(nearestBuiltUpstream("monitoring", built("siem", "vuln")), ["siem", "vuln"]);
      assert.deepEqual(nearestBuiltUpstream("monitoring", built("identity", "platform")), ["identity"]);
    });

    it("only ever names layers upstream of the layer", () => {
      for (const layer of LAYERS) {
        for (const found of nearestBuiltUpstream(layer, built(...LAYERS))) {
          assert.ok(upstreamOf(layer).has(found), `${found} is not upstream of ${layer}`);
        }
      }
    });
  });

  it("rejects unknown layer names", () => {
    assert.equal(isLayerName("siem"), true);
    assert.equal(isLayerName("dns"), false);
    assert.equal(isLayerName(""), false);
    assert.throws(() => layerSpec("nope" as LayerName), /unknown layer nope/);
  });
});
