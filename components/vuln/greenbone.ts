/**
 * Greenbone Community Edition on its own Fortress VM (issue 13, "vuln"), installed over SSH: Docker
 * from Docker's repository (key by fingerprint, packages pinned), Greenbone's compose file with every
 * image by digest (from `imageDigests`, or resolved on the first install and kept: pins.ts), the web UI behind Greenbone's nginx with a certificate from the lab's internal CA
 * on the VM's fqdn and address, the admin password from `random` set over GMP (admin/admin checked to
 * be refused), scan targets, schedules and "Full and fast" tasks reconciled from the inventory, a scan
 * user with an SSH key on each Fortress VM for authenticated scans, finished reports exported as JSON
 * lines for the SIEM's Vector agent, and `fortress-rescan <target>` for the response layer.
 *
 * State: the VM is stateful (gvmd's database in the compose volume psql_data_vol, and the feed
 * volumes, which are re-downloadable). The admin password is `protect`ed: the GMP client needs the
 * password it set to authenticate again.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import type { InternalCa } from "../platform/internalCa";
import { vmTlsIdentity } from "../platform/vmTls";
import type { SshHost } from "../siem/contract";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { WEB_PORT, renderCompose } from "./compose";
import { GVM_EXPORT_DIR, GVM_PROGRAM } from "./gvmProgram";
import { parsePinnedDigests, renderEnv } from "./imagePins";
import { RESCAN_PATH, installScript, reconcileScript } from "./install";
import type { GreenboneImageDigests } from "./pins";
import { SCAN_USER_DELETE, scanUserScript } from "./scanUser";
import { type ScanTarget, desiredState, targetProblems } from "./targets";

export const GREENBONE_TYPE = COMPONENT_TYPES.greenbone;
/** Marks the admin-password source for the pack (greenbone-no-default-password). */
export const ADMIN_PASSWORD_LENGTH = 32;

export interface GreenboneArgs {
  /** The Greenbone VM. */
  readonly host: SshHost;
  /** The lab's internal CA: signs the web UI's certificate. */
  readonly ca: InternalCa;
  /**
   * `sha256:…` of every image (pins.ts GREENBONE_IMAGES; scripts/greenbone-digests.sh prints them, and so
   * does `pinnedDigests`): written to the VM's `.env` on every install, so a changed table moves the pins.
   * None: the first install resolves the tags on the VM and later installs keep what it recorded.
   */
  readonly imageDigests?: GreenboneImageDigests;
  /** What to scan: one target per VLAN (and per role where useful), from the plan. */
  readonly targets: readonly ScanTarget[];
  /** Fortress VMs that get the scan user (authenticated scans); none: unauthenticated scans only. */
  readonly scanHosts?: readonly SshHost[];
}

const connectionOf = (host: SshHost): command.types.input.remote.ConnectionArgs => ({
  host: host.address,
  user: host.user,
  privateKey: pulumi.secret(host.privateKey),
  hostKey: host.hostKey,
});

export class Greenbone extends pulumi.ComponentResource {
  /** https URL of the web UI (the VM's fqdn, port 443). */
  readonly webUrl: string;
  /** The admin user's password (secret). */
  readonly adminPassword: pulumi.Output<string>;
  /** The directory of `report-<id>.jsonl` files on the VM, for the SIEM's Vector agent. */
  readonly exportDir: string = GVM_EXPORT_DIR;
  /** The rescan program on the VM (see rescanCommand). */
  readonly rescanPath: string = RESCAN_PATH;
  /** The scan user's public key (OpenSSH), empty without scan hosts. */
  readonly scanPublicKey: pulumi.Output<string>;
  /**
   * The digests the install used (configured or recorded on the VM), as `imageDigests` takes them: copy
   * them into `fortress:vuln.imageDigests` to reproduce the pins. Empty until an install has run.
   */
  readonly pinnedDigests: pulumi.Output<Partial<GreenboneImageDigests>>;
  readonly install: command.remote.Command;
  readonly reconcile: command.remote.Command;
  readonly scanUsers: readonly command.remote.Command[];

