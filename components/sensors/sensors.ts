/**
 * The sensors layer's component (issue 13): Suricata on the firewall, and on the Zeek VM the Zeek
 * sensor with its traffic mirror, the firewall's NetFlow collector and the Vector agent that ships
 * both to the indexer. Each part is optional: a lab without OPNsense has no Suricata, a lab without
 * the `zeek` service no Zeek VM, and the firewall exports NetFlow only when the collector exists.
 *
 * The VM's installs run one after another (Zeek, then the collector, then Vector): each takes apt's
 * lock, and two at once on one VM would fail the second.
 */
import * as pulumi from "@pulumi/pulumi";
import type { IndexerAccess } from "../siem/contract";
import { VectorShipper } from "../shipping/vectorShipper";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { FirewallRef } from "../opnsense/provider";
import type { NetflowSettings } from "../opnsense/resources";
import { FlowCollector, NETFLOW_PORT } from "./flows/collector";
import { firewallNetflowExport } from "./flows/firewallExport";
import { Suricata, type SuricataArgs } from "./suricata/suricata";
import { ZeekSensor, type ZeekSensorArgs } from "./zeek";

export const SENSORS_TYPE = COMPONENT_TYPES.sensors;

export interface ZeekSiteArgs {
  readonly sensor: ZeekSensorArgs;
  /** The firewall's addresses that may send NetFlow (its gateway on the Zeek VM's network); none: no collector. */
  readonly netflowSources?: readonly string[];
  /** The indexer as the VM's Vector reaches it, with the SIEM's fortress-vector user. */
  readonly indexer: IndexerAccess;
}

export interface SensorsArgs {
  /** OPNsense, when the lab has one: the interfaces whose flows it exports to the Zeek VM's collector. */
  readonly firewall?: {
    readonly ref: pulumi.Input<FirewallRef>;
    readonly ready: readonly pulumi.Resource[];
    readonly interfaces: readonly string[];
  };
  /** Suricata's settings, with the `suricata` service. */
  readonly suricata?: Omit<SuricataArgs, "netflow">;
  readonly zeek?: ZeekSiteArgs;
}

export class Sensors extends pulumi.ComponentResource {
  readonly suricata: Suricata | undefined;
  readonly zeek: ZeekSensor | undefined;
  readonly flows: FlowCollector | undefined;
  readonly shipper: VectorShipper | undefined;
  /** The firewall's NetFlow export to the collector: with or without Suricata. */
  readonly netflow: NetflowSettings | undefined;
  readonly barrierWaitsFor: readonly pulumi.Resource[];

  constructor(name: string, args: SensorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      SENSORS_TYPE,
      name,
      { suricata: args.suricata !== undefined, zeek: args.zeek?.sensor.host.name ?? null },
      opts,
    );
    const site = args.zeek;
    this.zeek = site ? new ZeekSensor(`${name}-zeek`, site.sensor, { parent: this }) : undefined;
    this.flows =
      site && this.zeek && site.netflowSources && site.netflowSources.length > 0
        ? new FlowCollector(
            `${name}-flows`,
            { host: site.sensor.host, port: NETFLOW_PORT, sources: site.netflowSources },
            { parent: this, dependsOn: [this.zeek.install] },
          )
        : undefined;
    this.shipper =
      site && this.zeek
        ? new VectorShipper(
            `${name}-vector`,
            {
              host: site.sensor.host,
              indexer: site.indexer,
              streams: [this.zeek.stream, ...(this.flows ? [this.flows.stream] : [])],
            },
            { parent: this, dependsOn: [this.zeek.install, ...(this.flows?.ready ?? [])] },
          )
        : undefined;
    const flows = this.flows;
    const firewall = args.firewall;
    this.suricata = args.suricata
      ? new Suricata(`${name}-suricata`, args.suricata, { parent: this })
      : undefined;
    this.netflow =
      flows && firewall
        ? firewallNetflowExport(
            `${name}-netflow`,
            { collector: flows.listen.address, port: flows.listen.port, interfaces: firewall.interfaces },
            firewall.ref,
            { parent: this, dependsOn: [...firewall.ready, ...flows.ready] },
          )
        : undefined;
    this.barrierWaitsFor = [
      ...(this.suricata?.barrierWaitsFor ?? []),
      ...(this.netflow ? [this.netflow] : []),
      ...(this.zeek ? [this.zeek.install, this.zeek.mirror] : []),
      ...(this.flows?.ready ?? []),
      ...(this.shipper?.ready ?? []),
    ];
    this.registerOutputs({});
  }
}
