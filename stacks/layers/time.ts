/** Maps the lab config onto the time layer: chrony on the firewall for every VLAN, node time zones. */
import { Time } from "../../components/time/time";
import { firewallRef } from "./connections";
import type { LayerBuild } from "./types";

export const buildTime: LayerBuild<"time", "network"> = (inputs, opts) => {
  const { config } = inputs.lab;
  const { network } = inputs.upstream;
  return new Time(
    "time",
    {
      firewall: firewallRef(inputs),
      upstream: config.lab.ntpUpstream,
      clientNetworks: config.networks.map((entry) => entry.cidr),
      timezone: config.lab.timezone,
      proxmox: {
        provider: inputs.shared.proxmox(),
        nodes: config.nodes.map((node) => node.proxmoxNode),
      },
      firewallReady: network.preflight,
    },
    opts,
  );
};
