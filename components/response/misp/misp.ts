/**
 * MISP on its own Fortress VM (issue 14, "response"), installed over SSH: misp-docker's compose file as
 * Fortress writes it (compose.ts: misp-core, misp-modules, MariaDB, Valkey; images at exact versions,
 * optionally by digest), Docker from Docker's repository by key fingerprint, every credential from
 * `random` (MariaDB's and Valkey's passwords, ADMIN_PASSWORD, ADMIN_KEY, ENCRYPTION_KEY), the web UI on
 * https://<fqdn> with a certificate from the lab's CA, login through Keycloak (OIDC, the realm's misp
 * client and its `roles` claim), the configured feeds enabled through MISP's API and a dedicated
 * integration user whose key Cortex's MISP analyzer and TheHive's connector use.
 *
 * State: the VM is stateful. Back up DATA_DIR on the data disk: `mysql` (MariaDB: events, attributes,
 * users, settings), `files` (attachments, feed caches), `configs` (MISP's config.php with the salt
 * and the encryption key's use), `gnupg`; `valkey` and `logs` are rebuildable. ENCRYPTION_KEY and the
 * MariaDB passwords are `protect`ed: a new value would lock MISP out of its own encrypted settings or
 * its database.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { InternalCa } from "../../platform/internalCa";
import { vmTlsIdentity } from "../../platform/vmTls";
import { type SshHost, sshConnection } from "../../siem/contract";
import { MISP_CLIENT_ROLES, MISP_ROLES_CLAIM, type MispClientRole } from "../../identity/realm";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import {
  DATA_DIR,
  type OidcSettings,
  SECRET_ORDER,
  type MispSecrets,
  baseUrl,
  renderCompose,
  secretProblems,
} from "./compose";
import { type FeedName, desiredFeeds, feedProblems } from "./feeds";
import { configureScript, installScript } from "./install";
import { MISP_PROGRAM } from "./mispProgram";
import { type MispImageDigests, digestProblems } from "./pins";

export const MISP_TYPE = COMPONENT_TYPES.misp;

/**
 * MISP's built-in roles by id (MISP/MISP INSTALL/MYSQL.sql `INSERT IGNORE INTO roles`: 1 admin,
 * 2 Org Admin, 3 User, 4 Publisher, 5 Sync user, 6 Read Only).
 */
export const MISP_ROLE_IDS = {
  admin: 1,
  orgAdmin: 2,
  user: 3,
  publisher: 4,
  syncUser: 5,
  readOnly: 6,
} as const;
/** The realm's misp client roles → MISP role ids (OIDC_ROLES_MAPPING, OidcAuth.role_mapper). */
export const OIDC_ROLE_MAPPING: Readonly<Record<MispClientRole, number>> = {
  admin: MISP_ROLE_IDS.admin,
  user: MISP_ROLE_IDS.user,
  readonly: MISP_ROLE_IDS.readOnly,
};

export interface MispOidcArgs {
  /** The realm's issuer (components/identity Identity.issuerUrl). */
  readonly issuerUrl: string;
  /** The misp client's secret (Identity.clientSecrets.misp). */
  readonly clientSecret: pulumi.Input<string>;
}

export interface MispArgs {
  /** The MISP VM (role `misp`), with a data disk mounted at /srv/data. */
  readonly host: SshHost;
  /** The lab's internal CA: signs the web UI's certificate; misp-core trusts it (Keycloak's TLS). */
  readonly ca: InternalCa;
  /** The organisation of the admin, the integration user and every user who logs in through Keycloak. */
  readonly organisation: string;
  /** The admin's e-mail (MISP's login name for the break-glass account). */
  readonly adminEmail: string;
  /** Login through Keycloak; none: local accounts only. */
  readonly oidc?: MispOidcArgs;
  /** Feeds to enable (feeds.ts FEED_CATALOG); none: MISP pulls nothing (offline-first). */
  readonly feeds?: readonly FeedName[];
  /** The integration user's role: Read Only (default; lookups) or Sync user (TheHive exports to MISP). */
  readonly integrationRole?: "readOnly" | "syncUser";
  /** Optional `sha256:` digests per image (pins.ts). */
  readonly imageDigests?: MispImageDigests;
}

const connectionOf = sshConnection;

