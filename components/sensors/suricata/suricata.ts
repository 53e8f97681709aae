/**
 * Suricata on the OPNsense firewall, through its API: the Intrusion Detection's settings (on, on the
 * VLAN interfaces Fortress manages, HOME_NET = the lab's networks, alerts as EVE JSON to syslog), the
 * ET open rulesets by file name, in IPS mode one policy that turns the chosen rulesets' alerts into
 * drops, a syslog destination that sends the `suricata` program to the Wazuh manager, and optionally
 * the firewall's NetFlow export to a collector. IDS by default; IPS is opt-in.
 *
 * What goes to the manager: with `syslog_eve` the template adds an EVE `syslog` output with identity
 * "suricata", facility local5 and alert events only (opnsense/core src/opnsense/service/templates/
 * OPNsense/IDS/suricata.yaml @ 25.7–26.7); Wazuh decodes the JSON (ruleset 0475-suricata_rules.xml,
 * 86600/86601) and the manager's local rules raise the serious ones (components/siem/manager/ossecConf.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { FirewallRef } from "../../opnsense/provider";
import { firewallNetflowExport } from "../flows/firewallExport";
import {
  IdsGeneralSettings,
  IdsPolicy,
  IdsRulesets,
  IdsUpdateSchedule,
  type NetflowSettings,
  SyslogDestination,
} from "../../opnsense/resources";
import type { IdsMode } from "../../opnsense/fields";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";

export const SURICATA_TYPE = COMPONENT_TYPES.suricata;

export interface SuricataArgs {
  /** OPNsense and what must exist before Suricata is set (the network layer's preflight, its VLANs). */
  readonly firewall: { readonly ref: pulumi.Input<FirewallRef>; readonly ready: readonly pulumi.Resource[] };
  /** OPNsense interface ids of the VLANs Fortress manages (lan, opt1 …): where Suricata listens. */
  readonly interfaces: readonly string[];
  /** The lab's networks (CIDRs): Suricata's HOME_NET instead of OPNsense's RFC 1918 default. */
  readonly homeNet: readonly string[];
  /** "ids" (the default: alerts only) or "ips" (inline: policies can drop). */
  readonly mode: "ids" | "ips";
  /** IPS engine: netmap (the default; needs hardware offloading off) or divert (26.1+, through pf). */
  readonly ipsEngine?: "netmap" | "divert";
  /** Ruleset file names (defaultEtOpenRulesets()); each must be one the firewall's list_rulesets knows. */
  readonly rulesets: readonly string[];
  /** Of `rulesets`, those whose alerts become drops; IPS only. */
  readonly dropRulesets: readonly string[];
  /**
   * The Wazuh manager's syslog: a destination for the `suricata` program. Absent when another
   * destination already sends every program there (the endpoint layer's), which would deliver each
   * alert twice.
   */
  readonly syslog?: { readonly address: pulumi.Input<string>; readonly port: number };
  /** The firewall's NetFlow export: to `collector:port`, captured on `interfaces`. */
  readonly netflow?: {
    readonly collector: pulumi.Input<string>;
    readonly port: number;
    readonly interfaces: readonly string[];
  };
  /**
   * The daily rule download (OPNsense's own "ids rule updates" cron job, made disabled, turned on at this
   * time; needs "System: Settings: Cron"). Default 03:17; `false` leaves the job as OPNsense made it (off:
   * the rules are then only downloaded when the rulesets change).
   */
  readonly ruleUpdates?: { readonly hour: number; readonly minute: number } | false;
  /** Where the arguments come from, for errors (`sensors.suricata`). */
  readonly configPath?: string;
}

/** When the rules are downloaded unless told otherwise: at night, off the full hour the world's crons use. */
export const DEFAULT_RULE_UPDATES = { hour: 3, minute: 17 } as const;

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const RULESET = /^[A-Za-z0-9][A-Za-z0-9._-]*\.rules$/;
const INTERFACE = /^(lan|wan|opt\d+)$/;

