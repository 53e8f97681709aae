/**
 * The resource graph projected onto layers: each resource's layer (its nearest ancestor that is a
 * layer component), the layer-to-layer edges the resources draw, and the checks the real engine
 * would make: URNs are unique. (The DAG itself is checked by the policy pack's blueprint-dag.)
 */
import { isLayerName, type LayerName } from "../blueprint";
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
