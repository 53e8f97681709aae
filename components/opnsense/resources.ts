/**
 * Typed OPNsense resources, one class per model: callers write the model's typed fields (fields.ts),
 * encoded once by the model's `toFields` (toFields.ts) into the string map the provider sends
 * (provider.ts, over the transport in client.ts). Items and settings share one provider object
 * (dispatch.ts), the preflights another, so that the SDK serializes two per program run.
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  ChronyFields,
  DnsmasqDhcpSettingsFields,
  DnsmasqSettingsFields,
  IdsGeneralFields,
  ItemFields,
  KeaSettingsFields,
  NetflowFields,
  NodeExporterFields,
} from "./fields";
import { opnsenseProviders, type SettingsName } from "./dispatch";
import {
  CHRONY,
  DNSMASQ,
  DNSMASQ_DHCP,
  IDS_GENERAL,
  KEA_DHCPV4,
  type ModelName,
  NETFLOW,
  NODE_EXPORTER,
  type SettingsModel,
} from "./models";
import { PLUGIN_KIND } from "./plugin";
import { RULESETS_KIND } from "./rulesets";
import { UPDATE_SCHEDULE_KIND } from "./updateSchedule";
import { type Encodable, toFields, toSettingsFields } from "./toFields";
import { DEFAULT_TIMING, type FirewallRef, type PreflightInputs, PreflightProvider } from "./provider";
import { OPNSENSE_MODULE, type OpnsenseKind, opnsenseKind } from "../../vocabulary/typeTokens";

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/**
 * Provider objects shared by every resource: the SDK serializes a provider's closure once per
 * object, and each serialization costs about 0.2 s (bench/plan.bench.ts). PROVIDERS serves every item
 * and settings model, routed by the resource's own inputs (dispatch.ts); neither holds per-resource state.
 */
const PROVIDERS = opnsenseProviders(DEFAULT_TIMING);
const PREFLIGHT = new PreflightProvider(DEFAULT_TIMING);

/** What every item and settings resource takes: the firewall and the model's typed fields. */
export interface OpnsenseArgs<F> {
  readonly firewall: pulumi.Input<FirewallRef>;
  readonly fields: F;
}

/**
 * One OPNsense model item. Its inputs are what the provider sends and the state keeps: `fields` as
 * the model's own field names and string values (toFields). Made through the typed classes below.
 */
export abstract class OpnsenseItem extends pulumi.dynamic.Resource {
  declare readonly uuid: pulumi.Output<string>;
  declare readonly fields: pulumi.Output<Record<string, string>>;

  protected constructor(
    model: ModelName,
    name: string,
    args: { firewall: pulumi.Input<FirewallRef>; fields: Record<string, pulumi.Input<string>> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(PROVIDERS, name, { ...args, model, uuid: undefined }, opts, OPNSENSE_MODULE, opnsenseKind(model));
  }
}

/** The typed resource class of one item model: it takes the model's fields and sends them encoded. */
function itemClass<K extends ModelName>(model: K) {
  return class extends OpnsenseItem {
    constructor(name: string, args: OpnsenseArgs<ItemFields[K]>, opts?: pulumi.CustomResourceOptions) {
      super(model, name, { firewall: args.firewall, fields: toFields(model, args.fields) }, opts);
    }
  };
}

export const OpnsenseVlan = itemClass("vlan");
export type OpnsenseVlan = InstanceType<typeof OpnsenseVlan>;
export const OpnsenseAlias = itemClass("alias");
export type OpnsenseAlias = InstanceType<typeof OpnsenseAlias>;
export const OpnsenseRule = itemClass("rule");
export type OpnsenseRule = InstanceType<typeof OpnsenseRule>;
export const UnboundHostOverride = itemClass("hostOverride");
export type UnboundHostOverride = InstanceType<typeof UnboundHostOverride>;
export const KeaSubnet = itemClass("keaSubnet");
export type KeaSubnet = InstanceType<typeof KeaSubnet>;
export const KeaReservation = itemClass("keaReservation");
export type KeaReservation = InstanceType<typeof KeaReservation>;
/** Dnsmasq serves DHCP (and so its host entries) only on a subnet that has a range. */
export const DnsmasqRange = itemClass("dnsmasqRange");
export type DnsmasqRange = InstanceType<typeof DnsmasqRange>;
export const DnsmasqHost = itemClass("dnsmasqHost");
export type DnsmasqHost = InstanceType<typeof DnsmasqHost>;
/** A remote syslog destination: the firewall's logs to the Wazuh manager. */
export const SyslogDestination = itemClass("syslogDestination");
export type SyslogDestination = InstanceType<typeof SyslogDestination>;
/** A rule policy of the Intrusion Detection: chosen rulesets' rules to drop (IPS). */
export const IdsPolicy = itemClass("idsPolicy");
export type IdsPolicy = InstanceType<typeof IdsPolicy>;

/** Singleton settings: the inputs name the settings model (`settings`), so that the shared provider can route them. */
abstract class OpnsenseSettings extends pulumi.dynamic.Resource {
  declare readonly fields: pulumi.Output<Record<string, string>>;
}

/** The typed resource class of one settings model; `kind` is both its type and its `settings` input. */
function settingsClass<F extends Encodable<F>>(model: SettingsModel<F>, kind: SettingsName & OpnsenseKind) {
  return class extends OpnsenseSettings {
    constructor(name: string, args: OpnsenseArgs<F>, opts?: pulumi.CustomResourceOptions) {
      const inputs = {
        settings: kind,
        firewall: args.firewall,
        fields: toSettingsFields(model, args.fields),
      };
      super(PROVIDERS, name, inputs, opts, OPNSENSE_MODULE, opnsenseKind(kind));
    }
  };
}

/** Singleton settings of the chrony plugin. */
export const ChronySettings = settingsClass<ChronyFields>(CHRONY, "chrony");
export type ChronySettings = InstanceType<typeof ChronySettings>;

/**
 * Kea DHCPv4's general settings. Kea serves nothing until `enabled` is 1 and `interfaces` lists where
 * (templates/OPNsense/Kea/rc.conf.d in opnsense/core): subnets and reservations alone do not start it.
 */
export const KeaDhcpv4Settings = settingsClass<KeaSettingsFields>(KEA_DHCPV4, "keaDhcpv4");
export type KeaDhcpv4Settings = InstanceType<typeof KeaDhcpv4Settings>;

/**
 * Dnsmasq's general settings: `enable` starts it (templates/OPNsense/Dnsmasq/rc.conf.d), `interface`
 * is where it listens for DHCP (dnsmasq.conf `interface=`). Its DNS `port` is left as the firewall has
 * it (0 on a 25.7 install, 53053 on 26.1: both stay clear of Unbound on 53).
 */
export const DnsmasqSettings = settingsClass<DnsmasqSettingsFields>(DNSMASQ, "dnsmasq");
export type DnsmasqSettings = InstanceType<typeof DnsmasqSettings>;

/** Dnsmasq's DHCP settings (`dhcp.*`); see DNSMASQ_DHCP. */
export const DnsmasqDhcpSettings = settingsClass<DnsmasqDhcpSettingsFields>(DNSMASQ_DHCP, "dnsmasqDhcp");
export type DnsmasqDhcpSettings = InstanceType<typeof DnsmasqDhcpSettings>;

/**
 * The Intrusion Detection's `general` settings: on, where, HOME_NET, IDS or IPS, alerts to syslog.
 * `mode` is the 26.1+ field; on 25.7 it is sent as `general.ips` (versioned.ts).
 */
export const IdsGeneralSettings = settingsClass<IdsGeneralFields>(IDS_GENERAL, "idsGeneral");
export type IdsGeneralSettings = InstanceType<typeof IdsGeneralSettings>;

/** NetFlow export from the firewall's interfaces to a collector. */
export const NetflowSettings = settingsClass<NetflowFields>(NETFLOW, "netflow");
export type NetflowSettings = InstanceType<typeof NetflowSettings>;

/**
 * The os-node_exporter plugin's settings: on, listening on one address of the firewall, the
 * collectors Fortress's dashboards read (NODE_EXPORTER in models.ts).
 */
export const NodeExporterSettings = settingsClass<NodeExporterFields>(NODE_EXPORTER, "nodeExporter");
export type NodeExporterSettings = InstanceType<typeof NodeExporterSettings>;

/** An OPNsense plugin package installed through the firmware API (plugin.ts). */
export class OpnsensePlugin extends pulumi.dynamic.Resource {
  declare readonly version: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<string>;

