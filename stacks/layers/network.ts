/** Maps the lab config onto the network layer: VLANs, the zone matrix, Proxmox firewall groups. */
import { Network } from "../../components/network/network";
import type { ZoneNetwork } from "../../components/network/types";
import type { PlainConfig } from "../config/schema";
import type { QuarantineInput } from "../../components/network/types";
import { derivedHostFlows, firewallApiClients } from "../hostFlows";
import { monitoringFlows } from "../monitoringTargets";
import { MANAGER_ROLE } from "../enrollment";
import { scanFlows } from "../scanTargets";
import { firewallRef } from "./connections";
import { firewallNeeds } from "./firewall";
import type { LayerBuild } from "./types";

export function zoneNetworks(config: PlainConfig): ZoneNetwork[] {
  return config.networks.map((network) => {
    if (network.interface === undefined) throw new Error(`internal: ${network.name} has no interface`);
    return {
      name: network.name,
      vlan: network.vlan,
      cidr: network.cidr,
      gateway: network.gateway,
      purpose: network.purpose,
      interface: network.interface,
    };
  });
}

/** The containment rules' input: on with the `quarantine` service, reporting to the manager's VM if planned. */
export function quarantineInput(lab: {
  readonly config: { readonly services: readonly string[] };
  readonly vms: readonly {
    readonly name: string;
    readonly ip: string;
    readonly role: { readonly name: string };
    readonly networkConfig: { readonly name: string };
  }[];
}): QuarantineInput | undefined {
  if (!lab.config.services.includes("quarantine")) return undefined;
  const manager = lab.config.services.includes("wazuh-manager")
    ? lab.vms.find((vm) => vm.role.name === MANAGER_ROLE)
    : undefined;
  if (!manager) return {};
  return { reportsTo: { host: manager.name, address: manager.ip, network: manager.networkConfig.name } };
}

export const buildNetwork: LayerBuild<"network"> = (inputs, opts) => {
  const { config } = inputs.lab;
  if (!config.opnsense) throw new Error("internal: the network layer is built without fortress:opnsense");
  return new Network(
    "network",
    {
      firewall: firewallRef(inputs),
      trunk: config.opnsense.trunk,
      networks: zoneNetworks(config),
      zones: config.zones,
      hostFlows: [...derivedHostFlows(inputs.lab), ...monitoringFlows(inputs.lab)],
      scanFlows: scanFlows(inputs.lab),
      quarantine: quarantineInput(inputs.lab),
      firewallApiClients: firewallApiClients(inputs.lab),
      preflight: firewallNeeds(config),
      proxmox: { provider: inputs.shared.proxmox() },
    },
    opts,
  );
};
