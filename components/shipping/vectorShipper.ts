/**
 * Vector on a Fortress VM, shipping the VM's JSON-lines streams to the Wazuh indexer with the SIEM's
 * index-scoped user `fortress-vector` (Siem.indexerAccess("vector", "vm")): a block the sensors layer
 * (Zeek's logs, the firewall's NetFlow on the Zeek VM) and the vuln layer (Greenbone's reports) share.
 * Installed over SSH (house style: components/siem/manager/manager.ts): the script is rendered by a
 * pure function (install.ts), the configuration too (vectorConfig.ts); the password travels on
 * stdin only, lands root-only on the VM and reaches Vector as a systemd credential.
 *
 * What a producer must do for its stream to be read: write JSON lines into files under the stream's
 * paths, in directories the group SHIPPED_LOGS_GROUP may read (Vector's user is in that group and no
 * other). The host's firewall must let the VM reach the indexer's route, which admits the VM's
 * address only when the SIEM is given it (SiemArgs.manager.indexerSources).
 *
 * Loki (issue 15) is not built: its sink will read the same remaps (vectorConfig.ts).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { IndexerTarget, ShipperHost } from "./contract";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { vectorInstallScript } from "./install";
import { renderVectorConfig, type ShippedStreamSpec } from "./vectorConfig";

export const VECTOR_SHIPPER_TYPE = COMPONENT_TYPES.vectorShipper;

export interface VectorShipperArgs {
  readonly host: ShipperHost;
  /** The indexer as the VM reaches it, with Vector's own user (Siem.indexerAccess("vector", "vm")). */
  readonly indexer: IndexerTarget;
  readonly streams: readonly ShippedStreamSpec[];
  /** Each stream's disk buffer, bytes (Vector's minimum, 268435488, when omitted). */
  readonly bufferBytes?: number;
  /** The monitoring layer's aggregator as the VM dials it, `<address>:<port>`: the streams also go to Loki. */
  readonly aggregator?: string;
}

export class VectorShipper extends pulumi.ComponentResource {
  readonly install: command.remote.Command;
  /** The daily index prefixes this shipper writes, by stream id. */
  readonly indices: Readonly<Record<string, string>>;
  /** What must exist before a producer counts on its stream being shipped. */
  readonly ready: readonly pulumi.Resource[];

  constructor(name: string, args: VectorShipperArgs, opts?: pulumi.ComponentResourceOptions) {
    const indices = Object.fromEntries(args.streams.map((stream) => [stream.id, stream.index]));
    super(VECTOR_SHIPPER_TYPE, name, { host: args.host.name, indices }, opts);
    this.indices = indices;
    const { host } = args;

    const script = pulumi.all([args.indexer.url, args.indexer.caCertificatePem]).apply(([url, caPem]) =>
      vectorInstallScript({
        configYaml: renderVectorConfig({
          streams: args.streams,
          endpoint: url,
          username: args.indexer.username,
          hostName: host.name,
          ...(args.bufferBytes !== undefined ? { bufferBytes: args.bufferBytes } : {}),
          ...(args.aggregator !== undefined ? { aggregator: args.aggregator } : {}),
        }),
        indexerCaPem: caPem,
      }),
    );

    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: {
          host: host.address,
          user: host.user,
          privateKey: pulumi.secret(host.privateKey),
          hostKey: host.hostKey,
        },
        create: script,
        stdin: pulumi.secret(pulumi.interpolate`${args.indexer.password}\n`),
        // The script holds no secret; its output is not logged either (it may name the password's file).
        logging: "none",
        triggers: [script],
      },
      { parent: this, additionalSecretOutputs: ["stdin"] },
    );
    this.ready = [this.install];
    this.registerOutputs({ host: host.name, indices });
  }
}
