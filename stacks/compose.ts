/**
 * The composition root: one component per built and enabled layer, in blueprint order, each given
 * only its upstream layers, and everything in it waiting for its nearest built upstream layers.
 */
import * as pulumi from "@pulumi/pulumi";
import { LAYERS, type LayerName, nearestBuiltUpstream, upstreamOf } from "./blueprint";
import { isLayerEnabled } from "./config/checks";
import type { LoadedLab } from "./config/load";
import { layerBarrier, waitFor } from "./layerOrder";
import { isBuilt, LAYER_BUILDERS } from "./layers";
import { COMPONENT_TYPES } from "../vocabulary/typeTokens";

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
export const SERVICES_TYPE = COMPONENT_TYPES.services;

class EnabledServices extends pulumi.ComponentResource {
  constructor(enabled: readonly string[]) {
    super(SERVICES_TYPE, "services", { enabled: [...enabled] });
    this.registerOutputs({});
  }
}

export function compose({ model, secrets }: LoadedLab): Composition {
  new EnabledServices(model.config.services);
  const components = new Map<LayerName, pulumi.ComponentResource>();
  const barriers = new Map<LayerName, pulumi.Resource>();
  const status = Object.fromEntries(
    LAYERS.map((layer) => [layer, layerStatus(model.config.layers, layer)]),
  ) as Record<LayerName, LayerStatus>;
  for (const layer of LAYERS) {
    const build = LAYER_BUILDERS[layer];
    if (!build || status[layer] !== "built") continue;
    const upstreamLayers = upstreamOf(layer);
    const upstream = new Map([...components].filter(([name]) => upstreamLayers.has(name)));
    const barriersUpstream = nearestBuiltUpstream(layer, (name) => barriers.has(name)).flatMap((name) => {
      const barrier = barriers.get(name);
      return barrier ? [barrier] : [];
    });
    const component = build({ lab: model, secrets, upstream }, waitFor(barriersUpstream));
    components.set(layer, component);
    barriers.set(layer, layerBarrier(layer, component));
  }
  return { components, status };
}
