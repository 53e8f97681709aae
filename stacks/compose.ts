/**
 * The composition root: one component per built and enabled layer, in blueprint order, each given
 * the upstream layers it needs (typed, from the record of the layers built so far), and everything
 * in it waiting for its nearest built upstream layers.
 */
import * as pulumi from "@pulumi/pulumi";
import { LAYERS, type LayerName, nearestBuiltUpstream, SERVICE_GRAPH, upstreamOf } from "./blueprint";
import { isLayerEnabled } from "./config/checks";
import type { LoadedLab } from "./config/load";
import { layerBarrier, waitFor } from "./layerOrder";
import { isBuilt, LAYER_BUILDERS } from "./layers";
import type { BuiltLayer, BuiltLayers, LayerComponents, RegisteredBuilder } from "./layers/types";
import { sharedProviders } from "./layers/shared";
import { COMPONENT_TYPES } from "../vocabulary/typeTokens";

export type LayerStatus = "built" | "not built yet" | "disabled" | "no service on";

export interface Composition {
  /** The component of every layer built in this run. */
  readonly layers: BuiltLayers;
  readonly status: Readonly<Record<LayerName, LayerStatus>>;
}

/**
 * A layer that owns services and has none of them on (the minimal profile's vuln layer) holds nothing:
 * it is skipped like a disabled one, and the layers after it wait for the ones before it.
 */
export function layerStatus(
  config: Pick<LoadedLab["model"]["config"], "layers" | "services">,
  layer: LayerName,
): LayerStatus {
  if (!isLayerEnabled(config.layers, layer)) return "disabled";
  if (!isBuilt(layer)) return "not built yet";
  const own = SERVICE_GRAPH.filter((node) => node.layer === layer);
  return own.length > 0 && !own.some((node) => config.services.includes(node.id)) ? "no service on" : "built";
}

/** The enabled services, recorded (plain) for the policy pack's dependency check; it builds nothing. */
export const SERVICES_TYPE = COMPONENT_TYPES.services;

class EnabledServices extends pulumi.ComponentResource {
  constructor(enabled: readonly string[]) {
    super(SERVICES_TYPE, "services", { enabled: [...enabled] });
    this.registerOutputs({});
  }
}

/** Why a layer is not in the record, in words that say which config key to change. */
function absence(layer: LayerName, status: LayerStatus): string {
  if (status === "disabled") return `it is disabled (fortress:layers.${layer} is false): enable it`;
  if (status === "not built yet") return "Fortress does not build it yet";
  if (status === "no service on") return `none of its services is on: add one to fortress:services`;
  return "it is built after the layer that needs it (an upstream layer must come first in the blueprint)";
}

/**
 * The upstream layers `layer` needs, each taken from the record of the layers built so far. A need
 * that is not upstream of the layer in the blueprint, or that was not built, is an error naming both
 * layers (config checks refuse a disabled upstream layer at the door, so this is the last guard).
 */
export function neededUpstream(
  layer: BuiltLayer,
  needs: readonly BuiltLayer[],
  built: BuiltLayers,
  status: Readonly<Record<LayerName, LayerStatus>>,
): Pick<LayerComponents, BuiltLayer> {
  const upstream: Partial<Record<BuiltLayer, pulumi.ComponentResource>> = {};
  for (const needed of needs) {
    if (!upstreamOf(layer).has(needed))
      throw new Error(
        `internal: the ${layer} layer needs ${needed}, which is not upstream of it in the blueprint`,
      );
    const component = built[needed];
    if (!component)
      throw new Error(`the ${layer} layer needs the ${needed} layer, but ${absence(needed, status[needed])}`);
    upstream[needed] = component;
  }
  // Holds exactly the layers of `needs`: a builder's type lets it read no others.
  return upstream as Pick<LayerComponents, BuiltLayer>;
}

export function compose({ model, secrets }: LoadedLab): Composition {
  new EnabledServices(model.config.services);
  const shared = sharedProviders(model, secrets);
  const built: { -readonly [Layer in BuiltLayer]?: LayerComponents[Layer] } = {};
  const barriers = new Map<LayerName, pulumi.Resource>();
  const status = Object.fromEntries(
    LAYERS.map((layer) => [layer, layerStatus(model.config, layer)]),
  ) as Record<LayerName, LayerStatus>;
  const buildLayer = <Layer extends BuiltLayer>(layer: Layer, builder: RegisteredBuilder<Layer>) => {
    const barriersUpstream = nearestBuiltUpstream(layer, (name) => barriers.has(name)).flatMap((name) => {
      const barrier = barriers.get(name);
      return barrier ? [barrier] : [];
    });
    const upstream = neededUpstream(layer, builder.needs, built, status);
    const component = builder.build({ lab: model, secrets, upstream, shared }, waitFor(barriersUpstream));
    built[layer] = component;
    barriers.set(layer, layerBarrier(layer, component));
  };
  for (const layer of LAYERS) {
    if (status[layer] !== "built" || !isBuilt(layer)) continue;
    buildLayer(layer, LAYER_BUILDERS[layer]);
  }
  return { layers: built, status };
}
