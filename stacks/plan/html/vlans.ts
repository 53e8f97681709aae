/** The VLAN table, with how many VMs sit on each VLAN. */
import type { NetworkConfig } from "../../config/schema";
import type { NodePlacement } from "../document";
import { html, type Html } from "./escape";

export function vlansSection(networks: readonly NetworkConfig[], placement: readonly NodePlacement[]): Html {
  const vms = placement.flatMap((node) => node.vms);
  const rows = networks.map(
    (network) =>
      html`<tr data-network="${network.name}"><td>${network.name}</td><td class="n">${network.vlan}</td><td class="mono">${network.cidr}</td><td class="mono">${network.gateway}</td><td>${network.purpose}</td><td class="mono">${network.dhcp.start} – ${network.dhcp.end}</td><td class="mono">${network.interface ?? "—"}</td><td class="n">${vms.filter((vm) => vm.vlan === network.vlan).length}</td></tr>`,
  );
  return html`<section class="card" id="vlans">
<h2>VLANs</h2>
<table><thead><tr><th>network</th><th class="n">VLAN</th><th>CIDR</th><th>gateway</th><th>purpose</th><th>DHCP range</th><th>OPNsense interface</th><th class="n">VMs</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}
