/**
 * The vuln layer's component (issue 13): Greenbone on its VM, scanning the targets the lab derives,
 * and the VM's Vector agent shipping the exported reports to the indexer (`fortress-greenbone-*`),
 * where the monitoring and response layers read each result's severity. Vector is installed after
 * Greenbone: both take apt's lock on the one VM.
 */
import * as pulumi from "@pulumi/pulumi";
import type { IndexerAccess } from "../siem/contract";
import { shippedIndex } from "../shipping/streams";
import { VectorShipper } from "../shipping/vectorShipper";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { Greenbone, type GreenboneArgs } from "./greenbone";

export const VULN_TYPE = COMPONENT_TYPES.vuln;
/** Greenbone's web admin: the user the gvmd container makes, whose password Fortress replaces. */
export const GREENBONE_ADMIN_USER = "admin";

export interface VulnArgs {
  readonly greenbone: GreenboneArgs;
  /** The indexer as the VM's Vector reaches it (fortress-vector); none: the reports stay on the VM. */
  readonly indexer?: IndexerAccess;
}

export class Vuln extends pulumi.ComponentResource {
  readonly greenbone: Greenbone;
  readonly shipper: VectorShipper | undefined;
  /** The Greenbone VM's DNS name (what the rescan command SSHes to). */
  readonly greenboneHost: string;
  readonly barrierWaitsFor: readonly pulumi.Resource[];

  constructor(name: string, args: VulnArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      VULN_TYPE,
      name,
      { host: args.greenbone.host.name, targets: args.greenbone.targets.map((target) => target.name) },
      opts,
    );
    this.greenboneHost = args.greenbone.host.fqdn;
    this.greenbone = new Greenbone(`${name}-greenbone`, args.greenbone, { parent: this });
    this.shipper = args.indexer
      ? new VectorShipper(
          `${name}-vector`,
          {
            host: args.greenbone.host,
            indexer: args.indexer,
            streams: [
              {
                id: "greenbone",
                paths: [`${this.greenbone.exportDir}/*.jsonl`],
                index: shippedIndex("greenbone"),
              },
            ],
          },
          { parent: this, dependsOn: [this.greenbone.install] },
        )
      : undefined;
    this.barrierWaitsFor = [
      this.greenbone.install,
      this.greenbone.reconcile,
      ...this.greenbone.scanUsers,
      ...(this.shipper?.ready ?? []),
    ];
    this.registerOutputs({ webUrl: this.greenbone.webUrl });
  }
}
