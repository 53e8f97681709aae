/**
 * Typed OPNsense resources. Each maps its args onto the model's fields; all share a few provider
 * objects, so that the SDK serializes and the engine configures each once.
 */
import * as pulumi from "@pulumi/pulumi";
import { CHRONY, DNSMASQ, DNSMASQ_DHCP, KEA_DHCPV4, type ModelName } from "./models";
import {
  DEFAULT_TIMING,
  type FirewallRef,
  ItemProvider,
  type PreflightInputs,
  PreflightProvider,
  SettingsProvider,
} from "./provider";
import { OPNSENSE_MODULE, opnsenseKind } from "../../vocabulary/typeTokens";

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/**
 * One provider object per kind, shared by every resource: the SDK serializes a provider's closure
 * once per object, and each costs a fraction of a second and tens of kilobytes of state.
 */
const ITEMS = new ItemProvider(DEFAULT_TIMING);
const CHRONY_SETTINGS = new SettingsProvider(CHRONY, DEFAULT_TIMING);
const KEA_SETTINGS = new SettingsProvider(KEA_DHCPV4, DEFAULT_TIMING);
const DNSMASQ_SETTINGS = new SettingsProvider(DNSMASQ, DEFAULT_TIMING);
const DNSMASQ_DHCP_SETTINGS = new SettingsProvider(DNSMASQ_DHCP, DEFAULT_TIMING);
const PREFLIGHT = new PreflightProvider(DEFAULT_TIMING);

/** One OPNsense model item; `fields` are the model's own field names and string values. */
export class OpnsenseItem extends pulumi.dynamic.Resource {
  declare readonly uuid: pulumi.Output<string>;
  declare readonly fields: pulumi.Output<Record<string, string>>;

  constructor(
    model: ModelName,
    name: string,
    args: { firewall: pulumi.Input<FirewallRef>; fields: pulumi.Input<Record<string, pulumi.Input<string>>> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(ITEMS, name, { ...args, model, uuid: undefined }, opts, OPNSENSE_MODULE, opnsenseKind(model));
  }
}

export interface VlanDeviceArgs {
  readonly firewall: FirewallRef;
  /** The physical interface the VLAN rides on, e.g. igb1. */
  readonly parent: string;
  readonly tag: number;
  readonly description: string;
}

export function vlanFields(args: Omit<VlanDeviceArgs, "firewall">): Record<string, string> {
  return { if: args.parent, tag: String(args.tag), pcp: "0", descr: args.description };
}

export interface HostOverrideArgs {
  readonly firewall: FirewallRef;
  readonly hostname: string;
  readonly domain: string;
  readonly address: string;
  readonly description: string;
}

export function hostOverrideFields(args: Omit<HostOverrideArgs, "firewall">): Record<string, string> {
  return {
    enabled: "1",
    hostname: args.hostname,
    domain: args.domain,
    rr: "A",
    server: args.address,
    description: args.description,
  };
}

/** Singleton settings of the chrony plugin. */
export class ChronySettings extends pulumi.dynamic.Resource {
  declare readonly fields: pulumi.Output<Record<string, string>>;

  constructor(
    name: string,
    args: { firewall: pulumi.Input<FirewallRef>; fields: pulumi.Input<Record<string, pulumi.Input<string>>> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(CHRONY_SETTINGS, name, args, opts, OPNSENSE_MODULE, opnsenseKind("chrony"));
  }
}

type SettingsArgs = {
  firewall: pulumi.Input<FirewallRef>;
  fields: pulumi.Input<Record<string, pulumi.Input<string>>>;
};

/**
 * Kea DHCPv4's general settings. Kea serves nothing until `enabled` is 1 and `interfaces` lists where
 * (templates/OPNsense/Kea/rc.conf.d in opnsense/core): subnets and reservations alone do not start it.
 */
export class KeaDhcpv4Settings extends pulumi.dynamic.Resource {
  declare readonly fields: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(KEA_SETTINGS, name, args, opts, OPNSENSE_MODULE, opnsenseKind("keaDhcpv4"));
  }
}

/** Kea on for these interfaces (identifiers: lan, opt1 …). */
export function keaGeneralFields(interfaces: readonly string[]): Record<string, string> {
  return { enabled: "1", interfaces: interfaces.join(",") };
}

/**
 * Dnsmasq's general settings: `enable` starts it (templates/OPNsense/Dnsmasq/rc.conf.d), `interface`
 * is where it listens for DHCP (dnsmasq.conf `interface=`). Its DNS `port` is left as the firewall has
 * it (0 on a 25.7 install, 53053 on 26.1: both stay clear of Unbound on 53).
 */
export class DnsmasqSettings extends pulumi.dynamic.Resource {
  declare readonly fields: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(DNSMASQ_SETTINGS, name, args, opts, OPNSENSE_MODULE, opnsenseKind("dnsmasq"));
  }
}

/** Dnsmasq on, listening on these interfaces. */
export function dnsmasqGeneralFields(interfaces: readonly string[]): Record<string, string> {
  return { enable: "1", interface: interfaces.join(",") };
}

/** Dnsmasq's DHCP settings (`dhcp.*`); see DNSMASQ_DHCP. */
export class DnsmasqDhcpSettings extends pulumi.dynamic.Resource {
  declare readonly fields: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(DNSMASQ_DHCP_SETTINGS, name, args, opts, "fortress", "opnsense:dnsmasqDhcp");
  }
}

/** Dnsmasq's DHCP off on these interfaces (its DNS, if on, carries on). */
export function dnsmasqDhcpOffFields(interfaces: readonly string[]): Record<string, string> {
  return { no_interface: interfaces.join(",") };
}

export class Preflight extends pulumi.dynamic.Resource {
  constructor(name: string, args: Inputs<PreflightInputs>, opts?: pulumi.CustomResourceOptions) {
    super(PREFLIGHT, name, args, opts, OPNSENSE_MODULE, opnsenseKind("preflight"));
  }
}
