/**
 * The firewall's NetFlow collector on the Zeek VM (issue 13, "Flows from the firewall"): nfcapd from
 * Debian's nfdump, receiving OPNsense's NetFlow v9 export only from the firewall's addresses, keeping a
 * bounded archive of nfcapd files for hunting with nfdump, and converting each rotated file to JSON
 * lines that the VM's shipper (components/shipping) sends to the indexer as the `netflow` stream.
 * Installed over SSH (house style: components/siem/manager/manager.ts); no secret is involved.
 *
 * Hand `stream` to the VM's VectorShipper; `ready` before the firewall's export is switched on.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { SshHost } from "../../siem/contract";
import { shippedIndex } from "../../shipping/streams";
import type { ShippedStreamSpec } from "../../shipping/vectorConfig";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { SERVICES } from "../../../vocabulary/services";
import {
  DEFAULT_FLOW_RETENTION,
  FLOW_PATHS,
  FLOW_STREAM_GLOB,
  flowInstallScript,
  type FlowRetention,
  nfcapdArguments,
} from "./install";

export const FLOW_COLLECTOR_TYPE = COMPONENT_TYPES.flowCollector;
/** The collector's port: the vocabulary's `netflow` service. */
export const NETFLOW_PORT = SERVICES.netflow.udp[0];

export interface FlowCollectorArgs {
  /** The Zeek VM. */
  readonly host: SshHost;
  /** The UDP port nfcapd listens on (NETFLOW_PORT, the vocabulary's netflow service). */
  readonly port: number;
  /** The firewall's addresses allowed to send (its address on the Zeek VM's network). */
  readonly sources: readonly string[];
  readonly retention?: FlowRetention;
}

export class FlowCollector extends pulumi.ComponentResource {
  readonly install: command.remote.Command;
  /** The JSON-lines files the shipper reads (a glob). */
  readonly streamPath: string = FLOW_STREAM_GLOB;
  /** The stream as the VM's VectorShipper takes it. */
  readonly stream: ShippedStreamSpec;
  /** Where the collector listens, for the firewall's NetFlow destination. */
  readonly listen: { readonly address: string; readonly port: number };
  readonly ready: readonly pulumi.Resource[];

  constructor(name: string, args: FlowCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      FLOW_COLLECTOR_TYPE,
      name,
      { host: args.host.name, port: args.port, sources: [...args.sources], streamPath: FLOW_STREAM_GLOB },
      opts,
    );
    const { host } = args;
    const nfcapd = { bindAddress: host.address, port: args.port, sources: args.sources };
    // Refused here, at preview, rather than on the VM.
    nfcapdArguments({ ...nfcapd, dataDir: FLOW_PATHS.data });

    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: {
          host: host.address,
          user: host.user,
          privateKey: pulumi.secret(host.privateKey),
          hostKey: host.hostKey,
        },
        create: flowInstallScript({ nfcapd, retention: args.retention ?? DEFAULT_FLOW_RETENTION }),
        logging: "none",
      },
      { parent: this },
    );
    this.stream = { id: "netflow", paths: [FLOW_STREAM_GLOB], index: shippedIndex("netflow") };
    this.listen = { address: host.address, port: args.port };
    this.ready = [this.install];
    this.registerOutputs({ streamPath: this.streamPath, listen: this.listen });
  }
}
