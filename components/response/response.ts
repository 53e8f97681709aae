/**
 * The response layer's component: TheHive (when the lab runs it; without it, MISP and the manager's
 * containment alone), and Cortex when the lab runs it (with TheHive), in the namespace the
 * platform made for the layer. What the lead wires: `ResponseArgs` from the platform (namespace,
 * issuer, ingress, storage classes, CA), the identity of nothing (TheHive's free edition takes local
 * accounts only), the SIEM (the indexer's in-cluster name and each product's own indexer user); and
 * out: TheHive's URL and accounts (secret), Cortex's URL, and `wazuhBridge` for the manager.
 */
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { Cortex, type CortexContainment } from "./cortex";
import type { ExternalEndpoint } from "./policies";
import { TheHive, type IndexerLogin, type WazuhBridge } from "./thehive";
import { Misp, type MispArgs } from "./misp/misp";
import { managerBridge } from "./wazuh/managerBridge";
import { readWazuhKey } from "./wazuhKey";
import { type ContainmentSteps, type ContainmentStepsArgs, containmentSteps } from "./containmentSteps";
import type { SshHost } from "../siem/contract";

export const RESPONSE_TYPE = COMPONENT_TYPES.response;

export interface ResponseArgs {
  /** The namespace the platform made for the layer (fortress-response). */
  readonly namespace: string;
  readonly clusterIssuer: string;
  readonly caCertificatePem: pulumi.Input<string>;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  /** The baseline's `storageClasses`: `default` for Cassandra and attachments, `rwx` for Cortex's jobs. */
  readonly storageClasses: { readonly default: string; readonly rwx?: string };
  readonly hostnames: { readonly thehive: string; readonly cortex: string };
  /**
   * The shared Wazuh indexer: its in-cluster name and port (`wazuh-indexer.<siem namespace>.svc`, 9200)
   * and each product's own user (siem.indexerAccess("thehive") / ("cortex"): username, password).
   */
  readonly indexer: {
    readonly host: string;
    readonly port: number;
    readonly thehive: { readonly username: string; readonly password: pulumi.Input<string> };
    readonly cortex: { readonly username: string; readonly password: pulumi.Input<string> };
  };
  /**
   * Whether the lab runs TheHive (fortress:services has `thehive`); without it the layer builds MISP
   * and the containment alone (stacks/blueprint.ts: Cortex requires TheHive).
   */
  readonly theHive: boolean;
  /** Whether the lab runs Cortex (fortress:services has `cortex`; needs TheHive). */
  readonly cortex: boolean;
  /** MISP on its VM, when the lab runs it: built here, then connected like `misp` below. */
  readonly mispVm?: MispArgs;
  /** The Wazuh manager's VM: Wazuh → TheHive's script, CA and key go there (managerBridge). */
  readonly manager?: SshHost;
  /**
   * MISP, when the lab runs it (components/response/misp: Misp.baseUrl, Misp.integrationKey, the lab
   * CA): TheHive's MISP connector and Cortex's MISP analyzer. `endpoint` is MISP's VM address and 443,
   * for the NetworkPolicies; `exportCases` only when MISP's integration user may write (Sync user).
   * Derived from `mispVm` when that is given.
   */
  readonly misp?: MispConnection;
  /** The containment responder in Cortex (needs Cortex): fortress-contain's configuration and reach. */
  readonly containment?: CortexContainment;
  /** The containment on the manager (and the rescan's access on the Greenbone VM), while the lab contains. */
  readonly managerContainment?: ContainmentStepsArgs;
}

/** How TheHive and Cortex reach MISP. */
export interface MispConnection {
  readonly url: string;
  readonly key: pulumi.Input<string>;
  readonly caCertificatePem: pulumi.Input<string>;
  readonly endpoint: ExternalEndpoint;
  readonly exportCases?: boolean;
}

export class Response extends pulumi.ComponentResource {
  readonly theHive: TheHive | undefined;
  readonly cortex: Cortex | undefined;
  readonly theHiveUrl: string | undefined;
  readonly cortexUrl: string | undefined;
  /** TheHive's administrator and analyst, Cortex's superadmin (passwords secret); none without TheHive. */
  readonly accounts:
    | {
        readonly admin: { readonly login: string; readonly password: pulumi.Output<string> };
        readonly analyst: { readonly login: string; readonly password: pulumi.Output<string> };
        readonly cortexAdmin:
          { readonly login: string; readonly password: pulumi.Output<string> } | undefined;
      }
    | undefined;
  /** What the manager and the monitoring bridge need of TheHive; none without TheHive. */
  readonly wazuhBridge: WazuhBridge | undefined;
  readonly misp: Misp | undefined;
  /** The manager's side of Wazuh → TheHive (one SSH step), when the manager is given. */
  readonly managerBridge: command.remote.Command | undefined;
  /** The containment's steps on the manager and the Greenbone VM, while the lab contains. */
  readonly containment: ContainmentSteps | undefined;

