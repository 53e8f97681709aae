/**
 * The OPNsense MVC models Fortress manages, as the API exposes them: where they live, the key their
 * bodies are wrapped in, the commands of their controller, how a change is made live, and the
 * fields that identify an item, so that an add finds (and adopts) the item an earlier, failed run
 * already saved instead of making a second one. Each model is typed by its fields (fields.ts): its
 * identity, replace-on and list fields are keys of them, and `toFields` (toFields.ts) encodes them.
 */
import type {
  ChronyFields,
  DnsmasqDhcpSettingsFields,
  DnsmasqSettingsFields,
  FieldName,
  IdsGeneralFields,
  ItemFields,
  KeaSettingsFields,
  ListField,
  NetflowFields,
  NodeExporterFields,
} from "./fields";

export type ApplyKind =
  /** POST this path after a change (the service's reconfigure). */
  | { readonly kind: "reconfigure"; readonly path: string }
  /** Filter rules: savepoint, apply, confirm (see safeApply.ts). */
  | { readonly kind: "filter" };

/**
 * Every list field with its separator: OPNsense joins a list so and returns it as an option map, and
 * lists are compared as sets. A typed model must name each of its list fields; the untyped view (the
 * provider and the item core read models by name) takes any.
 */
type Lists<F> = string extends keyof F
  ? { readonly lists?: Readonly<Record<string, string>> }
  : [ListField<F>] extends [never]
    ? { readonly lists?: undefined }
    : { readonly lists: { readonly [K in ListField<F>]: string } };

export type ItemModel<F = Record<string, unknown>> = ItemModelBase<F> & Lists<F>;

interface ItemModelBase<F> {
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
  /**
   * Fields that together identify a managed item: the model's own uniqueness constraint where it has
   * one (an alias's name, a VLAN's parent and tag, a Kea subnet), else the description Fortress
   * writes. An add adopts the item that matches them instead of adding a second one.
   */
  readonly identity: readonly FieldName<F>[];
  /** Fields the controller's search must be given to list the item at all (sent as search parameters). */
  readonly searchBy?: readonly FieldName<F>[];
  /** Fields that cannot change in place; a change replaces the item. */
  readonly replaceOn: readonly FieldName<F>[];
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
    // Vlan.xml: "Tag for this device must be unique." (tag unique per parent).
    identity: ["if", "tag"],
    // A new tag or parent is set in place: VlanSettingsController::setItemAction keeps the device
    // name (vlan0N) when only tag or parent change, and reconfigure_vlans.php re-tags that device, so
    // its interface assignment stays. Replacing it would mean deleting an assigned device, which
    // OPNsense refuses ("This VLAN cannot be deleted because it is assigned as an interface.").
    replaceOn: [],
  },
  alias: {
    label: "alias",
    base: "firewall/alias",
    key: "alias",
    commands: itemCommands("item"),
    apply: { kind: "reconfigure", path: "firewall/alias/reconfigure" },
    // Alias.xml: "An alias with this name already exists."
    identity: ["name"],
    // AliasContentField: one entry a line; get_item returns them as a map (AliasController::getItemAction).
    lists: { content: "\n" },
    replaceOn: ["name", "type"],
  },
  rule: {
    label: "filter rule",
    base: "firewall/filter",
    key: "rule",
    commands: itemCommands("rule"),
    apply: { kind: "filter" },
    identity: ["description"],
    // Firewall/Api/FilterController.php searchRuleAction: up to 26.1, without `interface` it lists only
    // floating rules and a rule on one interface is listed when that interface is asked for; from 26.7
    // that interface's rules come with the floating and multi-interface ones (identity still decides).
    searchBy: ["interface"],
    replaceOn: [],
  },
  hostOverride: {
    label: "Unbound host override",
    base: "unbound/settings",
    key: "host",
    commands: itemCommands("host_override"),
    apply: { kind: "reconfigure", path: "unbound/service/reconfigure" },
    identity: ["description"],
    replaceOn: [],
  },
  keaSubnet: {
    label: "Kea DHCP subnet",
    base: "kea/dhcpv4",
    key: "subnet4",
    commands: itemCommands("subnet"),
    apply: { kind: "reconfigure", path: "kea/service/reconfigure" },
    // KeaDhcpv4.xml: "Subnet must be unique."
    identity: ["subnet"],
    replaceOn: ["subnet"],
  },
  keaReservation: {
    label: "Kea DHCP reservation",
    base: "kea/dhcpv4",
    key: "reservation",
    commands: itemCommands("reservation"),
    apply: { kind: "reconfigure", path: "kea/service/reconfigure" },
    identity: ["description"],
    replaceOn: ["subnet"],
  },
  /** Dnsmasq serves DHCP (and so its host entries) only on a subnet that has a range. Dnsmasq/Dnsmasq.xml dhcp_ranges. */
  dnsmasqRange: {
    label: "Dnsmasq DHCP range",
    base: "dnsmasq/settings",
    key: "range",
    commands: itemCommands("range"),
    apply: { kind: "reconfigure", path: "dnsmasq/service/reconfigure" },
    identity: ["description"],
    replaceOn: [],
  },
  dnsmasqHost: {
    label: "Dnsmasq host",
    base: "dnsmasq/settings",
    key: "host",
    commands: itemCommands("host"),
    apply: { kind: "reconfigure", path: "dnsmasq/service/reconfigure" },
    identity: ["descr"],
    replaceOn: [],
  },
  /**
   * A remote log destination (Syslog/Syslog.xml, Syslog/Api/SettingsController.php @ 25.7, 26.1, 26.7):
   * its search is `search_destinations` (plural), the rest singular; a change is made live by
   * syslog/service/reconfigure (Syslog/Api/ServiceController.php, which regenerates syslog-ng's config).
   */
  syslogDestination: {
    label: "syslog destination",
    base: "syslog/settings",
    key: "destination",
    commands: {
      search: "search_destinations",
      get: "get_destination",
      add: "add_destination",
      set: "set_destination",
      del: "del_destination",
    },
    apply: { kind: "reconfigure", path: "syslog/service/reconfigure" },
    identity: ["description"],
    // OptionField Multiple: stored comma-joined, returned as an option map.
    lists: { level: ",", program: "," },
    replaceOn: [],
  },
  /**
   * A rule policy of the Intrusion Detection (IDS/IDS.xml `policies.policy`, IDS/Api/SettingsController.php
   * search|get|add|set|del_policy @ 25.7, 26.1, 26.7): Fortress's turn chosen rulesets' rules to drop in
   * IPS mode. Its `rulesets` are uuids of the enabled ruleset files (ModelRelationField to `files.file`
   * filtered on enabled), which the rulesets resource outputs. Made live by ids/service/reconfigure.
   */
  idsPolicy: {
    label: "Intrusion Detection policy",
    base: "ids/settings",
    key: "policy",
    commands: itemCommands("policy"),
    apply: { kind: "reconfigure", path: "ids/service/reconfigure" },
    identity: ["description"],
    lists: { action: "," },
    replaceOn: [],
  },
} as const satisfies { readonly [K in keyof ItemFields]: ItemModel<ItemFields[K]> };

