import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DNS_DHCP_TYPE, NETWORK_TYPE, OPNSENSE, opnsenseFields, resourcesByType } from "../lib/resources";
import { guestsOf } from "../lib/guests";

/** The VLAN tags the Network components declare (`inputs.networks[].vlan`), with the network's name. */
function declaredVlans(networks: readonly PolicyResource[]): Map<number, string> {
  const vlans = new Map<number, string>();
  for (const network of networks) {
    const declared = (network.props as { networks?: { name?: string; vlan?: number }[] }).networks;
    for (const entry of Array.isArray(declared) ? declared : []) {
      if (typeof entry.vlan === "number" && !vlans.has(entry.vlan)) {
        vlans.set(entry.vlan, entry.name ?? String(entry.vlan));
      }
    }
  }
  return vlans;
}

/** One field of every OPNsense item of a kind, as a set (lower-cased when asked). */
function fieldValues(
  items: readonly PolicyResource[] | undefined,
  field: string,
  lower = false,
): Set<string> {
  const values = new Set<string>();
  for (const item of items ?? []) {
    const value = opnsenseFields(item.props)?.[field];
    if (typeof value === "string" && value !== "") values.add(lower ? value.toLowerCase() : value);
  }
  return values;
}

export const inventory: StackValidationPolicy = {
  name: "inventory",
  description:
    "Every Proxmox guest (VM of any SDK class, clone, container) sits in a declared VLAN and, once the dns-dhcp layer exists, has an Unbound host override and a DHCP reservation for its MAC.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const byType = resourcesByType(args.resources);
    const networks = byType.get(NETWORK_TYPE) ?? [];
    if (networks.length === 0) args.notApplicable("no fortress:network:Network component in the stack");
    const vlans = declaredVlans(networks);
    const declared = [...vlans].map(([vlan, name]) => `${vlan} (${name})`).join(", ") || "none";

    const naming = byType.has(DNS_DHCP_TYPE);
    const hostnames = fieldValues(byType.get(OPNSENSE("hostOverride")), "hostname");
    const reservedMacs = fieldValues(byType.get(OPNSENSE("keaReservation")), "hw_address", true);
    for (const mac of fieldValues(byType.get(OPNSENSE("dnsmasqHost")), "hwaddr", true)) reservedMacs.add(mac);

    for (const guest of guestsOf(args.resources)) {
      if (guest.kind.endsWith("template")) continue;
      const vm = guest.resource;
      const nic = guest.nics?.[0];
      const facts = {
        name: guest.name,
        vlanId: typeof nic?.vlanId === "number" ? nic.vlanId : undefined,
        macAddress: nic?.macAddress,
      };
      const label = `${guest.kind} ${facts.name}`;
      if (guest.nics === undefined) {
        reportViolation(
          `${label} inherits its NICs from the VM it is cloned from, so its VLAN cannot be told: declare its NIC with a declared VLAN (${declared})`,
          vm.urn,
        );
      } else if (!nic) {
        reportViolation(
          `${label} has no network device: give it a NIC tagged with a declared VLAN (${declared})`,
          vm.urn,
        );
      } else if (facts.vlanId === undefined) {
        reportViolation(
          `${label} has an untagged NIC: set its first NIC's VLAN tag to a declared VLAN (${declared})`,
          vm.urn,
        );
      } else if (!vlans.has(facts.vlanId)) {
        reportViolation(
          `${label} is on VLAN ${facts.vlanId}, which no network in fortress:networks declares (declared: ${declared}): move it to a declared VLAN or declare the network`,
          vm.urn,
        );
      }

      if (!naming) continue;
      if (!hostnames.has(facts.name)) {
        reportViolation(
          `${label} has no DNS name: add an Unbound host override with hostname "${facts.name}" in the dns-dhcp layer`,
          vm.urn,
        );
      }
      if (facts.macAddress === undefined) {
        reportViolation(
          `${label} has no fixed MAC address on its NIC, so no DHCP reservation can match it: set networkDevices[0].macAddress and reserve it`,
          vm.urn,
        );
      } else if (!reservedMacs.has(facts.macAddress.toLowerCase())) {
        reportViolation(
          `${label} (MAC ${facts.macAddress}) has no DHCP reservation: add a Kea reservation or Dnsmasq host for that MAC in the dns-dhcp layer`,
          vm.urn,
        );
      }
    }
  },
};
