/** The layers Fortress builds so far. A layer missing here is listed by the plan as not built yet. */
import type { LayerName } from "../blueprint";
import { buildDnsDhcp } from "./dnsDhcp";
import { buildHypervisor } from "./hypervisor";
import { buildIdentity } from "./identity";
import { buildNetwork } from "./network";
import { buildPlatform } from "./platform";
import { buildTime } from "./time";
import type { LayerBuild } from "./types";

export const LAYER_BUILDERS: Readonly<Partial<Record<LayerName, LayerBuild>>> = {
  network: buildNetwork,
  time: buildTime,
  "dns-dhcp": buildDnsDhcp,
  hypervisor: buildHypervisor,
  platform: buildPlatform,
  identity: buildIdentity,
};

export function isBuilt(layer: LayerName): boolean {
  return LAYER_BUILDERS[layer] !== undefined;
}