export type ModelName = keyof typeof MODELS;

/** Singleton settings (chrony's `general`, Kea's, Dnsmasq's): `<base>/get` and `<base>/set`, no items. */
export type SettingsModel<F = Record<string, unknown>> = SettingsModelBase & Lists<F>;

/**
 * A field of the newest model that older releases lack: it is sent only from `since` on. Before, it is
 * sent as `before.field` with its value mapped (a value without a mapping is refused: the release
 * cannot do it), or, without `before`, not at all (see versioned.ts).
 */
export interface VersionedField {
  readonly field: string;
  /** The first release line whose model has `field` ("26.1"). */
  readonly since: string;
  readonly before?: { readonly field: string; readonly values: Readonly<Record<string, string>> };
}

interface SettingsModelBase {
  readonly label: string;
  readonly base: string;
  readonly key: string;
  /** The controller's read and write commands when they are not `get` and `set` (NetFlow's getconfig/setconfig). */
  readonly commands?: { readonly get: string; readonly set: string };
  /** Fields that differ between releases; the provider asks the firewall's version when there are any. */
  readonly versioned?: readonly VersionedField[];
  /** The container under the key the fields live in (`{"dhcpv4": {"general": {...}}}`). */
  readonly section?: string;
  readonly apply: ApplyKind;
  readonly plugin?: string;
}

export const CHRONY: SettingsModel<ChronyFields> = {
  label: "chrony settings",
  base: "chrony/general",
  key: "general",
  apply: { kind: "reconfigure", path: "chrony/service/reconfigure" },
  lists: { peers: ",", allowednetworks: "," },
  plugin: "os-chrony",
};

/**
 * The os-node_exporter plugin's settings (opnsense/plugins sysutils/node_exporter, plugin 1.2:
 * NodeExporter/Api/GeneralController.php, an ApiMutableModelControllerBase with internalModelName
 * `general`, so `nodeexporter/general/get|set` under the key "general"; ServiceController.php's
 * reconfigure renders templates/OPNsense/NodeExporter and restarts node_exporter when `enabled`).
 */
