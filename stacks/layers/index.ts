/**
 * The layers Fortress builds so far, each with the upstream layers it needs. A layer missing here is
 * listed by the plan as not built yet.
 */
import type { LayerName } from "../blueprint";
import { buildDnsDhcp } from "./dnsDhcp";
import { buildEndpoint } from "./endpoint";
import { buildHypervisor } from "./hypervisor";
import { buildIdentity } from "./identity";
import { buildMonitoring } from "./monitoring";
import { buildNetwork } from "./network";
import { buildPlatform } from "./platform";
import { buildResponse } from "./response";
import { buildSensors } from "./sensors";
import { buildSiem } from "./siem";
import { buildTime } from "./time";
import { buildVuln } from "./vuln";
import { type BuiltLayer, layer, type RegisteredBuilder } from "./types";

export const LAYER_BUILDERS: { readonly [Layer in BuiltLayer]: RegisteredBuilder<Layer> } = {
  network: layer({}, buildNetwork),
  time: layer({ network: true }, buildTime),
  "dns-dhcp": layer({ network: true }, buildDnsDhcp),
  hypervisor: layer({ network: true }, buildHypervisor),
  platform: layer({ hypervisor: true }, buildPlatform),
  identity: layer({ platform: true }, buildIdentity),
  siem: layer({ platform: true, identity: true, hypervisor: true }, buildSiem),
  sensors: layer({ siem: true, hypervisor: true, network: true }, buildSensors),
  endpoint: layer({ siem: true, hypervisor: true, network: true, platform: true }, (inputs, opts) =>
    buildEndpoint(inputs, inputs.upstream.siem.managerEndpoint, opts),
  ),
  vuln: layer({ siem: true, hypervisor: true, platform: true }, buildVuln),
  response: layer({ siem: true, hypervisor: true, platform: true, identity: true }, buildResponse),
  monitoring: layer(
    { network: true, hypervisor: true, platform: true, identity: true, siem: true, response: true },
    buildMonitoring,
  ),
};

export function isBuilt(layer: LayerName): layer is BuiltLayer {
  return Object.hasOwn(LAYER_BUILDERS, layer);
}
