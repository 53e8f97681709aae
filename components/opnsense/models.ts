/**
 * The OPNsense MVC models Fortress manages, as the API exposes them: where they live, the key their
 * bodies are wrapped in, the commands of their controller, how a change is made live, and the
 * field that identifies an item so that a retried add can find the item it already made.
 */

export type ApplyKind =
  /** POST this path after a change (the service's reconfigure). */
  | { readonly kind: "reconfigure"; readonly path: string }
  /** Filter rules: savepoint, apply, confirm (see safeApply.ts). */
  | { readonly kind: "filter" };

export interface ItemModel {
  /** What the admin reads in errors: "VLAN device", "filter rule" … */
  readonly label: string;
  /** `<module>/<controller>` */
  readonly base: string;
  /** The key bodies are wrapped in: `{"rule": {...}}`. */
  readonly key: string;
  readonly commands: {
    readonly search: string;
    readonly get: string;
    readonly add: string;
    readonly set: string;
    readonly del: string;
  };
  readonly apply: ApplyKind;
  /** A field unique per managed item, used to find an item after an add whose answer was lost. */
  readonly identity: string;
  /** Fields that cannot change in place; a change replaces the item. */
  readonly replaceOn: readonly string[];
  /** The OPNsense plugin the model needs, if it is not in the base system. */
  readonly plugin?: string;
}

const itemCommands = (noun: string) => ({
  search: `search_${noun}`,
  get: `get_${noun}`,
  add: `add_${noun}`,
  set: `set_${noun}`,
  del: `del_${noun}`,
});

export const MODELS = {
  vlan: {
    label: "VLAN device",
    base: "interfaces/vlan_settings",
    key: "vlan",
    commands: itemCommands("item"),
    apply: { kind: "reconfigure", path: "interfaces/vlan_settings/reconfigure" },
    identity: "descr",
    replaceOn: ["if", "tag"],
  },
  alias: {
    label: "alias",
    base: "firewall/alias",
    key: "alias",
    commands: itemCommands("item"),
    apply: { kind: "reconfigure", path: "firewall/alias/reconfigure" },
    identity: "name",
    replaceOn: ["name", "type"],
  },
  rule: {
    label: "filter rule",
    base: "firewall/filter",
    key: "rule",
    commands: itemCommands("rule"),
    apply: { kind: "filter" },
    identity: "description",
    replaceOn: [],
  },
  hostOverride: {
    label: "Unbound host override",
    base: "unbound/settings",
    key: "host",
    commands: itemCommands("host_override"),
    apply: { kind: "reconfigure", path: "unbound/service/reconfigure" },
    identity: "description",
    replaceOn: [],
  },
  keaSubnet: {
    label: "Kea DHCP subnet",
    base: "kea/dhcpv4",
    key: "subnet4",
    commands: itemCommands("subnet"),
    apply: { kind: "reconfigure", path: "kea/service/reconfigure" },
    identity: "description",
    replaceOn: ["subnet"],
  },
  keaReservation: {
    label: "Kea DHCP reservation",
    base: "kea/dhcpv4",
    key: "reservation",
    commands: itemCommands("reservation"),
    apply: { kind: "reconfigure", path: "kea/service/reconfigure" },
    identity: "description",
    replaceOn: ["subnet"],
  },
  /** Dnsmasq serves DHCP (and so its host entries) only on a subnet that has a range. Dnsmasq/Dnsmasq.xml dhcp_ranges. */
  dnsmasqRange: {
    label: "Dnsmasq DHCP range",
    base: "dnsmasq/settings",
    key: "range",
    commands: itemCommands("range"),
    apply: { kind: "reconfigure", path: "dnsmasq/service/reconfigure" },
    identity: "description",
    replaceOn: [],
  },
  dnsmasqHost: {
    label: "Dnsmasq host",
    base: "dnsmasq/settings",
    key: "host",
    commands: itemCommands("host"),
    apply: { kind: "reconfigure", path: "dnsmasq/service/reconfigure" },
    identity: "descr",
    replaceOn: [],
  },
} as const satisfies Record<string, ItemModel>;

export type ModelName = keyof typeof MODELS;

/** Singleton settings (chrony's `general`): get and set, no items. */
export interface SettingsModel {
  readonly label: string;
  readonly base: string;
  readonly key: string;
  readonly apply: ApplyKind;
  readonly plugin?: string;
}

export const CHRONY: SettingsModel = {
  label: "chrony settings",
  base: "chrony/general",
  key: "general",
  apply: { kind: "reconfigure", path: "chrony/service/reconfigure" },
  plugin: "os-chrony",
};
