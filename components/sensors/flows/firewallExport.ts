/**
 * The firewall's side of the flow records: OPNsense's NetFlow export (Diagnostics > NetFlow: model
 * OPNsense/Diagnostics/Netflow.xml, set by NetflowController `setconfig`) of the given interfaces to the
 * collector, version 9, the WAN (if listed) counted outgoing only so that routed flows are not counted
 * twice (Netflow.xml `egress_only`), OPNsense's own local collection off.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FirewallRef } from "../../opnsense/provider";
import { NetflowSettings } from "../../opnsense/resources";

export interface FirewallNetflowArgs {
  readonly collector: pulumi.Input<string>;
  readonly port: number;
  /** OPNsense interface ids (lan, opt1 …). */
  readonly interfaces: readonly string[];
}

export function firewallNetflowExport(
  name: string,
  netflow: FirewallNetflowArgs,
  firewall: pulumi.Input<FirewallRef>,
  opts: pulumi.CustomResourceOptions,
): NetflowSettings {
  return new NetflowSettings(
    name,
    {
      firewall,
      fields: {
        "capture.interfaces": netflow.interfaces,
        "capture.egress_only": netflow.interfaces.filter((id) => id === "wan"),
        "capture.version": "v9",
        "capture.targets": pulumi.interpolate`${netflow.collector}:${netflow.port}`,
        "collect.enable": false,
        activeTimeout: 1800,
        inactiveTimeout: 15,
      },
    },
    opts,
  );
}
