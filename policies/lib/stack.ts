/** Reading the stack as a whole: the layer a resource is in, resources by type, dependencies between them. */
import type { PolicyResource } from "@pulumi/policy";
import { isLayerName, type LayerName } from "../../stacks/blueprint";

/** `fortress:<layer>:<Name>` names a layer component. */
export function layerOfType(type: string): LayerName | undefined {
  const [namespace, layer] = type.split(":");
  return namespace === "fortress" && layer !== undefined && isLayerName(layer) ? layer : undefined;
}

/** The layer of a resource: its nearest ancestor that is a layer component (itself included). */
export function layerOf(resource: PolicyResource): LayerName | undefined {
  let current: PolicyResource | undefined = resource;
  for (let depth = 0; current && depth < 1000; depth++) {
    const layer = layerOfType(current.type);
    if (layer) return layer;
    current = current.parent;
  }
  return undefined;
}

/** Resources grouped by type in one pass, so that a stack policy never scans the stack once per resource. */
export function resourcesByType(resources: readonly PolicyResource[]): Map<string, PolicyResource[]> {
  const byType = new Map<string, PolicyResource[]>();
  for (const resource of resources) {
    const group = byType.get(resource.type);
    if (group) group.push(resource);
    else byType.set(resource.type, [resource]);
  }
  return byType;
}

/** Whether `resource` depends on `target`, directly or through one of its inputs. */
export function dependsOnResource(resource: PolicyResource, target: PolicyResource): boolean {
  return [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()].some(
    (dependency) => dependency.urn === target.urn,
  );
}
