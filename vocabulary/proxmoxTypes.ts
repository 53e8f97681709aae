/**
 * The Proxmox resource types the pack judges beyond those of sdkTypes.ts: every guest class of the
 * installed @muhlba91/pulumi-proxmoxve (8.6.0: `VmLegacy`, `Vm`, `Vm2Legacy`, `cloned.Vm`,
 * `cloned.VmLegacy`, `ContainerLegacy`), the firewall's switches and rule sets, and the provider
 * itself, each token read from its SDK class as sdkTypes.ts does.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { packageOf, pulumiTypeOf } from "./sdkTypes";

/** The package every Proxmox resource type starts with (`proxmoxve`). */
export const PROXMOX_PACKAGE = packageOf(pulumiTypeOf(proxmoxve.VmLegacy));

/** The shape a guest class's inputs take: where its NICs, disks and cloud-init sit. */
export type GuestShape =
  /** `networkDevices[]` (`vlanId`), `disks[]`, `initialization` (VmLegacy; its `clone` copies a VM). */
  | "vmLegacy"
  /** `network{net0:…}` (`tag`), `disk{scsi0:…}`, cloud-init only through the template (cloned.*). */
  | "cloned"
  /** `networkInterfaces[]` (`vlanId`), `disk`, `mountPoints[]`, `initialization.userAccount`. */
  | "container"
  /** No NIC, disk or cloud-init inputs at all in 8.6.0 (`Vm`, `Vm2Legacy`): a guest without a network. */
  | "bare";

/** Every guest class of the SDK, by token, with the shape of its inputs. */
export const GUEST_TYPES: ReadonlyMap<string, GuestShape> = new Map([
  [pulumiTypeOf(proxmoxve.VmLegacy), "vmLegacy"],
  [pulumiTypeOf(proxmoxve.Vm), "bare"],
  [pulumiTypeOf(proxmoxve.Vm2Legacy), "bare"],
  [pulumiTypeOf(proxmoxve.cloned.Vm), "cloned"],
  [pulumiTypeOf(proxmoxve.cloned.VmLegacy), "cloned"],
  [pulumiTypeOf(proxmoxve.ContainerLegacy), "container"],
]);

export const PROXMOX_FIREWALL_TYPES = {
  /** Per-guest firewall options (`enabled`, `inputPolicy`); `vmId` or `containerId`. */
  guestOptions: pulumiTypeOf(proxmoxve.firewall.OptionsLegacy),
  /** Rules of a guest, a node or the cluster (no `vmId`/`containerId`/`nodeName`: the cluster's). */
  rules: pulumiTypeOf(proxmoxve.firewall.RulesLegacy),
  /** The datacenter switch: while it is off, Proxmox applies no guest firewall at all. */
  datacenter: pulumiTypeOf(proxmoxve.cluster.FirewallLegacy),
  securityGroup: pulumiTypeOf(proxmoxve.cluster.firewall.security.GroupLegacy),
  /** IP sets (`+name` in a rule) and aliases (`name`), cluster-wide or a guest's. */
  ipSet: pulumiTypeOf(proxmoxve.firewall.IpsetLegacy),
  alias: pulumiTypeOf(proxmoxve.firewall.AliasLegacy),
} as const;

/**
 * The type of a provider resource: `pulumi:providers:<package>` (pulumi/pulumi sdk/nodejs/resource.ts,
 * `ProviderResource` registers under it); the SDK class's `__pulumiType` is the bare package name.
 */
export const PROXMOX_PROVIDER_TYPE = `pulumi:providers:${String(
  (proxmoxve.Provider as unknown as { __pulumiType?: unknown }).__pulumiType,
)}`;