export const NODE_EXPORTER: SettingsModel<NodeExporterFields> = {
  label: "node exporter settings",
  base: "nodeexporter/general",
  key: "general",
  apply: { kind: "reconfigure", path: "nodeexporter/service/reconfigure" },
  plugin: "os-node_exporter",
};

/**
 * Kea DHCPv4's general settings (Kea/KeaDhcpv4.xml `general`, Kea/Api/Dhcpv4Controller.php): Kea
 * starts only with `enabled` 1 and `interfaces` set (templates/OPNsense/Kea/rc.conf.d).
 */
export const KEA_DHCPV4: SettingsModel<KeaSettingsFields> = {
  label: "Kea DHCPv4 settings",
  base: "kea/dhcpv4",
  key: "dhcpv4",
  section: "general",
  apply: { kind: "reconfigure", path: "kea/service/reconfigure" },
  lists: { interfaces: "," },
};

/**
 * Dnsmasq's general settings (Dnsmasq/Dnsmasq.xml top level, Dnsmasq/Api/SettingsController.php):
 * `enable` starts it (templates/OPNsense/Dnsmasq/rc.conf.d), `interface` is where it listens.
 */
export const DNSMASQ: SettingsModel<DnsmasqSettingsFields> = {
  label: "Dnsmasq settings",
  base: "dnsmasq/settings",
  key: "dnsmasq",
  apply: { kind: "reconfigure", path: "dnsmasq/service/reconfigure" },
  lists: { interface: "," },
};

/**
 * Dnsmasq's DHCP settings (Dnsmasq/Dnsmasq.xml `dhcp`): `no_interface` lists the interfaces where it
 * serves no DHCP (dnsmasq.conf `no-dhcp-interface`, templates/OPNsense/Dnsmasq/dnsmasq.conf; tags
 * 25.7–26.7) while its DNS carries on. Used when Kea serves DHCP: a fresh install ships Dnsmasq on,
 * with a DHCP range on lan (src/etc/config.xml.sample), and both would answer there.
 */
export const DNSMASQ_DHCP: SettingsModel<DnsmasqDhcpSettingsFields> = {
  label: "Dnsmasq DHCP settings",
  base: "dnsmasq/settings",
  key: "dnsmasq",
  section: "dhcp",
  apply: { kind: "reconfigure", path: "dnsmasq/service/reconfigure" },
  lists: { no_interface: "," },
};

/**
 * The Intrusion Detection's `general` settings (IDS/IDS.xml, IDS/Api/SettingsController.php getModelNodes:
 * `{"ids": {"general": {...}}}`). 26.1 replaced the boolean `general.ips` by `general.mode` (pcap | netmap
 * | divert; migration M1_1_2 turns ips=1 into netmap, and 25.7's IPS is netmap: templates/OPNsense/IDS/
 * rc.conf.d `suricata_netmap`), so on 25.7 `mode` is sent as `ips` and divert is refused. The apply,
 * ids/service/reconfigure (IDS/Api/ServiceController.php), renders the templates, installs the enabled
 * rulesets' downloaded rules and (re)starts Suricata when `enabled`; on its first run it also makes the
 * disabled daily "ids rule updates" cron job `general.UpdateCron` points to.
 */
export const IDS_GENERAL: SettingsModel<IdsGeneralFields> = {
  label: "Intrusion Detection settings",
  base: "ids/settings",
  key: "ids",
  section: "general",
  apply: { kind: "reconfigure", path: "ids/service/reconfigure" },
  lists: { interfaces: ",", homenet: "," },
  versioned: [{ field: "mode", since: "26.1", before: { field: "ips", values: { pcap: "0", netmap: "1" } } }],
};

/**
 * NetFlow export (Diagnostics/Netflow.xml, Diagnostics/Api/NetflowController.php @ 25.7, 26.1, 26.7): read
 * by `getconfig` (`{"netflow": getNodes()}`), written by `setconfig` (`{"netflow": {...}}`, validations
 * under `netflow.`), made live by `reconfigure` (stop, template reload, start; it answers `{"status":"ok"}`).
 */
export const NETFLOW: SettingsModel<NetflowFields> = {
  label: "NetFlow settings",
  base: "diagnostics/netflow",
  key: "netflow",
  commands: { get: "getconfig", set: "setconfig" },
  apply: { kind: "reconfigure", path: "diagnostics/netflow/reconfigure" },
  lists: { "capture.interfaces": ",", "capture.egress_only": "," },
};