/** The problems of the arguments, each naming its argument; empty when they hold. */
export function suricataProblems(args: SuricataArgs): string[] {
  const at = args.configPath ?? "sensors.suricata";
  const problems: string[] = [];
  if (args.interfaces.length === 0) problems.push(`${at}.interfaces: Suricata needs at least one interface`);
  for (const name of args.interfaces)
    if (!INTERFACE.test(name))
      problems.push(`${at}.interfaces: "${name}" is not an OPNsense interface id (lan, wan, optN)`);
  if (args.homeNet.length === 0) problems.push(`${at}.homeNet: HOME_NET needs the lab's networks`);
  for (const cidr of args.homeNet) {
    const match = CIDR.exec(cidr);
    if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32)
      problems.push(`${at}.homeNet: "${cidr}" is not an IPv4 network (a.b.c.d/n)`);
  }
  if (args.rulesets.length === 0) problems.push(`${at}.rulesets: no ruleset: Suricata would match nothing`);
  for (const name of args.rulesets)
    if (!RULESET.test(name))
      problems.push(`${at}.rulesets: "${name}" is not a ruleset file name (emerging-malware.rules)`);
  const enabled = new Set(args.rulesets);
  for (const name of args.dropRulesets)
    if (!enabled.has(name)) problems.push(`${at}.dropRulesets: "${name}" is not among ${at}.rulesets`);
  if (args.mode === "ids" && args.dropRulesets.length > 0)
    problems.push(
      `${at}.dropRulesets: IDS mode only alerts; set ${at}.mode to "ips" to drop, or leave it empty`,
    );
  if (args.mode === "ids" && args.ipsEngine !== undefined)
    problems.push(`${at}.ipsEngine: applies to IPS mode only (${at}.mode is "ids")`);
  if (args.netflow) {
    if (args.netflow.interfaces.length === 0)
      problems.push(`${at}.netflow.interfaces: NetFlow needs at least one interface`);
    if (!Number.isInteger(args.netflow.port) || args.netflow.port < 1 || args.netflow.port > 65535)
      problems.push(`${at}.netflow.port: ${args.netflow.port} is not a port`);
  }
  return problems;
}

/** OPNsense's `general.mode` for the arguments (26.1's names; 25.7 gets `general.ips`, see versioned.ts). */
export function idsMode(args: Pick<SuricataArgs, "mode" | "ipsEngine">): IdsMode {
  return args.mode === "ips" ? (args.ipsEngine ?? "netmap") : "pcap";
}

/**
 * GET endpoints for the network layer's preflight (PreflightNeeds.probes), one per privilege the
 * component needs, so that a missing one is reported before anything changes: the Intrusion Detection's
 * settings, the syslog destinations, the cron jobs (rule updates), NetFlow's settings.
 */
export function suricataProbes(uses: {
  readonly netflow?: boolean;
  readonly ruleUpdates?: boolean;
}): string[] {
  return [
    "ids/settings/get",
    "syslog/settings/search_destinations",
    ...(uses.ruleUpdates === false ? [] : ["cron/settings/get_job"]),
    ...(uses.netflow ? ["diagnostics/netflow/getconfig"] : []),
  ];
}

/** What an admin must know before the run goes live. */
export function suricataWarnings(args: Pick<SuricataArgs, "mode" | "ipsEngine">): string[] {
  if (idsMode(args) !== "netmap") return [];
  return [
    "Suricata IPS with netmap: turn hardware offloading off on the firewall (Interfaces > Settings: disable " +
      "hardware CRC, TSO and LRO, then reboot) before this run, or netmap passes corrupted or no traffic on " +
      "the listening interfaces. divert (OPNsense 26.1+) avoids netmap but sees only what pf diverts to it.",
  ];
}

