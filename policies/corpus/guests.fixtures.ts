/** Class 2: Proxmox guests of every kind the SDK offers, and the firewall around them. */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { planResource } from "../lib/build";
import { OPNSENSE } from "../lib/resources";
import type { PlanResource } from "../lib/types";
import { PROXMOX_FIREWALL_TYPES, PROXMOX_PACKAGE } from "../../vocabulary/proxmoxTypes";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { WAZUH_ENROLLMENT_MARKER } from "../../vocabulary/agents";
import type { Corpus, Lab } from "./lab.fixtures";

const TYPES = {
  container: pulumiTypeOf(proxmoxve.ContainerLegacy),
  cloned: pulumiTypeOf(proxmoxve.cloned.Vm),
  clonedLegacy: pulumiTypeOf(proxmoxve.cloned.VmLegacy),
  vm: pulumiTypeOf(proxmoxve.VmLegacy),
  vm2: pulumiTypeOf(proxmoxve.Vm2Legacy),
};

const MAC = "02:00:00:00:00:77";
const nic = { name: "eth0", bridge: "vmbr0", vlanId: 20, firewall: true, macAddress: MAC };

const container = (name: string, inputs: Record<string, unknown> = {}) =>
  planResource(TYPES.container, name, {
    nodeName: "pve1",
    vmId: 300,
    initialization: { hostname: name, userAccount: { keys: ["ssh-ed25519 AAAA admin@laptop"] } },
    networkInterfaces: [nic],
    operatingSystem: { templateFileId: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst" },
    ...inputs,
  });

/**
 * What the dns-dhcp layer, the hypervisor and the endpoint layer write for a guest: its name, its
 * reservation, its firewall, and its Wazuh agent's enrollment (an SSH command marked as one, after it).
 */
const namedAndGuarded = (guest: PlanResource, name: string): PlanResource[] => [
  planResource(OPNSENSE("hostOverride"), `corpus-dns-${name}`, {
    fields: { hostname: name, domain: "home.arpa", rr: "A" },
  }),
  planResource(OPNSENSE("keaReservation"), `corpus-dhcp-${name}`, {
    fields: { hostname: name, hw_address: MAC },
  }),
  planResource(
    PROXMOX_FIREWALL_TYPES.guestOptions,
    `corpus-${name}-firewall`,
    { nodeName: "pve1", enabled: true, inputPolicy: "DROP", outputPolicy: "ACCEPT" },
    { dependsOn: [guest] },
  ),
  planResource(
    SDK_TYPES.commandRemote,
    `corpus-${name}-wazuh-agent`,
    { triggers: [WAZUH_ENROLLMENT_MARKER, "fortress-k3s-agent"], logging: "none" },
    { dependsOn: [guest] },
  ),
];

const guarded = (lab: Lab, guest: PlanResource, name = guest.name) =>
  lab.plus(guest, ...namedAndGuarded(guest, name));

const firstOptions = (lab: Lab) =>
  lab.named(PROXMOX_FIREWALL_TYPES.guestOptions, "hypervisor-k3s-server-1-firewall");
const datacenter = (lab: Lab) => lab.byType(PROXMOX_FIREWALL_TYPES.datacenter);
const serversGroup = (lab: Lab) =>
  lab.named(PROXMOX_FIREWALL_TYPES.securityGroup, "network-group-fz-servers");
const addGroupRule = (lab: Lab, rule: Record<string, unknown>) =>
  lab.edit(serversGroup(lab), (inputs) => ({ ...inputs, rules: [...(inputs.rules as unknown[]), rule] }));

export const guestsCorpus: Corpus = {
  violations: [
    {
      name: "a container whose NIC has the firewall off",
      policy: "proxmox-vm-nic",
      variantOf: "proxmox-vm-nic: the firewall left off",
      build: (lab) =>
        guarded(lab, container("ct-open", { networkInterfaces: [{ ...nic, firewall: false }] })),
    },
    {
      name: "a container with no firewall options",
      policy: "proxmox-guest-firewall",
      build: (lab) => lab.plus(container("ct-bare")),
    },
    {
      name: "a cloned VM that inherits its NICs from the template",
      policy: "proxmox-vm-nic",
      build: (lab) =>
        guarded(
          lab,
          planResource(TYPES.cloned, "clone-1", {
            name: "clone-1",
            nodeName: "pve1",
            clone: { sourceVmId: 9000 },
          }),
        ),
    },
    {
      name: "a legacy cloned VM with an untagged NIC",
      policy: "proxmox-vm-nic",
      build: (lab) =>
        guarded(
          lab,
          planResource(TYPES.clonedLegacy, "clone-2", {
            name: "clone-2",
            nodeName: "pve1",
            clone: { sourceVmId: 9000 },
            network: { net0: { bridge: "vmbr0", firewall: true, macAddress: MAC } },
          }),
        ),
    },
    {
      name: "a VmLegacy cloned from another VM, NICs left to the source",
      policy: "proxmox-vm-nic",
      build: (lab) =>
        guarded(
          lab,
          planResource(TYPES.vm, "clone-3", { name: "clone-3", nodeName: "pve1", clone: { vmId: 9000 } }),
        ),
    },
    {
      name: "a Vm2Legacy guest, which has no NIC inputs at all",
      policy: "inventory",
      build: (lab) => guarded(lab, planResource(TYPES.vm2, "vm2", { name: "vm2", nodeName: "pve1" })),
    },
    {
      name: "a container on a VLAN no network declares",
      policy: "inventory",
      build: (lab) => guarded(lab, container("ct-vlan", { networkInterfaces: [{ ...nic, vlanId: 77 }] })),
    },
    {
      name: "a container with a data mount point, neither protected nor backed up",
      policy: "state-protected-and-backed-up",
      build: (lab) =>
        guarded(
          lab,
          container("ct-db", {
            mountPoints: [{ volume: "local-lvm", size: "32G", path: "/var/lib/postgresql" }],
          }),
        ),
    },
    {
      name: "a cloned VM with a data disk, unprotected",
      policy: "state-protected-and-backed-up",
      build: (lab) =>
        guarded(
          lab,
          planResource(TYPES.cloned, "clone-db", {
            name: "clone-db",
            nodeName: "pve1",
            clone: { sourceVmId: 9000 },
            network: { net0: { bridge: "vmbr0", tag: 20, firewall: true, macAddress: MAC } },
            disk: { scsi0: { sizeGb: 20 }, scsi1: { sizeGb: 100 } },
          }),
        ),
    },
    {
      name: "a guest type the pack does not model",
      policy: "proxmox-guest-types",
      build: (lab) =>
        lab.plus(planResource(`${PROXMOX_PACKAGE}:index/vm3:Vm3`, "next-gen", { name: "next-gen" })),
    },
    {
      name: "a VM's firewall input policy ACCEPT",
      policy: "proxmox-guest-firewall",
      build: (lab) => lab.edit(firstOptions(lab), (inputs) => ({ ...inputs, inputPolicy: "ACCEPT" })),
    },
    {
      name: "a VM's firewall options disabled",
      policy: "proxmox-guest-firewall",
      build: (lab) => lab.edit(firstOptions(lab), (inputs) => ({ ...inputs, enabled: false })),
    },
    {
      name: "a VM's firewall options left out",
      policy: "proxmox-guest-firewall",
      build: (lab) => lab.without(firstOptions(lab)),
    },
    {
      name: "the datacenter firewall switched off",
      policy: "proxmox-guest-firewall",
      build: (lab) => lab.edit(datacenter(lab), (inputs) => ({ ...inputs, enabled: false })),
    },
    {
      name: "the datacenter firewall left out",
      policy: "proxmox-guest-firewall",
      build: (lab) => lab.without(datacenter(lab)),
    },
    {
      name: "a security group rule accepting every source (no source)",
      policy: "proxmox-guest-firewall",
      build: (lab) => addGroupRule(lab, { type: "in", action: "ACCEPT", dest: "+fz-servers", enabled: true }),
    },
    {
      name: "a VM rule accepting 0.0.0.0/1 and 128.0.0.0/1",
      policy: "proxmox-guest-firewall",
      build: (lab) =>
        lab.edit(
          lab.named(PROXMOX_FIREWALL_TYPES.rules, "hypervisor-k3s-server-1-firewall-rules"),
          (inputs) => ({
            ...inputs,
            rules: [
              ...(inputs.rules as unknown[]),
              { type: "in", action: "accept", source: "0.0.0.0/1,128.0.0.0/1", proto: "tcp", dport: "22" },
            ],
          }),
        ),
    },
    {
      name: "a group rule from an IP set that holds every address",
      policy: "proxmox-guest-firewall",
      build: (lab) =>
        addGroupRule(
          lab.plus(
            planResource(PROXMOX_FIREWALL_TYPES.ipSet, "corpus-ipset-world", {
              name: "world",
              cidrs: [{ name: "0.0.0.0/0" }],
            }),
          ),
          {
            type: "in",
            action: "ACCEPT",
            source: "+dc/world",
            dest: "+fz-servers",
            proto: "tcp",
            dport: "443",
          },
        ),
    },
  ],
  twins: [
    {
      name: "a container done right: tagged, firewalled, named, reserved, options DROP",
      build: (lab) => guarded(lab, container("ct-good")),
    },
    {
      name: "a security group rule from a zone's IP set on one port",
      build: (lab) =>
        addGroupRule(lab, {
          type: "in",
          action: "ACCEPT",
          source: "+fz-users",
          dest: "+fz-servers",
          proto: "tcp",
          dport: "443",
        }),
    },
    {
      name: "a VM's input policy left unset (Proxmox's default is DROP)",
      build: (lab) => lab.edit(firstOptions(lab), ({ inputPolicy: _dropped, ...inputs }) => inputs),
    },
    {
      name: "a group rule from an IP set of users less one host (a nomatch entry)",
      build: (lab) =>
        addGroupRule(
          lab.plus(
            planResource(PROXMOX_FIREWALL_TYPES.ipSet, "corpus-ipset-users-but-one", {
              name: "users-but-one",
              cidrs: [{ name: "10.10.40.0/24" }, { name: "10.10.40.66", nomatch: true }],
            }),
          ),
          {
            type: "in",
            action: "ACCEPT",
            source: "+users-but-one",
            dest: "+fz-servers",
            proto: "tcp",
            dport: "443",
          },
        ),
    },
    {
      name: "a VM's input policy REJECT instead of DROP",
      build: (lab) => lab.edit(firstOptions(lab), (inputs) => ({ ...inputs, inputPolicy: "REJECT" })),
    },
    {
      name: "a VM template, which never runs, without firewall options",
      build: (lab) =>
        lab.plus(
          planResource(TYPES.vm, "template", {
            name: "template",
            nodeName: "pve1",
            template: true,
            networkDevices: [{ bridge: "vmbr0", vlanId: 20, firewall: true }],
          }),
        ),
    },
  ],
};
