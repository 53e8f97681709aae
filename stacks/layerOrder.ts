/**
 * Layer ordering that the engine honours. `dependsOn` on a component makes only the component wait,
 * not the resources inside it, so each built layer ends with a barrier (a tiny random.RandomId that
 * depends on the whole layer) and every resource of a downstream layer depends on the barriers of
 * its nearest built upstream layers, through a transformation the layer's children inherit. One
 * edge per resource, instead of one per pair of resources across two layers.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { LayerName } from "./blueprint";

/** Resource options that make a layer and everything in it wait for `barriers`. */
export function waitFor(barriers: readonly pulumi.Resource[]): pulumi.ComponentResourceOptions {
  if (barriers.length === 0) return {};
  const inherit: pulumi.ResourceTransformation = (args) => ({
    props: args.props,
    opts: pulumi.mergeOptions(args.opts, { dependsOn: [...barriers] }),
  });
  return { dependsOn: [...barriers], transformations: [inherit] };
}

/**
 * A layer with parts the layers below must not wait for (the hypervisor's GPU VMs: a GPU that
 * Proxmox refuses to pass through must not hold back k3s and everything on it). Its barrier waits
 * for `barrierWaitsFor` only; whatever needs the other parts depends on them directly.
 */
export interface LayerWithOptionalParts {
  readonly barrierWaitsFor: readonly pulumi.Resource[];
}

/** The barrier that stands for "every resource of this layer exists" (but its optional parts). */
export function layerBarrier(
  layer: LayerName,
  component: pulumi.ComponentResource & Partial<LayerWithOptionalParts>,
): pulumi.Resource {
  return new random.RandomId(
    `${layer}-ready`,
    { byteLength: 4 },
    {
      parent: component,
      dependsOn: component.barrierWaitsFor ? [...component.barrierWaitsFor] : [component],
    },
  );
}
