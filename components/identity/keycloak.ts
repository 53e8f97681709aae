/**
 * Keycloak (codecentric keycloakx chart) on its own PostgreSQL, holding one realm with a confidential
 * OIDC client per UI: the realm is rendered here with generated client secrets and imported once from a
 * Secret. TLS from the internal CA, at the ingress for browsers and on 8443 for other namespaces.
 */
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dump } from "js-yaml";
import { internalCertificate, tlsSecretName } from "../kubernetes/certificate";
import { pinnedChart, type PlainValues } from "../kubernetes/helmRelease";
import { httpsIngress } from "../kubernetes/ingress";
import { allowFromNamespace, kubeDnsEgress } from "../kubernetes/networkPolicy";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { generatedSecret, movedChild } from "./moved";
import { DEFAULT_KEYCLOAK_SIZING, keycloakResources, type KeycloakSizing, PINS, RESOURCES } from "./pins";
import { KEYCLOAK_DB, type Postgres } from "./postgres";
import { CLIENT_NAMES, type ClientName, renderRealm } from "./realm";

export const KEYCLOAK_TYPE = COMPONENT_TYPES.keycloak;

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

const KEYCLOAK_ADMIN_USER = "fortress-admin";
const REALM_FILE = "realm.json";
const KEYCLOAK_UID = 1000;

export const KEYCLOAK_LABELS = {
  "app.kubernetes.io/name": "keycloak",
  "app.kubernetes.io/instance": "keycloak",
} as const;

export interface KeycloakArgs {
  readonly realm: string;
  /** The DNS name browsers reach Keycloak on. */
  readonly hostname: string;
  /** https origins of each client's UI (Proxmox: one per node). */
  readonly clientUrls: Readonly<Record<ClientName, readonly string[]>>;
  readonly namespace: string;
  readonly clusterIssuer: string;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
  readonly postgres: Postgres;
  /** Replicas, memory and spreading, from the lab's profile; default one pod of 1536 MiB. */
  readonly sizing?: KeycloakSizing;
}

/**
 * JGroups' ports between Keycloak pods with the `jdbc-ping` stack: 7800 the unicast transport
 * (`cache-embedded-network-bind-port`), 57800 FD_SOCK2's failure detection (7800 + the offset 50000).
 * Keycloak 26's server guide (keycloak/keycloak@898fdedc docs/guides/server/caching.adoc, "Transport
 * stacks", "Network Ports", "Network bind address"): `jdbc-ping` is the default stack of the 26.x
 * stream, discovery through the shared database (JGroups JDBC_PING2: no multicast, no headless-Service
 * DNS), TLS between the pods on by default with a certificate Keycloak generates and keeps in the
 * database, the bind address a site-local one (a pod's 10.42.x.x in k3s). User and client sessions are
 * kept in the database as well, so a pod's loss logs nobody out.
 */
export const KEYCLOAK_CLUSTER_PORTS = [7800, 57800] as const;

/**
 * PostgreSQL's connections (postgres.ts leaves `max_connections` at its default, 100, of which
 * `superuser_reserved_connections` keeps 3: PostgreSQL 17 docs, runtime-config-connection) shared by
 * the pods, whose pools would each grow to 100 (Keycloak's `db-pool-max-size` default): each pod gets
 * an equal share of 80, leaving the rest to the superuser, backups and a rolling restart's extra pod.
 */
export const KEYCLOAK_DB_CONNECTIONS = 80;
export const keycloakPoolSize = (replicas: number) => Math.floor(KEYCLOAK_DB_CONNECTIONS / (replicas + 1));

/**
 * The values that make the pods one cluster, or one pod alone. One pod: the `local` cache (no
 * JGroups at all), the chart's cache settings off (`cache.stack: custom`). More: the chart's own
 * `cache.stack: default`, which writes KC_CACHE=ispn and KC_CACHE_STACK=jdbc-ping
 * (codecentric/helm-charts@keycloakx-7.1.11 charts/keycloakx/templates/statefulset.yaml; 7.4.0 changed
 * NOTES.txt and the image only): the pods find each other in the table JDBC_PING2 keeps in the
 * shared PostgreSQL, Keycloak 26's default stack; each pod's pool is capped to its share of the
 * database's connections (keycloakPoolSize). A PodDisruptionBudget lets one pod go at a time
 * (templates/poddisruptionbudget.yaml puts the map under `spec`), and the anti-affinity on
 * kubernetes.io/hostname keeps the pods apart: required with `resilience`, else preferred (the
 * chart's own default, required on the hostname, is replaced: `affinity` goes through `tpl`).
 */
