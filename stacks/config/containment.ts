import type { ConfigIssue } from "./errors";
import { isLayerEnabled, issue } from "./checks";
import { isIpv4 } from "../../vocabulary/addresses";
import type { PlainConfig } from "./schema";

/**
 * The containment reaches the firewall's API from the manager's one address, through one pass to the
 * address of `opnsense.url` (components/network/firewallApi.ts): a pf rule needs that address, so a host
 * name there leaves the containment with no way to the API.
 */
export function checkContainmentReach(
  opnsense: PlainConfig["opnsense"],
  services: readonly string[],
  layers: PlainConfig["layers"] | undefined,
): ConfigIssue[] {
  const contains =
    isLayerEnabled(layers ?? {}, "response") &&
    isLayerEnabled(layers ?? {}, "network") &&
    services.includes("quarantine") &&
    services.includes("wazuh-manager");
  if (!contains || opnsense === undefined) return [];
  let host: string;
  try {
    host = new URL(opnsense.url).hostname;
  } catch {
    return [];
  }
  if (isIpv4(host)) return [];
  return [
    issue(
      "opnsense.url",
      `names the host ${host}, and the containment on the Wazuh manager reaches the firewall's API through a rule to one address`,
      "give the firewall's management address instead (e.g. https://10.10.10.1), or take quarantine out of fortress:services",
    ),
  ];
}