  constructor(
    name: string,
    args: { firewall: pulumi.Input<FirewallRef>; name: string; timeoutSeconds?: number },
    opts?: pulumi.CustomResourceOptions,
  ) {
    const inputs = {
      kind: PLUGIN_KIND,
      firewall: args.firewall,
      name: args.name,
      timeoutSeconds: args.timeoutSeconds ?? 600,
      version: undefined,
      adopted: undefined,
    };
    super(PROVIDERS, name, inputs, opts, OPNSENSE_MODULE, opnsenseKind("plugin"));
  }
}

/** The ET open (or other) rulesets enabled on the firewall, by file name; rulesets.ts. */
export class IdsRulesets extends pulumi.dynamic.Resource {
  /** Each file's node uuid, by file name: what a policy's `rulesets` takes. */
  declare readonly fileUuids: pulumi.Output<Record<string, string>>;

  constructor(
    name: string,
    args: { firewall: pulumi.Input<FirewallRef>; filenames: readonly string[]; argument: string },
    opts?: pulumi.CustomResourceOptions,
  ) {
    const inputs = {
      kind: RULESETS_KIND,
      firewall: args.firewall,
      filenames: [...new Set(args.filenames)].sort().join(","),
      argument: args.argument,
      fileUuids: undefined,
    };
    super(PROVIDERS, name, inputs, opts, OPNSENSE_MODULE, opnsenseKind("idsRulesets"));
  }
}

/** When the firewall downloads Suricata's rules: OPNsense's own daily job, turned on at this time; updateSchedule.ts. */
export class IdsUpdateSchedule extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    args: { firewall: pulumi.Input<FirewallRef>; hour: number; minute: number },
    opts?: pulumi.CustomResourceOptions,
  ) {
    for (const [what, value, max] of [
      ["hour", args.hour, 23],
      ["minute", args.minute, 59],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > max)
        throw new Error(`${name}: ${what} ${value} is not 0-${max}`);
    }
    const inputs = {
      kind: UPDATE_SCHEDULE_KIND,
      firewall: args.firewall,
      minutes: String(args.minute),
      hours: String(args.hour),
      jobUuid: undefined,
      enabled: undefined,
    };
    super(PROVIDERS, name, inputs, opts, OPNSENSE_MODULE, opnsenseKind("idsUpdateSchedule"));
  }
}

export class Preflight extends pulumi.dynamic.Resource {
  constructor(name: string, args: Inputs<PreflightInputs>, opts?: pulumi.CustomResourceOptions) {
    super(PREFLIGHT, name, args, opts, OPNSENSE_MODULE, opnsenseKind("preflight"));
  }
}
