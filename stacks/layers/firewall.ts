/** What the enabled layers need of the firewall, for the network layer's preflight. */
import { MODELS } from "../../components/opnsense/models";
import { MINIMUM_VERSION, type PreflightNeeds } from "../../components/opnsense/preflight";
import { suricataProbes } from "../../components/sensors/suricata/suricata";

/** What the firewall's NetFlow export needs, with or without Suricata ("Diagnostics: Netflow configuration"). */
const NETFLOW_PROBE = "diagnostics/netflow/getconfig";
import { isLayerEnabled } from "../config/checks";
import type { PlainConfig } from "../config/schema";

/** Dnsmasq's DHCP ranges and hosts are in the MVC model from 25.7 (opnsense/core models/OPNsense/Dnsmasq/Dnsmasq.xml @ 25.7). */
export const DNSMASQ_DHCP_VERSION = MINIMUM_VERSION;

const probe = (model: keyof typeof MODELS) => `${MODELS[model].base}/${MODELS[model].commands.search}`;

export function firewallNeeds(config: PlainConfig): Omit<PreflightNeeds, "interfaces"> {
  const time = isLayerEnabled(config.layers, "time");
  const dns = isLayerEnabled(config.layers, "dns-dhcp");
  const dhcp = config.opnsense?.dhcp ?? "kea";
  const services = config.services as readonly string[];
  // Suricata's settings, rulesets, rule-update job and (with the Zeek VM's collector) NetFlow.
  const sensors = isLayerEnabled(config.layers, "sensors");
  const suricata = sensors && services.includes("suricata");
  const netflow = sensors && services.includes("zeek") && (config.sensors?.netflow ?? true);
  return {
    minimumVersion: dhcp === "dnsmasq" ? DNSMASQ_DHCP_VERSION : MINIMUM_VERSION,
    plugins: time ? ["os-chrony"] : [],
    probes: [
      probe("vlan"),
      probe("alias"),
      probe("rule"),
      ...(time ? ["chrony/general/get"] : []),
      ...(dns
        ? [probe("hostOverride"), dhcp === "kea" ? probe("keaReservation") : probe("dnsmasqHost")]
        : []),
      ...(suricata ? suricataProbes({ netflow }) : netflow ? [NETFLOW_PROBE] : []),
    ],
  };
}
