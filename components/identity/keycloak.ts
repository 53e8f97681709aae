/**
 * Keycloak (codecentric keycloakx chart) on its own PostgreSQL, holding one realm with a confidential
 * OIDC client per UI: the realm is rendered here with generated client secrets and imported once from a
 * Secret. TLS from the internal CA, at the ingress for browsers and on 8443 for other namespaces.
 */
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { internalCertificate, tlsSecretName } from "../kubernetes/certificate";
import { pinnedChart, type PlainValues } from "../kubernetes/helmRelease";
import { httpsIngress } from "../kubernetes/ingress";
import { allowFromNamespace, kubeDnsEgress } from "../kubernetes/networkPolicy";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { generatedSecret, movedChild } from "./moved";
import { PINS, RESOURCES } from "./pins";
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
    this.registerOutputs({ issuerUrl: this.issuerUrl });
  }
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
function keycloakValues(args: KeycloakArgs): PlainValues {
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
    "- name: KC_CACHE\n  value: local",
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
    resources: RESOURCES.keycloak,
    podSecurityContext: restrictedPodSecurity(KEYCLOAK_UID),
    securityContext: restrictedContainerSecurity(KEYCLOAK_UID),
    serviceAccount: { create: true, automountServiceAccountToken: false },
    service: { type: "ClusterIP", httpPort: 80, httpsPort: 8443 },
    ingress: { enabled: false },
    metrics: { enabled: true },
    health: { enabled: true },
  };
}
