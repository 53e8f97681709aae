/**
 * The resource graph projected onto layers: each resource's layer (its nearest ancestor that is a
 * layer component), the layer-to-layer edges the resources draw, and the checks the real engine
 * or the blueprint would make: the edges stay along the DAG and URNs are unique.
 */
import { isLayerName, type LayerName, mayDependOn } from "../blueprint";
import type { CapturedResource } from "./capture";

export interface Violation {
  readonly policy: string;
  readonly level: "mandatory" | "advisory";
  readonly urn?: string;
  readonly message: string;
}

/** `fortress:<layer>:<Name>` names the layer a component builds. */
export function layerOfType(type: string): LayerName | undefined {
  const [namespace, layer] = type.split(":");
  return namespace === "fortress" && layer !== undefined && isLayerName(layer) ? layer : undefined;
}

export function assignLayers(resources: readonly CapturedResource[]): Map<string, LayerName | null> {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const layers = new Map<string, LayerName | null>();
  const resolve = (urn: string, depth = 0): LayerName | null => {
    const known = layers.get(urn);
    if (known !== undefined) return known;
    const resource = byUrn.get(urn);
    if (!resource || depth > 1000) return null;
    const layer =
      layerOfType(resource.type) ?? (resource.parent ? resolve(resource.parent, depth + 1) : null);
    layers.set(urn, layer);
    return layer;
  };
  for (const resource of resources) resolve(resource.urn);
  return layers;
}

export interface LayerEdge {
  readonly from: LayerName;
  readonly to: LayerName;
}

/** Layer pairs (from depends on to) drawn by resource dependencies, each once. */
export function observedLayerEdges(
  resources: readonly CapturedResource[],
  layers: ReadonlyMap<string, LayerName | null>,
): LayerEdge[] {
  const seen = new Map<string, LayerEdge>();
  for (const resource of resources) {
    const from = layers.get(resource.urn);
    if (!from) continue;
    for (const dependency of resource.dependencies) {
      const to = layers.get(dependency);
      if (to && to !== from) seen.set(`${from}->${to}`, { from, to });
    }
  }
  return [...seen.values()];
}

export function dagViolations(
  resources: readonly CapturedResource[],
  layers: ReadonlyMap<string, LayerName | null>,
): Violation[] {
  return resources.flatMap((resource) => {
    const from = layers.get(resource.urn);
    if (!from) return [];
    return resource.dependencies.flatMap<Violation>((dependency) => {
      const to = layers.get(dependency);
      return to && !mayDependOn(from, to)
        ? [
            {
              policy: "blueprint-dag",
              level: "mandatory",
              urn: resource.urn,
              message: `a ${from} resource depends on ${dependency} in layer ${to}, which is not upstream of ${from}`,
            },
          ]
        : [];
    });
  });
}

export function duplicateUrnViolations(resources: readonly CapturedResource[]): Violation[] {
  const counts = new Map<string, number>();
  for (const resource of resources) counts.set(resource.urn, (counts.get(resource.urn) ?? 0) + 1);
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(([urn, count]) => ({
      policy: "unique-urn",
      level: "mandatory",
      urn,
      message: `${count} resources share this URN; the Pulumi engine rejects duplicates (the mocks do not)`,
    }));
}
