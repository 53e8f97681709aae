/**
 * Proxmox guests of every kind the SDK offers, read into one shape: their NICs, disks, state markers and
 * login passwords, whichever class (and so whichever input names) created them. The NIC, firewall,
 * cloud-init, state and inventory policies read guests only through here, so a guest type is either
 * modelled for all of them or reported by proxmox-guest-types.
 */
import type { PolicyResource } from "@pulumi/policy";
import { GUEST_TYPES, type GuestShape, PROXMOX_PACKAGE } from "../../vocabulary/proxmoxTypes";

export interface GuestNic {
  /** `net0`, `net1`, … (a container's `name`, e.g. `eth0`, when it has one). */
  readonly slot: string;
  readonly bridge: string | undefined;
  readonly vlanId: unknown;
  readonly firewall: unknown;
  readonly macAddress: string | undefined;
}

export interface GuestDisk {
  readonly slot: string;
  readonly backup: unknown;
}

export interface Guest {
  readonly resource: PolicyResource;
  readonly shape: GuestShape;
  /** "VM", "cloned VM" or "container", for messages. */
  readonly kind: string;
  readonly name: string;
  readonly nodeName: string | undefined;
  readonly vmId: unknown;
  /** Undefined when the guest declares no NICs and inherits them (a clone copies its source's). */
  readonly nics: readonly GuestNic[] | undefined;
  /** Disks past the boot disk (a container's mount points): where state lives. */
  readonly dataDisks: readonly GuestDisk[];
  readonly protection: boolean;
  readonly tags: readonly string[];
  readonly poolId: string | undefined;
  /** Inputs that give the guest's login a password, by path. */
  readonly passwordInputs: readonly string[];
  /** The VM it is cloned from, when it is a clone. */
  readonly cloneOf: unknown;
}

type Props = Record<string, unknown>;
const record = (value: unknown): Props =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {};
const list = (value: unknown): Props[] => (Array.isArray(value) ? value.map(record) : []);
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** Slots past the first (`scsi1`, `virtio2`, `sata1`, …) hold data; the first is the boot disk. */
const DATA_SLOT = /^(scsi|virtio|sata|ide)[1-9]\d*$/;

function vmLegacyDisks(disks: Props[]): GuestDisk[] {
  const bySlot = disks.filter((disk) => DATA_SLOT.test(String(disk.interface ?? "")));
  const extra = bySlot.length > 0 ? bySlot : disks.slice(1);
  return extra.map((disk) => ({ slot: String(disk.interface ?? "?"), backup: disk.backup }));
}

function nicsOf(shape: GuestShape, props: Props): GuestNic[] | undefined {
  switch (shape) {
    case "vmLegacy": {
      const devices = list(props.networkDevices);
      if (devices.length === 0 && props.clone !== undefined) return undefined;
      return devices.map((nic, index) => ({
        slot: `net${index}`,
        bridge: text(nic.bridge),
        vlanId: nic.vlanId,
        firewall: nic.firewall,
        macAddress: text(nic.macAddress),
      }));
    }
    case "cloned": {
      if (props.network === undefined) return undefined;
      return Object.entries(record(props.network))
        .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
        .map(([slot, value]) => {
          const nic = record(value);
          return {
            slot,
            bridge: text(nic.bridge),
            vlanId: nic.tag,
            firewall: nic.firewall,
            macAddress: text(nic.macAddress),
          };
        });
    }
    case "container":
      return list(props.networkInterfaces).map((nic, index) => ({
        slot: text(nic.name) ?? `net${index}`,
        bridge: text(nic.bridge),
        vlanId: nic.vlanId,
        firewall: nic.firewall,
        macAddress: text(nic.macAddress),
      }));
    case "bare":
      return [];
  }
}

function dataDisksOf(shape: GuestShape, props: Props): GuestDisk[] {
  switch (shape) {
    case "vmLegacy":
      return vmLegacyDisks(list(props.disks));
    case "cloned":
      return Object.entries(record(props.disk))
        .filter(([slot]) => DATA_SLOT.test(slot))
        .map(([slot, disk]) => ({ slot, backup: record(disk).backup }));
    case "container":
      return list(props.mountPoints).map((mount, index) => ({
        slot: `mp${index} (${String(mount.path ?? "?")})`,
        backup: mount.backup,
      }));
    case "bare":
      return [];
  }
}

const KIND: Record<GuestShape, string> = {
  vmLegacy: "VM",
  cloned: "cloned VM",
  container: "container",
  bare: "VM",
};

/** Whether a type is a guest type the pack models. */
export const isGuestType = (type: string) => GUEST_TYPES.has(type);

/** The guest a resource creates, or undefined when it is no guest type the pack models. */
export function guestOf(resource: PolicyResource): Guest | undefined {
  const shape = GUEST_TYPES.get(resource.type);
  if (!shape) return undefined;
  const props = resource.props;
  const initialization = record(props.initialization);
  const passwordInputs =
    record(initialization.userAccount).password !== undefined ? ["initialization.userAccount.password"] : [];
  const name = text(props.name) ?? text(record(initialization).hostname) ?? resource.name;
  const clone = record(props.clone);
  return {
    resource,
    shape,
    kind: props.template === true ? `${KIND[shape]} template` : KIND[shape],
    name,
    nodeName: text(props.nodeName),
    vmId: props.vmId ?? props.resourceId,
    nics: nicsOf(shape, props),
    dataDisks: dataDisksOf(shape, props),
    protection: props.protection === true,
    tags: Array.isArray(props.tags) ? props.tags.map(String) : [],
    poolId: text(props.poolId) ?? text(clone.poolId),
    passwordInputs,
    cloneOf: props.clone === undefined ? undefined : (clone.sourceVmId ?? clone.vmId ?? "?"),
  };
}

/** Every guest of the stack. */
export const guestsOf = (resources: readonly PolicyResource[]): Guest[] =>
  resources.flatMap((resource) => guestOf(resource) ?? []);

/**
 * A Proxmox type that reads as a guest (its class name says VM, QEMU, container or LXC) but that the
 * pack does not model: a provider upgrade that adds `Vm3` or `cloned.Container` lands here.
 */
export function isUnmodelledGuestType(type: string): boolean {
  if (GUEST_TYPES.has(type) || !type.startsWith(`${PROXMOX_PACKAGE}:`)) return false;
  const className = type.slice(type.lastIndexOf(":") + 1);
  return /^(Vm|Qemu|Container|Lxc)(\d|Legacy|$)/.test(className);
}