export class Suricata extends pulumi.ComponentResource {
  readonly settings: IdsGeneralSettings;
  readonly rulesets: IdsRulesets;
  /** The rule files it loads, by name. */
  readonly rulesetNames: readonly string[];
  /** The policy that drops the drop rulesets' alerts; IPS only. */
  readonly dropPolicy: IdsPolicy | undefined;
  readonly syslog: SyslogDestination | undefined;
  readonly netflow: NetflowSettings | undefined;
  /** The daily rule download, unless `ruleUpdates` is false. */
  readonly ruleUpdates: IdsUpdateSchedule | undefined;
  /** What the layer's barrier waits for. */
  readonly barrierWaitsFor: readonly pulumi.Resource[];

  constructor(name: string, args: SuricataArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SURICATA_TYPE, name, {}, opts);
    const problems = suricataProblems(args);
    if (problems.length > 0) throw new Error(`Suricata cannot be built:\n  - ${problems.join("\n  - ")}`);
    for (const warning of suricataWarnings(args)) void pulumi.log.warn(warning, this);
    const firewall = args.firewall.ref;
    const ready = { parent: this, dependsOn: [...args.firewall.ready] };
    const mode = idsMode(args);

    this.settings = new IdsGeneralSettings(
      `${name}-ids`,
      {
        firewall,
        fields: {
          enabled: true,
          mode,
          interfaces: args.interfaces,
          homenet: args.homeNet,
          // Alerts once, as EVE JSON (what Wazuh decodes); `syslog` would send them again as fast.log lines.
          syslog: false,
          syslog_eve: true,
          "detect.Profile": "medium",
        },
      },
      ready,
    );
    this.rulesets = new IdsRulesets(
      `${name}-rulesets`,
      { firewall, filenames: args.rulesets, argument: `${args.configPath ?? "sensors.suricata"}.rulesets` },
      { parent: this, dependsOn: [this.settings] },
    );
    const drop = [...new Set(args.dropRulesets)].sort();
    this.dropPolicy =
      args.mode === "ips" && drop.length > 0
        ? new IdsPolicy(
            `${name}-drop`,
            {
              firewall,
              fields: {
                enabled: true,
                prio: 10,
                // The rules these rulesets ship as `alert` (every ET open rule): turned into drops.
                action: ["alert"],
                rulesets: this.rulesets.fileUuids.apply((uuids) =>
                  drop.map((file) => uuids?.[file] ?? "").join(","),
                ),
                new_action: "drop",
                description: `fortress: drop ${drop.join(", ")}`.slice(0, 255),
              },
            },
            { parent: this, dependsOn: [this.rulesets] },
          )
        : undefined;
    this.syslog = args.syslog
      ? new SyslogDestination(
          `${name}-syslog`,
          {
            firewall,
            fields: {
              enabled: true,
              transport: "udp4",
              hostname: args.syslog.address,
              port: args.syslog.port,
              rfc5424: false,
              level: ["info", "notice", "warn", "err", "crit", "alert", "emerg"],
              program: ["suricata"],
              description: "fortress: Suricata alerts to the Wazuh manager",
            },
          },
          ready,
        )
      : undefined;
    this.netflow = args.netflow
      ? firewallNetflowExport(`${name}-netflow`, args.netflow, firewall, ready)
      : undefined;
    const updates = args.ruleUpdates === undefined ? DEFAULT_RULE_UPDATES : args.ruleUpdates;
    // After the settings: their first reconfigure makes the job this turns on.
    this.ruleUpdates = updates
      ? new IdsUpdateSchedule(
          `${name}-rule-updates`,
          { firewall, ...updates },
          { parent: this, dependsOn: [this.settings] },
        )
      : undefined;
    this.barrierWaitsFor = [
      this.settings,
      this.rulesets,
      ...(this.syslog ? [this.syslog] : []),
      ...(this.dropPolicy ? [this.dropPolicy] : []),
      ...(this.netflow ? [this.netflow] : []),
      ...(this.ruleUpdates ? [this.ruleUpdates] : []),
    ];
    this.rulesetNames = [...args.rulesets];
    this.registerOutputs({
      mode,
      rulesets: [...args.rulesets],
      dropRulesets: args.mode === "ips" ? drop : [],
    });
  }
}
