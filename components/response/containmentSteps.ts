/**
 * The containment's steps outside the cluster, made by the Response component: the manager's install
 * (containment/onManager.ts: fortress-contain, the active response, contain.json, the expiry timer)
 * and, with a Greenbone VM, the rescan key and its forced-command access there
 * (containment/rescanAccess.ts). The `<command>` and `<active-response>` blocks are the siem layer's
 * (stacks/managerResponse.ts).
 */
import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { SshHost } from "../siem/contract";
import { containmentOnManager, type ManagerContainConfig } from "./containment/onManager";
import { containmentRescanKey, rescanAccessOnGreenbone } from "./containment/rescanAccess";

export interface ContainmentStepsArgs {
  /** The Wazuh manager VM, where the active response and fortress-contain run. */
  readonly manager: SshHost;
  readonly config: ManagerContainConfig;
  /** The CA of the firewall's API certificate (fortress:opnsense.caCert); absent: the system's CAs. */
  readonly firewallCaPem?: pulumi.Input<string>;
  /** The Greenbone VM and its scan targets (CIDR → name), for the rescan; absent without a scanner. */
  readonly greenbone?: {
    readonly host: SshHost;
    readonly targets: Readonly<Record<string, string>>;
    /** fortress-rescan's path on it (components/vuln/install.ts RESCAN_PATH). */
    readonly rescanPath: string;
  };
}

export interface ContainmentSteps {
  readonly onManager: command.remote.Command;
  readonly rescanAccess: command.remote.Command | undefined;
}

export function containmentSteps(
  name: string,
  args: ContainmentStepsArgs,
  opts: pulumi.CustomResourceOptions,
): ContainmentSteps {
  const { greenbone } = args;
  const key = greenbone ? containmentRescanKey(`${name}-rescan-key`, opts) : undefined;
  const rescanAccess =
    greenbone && key
      ? rescanAccessOnGreenbone(
          `${name}-rescan-access`,
          {
            host: greenbone.host,
            publicKey: key.publicKeyOpenssh,
            from: args.manager.address,
            targets: [...new Set(Object.values(greenbone.targets))],
            rescanPath: greenbone.rescanPath,
          },
          opts,
        )
      : undefined;
  const onManager = containmentOnManager(
    `${name}-containment`,
    {
      host: args.manager,
      config: args.config,
      ...(args.firewallCaPem ? { firewallCaPem: args.firewallCaPem } : {}),
      ...(greenbone && key
        ? {
            rescan: {
              privateKey: key.privateKeyOpenssh,
              greenbone: { address: greenbone.host.address, hostKey: greenbone.host.hostKey },
              targets: greenbone.targets,
            },
          }
        : {}),
    },
    // The rescan's access first: the first containment may rescan at once.
    { ...opts, dependsOn: rescanAccess ? [rescanAccess] : [] },
  );
  return { onManager, rescanAccess };
}