  constructor(name: string, args: GreenboneArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = targetProblems(args.targets);
    if (problems.length > 0) throw new Error(`Greenbone ${name}: ${problems.join("; ")}`);
    const env = args.imageDigests === undefined ? undefined : renderEnv(args.imageDigests);
    super(
      GREENBONE_TYPE,
      name,
      {
        host: args.host.name,
        fqdn: args.host.fqdn,
        adminPasswordType: "random",
        imagePins: env === undefined ? "first-install" : "configured",
        targets: args.targets.map((target) => ({ name: target.name, hosts: [...target.hosts] })),
        scanHosts: (args.scanHosts ?? []).map((host) => host.name),
      },
      opts,
    );
    const { host } = args;
    const authenticated = (args.scanHosts ?? []).length > 0;

    const admin = new random.RandomPassword(
      `${name}-admin-password`,
      {
        length: ADMIN_PASSWORD_LENGTH,
        minUpper: 2,
        minLower: 2,
        minNumeric: 2,
        minSpecial: 2,
        overrideSpecial: "-_.+=",
      },
      { parent: this, protect: true, additionalSecretOutputs: ["result"] },
    );
    const { key, certificate } = vmTlsIdentity(name, host, args.ca, this);
    const compose = renderCompose({ bindAddress: host.address, fqdn: host.fqdn });
    const script = certificate.certPem.apply((certificatePem) =>
      installScript({ compose, certificatePem, program: GVM_PROGRAM, ...(env === undefined ? {} : { env }) }),
    );
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: connectionOf(host),
        create: script,
        stdin: pulumi.secret(pulumi.interpolate`${admin.result}\n${key.privateKeyPem}`),
        logging: "none",
        triggers: [script],
      },
      { parent: this, additionalSecretOutputs: ["stdin"] },
    );

    const scanKey = authenticated
      ? new tls.PrivateKey(
          `${name}-scan-key`,
          { algorithm: "ED25519" },
          {
            parent: this,
            additionalSecretOutputs: ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"],
          },
        )
      : undefined;
    this.scanPublicKey = scanKey ? scanKey.publicKeyOpenssh : pulumi.output("");
    this.scanUsers = scanKey
      ? (args.scanHosts ?? []).map((scanHost) => {
          const create = scanKey.publicKeyOpenssh.apply((publicKey) =>
            scanUserScript({ publicKey, scannerAddress: host.address }),
          );
          return new command.remote.Command(
            `${name}-scan-user-${scanHost.name}`,
            {
              connection: connectionOf(scanHost),
              create,
              delete: SCAN_USER_DELETE,
              triggers: [create],
              logging: "none",
            },
            { parent: this },
          );
        })
      : [];

    const desired = JSON.stringify(desiredState(args.targets, authenticated), null, 2);
    const reconcile = reconcileScript(desired, authenticated);
    this.reconcile = new command.remote.Command(
      `${name}-targets`,
      {
        connection: connectionOf(host),
        create: reconcile,
        ...(scanKey ? { stdin: pulumi.secret(scanKey.privateKeyOpenssh) } : {}),
        logging: "none",
        triggers: [desired, this.install.id],
      },
      { parent: this, dependsOn: [this.install, ...this.scanUsers], additionalSecretOutputs: ["stdin"] },
    );

    // Digests are public data; the install's stdout may be marked secret with its stdin, so only the
    // validated `greenbone-pin <key> sha256:<hex>` lines are taken out of it, in the clear.
    this.pinnedDigests = pulumi.unsecret(
      this.install.stdout.apply((stdout) => parsePinnedDigests(stdout ?? "")),
    );
    this.webUrl = `https://${host.fqdn}${WEB_PORT === 443 ? "" : `:${WEB_PORT}`}/`;
    this.adminPassword = pulumi.secret(admin.result);
    this.registerOutputs({
      webUrl: this.webUrl,
      exportDir: this.exportDir,
      rescanPath: this.rescanPath,
      scanPublicKey: this.scanPublicKey,
      pinnedDigests: this.pinnedDigests,
    });
  }
}

/**
 * The command the response layer runs over SSH on the Greenbone VM to rescan one target now (as the
 * VM's admin user, who has sudo). Exit codes: gvmProgram.ts RESCAN_EXIT_CODES.
 */
export function rescanCommand(targetName: string): string {
  if (targetProblems([{ name: targetName, hosts: ["127.0.0.1"] }]).length > 0)
    throw new Error(`not a Fortress scan target name: ${targetName}`);
  return `sudo ${RESCAN_PATH} ${targetName}`;
}
