/**
 * The identity layer: Keycloak (with its own PostgreSQL) holding one realm with an OIDC client per
 * UI, the Proxmox VE OpenID realm that signs in through it, and Vaultwarden as the people's secrets
 * store. Every credential comes from `random` and stays secret end to end; nothing ships with a
 * product default. The Kubernetes provider comes through `opts.providers.kubernetes`.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { argon2id } from "hash-wasm";
import { type ProxmoxConnectionArgs, proxmoxProvider } from "../proxmox/provider";
import { trustCaOnNodes } from "./nodeTrust";
import { CLIENT_NAMES, type ClientName, renderRealm } from "./realm";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const IDENTITY_TYPE = COMPONENT_TYPES.identity;

/**
 * Pinned artefacts. Checked against the publishers' release notes before pinning:
 * - keycloakx 7.4.0 (codecentric) ships Keycloak 26.8.1; the image is pinned to that same release.
 *   The chart, not the Keycloak Operator: the operator's manifests are only published as URLs,
 *   which a Pulumi program would fetch at plan time (and fail offline).
 * - PostgreSQL: the official `postgres` image in a StatefulSet written here. Bitnami's chart and
 *   images went behind a subscription; the CloudNativePG operator would add an operator and its
 *   CRDs (more RAM than the 0.5 GB budget) for one single-instance database. 17.x is within the
 *   range Keycloak 26 supports.
 * - vaultwarden 0.44.0 (guerzon) defaults to Vaultwarden 1.37.0; the image is pinned to it.
 */
export const PINS = {
  keycloakChart: { repo: "https://codecentric.github.io/helm-charts", chart: "keycloakx", version: "7.4.0" },
  keycloakImage: { repository: "quay.io/keycloak/keycloak", tag: "26.8.1" },
  dbcheckerImage: { repository: "docker.io/busybox", tag: "1.37.0" },
  postgresImage: "docker.io/library/postgres:17.6",
  vaultwardenChart: {
    repo: "https://guerzon.github.io/vaultwarden",
    chart: "vaultwarden",
    version: "0.44.0",
  },
  vaultwardenImage: { registry: "docker.io", repository: "vaultwarden/server", tag: "1.37.0" },
} as const;

/** Vaultwarden's own `vaultwarden hash` preset (Bitwarden's): 64 MiB, 3 passes, 4 lanes. */
export const ARGON2_PARAMS = { memorySize: 65540, iterations: 3, parallelism: 4, hashLength: 32 } as const;

/** The Argon2id PHC string Vaultwarden takes as ADMIN_TOKEN; deterministic in token and salt. */
export async function vaultwardenAdminHash(token: string, salt: Uint8Array): Promise<string> {
  if (salt.length < 16) throw new Error("the Argon2 salt must be at least 16 bytes");
  return argon2id({ password: token, salt, ...ARGON2_PARAMS, outputType: "encoded" });
}

export interface IdentityHostnames {
  readonly keycloak: string;
  readonly vaultwarden: string;
  readonly grafana: string;
  readonly wazuhDashboard: string;
  readonly thehive: string;
  readonly misp: string;
}

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
  /**
   * The Proxmox VE OpenID realm; omitted, no realm is made. Needs the keycloak service. The nodes are
   * made to trust `caCertificatePem` (the internal CA that signs Keycloak's certificate) first.
   */
  readonly proxmox?: {
    readonly connection: ProxmoxConnectionArgs;
    readonly realm: string;
    readonly caCertificatePem: pulumi.Input<string>;
  };
}

type Resources = { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };

/** Sized on DESIGN.md §3: Keycloak 1.5 GB + PostgreSQL 0.5 GB; Vaultwarden 0.2 GB. */
export const RESOURCES: Readonly<Record<"keycloak" | "postgres" | "dbchecker" | "vaultwarden", Resources>> = {
  keycloak: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "2", memory: "1536Mi" } },
  postgres: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  dbchecker: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } },
  vaultwarden: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
};

/** The restricted Pod Security profile, for a container running as `uid`. */
function containerSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

function podSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    // Volumes are chowned to fsGroup once, not on every start.
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * Keycloak's management interface (health and metrics, port 9000) stays on plain HTTP. By default it
 * inherits the main server's TLS (`http-management-scheme: inherited`; keycloak/keycloak
 * quarkus/config-api/.../ManagementOptions.java, ManagementPropertyMappers.isManagementTlsEnabled),
 * which KC_HTTPS_CERTIFICATE_FILE turns on, while the keycloakx chart probes that port with
 * `http.internalScheme` (charts/keycloakx/values.yaml: HTTP). Both sides are set here from one value.
 * Port 9000 is reached only inside the cluster (the kubelet's probes, Prometheus by NetworkPolicy), and
 * health and metrics carry no credentials.
 */
const KEYCLOAK_MANAGEMENT_SCHEME = "http";

const KEYCLOAK_DB = { name: "keycloak", user: "keycloak", service: "keycloak-postgres", port: 5432 };
const KEYCLOAK_ADMIN_USER = "fortress-admin";
const REALM_FILE = "realm.json";

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
    const ns = args.namespace;
    const child = { parent: this };

    const secretRandom = (id: string, length: number) =>
      pulumi.secret(new random.RandomPassword(`${name}-${id}`, { length, special: false }, child).result);

    const certificate = (id: string, dnsNames: string[]) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${id}-certificate`,
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: { name: `${id}-tls`, namespace: ns },
          spec: {
            secretName: `${id}-tls`,
            dnsNames,
            duration: "2160h",
            renewBefore: "720h",
            issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: args.clusterIssuer },
          },
        },
        child,
      );

    const ingress = (id: string, host: string, service: string, dependsOn: pulumi.Resource[]) =>
      new k8s.networking.v1.Ingress(
        `${name}-${id}-ingress`,
        {
          metadata: {
            name: id,
            namespace: ns,
            // HTTPS only: no router on the plain-HTTP entrypoint.
            annotations: { "traefik.ingress.kubernetes.io/router.entrypoints": "websecure" },
          },
          spec: {
            ingressClassName: args.ingressClassName,
            tls: [{ hosts: [host], secretName: `${id}-tls` }],
            rules: [
              {
                host,
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: service, port: { name: "http" } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        { parent: this, dependsOn },
      );

    /** Lets the ingress controller's pods reach `selector` on `port`; the platform's default deny stops the rest. */
    const fromIngress = (id: string, selector: Record<string, string>, port: number) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${id}-from-ingress`,
        {
          metadata: { name: `${id}-from-ingress`, namespace: ns },
          spec: {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: {
                      matchLabels: { "kubernetes.io/metadata.name": args.ingressNamespace },
                    },
                  },
                ],
                ports: [{ protocol: "TCP", port }],
              },
            ],
          },
        },
        child,
      );

    this.clientIds = {};
    this.clientSecrets = {};
    this.issuerUrl = undefined;
    this.keycloakAdmin = undefined;
    this.proxmoxRealm = undefined;

    if (args.keycloak) {
      const keycloakLabels = {
        "app.kubernetes.io/name": "keycloak",
        "app.kubernetes.io/instance": "keycloak",
      };
      const postgresLabels = {
        "app.kubernetes.io/name": "postgres",
        "app.kubernetes.io/instance": "keycloak",
      };
      this.issuerUrl = `https://${args.hostnames.keycloak}/realms/${args.realm}`;

      // --- PostgreSQL for Keycloak -------------------------------------------------------------
      const dbPassword = secretRandom("keycloak-db-password", 40);
      const dbSecret = new k8s.core.v1.Secret(
        `${name}-keycloak-db`,
        {
          metadata: { name: "keycloak-db", namespace: ns },
          type: "Opaque",
          stringData: { username: KEYCLOAK_DB.user, password: dbPassword },
        },
        child,
      );
      const postgresService = new k8s.core.v1.Service(
        `${name}-postgres-service`,
        {
          metadata: { name: KEYCLOAK_DB.service, namespace: ns, labels: postgresLabels },
          spec: {
            type: "ClusterIP",
            selector: postgresLabels,
            ports: [{ name: "postgres", port: KEYCLOAK_DB.port, targetPort: "postgres", protocol: "TCP" }],
          },
        },
        child,
      );
      // uid 999 is the postgres user of the official Debian-based image.
      const postgres = new k8s.apps.v1.StatefulSet(
        `${name}-postgres`,
        {
          metadata: { name: KEYCLOAK_DB.service, namespace: ns, labels: postgresLabels },
          spec: {
            serviceName: KEYCLOAK_DB.service,
            replicas: 1,
            selector: { matchLabels: postgresLabels },
            template: {
              metadata: { labels: postgresLabels },
              spec: {
                automountServiceAccountToken: false,
                securityContext: podSecurity(999),
                containers: [
                  {
                    name: "postgres",
                    image: PINS.postgresImage,
                    imagePullPolicy: "IfNotPresent",
                    env: [
                      { name: "POSTGRES_USER", value: KEYCLOAK_DB.user },
                      { name: "POSTGRES_DB", value: KEYCLOAK_DB.name },
                      {
                        name: "POSTGRES_PASSWORD",
                        valueFrom: { secretKeyRef: { name: "keycloak-db", key: "password" } },
                      },
                      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                    ],
                    ports: [{ name: "postgres", containerPort: KEYCLOAK_DB.port, protocol: "TCP" }],
                    readinessProbe: {
                      exec: { command: ["pg_isready", "-U", KEYCLOAK_DB.user, "-d", KEYCLOAK_DB.name] },
                      periodSeconds: 10,
                    },
                    livenessProbe: {
                      exec: { command: ["pg_isready", "-U", KEYCLOAK_DB.user, "-d", KEYCLOAK_DB.name] },
                      initialDelaySeconds: 30,
                      periodSeconds: 20,
                    },
                    resources: RESOURCES.postgres,
                    securityContext: containerSecurity(999),
                    volumeMounts: [
                      { name: "data", mountPath: "/var/lib/postgresql/data" },
                      { name: "run", mountPath: "/var/run/postgresql" },
                    ],
                  },
                ],
                volumes: [{ name: "run", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } }],
              },
            },
            volumeClaimTemplates: [
              {
                metadata: { name: "data" },
                spec: {
                  accessModes: ["ReadWriteOnce"],
                  storageClassName: args.storageClass,
                  resources: { requests: { storage: "5Gi" } },
                },
              },
            ],
          },
        },
        { parent: this, dependsOn: [dbSecret] },
      );
      new k8s.networking.v1.NetworkPolicy(
        `${name}-postgres-from-keycloak`,
        {
          metadata: { name: "postgres-from-keycloak", namespace: ns },
          spec: {
            podSelector: { matchLabels: postgresLabels },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [{ podSelector: { matchLabels: keycloakLabels } }],
                ports: [{ protocol: "TCP", port: KEYCLOAK_DB.port }],
              },
            ],
          },
        },
        child,
      );

      // --- The realm and its clients ------------------------------------------------------------
      const clientSecrets: Partial<Record<ClientName, pulumi.Output<string>>> = {};
      for (const client of CLIENT_NAMES) clientSecrets[client] = secretRandom(`client-${client}`, 48);
      this.clientSecrets = clientSecrets;
      this.clientIds = Object.fromEntries(CLIENT_NAMES.map((client) => [client, client]));
      const urlsOf: Record<ClientName, readonly string[]> = {
        grafana: [`https://${args.hostnames.grafana}`],
        "wazuh-dashboard": [`https://${args.hostnames.wazuhDashboard}`],
        thehive: [`https://${args.hostnames.thehive}`],
        misp: [`https://${args.hostnames.misp}`],
        proxmox: args.proxmoxUrls,
      };
      const realmSpec = (secretOf: (client: ClientName) => string) => ({
        realm: args.realm,
        displayName: "Fortress",
        clients: CLIENT_NAMES.map((client) => ({
          clientId: client,
          urls: urlsOf[client],
          secret: secretOf(client),
        })),
      });
      // Checked now, with stand-in secrets, so that a bad URL fails the plan rather than the apply.
      renderRealm(realmSpec(() => "x".repeat(48)));
      const realmJson = pulumi.secret(
        pulumi.all(clientSecrets).apply((secrets) =>
          // Unresolved only under mocks, which generate no random values.
          CLIENT_NAMES.some((client) => secrets[client] === undefined)
            ? undefined
            : renderRealm(realmSpec((client) => secrets[client] ?? "")),
        ),
      );
      // A Secret, never a ConfigMap: the realm carries every client secret.
      const realmSecret = new k8s.core.v1.Secret(
        `${name}-keycloak-realm`,
        {
          metadata: { name: "keycloak-realm", namespace: ns },
          type: "Opaque",
          // Undefined only under mocks without random values.
          stringData: { [REALM_FILE]: realmJson as pulumi.Output<string> },
        },
        child,
      );

      // --- Keycloak -----------------------------------------------------------------------------
      const adminPassword = secretRandom("keycloak-admin-password", 40);
      this.keycloakAdmin = { username: KEYCLOAK_ADMIN_USER, password: adminPassword };
      const adminSecret = new k8s.core.v1.Secret(
        `${name}-keycloak-admin`,
        {
          metadata: { name: "keycloak-admin", namespace: ns },
          type: "Opaque",
          stringData: { username: KEYCLOAK_ADMIN_USER, password: adminPassword },
        },
        child,
      );
      // The UI name for the ingress, and the Service's names for clients inside the cluster (8443).
      const certificateKeycloak = certificate("keycloak", [
        args.hostnames.keycloak,
        "keycloak-http",
        `keycloak-http.${ns}.svc`,
        `keycloak-http.${ns}.svc.cluster.local`,
      ]);
      // Environment and volumes as the chart takes them (YAML text). Credentials only by secretKeyRef.
      // Browsers come through the ingress (TLS there, HTTP 8080 behind it); services in other
      // namespaces call Keycloak over TLS on 8443 with the same certificate (the platform's flow).
      const extraEnv = [
        "- name: KC_HTTPS_CERTIFICATE_FILE\n  value: /opt/keycloak/conf/tls/tls.crt",
        "- name: KC_HTTPS_CERTIFICATE_KEY_FILE\n  value: /opt/keycloak/conf/tls/tls.key",
        "- name: KC_HOSTNAME",
        `  value: "https://${args.hostnames.keycloak}"`,
        '- name: KC_HOSTNAME_STRICT\n  value: "true"',
        '- name: KC_HTTP_ENABLED\n  value: "true"',
        `- name: KC_HTTP_MANAGEMENT_SCHEME\n  value: ${KEYCLOAK_MANAGEMENT_SCHEME}`,
        "- name: KC_CACHE\n  value: local",
        "- name: KC_DB_PASSWORD",
        "  valueFrom:\n    secretKeyRef:\n      name: keycloak-db\n      key: password",
        "- name: KC_BOOTSTRAP_ADMIN_USERNAME",
        "  valueFrom:\n    secretKeyRef:\n      name: keycloak-admin\n      key: username",
        "- name: KC_BOOTSTRAP_ADMIN_PASSWORD",
        "  valueFrom:\n    secretKeyRef:\n      name: keycloak-admin\n      key: password",
      ].join("\n");
      const keycloak = new k8s.helm.v3.Release(
        `${name}-keycloak`,
        {
          name: "keycloak",
          namespace: ns,
          chart: PINS.keycloakChart.chart,
          version: PINS.keycloakChart.version,
          repositoryOpts: { repo: PINS.keycloakChart.repo },
          createNamespace: false,
          atomic: true,
          timeout: 900,
          values: {
            fullnameOverride: "keycloak",
            nameOverride: "keycloak",
            replicas: 1,
            image: { ...PINS.keycloakImage, pullPolicy: "IfNotPresent" },
            // Imports realm.json once, when the realm does not exist yet.
            args: ["start", "--import-realm"],
            http: { relativePath: "/", internalScheme: KEYCLOAK_MANAGEMENT_SCHEME.toUpperCase() },
            proxy: { enabled: true, mode: "xforwarded", http: { enabled: true } },
            cache: { stack: "custom" },
            database: {
              vendor: "postgres",
              hostname: KEYCLOAK_DB.service,
              port: KEYCLOAK_DB.port,
              database: KEYCLOAK_DB.name,
              username: KEYCLOAK_DB.user,
            },
            dbchecker: {
              enabled: true,
              image: { ...PINS.dbcheckerImage, pullPolicy: "IfNotPresent" },
              securityContext: containerSecurity(1000),
              resources: RESOURCES.dbchecker,
            },
            extraEnv,
            extraVolumes: [
              "- name: realm",
              "  secret:",
              "    secretName: keycloak-realm",
              "    defaultMode: 0400",
              "- name: tls",
              "  secret:",
              "    secretName: keycloak-tls",
              "    defaultMode: 0400",
            ].join("\n"),
            extraVolumeMounts: [
              "- name: realm",
              "  mountPath: /opt/keycloak/data/import",
              "  readOnly: true",
              "- name: tls",
              "  mountPath: /opt/keycloak/conf/tls",
              "  readOnly: true",
            ].join("\n"),
            resources: RESOURCES.keycloak,
            podSecurityContext: podSecurity(1000),
            securityContext: containerSecurity(1000),
            serviceAccount: { create: true, automountServiceAccountToken: false },
            service: { type: "ClusterIP", httpPort: 80, httpsPort: 8443 },
            ingress: { enabled: false },
            metrics: { enabled: true },
            health: { enabled: true },
          },
        },
        {
          parent: this,
          dependsOn: [postgres, postgresService, dbSecret, adminSecret, realmSecret, certificateKeycloak],
        },
      );
      ingress("keycloak", args.hostnames.keycloak, "keycloak-http", [keycloak, certificateKeycloak]);
      fromIngress("keycloak", keycloakLabels, 8080);
      new k8s.networking.v1.NetworkPolicy(
        `${name}-keycloak-egress`,
        {
          metadata: { name: "keycloak-egress", namespace: ns },
          spec: {
            podSelector: { matchLabels: keycloakLabels },
            policyTypes: ["Egress"],
            egress: [
              {
                to: [{ podSelector: { matchLabels: postgresLabels } }],
                ports: [{ protocol: "TCP", port: KEYCLOAK_DB.port }],
              },
              {
                to: [
                  {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                  },
                ],
                ports: [
                  { protocol: "UDP", port: 53 },
                  { protocol: "TCP", port: 53 },
                ],
              },
            ],
          },
        },
        child,
      );

      // --- Proxmox VE signs in through the realm ------------------------------------------------
      if (args.proxmox) {
        const { connection } = args.proxmox;
        const provider = proxmoxProvider(`${name}-proxmox`, connection, this);
        const trust = trustCaOnNodes(
          `${name}-ca-trust`,
          {
            nodes: connection.nodes,
            sshUser: connection.sshUser,
            sshPrivateKey: connection.sshPrivateKey,
            caCertificatePem: args.proxmox.caCertificatePem,
          },
          this,
        );
        this.proxmoxRealm = new proxmoxve.realm.Openid(
          `${name}-proxmox-realm`,
          {
            realm: args.proxmox.realm,
            comment: "Fortress: single sign-on through Keycloak",
            issuerUrl: this.issuerUrl,
            clientId: "proxmox",
            clientKey: clientSecrets.proxmox,
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
          { parent: this, provider, dependsOn: [keycloak, ...trust] },
        );
      }
    }

    // --- Vaultwarden ----------------------------------------------------------------------------
    this.vaultwardenAdminToken = undefined;
    this.vaultwardenAdminTokenHash = undefined;
    if (args.vaultwarden) {
      const vaultwardenLabels = {
        "app.kubernetes.io/name": "vaultwarden",
        "app.kubernetes.io/instance": "vaultwarden",
      };
      const token = secretRandom("vaultwarden-admin-token", 48);
      // The salt is kept in the state, so the hash (and the chart's values) stay the same run to run.
      const salt = new random.RandomBytes(`${name}-vaultwarden-admin-salt`, { length: 16 }, child);
      const hash = pulumi.secret(
        pulumi
          .all([token, salt.base64])
          .apply(([plain, saltBase64]) =>
            plain === undefined || saltBase64 === undefined
              ? undefined
              : vaultwardenAdminHash(plain, Buffer.from(saltBase64, "base64")),
          ),
      );
      this.vaultwardenAdminToken = token;
      this.vaultwardenAdminTokenHash = hash;
      const certificateVaultwarden = certificate("vaultwarden", [args.hostnames.vaultwarden]);
      const vaultwarden = new k8s.helm.v3.Release(
        `${name}-vaultwarden`,
        {
          name: "vaultwarden",
          namespace: ns,
          chart: PINS.vaultwardenChart.chart,
          version: PINS.vaultwardenChart.version,
          repositoryOpts: { repo: PINS.vaultwardenChart.repo },
          createNamespace: false,
          atomic: true,
          values: {
            fullnameOverride: "vaultwarden",
            image: { ...PINS.vaultwardenImage, pullPolicy: "IfNotPresent" },
            resourceType: "StatefulSet",
            domain: `https://${args.hostnames.vaultwarden}`,
            signupsAllowed: false,
            invitationsAllowed: false,
            showPassHint: "false",
            webVaultEnabled: "true",
            // The chart's default is the hash of a published example token: always override it.
            adminToken: { value: hash },
            adminRateLimitSeconds: "300",
            adminRateLimitMaxBurst: "3",
            rocket: { address: "0.0.0.0", port: "8080" },
            // The chart reads `storage.data` (charts/vaultwarden/templates/_pvcSpec.tpl, _podSpec.tpl);
            // `accessMode` has no default there. fsGroup (podSecurityContext) gives uid 1000 the volume.
            storage: {
              data: {
                name: "vaultwarden-data",
                size: "2Gi",
                class: args.storageClass,
                path: "/data",
                keepPvc: true,
                accessMode: "ReadWriteOnce",
              },
            },
            resources: RESOURCES.vaultwarden,
            podSecurityContext: podSecurity(1000),
            securityContext: containerSecurity(1000),
            serviceAccount: { create: true, name: "vaultwarden" },
            service: { type: "ClusterIP" },
            ingress: { enabled: false },
          },
        },
        child,
      );
      ingress("vaultwarden", args.hostnames.vaultwarden, "vaultwarden", [
        vaultwarden,
        certificateVaultwarden,
      ]);
      fromIngress("vaultwarden", vaultwardenLabels, 8080);
    }

    this.registerOutputs({ issuerUrl: this.issuerUrl, clientIds: this.clientIds });
  }
}