  constructor(name: string, args: ResponseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESPONSE_TYPE, name, { namespace: args.namespace }, opts);
    if (args.cortex && !args.theHive)
      throw new Error("response: Cortex answers TheHive's analysts; add thehive to fortress:services");
    if (args.containment && !args.cortex)
      throw new Error("response: the containment responder runs in Cortex; add cortex to fortress:services");
    const child = { parent: this };
    // MISP first: Cortex's MISP analyzer and TheHive's connector read its URL and integration key.
    this.misp = args.mispVm ? new Misp(`${name}-misp`, args.mispVm, child) : undefined;
    const misp: MispConnection | undefined =
      args.misp ??
      (this.misp && args.mispVm
        ? {
            url: this.misp.baseUrl,
            key: this.misp.integrationKey,
            caCertificatePem: args.mispVm.ca.certificatePem,
            endpoint: { ip: args.mispVm.host.address, port: 443 },
          }
        : undefined);
    const cluster = {
      namespace: args.namespace,
      clusterIssuer: args.clusterIssuer,
      ingressClassName: args.ingressClassName,
      ingressNamespace: args.ingressNamespace,
    };
    const login = (user: {
      readonly username: string;
      readonly password: pulumi.Input<string>;
    }): IndexerLogin => ({
      host: args.indexer.host,
      port: args.indexer.port,
      username: user.username,
      password: user.password,
    });
    // TheHive's key in Cortex: generated here, set in Cortex by its accounts Job, read by TheHive.
    const cortexKey = args.cortex
      ? new random.RandomPassword(`${name}-cortex-thehive-key`, { length: 40, special: false }, child).result
      : undefined;
    this.cortex =
      args.cortex && cortexKey
        ? new Cortex(
            `${name}-cortex`,
            {
              ...cluster,
              hostname: args.hostnames.cortex,
              rwxStorageClass: args.storageClasses.rwx,
              storageClass: args.storageClasses.default,
              indexer: login(args.indexer.cortex),
              theHiveKey: cortexKey,
              ...(misp
                ? {
                    misp: {
                      url: misp.url,
                      endpoint: misp.endpoint,
                      key: misp.key,
                      caCertificatePem: misp.caCertificatePem,
                    },
                  }
                : {}),
              ...(args.containment ? { containment: args.containment } : {}),
            },
            child,
          )
        : undefined;
    this.theHive = args.theHive
      ? new TheHive(
          `${name}-thehive`,
          {
            ...cluster,
            hostname: args.hostnames.thehive,
            storageClass: args.storageClasses.default,
            indexer: login(args.indexer.thehive),
            caCertificatePem: args.caCertificatePem,
            ...(misp ? { misp } : {}),
            ...(this.cortex && cortexKey
              ? { cortex: { ...this.cortex.service, key: cortexKey, ready: [this.cortex.accountsJob] } }
              : {}),
          },
          child,
        )
      : undefined;
    this.theHiveUrl = this.theHive?.url;
    this.cortexUrl = this.cortex?.url;
    this.accounts = this.theHive
      ? { admin: this.theHive.admin, analyst: this.theHive.analyst, cortexAdmin: this.cortex?.admin }
      : undefined;
    this.wazuhBridge = this.theHive?.wazuhBridge;
    const bridge = this.wazuhBridge;
    // Wazuh → TheHive on the manager: only with TheHive (the containment below needs none of it).
    this.managerBridge =
      args.manager && bridge
        ? managerBridge(
            `${name}-manager-bridge`,
            {
              host: args.manager,
              key: readWazuhKey(`${name}-wazuh-key`, bridge, child),
              caCertificatePem: bridge.caCertificatePem,
            },
            { ...child, dependsOn: [...bridge.ready] },
          )
        : undefined;
    this.containment = args.managerContainment
      ? containmentSteps(name, args.managerContainment, child)
      : undefined;
    this.registerOutputs({
      theHiveUrl: this.theHiveUrl ?? null,
      cortexUrl: this.cortexUrl ?? null,
      mispUrl: this.misp?.baseUrl ?? null,
    });
  }
}
