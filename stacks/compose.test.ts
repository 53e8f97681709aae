/** The hand-off between layers: a builder gets the upstream layers it names, or the run stops saying why. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LAYERS, type LayerName, upstreamOf } from "./blueprint";
import { type LayerStatus, neededUpstream } from "./compose";
import { LAYER_BUILDERS } from "./layers";
import type { BuiltLayer } from "./layers/types";

const statusWith = (changes: Partial<Record<LayerName, LayerStatus>>): Record<LayerName, LayerStatus> => ({
  ...(Object.fromEntries(LAYERS.map((layer) => [layer, "built"])) as Record<LayerName, LayerStatus>),
  ...changes,
});

describe("the layers each builder needs", () => {
  it("are upstream of it in the blueprint, so compose.ts has built them before it", () => {
    for (const [layer, builder] of Object.entries(LAYER_BUILDERS) as [
      BuiltLayer,
      { needs: readonly BuiltLayer[] },
    ][]) {
      const upstream = upstreamOf(layer);
      for (const needed of builder.needs)
        assert.ok(upstream.has(needed), `${layer} needs ${needed}, which is not upstream of it`);
    }
  });

  it("name what the platform and identity layers read of the layers below", () => {
    assert.deepEqual(LAYER_BUILDERS.platform.needs, ["hypervisor"]);
    assert.deepEqual(LAYER_BUILDERS.identity.needs, ["platform"]);
    assert.deepEqual(LAYER_BUILDERS.network.needs, []);
  });
});

describe("neededUpstream", () => {
  it("refuses a needed layer that is disabled, naming both layers and the config key", () => {
    assert.throws(
      () => neededUpstream("identity", ["platform"], {}, statusWith({ platform: "disabled" })),
      (error: Error) =>
        /identity layer needs the platform layer/.test(error.message) &&
        error.message.includes("fortress:layers.platform"),
    );
  });

  it("refuses a needed layer that is not built, instead of handing the builder an empty object", () => {
    assert.throws(
      () => neededUpstream("time", ["network"], {}, statusWith({})),
      /the time layer needs the network layer/,
    );
  });

  it("refuses a need that is not upstream of the layer in the blueprint", () => {
    assert.throws(
      () => neededUpstream("network", ["identity"], {}, statusWith({})),
      /network layer needs identity, which is not upstream of it/,
    );
  });

  it("hands over nothing for a layer that needs nothing", () => {
    assert.deepEqual(neededUpstream("network", [], {}, statusWith({})), {});
  });
});