/** Letters and digits only: the values go into env files and Valkey's config line as they are. */
function credential(
  name: string,
  length: number,
  parent: pulumi.Resource,
  protect = false,
): random.RandomPassword {
  return new random.RandomPassword(
    name,
    { length, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
    { parent, protect, additionalSecretOutputs: ["result"] },
  );
}

export class Misp extends pulumi.ComponentResource {
  /** https://<fqdn> (MISP.baseurl). */
  readonly baseUrl: string;
  /** The site admin's API key (secret). */
  readonly adminKey: pulumi.Output<string>;
  /** The break-glass admin's login (an e-mail) and password (secret). */
  readonly adminEmail: string;
  readonly adminPassword: pulumi.Output<string>;
  /** The integration user's e-mail and API key (secret): Cortex's MISP analyzer, TheHive's connector. */
  readonly integrationEmail: string;
  readonly integrationKey: pulumi.Output<string>;
  /** What to back up on the VM. */
  readonly dataDir: string = DATA_DIR;
  readonly install: command.remote.Command;
  readonly configure: command.remote.Command;

  constructor(name: string, args: MispArgs, opts?: pulumi.ComponentResourceOptions) {
    const feeds = args.feeds ?? [];
    const problems = [...feedProblems(feeds), ...digestProblems(args.imageDigests ?? {})];
    if (!/^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/.test(args.adminEmail))
      problems.push(`adminEmail ${args.adminEmail}`);
    if (!/^[\w .-]{1,64}$/.test(args.organisation)) problems.push(`organisation ${args.organisation}`);
    if (problems.length > 0) throw new Error(`Misp ${name}: ${problems.join("; ")}`);
    const integrationRole = args.integrationRole ?? "readOnly";
    super(
      MISP_TYPE,
      name,
      {
        host: args.host.name,
        fqdn: args.host.fqdn,
        oidc: args.oidc !== undefined,
        feeds: [...feeds],
        integrationRole,
      },
      opts,
    );
    const { host } = args;

    const secrets = {
      mysqlPassword: credential(`${name}-mysql-password`, 32, this, true).result,
      mysqlRootPassword: credential(`${name}-mysql-root-password`, 32, this, true).result,
      redisPassword: credential(`${name}-redis-password`, 32, this).result,
      adminPassword: credential(`${name}-admin-password`, 32, this).result,
      // MISP takes only 40 letters and digits as a key (UserShell.php change_authkey).
      adminKey: credential(`${name}-admin-key`, 40, this).result,
      encryptionKey: credential(`${name}-encryption-key`, 32, this, true).result,
      // Protected: misp-core makes its GPG key with this passphrase once (configure_misp.sh
      // configure_gnupg skips an existing trustdb.gpg), so a new value would no longer open that key.
      gpgPassphrase: credential(`${name}-gpg-passphrase`, 32, this, true).result,
      supervisorPassword: credential(`${name}-supervisor-password`, 32, this).result,
      oidcClientSecret: args.oidc ? pulumi.output(args.oidc.clientSecret) : pulumi.output(""),
    };
    const stdinSecrets = pulumi.all(secrets).apply((all) => {
      const values = all as unknown as MispSecrets;
      const wrong = secretProblems(values);
      if (wrong.length > 0) throw new Error(`Misp ${name}: ${wrong.join("; ")}`);
      return SECRET_ORDER.map((key) => values[key]).join("\n");
    });

    const oidc: OidcSettings | undefined = args.oidc && {
      issuerUrl: args.oidc.issuerUrl,
      clientId: "misp",
      rolesMapping: Object.fromEntries(MISP_CLIENT_ROLES.map((role) => [role, OIDC_ROLE_MAPPING[role]])),
      rolesClaim: MISP_ROLES_CLAIM,
      defaultOrg: args.organisation,
    };
    const compose = renderCompose({
      digests: args.imageDigests,
      bindAddress: host.address,
      fqdn: host.fqdn,
      adminEmail: args.adminEmail,
      adminOrg: args.organisation,
      oidc,
    });
    const { key, certificate } = vmTlsIdentity(name, host, args.ca, this);
    const script = pulumi
      .all([certificate.certPem, args.ca.certificatePem])
      .apply(([certificatePem, caCertificatePem]) =>
        installScript({ compose, certificatePem, caCertificatePem, program: MISP_PROGRAM }),
      );
    this.install = new command.remote.Command(
      `${name}-install`,
      {
        connection: connectionOf(host),
        create: script,
        stdin: pulumi.secret(pulumi.interpolate`${stdinSecrets}\n${key.privateKeyPem}`),
        logging: "none",
        triggers: [script, stdinSecrets],
      },
      { parent: this, additionalSecretOutputs: ["stdin", "triggers"] },
    );

    this.integrationEmail = `fortress-integrations@${host.fqdn}`;
    const desired = JSON.stringify(desiredFeeds(feeds), null, 2);
    const configure = configureScript(desired, this.integrationEmail, MISP_ROLE_IDS[integrationRole]);
    this.configure = new command.remote.Command(
      `${name}-configure`,
      {
        connection: connectionOf(host),
        create: configure,
        logging: "none",
        triggers: [configure, this.install.id],
      },
      { parent: this, dependsOn: [this.install], additionalSecretOutputs: ["stdout"] },
    );

    this.baseUrl = baseUrl(host.fqdn);
    this.adminKey = pulumi.secret(secrets.adminKey);
    this.adminEmail = args.adminEmail;
    this.adminPassword = pulumi.secret(secrets.adminPassword);
    this.integrationKey = pulumi.secret(
      this.configure.stdout.apply((out: string | undefined) => (out ?? "").trim().split("\n").pop() ?? ""),
    );
    this.registerOutputs({
      baseUrl: this.baseUrl,
      dataDir: this.dataDir,
      integrationEmail: this.integrationEmail,
    });
  }
}