export function keycloakClusterValues(sizing: KeycloakSizing): { values: PlainValues; env: string[] } {
  if (!(Number.isInteger(sizing.replicas) && sizing.replicas >= 1))
    throw new Error(`keycloak: replicas must be a whole number of at least 1, not ${sizing.replicas}`);
  if (sizing.replicas === 1)
    return { values: { replicas: 1, cache: { stack: "custom" } }, env: ["- name: KC_CACHE\n  value: local"] };
  const term = {
    labelSelector: { matchLabels: { ...KEYCLOAK_LABELS } },
    topologyKey: "kubernetes.io/hostname",
  };
  const podAntiAffinity = sizing.resilience
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
  return {
    values: {
      replicas: sizing.replicas,
      cache: { stack: "default" },
      podDisruptionBudget: { maxUnavailable: 1 },
      affinity: dump({ podAntiAffinity }, { lineWidth: -1 }).trimEnd(),
    },
    env: [`- name: KC_DB_POOL_MAX_SIZE\n  value: "${keycloakPoolSize(sizing.replicas)}"`],
  };
}

export class Keycloak extends pulumi.ComponentResource {
  /** `https://<keycloak>/realms/<realm>`. */
  readonly issuerUrl: string;
  readonly clientSecrets: Readonly<Record<ClientName, pulumi.Output<string>>>;
  readonly admin: { readonly username: string; readonly password: pulumi.Output<string> };
  readonly chart: k8s.helm.v4.Chart;

