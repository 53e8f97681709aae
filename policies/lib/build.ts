/** Hand-built plan resources for fixtures and tests, shaped as the plan captures them. */
import type { PlanResource } from "./types";

export interface BuildOptions {
  readonly parent?: PlanResource;
  readonly dependsOn?: readonly PlanResource[];
  readonly protect?: boolean;
}

export function planResource(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  options: BuildOptions = {},
): PlanResource {
  const parentType = options.parent ? `${options.parent.type}$` : "";
  return {
    urn: `urn:pulumi:fixture::fortress::${parentType}${type}::${name}`,
    type,
    name,
    parent: options.parent?.urn ?? null,
    dependencies: (options.dependsOn ?? []).map((resource) => resource.urn),
    protect: options.protect ?? false,
    provider: null,
    inputs,
  };
}

/** A layer component, `fortress:<layer>:<Name>`, to parent fixture resources under. */
export function layerComponent(layer: string, name = layer): PlanResource {
  const typeName = name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
  return planResource(`fortress:${layer}:${typeName}`, name);
}
