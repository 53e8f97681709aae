/** The layers Fortress builds so far. A layer missing here is listed by the plan as not built yet. */
import type { LayerName } from "../blueprint";
import { dnsDhcpLayer } from "./dnsDhcp";
import { hypervisorLayer } from "./hypervisor";
import { identityLayer } from "./identity";
import { networkLayer } from "./network";
import { platformLayer } from "./platform";
import { timeLayer } from "./time";
import type { BuiltLayer, RegisteredBuilder } from "./types";

export const LAYER_BUILDERS: { readonly [Layer in BuiltLayer]: RegisteredBuilder<Layer> } = {
  network: networkLayer,
  time: timeLayer,
  "dns-dhcp": dnsDhcpLayer,
  hypervisor: hypervisorLayer,
  platform: platformLayer,
  identity: identityLayer,
};

export function isBuilt(layer: LayerName): layer is BuiltLayer {
  return Object.hasOwn(LAYER_BUILDERS, layer);
}
