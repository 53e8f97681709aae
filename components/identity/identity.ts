/**
 * The identity layer: Keycloak (with its own PostgreSQL) holding one realm with an OIDC client per
 * UI, the Proxmox VE OpenID realm that signs in through it, and Vaultwarden as the people's secrets
 * store. Every credential comes from `random` and stays secret end to end; nothing ships with a
 * product default. The Kubernetes provider comes through `opts.providers.kubernetes`.
 *
 * Keycloak, its PostgreSQL and Vaultwarden are child components (keycloak.ts, postgres.ts,
 * vaultwarden.ts); the Proxmox realm and the nodes' CA trust sit directly under this one.
 */
import type { UiHostnames } from "../../vocabulary/hostnames";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import type { ProxmoxConnectionArgs } from "../proxmox/provider";
import { Keycloak, KEYCLOAK_LABELS } from "./keycloak";
import { trustCaOnNodes } from "./nodeTrust";
import type { KeycloakSizing } from "./pins";
import { Postgres } from "./postgres";
import { CLIENT_NAMES, type ClientName } from "./realm";
import { Vaultwarden } from "./vaultwarden";

export { PINS, RESOURCES } from "./pins";
export { ARGON2_PARAMS, vaultwardenAdminHash } from "./vaultwarden";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const IDENTITY_TYPE = COMPONENT_TYPES.identity;

/** The UIs' names, as the lab model derives them. */
export type IdentityHostnames = UiHostnames;

export interface IdentityArgs {
  /** The Keycloak realm, e.g. fortress. */
  readonly realm: string;
  /** The lab's internal domain. */
  readonly domain: string;
  /** Fully qualified names of the UIs (under `domain`). */
  readonly hostnames: IdentityHostnames;
  /** https origins of the Proxmox web UI, one per node (the redirect URIs of the proxmox client). */
  readonly proxmoxUrls: readonly string[];
  /** The namespace the platform layer created for this layer (fortress-identity). */
  readonly namespace: string;
  /** The cert-manager ClusterIssuer of the internal CA (fortress-ca). */
  readonly clusterIssuer: string;
  readonly storageClass: string;
  /** The ingress controller: its IngressClass and the namespace its pods run in (k3s: traefik in kube-system). */
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  /** What runs: the `keycloak` and `vaultwarden` services. */
  readonly keycloak: boolean;
  readonly vaultwarden: boolean;
  /** Keycloak's replicas, memory and spreading (the lab's profile); default one pod of 1536 MiB. */
  readonly keycloakSizing?: KeycloakSizing;
  /**
   * The Proxmox VE OpenID realm; omitted, no realm is made. Needs the keycloak service. The nodes are
   * made to trust `caCertificatePem` (the internal CA that signs Keycloak's certificate) first.
   */
  readonly proxmox?: {
    /** The Proxmox provider the layers share (built once by the composition root). */
    readonly provider: proxmoxve.Provider;
    /** The nodes' SSH settings, for the CA trust commands. */
    readonly connection: ProxmoxConnectionArgs;
    readonly realm: string;
    readonly caCertificatePem: pulumi.Input<string>;
  };
}

export class Identity extends pulumi.ComponentResource {
  /** `https://<keycloak>/realms/<realm>`; undefined unless the keycloak service runs. */
  readonly issuerUrl: string | undefined;
  /** The OIDC client id of each UI (empty unless the keycloak service runs). */
  readonly clientIds: Readonly<Partial<Record<ClientName, string>>>;
  /** Each client's secret, a secret output. */
  readonly clientSecrets: Readonly<Partial<Record<ClientName, pulumi.Output<string>>>>;
  /** The Keycloak bootstrap admin (username plain, password secret). */
  readonly keycloakAdmin: { readonly username: string; readonly password: pulumi.Output<string> } | undefined;
  /** The Vaultwarden /admin token in plaintext (secret), for the lab's admin; Vaultwarden holds only its hash. */
  readonly vaultwardenAdminToken: pulumi.Output<string> | undefined;
  /** The Argon2id PHC hash Vaultwarden is given (secret). */
  readonly vaultwardenAdminTokenHash: pulumi.Output<string | undefined> | undefined;
  readonly proxmoxRealm: proxmoxve.realm.Openid | undefined;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    // Recorded in the state: plain and non-secret only.
    super(
      IDENTITY_TYPE,
      name,
      {
        realm: args.realm,
        namespace: args.namespace,
        hostnames: { ...args.hostnames },
        keycloak: args.keycloak,
        vaultwarden: args.vaultwarden,
      },
      opts,
    );
    if (args.proxmox && !args.keycloak) {
      throw new Error("identity: the Proxmox OpenID realm needs the keycloak service");
    }
    const child = { parent: this };
    const cluster = {
      namespace: args.namespace,
      clusterIssuer: args.clusterIssuer,
      ingressClassName: args.ingressClassName,
      ingressNamespace: args.ingressNamespace,
    };

