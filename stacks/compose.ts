/**
 * The composition root: one component per built and enabled layer, in blueprint order, each given
 * only its upstream layers and `dependsOn` its nearest built upstream layers.
 */
import * as pulumi from "@pulumi/pulumi";
import { LAYERS, type LayerName, nearestBuiltUpstream, upstreamOf } from "./blueprint";
import { isLayerEnabled } from "./config/checks";
import type { LoadedLab } from "./config/load";
import { isBuilt, LAYER_BUILDERS } from "./layers";

export type LayerStatus = "built" | "not built yet" | "disabled";

export interface Composition {
  readonly components: ReadonlyMap<LayerName, pulumi.ComponentResource>;
  readonly status: Readonly<Record<LayerName, LayerStatus>>;
}

export function layerStatus(layers: LoadedLab["model"]["config"]["layers"], layer: LayerName): LayerStatus {
  if (!isLayerEnabled(layers, layer)) return "disabled";
  return isBuilt(layer) ? "built" : "not built yet";
}

/** The enabled services, recorded (plain) for the policy pack's dependency check; it builds nothing. */
export const SERVICES_TYPE = "fortress:lab:Services";

class EnabledServices extends pulumi.ComponentResource {
  constructor(enabled: readonly string[]) {
    super(SERVICES_TYPE, "services", { enabled: [...enabled] });
    this.registerOutputs({});
  }
}

export function compose({ model, secrets }: LoadedLab): Composition {
  new EnabledServices(model.config.services);
  const components = new Map<LayerName, pulumi.ComponentResource>();
  const status = Object.fromEntries(
    LAYERS.map((layer) => [layer, layerStatus(model.config.layers, layer)]),
  ) as Record<LayerName, LayerStatus>;
  for (const layer of LAYERS) {
    const build = LAYER_BUILDERS[layer];
    if (!build || status[layer] !== "built") continue;
    const upstreamLayers = upstreamOf(layer);
    const upstream = new Map([...components].filter(([name]) => upstreamLayers.has(name)));
    const dependsOn = nearestBuiltUpstream(layer, (name) => components.has(name)).flatMap((name) => {
      const component = components.get(name);
      return component ? [component] : [];
    });
    components.set(layer, build({ lab: model, secrets, upstream }, { dependsOn }));
  }
  return { components, status };
}
