/** The layers Fortress builds so far. A layer missing here is listed by the plan as not built yet. */
import type { LayerName } from "../blueprint";
import { buildHypervisor } from "./hypervisor";
import type { LayerBuild } from "./types";

export const LAYER_BUILDERS: Readonly<Partial<Record<LayerName, LayerBuild>>> = {
  hypervisor: buildHypervisor,
};

export function isBuilt(layer: LayerName): boolean {
  return LAYER_BUILDERS[layer] !== undefined;
}