  /** `name` is the identity layer's: the children keep the names they had under it. */
  constructor(name: string, args: KeycloakArgs, opts: pulumi.ComponentResourceOptions) {
    super(KEYCLOAK_TYPE, name, { realm: args.realm, hostname: args.hostname }, opts);
    const child = movedChild(this, opts.parent);
    const ns = args.namespace;
    this.issuerUrl = `https://${args.hostname}/realms/${args.realm}`;

    const clientSecrets = Object.fromEntries(
      CLIENT_NAMES.map((client) => [client, generatedSecret(`${name}-client-${client}`, 48, child)]),
    ) as Record<ClientName, pulumi.Output<string>>;
    this.clientSecrets = clientSecrets;
    // A Secret, never a ConfigMap: the realm carries every client secret.
    const realmSecret = new k8s.core.v1.Secret(
      `${name}-keycloak-realm`,
      {
        metadata: { name: "keycloak-realm", namespace: ns },
        type: "Opaque",
        stringData: { [REALM_FILE]: realmJson(args, clientSecrets) },
      },
      child,
    );

    const adminPassword = generatedSecret(`${name}-keycloak-admin-password`, 40, child);
    this.admin = { username: KEYCLOAK_ADMIN_USER, password: adminPassword };
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
    const certificate = internalCertificate(
      `${name}-keycloak-certificate`,
      {
        id: "keycloak",
        namespace: ns,
        dnsNames: [
          args.hostname,
          "keycloak-http",
          `keycloak-http.${ns}.svc`,
          `keycloak-http.${ns}.svc.cluster.local`,
        ],
        clusterIssuer: args.clusterIssuer,
      },
      child,
    );
    const { postgres } = args;
    this.chart = pinnedChart(
      `${name}-keycloak`,
      {
        name: "keycloak",
        namespace: ns,
        chart: PINS.keycloakChart,
        values: keycloakValues(args),
      },
      {
        // Not `child`: a Chart never sat under the identity component, so it has no old name to alias.
        parent: this,
        dependsOn: [
          postgres.statefulSet,
          postgres.service,
          postgres.secret,
          adminSecret,
          realmSecret,
          certificate,
        ],
      },
    );
    httpsIngress(
      `${name}-keycloak-ingress`,
      {
        name: "keycloak",
        namespace: ns,
        host: args.hostname,
        service: "keycloak-http",
        tlsSecret: tlsSecretName("keycloak"),
        ingressClassName: args.ingressClassName,
      },
      { ...child, dependsOn: [this.chart, certificate] },
    );
    allowFromNamespace(
      `${name}-keycloak-from-ingress`,
      {
        name: "keycloak-from-ingress",
        namespace: ns,
        podSelector: KEYCLOAK_LABELS,
        fromNamespace: args.ingressNamespace,
        ports: [{ port: 8080, protocol: "TCP" }],
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-keycloak-egress`,
      {
        metadata: { name: "keycloak-egress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...KEYCLOAK_LABELS } },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { ...postgres.labels } } }],
              ports: [{ protocol: "TCP", port: KEYCLOAK_DB.port }],
            },
            kubeDnsEgress(),
          ],
        },
      },
      child,
    );
    if ((args.sizing ?? DEFAULT_KEYCLOAK_SIZING).replicas > 1) keycloakClusterPolicy(name, ns, child);
    this.registerOutputs({ issuerUrl: this.issuerUrl });
  }
}

/** The pods' JGroups traffic to and from each other (KEYCLOAK_CLUSTER_PORTS), nothing else's. */
export function keycloakClusterPolicySpec() {
  const peers = [{ podSelector: { matchLabels: { ...KEYCLOAK_LABELS } } }];
  const ports = KEYCLOAK_CLUSTER_PORTS.map((port) => ({ protocol: "TCP", port }));
  return {
    podSelector: { matchLabels: { ...KEYCLOAK_LABELS } },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: peers, ports }],
    egress: [{ to: peers, ports }],
  };
}

function keycloakClusterPolicy(name: string, ns: string, opts: pulumi.CustomResourceOptions) {
  return new k8s.networking.v1.NetworkPolicy(
    `${name}-keycloak-cluster`,
    { metadata: { name: "keycloak-cluster", namespace: ns }, spec: keycloakClusterPolicySpec() },
    opts,
  );
}

/** The realm JSON (secret: it carries every client secret), checked at plan time with stand-in secrets. */
function realmJson(
  args: KeycloakArgs,
  clientSecrets: Readonly<Record<ClientName, pulumi.Output<string>>>,
): pulumi.Output<string> {
  const realmSpec = (secretOf: (client: ClientName) => string) => ({
    realm: args.realm,
    displayName: "Fortress",
    clients: CLIENT_NAMES.map((client) => ({
      clientId: client,
      urls: args.clientUrls[client],
      secret: secretOf(client),
    })),
  });
  // Checked now, with stand-in secrets, so that a bad URL fails the plan rather than the apply.
  renderRealm(realmSpec(() => "x".repeat(48)));
  return pulumi.secret(
    pulumi.all(clientSecrets).apply((secrets) =>
      // Unresolved only under mocks, which generate no random values.
      CLIENT_NAMES.some((client) => secrets[client] === undefined)
        ? undefined
        : renderRealm(realmSpec((client) => secrets[client] ?? "")),
    ),
  ) as pulumi.Output<string>;
}

/** The keycloakx chart's values. Environment and volumes as the chart takes them (YAML text). */
export function keycloakValues(args: Pick<KeycloakArgs, "hostname" | "sizing">): PlainValues {
  const sizing = args.sizing ?? DEFAULT_KEYCLOAK_SIZING;
  const cluster = keycloakClusterValues(sizing);
  // Credentials only by secretKeyRef. Browsers come through the ingress (TLS there, HTTP 8080 behind
  // it); services in other namespaces call Keycloak over TLS on 8443 with the same certificate (the
  // platform's flow).
  const extraEnv = [
    "- name: KC_HTTPS_CERTIFICATE_FILE\n  value: /opt/keycloak/conf/tls/tls.crt",
    "- name: KC_HTTPS_CERTIFICATE_KEY_FILE\n  value: /opt/keycloak/conf/tls/tls.key",
    "- name: KC_HOSTNAME",
    `  value: "https://${args.hostname}"`,
    '- name: KC_HOSTNAME_STRICT\n  value: "true"',
    `- name: KC_HTTP_MANAGEMENT_SCHEME\n  value: ${KEYCLOAK_MANAGEMENT_SCHEME}`,
    ...cluster.env,
    "- name: KC_DB_PASSWORD",
    `  valueFrom:\n    secretKeyRef:\n      name: ${KEYCLOAK_DB.secret}\n      key: password`,
    "- name: KC_BOOTSTRAP_ADMIN_USERNAME",
    "  valueFrom:\n    secretKeyRef:\n      name: keycloak-admin\n      key: username",
    "- name: KC_BOOTSTRAP_ADMIN_PASSWORD",
    "  valueFrom:\n    secretKeyRef:\n      name: keycloak-admin\n      key: password",
  ].join("\n");
  return {
    fullnameOverride: "keycloak",
    nameOverride: "keycloak",
    replicas: cluster.values.replicas,
    image: { ...PINS.keycloakImage, pullPolicy: "IfNotPresent" },
    // Imports realm.json once, when the realm does not exist yet.
    args: ["start", "--import-realm"],
    http: { relativePath: "/", internalScheme: KEYCLOAK_MANAGEMENT_SCHEME.toUpperCase() },
    proxy: { enabled: true, mode: "xforwarded", http: { enabled: true } },
    cache: cluster.values.cache,
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
      securityContext: restrictedContainerSecurity(KEYCLOAK_UID),
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
      `    secretName: ${tlsSecretName("keycloak")}`,
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
    resources: keycloakResources(sizing.memoryMib),
    podSecurityContext: restrictedPodSecurity(KEYCLOAK_UID),
    securityContext: restrictedContainerSecurity(KEYCLOAK_UID),
    serviceAccount: { create: true, automountServiceAccountToken: false },
    service: { type: "ClusterIP", httpPort: 80, httpsPort: 8443 },
    ingress: { enabled: false },
    metrics: { enabled: true },
    health: { enabled: true },
    ...(cluster.values.podDisruptionBudget
      ? { podDisruptionBudget: cluster.values.podDisruptionBudget, affinity: cluster.values.affinity }
      : {}),
  };
}