    const keycloak = args.keycloak
      ? new Keycloak(
          name,
          {
            ...cluster,
            realm: args.realm,
            hostname: args.hostnames.keycloak,
            clientUrls: {
              grafana: [`https://${args.hostnames.grafana}`],
              "wazuh-dashboard": [`https://${args.hostnames.wazuhDashboard}`],
              misp: [`https://${args.hostnames.misp}`],
              proxmox: args.proxmoxUrls,
            },
            ...(args.keycloakSizing ? { sizing: args.keycloakSizing } : {}),
            postgres: new Postgres(
              name,
              { namespace: args.namespace, storageClass: args.storageClass, clientLabels: KEYCLOAK_LABELS },
              child,
            ),
          },
          child,
        )
      : undefined;
    this.issuerUrl = keycloak?.issuerUrl;
    this.clientSecrets = keycloak?.clientSecrets ?? {};
    this.clientIds = keycloak ? Object.fromEntries(CLIENT_NAMES.map((client) => [client, client])) : {};
    this.keycloakAdmin = keycloak?.admin;
    this.proxmoxRealm =
      keycloak && args.proxmox
        ? this.proxmoxOpenid(name, args.proxmox, keycloak, args.hostnames.keycloak)
        : undefined;

    const vaultwarden = args.vaultwarden
      ? new Vaultwarden(
          name,
          { ...cluster, hostname: args.hostnames.vaultwarden, storageClass: args.storageClass },
          child,
        )
      : undefined;
    this.vaultwardenAdminToken = vaultwarden?.adminToken;
    this.vaultwardenAdminTokenHash = vaultwarden?.adminTokenHash;

    this.registerOutputs({ issuerUrl: this.issuerUrl, clientIds: this.clientIds });
  }

  /** Proxmox VE signs in through the realm, once every node trusts the CA that signs Keycloak's certificate. */
  private proxmoxOpenid(
    name: string,
    proxmox: NonNullable<IdentityArgs["proxmox"]>,
    keycloak: Keycloak,
    keycloakHost: string,
  ): proxmoxve.realm.Openid {
    const { connection, provider } = proxmox;
    const trust = trustCaOnNodes(
      `${name}-ca-trust`,
      {
        nodes: connection.nodes,
        sshUser: connection.sshUser,
        sshPrivateKey: connection.sshPrivateKey,
        caCertificatePem: proxmox.caCertificatePem,
        keycloakHost,
      },
      this,
    );
    return new proxmoxve.realm.Openid(
      `${name}-proxmox-realm`,
      {
        realm: proxmox.realm,
        comment: "Fortress: single sign-on through Keycloak",
        issuerUrl: keycloak.issuerUrl,
        clientId: "proxmox",
        clientKey: keycloak.clientSecrets.proxmox,
        scopes: "openid email profile",
        usernameClaim: "username",
        autocreate: true,
        // Every user is in the realm's default group (fortress-users), which the groups claim
        // carries; Proxmox makes the matching group, which holds no ACL until an admin grants one.
        groupsClaim: "groups",
        groupsAutocreate: true,
        groupsOverwrite: true,
        queryUserinfo: true,
        default: false,
      },
      { parent: this, provider, dependsOn: [keycloak.chart, ...trust] },
    );
  }
}
