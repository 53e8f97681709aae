/**
 * Zeek on its sensor VM, fed by the traffic mirror on the VM's Proxmox node: two commands over SSH,
 * one installing and running Zeek on the VM (install.ts), one installing, applying and checking the
 * mirror on the node (mirror.ts). `logDir` is where the JSON logs are, for the log shipper.
 */
import { sshConnection } from "../../siem/contract";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { DATA_MOUNT } from "../../cloud-init/userData";
import type { SshHost } from "../../siem/contract";
import { CAPTURE_GUEST_INTERFACE } from "../../../vocabulary/capture";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { shippedIndex } from "../../shipping/streams";
import type { ShippedStreamSpec } from "../../shipping/vectorConfig";
import { liveLogDir } from "./config";
import { installScript } from "./install";
import { type MirrorArgs, nodeMirror, type ProxmoxNodeSsh } from "./mirror";

export interface ZeekSensorArgs {
  /** The Zeek VM (the hypervisor layer's outputs for it). */
  readonly host: SshHost;
  /** The Proxmox node the Zeek VM runs on, over SSH (the mirror is set up there). */
  readonly node: ProxmoxNodeSsh;
  /** The Zeek VM's Proxmox id: its capture NIC is `tap<vmId>i1` on the node. */
  readonly vmId: pulumi.Input<number>;
  /** The lab's networks (CIDRs): Zeek's Site::local_nets. */
  readonly localNets: readonly string[];
  readonly mirror: MirrorArgs;
  /** Where the VM's data disk is mounted (cloud-init's DATA_MOUNT unless told). */
  readonly dataMount?: string;
}

export class ZeekSensor extends pulumi.ComponentResource {
  /** The directory of Zeek's live JSON logs on the VM (conn.log, dns.log, …), for the log shipper. */
  readonly logDir: pulumi.Output<string>;
  /** Zeek's JSON logs as the VM's VectorShipper takes them (plain: the path is known before the install). */
  readonly stream: ShippedStreamSpec;
  /** The Zeek VM's name. */
  readonly vm: string;
  readonly install: command.remote.Command;
  readonly mirror: command.remote.Command;

  constructor(name: string, args: ZeekSensorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.zeekSensor, name, {}, opts);
    const paths = { dataMount: args.dataMount ?? DATA_MOUNT };
    const script = installScript({
      ...paths,
      captureInterface: CAPTURE_GUEST_INTERFACE,
      localNets: args.localNets,
    });
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: sshConnection(args.host),
        create: script,
        logging: "none",
        triggers: [script],
      },
      { parent: this },
    );
    // After Zeek runs: the VM (and so its capture tap) is up, and nothing is mirrored into a NIC no
    // one reads.
    this.mirror = nodeMirror(`${name}-mirror`, args.node, args.vmId, args.mirror, {
      parent: this,
      dependsOn: [this.install],
    });
    this.logDir = pulumi.all([this.install.id, this.mirror.id]).apply(() => liveLogDir(paths));
    this.vm = args.host.name;
    // One index per log (fortress-zeek-<log>-%Y.%m.%d): Zeek's logs disagree on field types
    // (software.log's `version` is a record, zeek/zeek scripts/base/frameworks/software/main.zeek;
    // ssl/http/ssh.log's a string or number), and one index can map a field only one way.
    this.stream = {
      id: "zeek",
      paths: [`${liveLogDir(paths)}/*.log`],
      index: shippedIndex("zeek"),
      indexBy: "file",
    };
    this.registerOutputs({ logDir: this.logDir });
  }
}
