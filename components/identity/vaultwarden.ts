/**
 * Vaultwarden (guerzon chart), the people's secrets store: signups and invitations off, the /admin
 * token given only as an Argon2id hash (its salt kept in the state, so the hash is stable run to run),
 * data on a Retain volume, reached only through the ingress.
 */
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { argon2id } from "hash-wasm";
import { internalCertificate, tlsSecretName } from "../kubernetes/certificate";
import { pinnedChart, type PlainValues } from "../kubernetes/helmRelease";
import { httpsIngress } from "../kubernetes/ingress";
import { allowFromNamespace } from "../kubernetes/networkPolicy";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { generatedSecret, movedChild } from "./moved";
import { PINS, RESOURCES } from "./pins";

export const VAULTWARDEN_TYPE = COMPONENT_TYPES.vaultwarden;

/** Vaultwarden's own `vaultwarden hash` preset (Bitwarden's): 64 MiB, 3 passes, 4 lanes. */
export const ARGON2_PARAMS = { memorySize: 65540, iterations: 3, parallelism: 4, hashLength: 32 } as const;

/** The Argon2id PHC string Vaultwarden takes as ADMIN_TOKEN; deterministic in token and salt. */
export async function vaultwardenAdminHash(token: string, salt: Uint8Array): Promise<string> {
  if (salt.length < 16) throw new Error("the Argon2 salt must be at least 16 bytes");
  return argon2id({ password: token, salt, ...ARGON2_PARAMS, outputType: "encoded" });
}

const VAULTWARDEN_UID = 1000;

/** The Secret (ours, not the chart's) that holds the admin token's hash, and its key. */
export const VAULTWARDEN_ADMIN_SECRET = { name: "vaultwarden-admin-token", key: "ADMIN_TOKEN" } as const;

export const VAULTWARDEN_LABELS = {
  "app.kubernetes.io/name": "vaultwarden",
  "app.kubernetes.io/instance": "vaultwarden",
} as const;

export interface VaultwardenArgs {
  readonly hostname: string;
  readonly namespace: string;
  readonly clusterIssuer: string;
  readonly storageClass: string;
  readonly ingressClassName: string;
  readonly ingressNamespace: string;
}

export class Vaultwarden extends pulumi.ComponentResource {
  /** The /admin token in plaintext (secret), for the lab's admin; Vaultwarden holds only its hash. */
  readonly adminToken: pulumi.Output<string>;
  /** The Argon2id PHC hash Vaultwarden is given (secret). */
  readonly adminTokenHash: pulumi.Output<string | undefined>;
  readonly chart: k8s.helm.v4.Chart;

  /** `name` is the identity layer's: the children keep the names they had under it. */
  constructor(name: string, args: VaultwardenArgs, opts: pulumi.ComponentResourceOptions) {
    super(VAULTWARDEN_TYPE, name, { hostname: args.hostname }, opts);
    const child = movedChild(this, opts.parent);
    const ns = args.namespace;

    const token = generatedSecret(`${name}-vaultwarden-admin-token`, 48, child);
    // The salt is kept in the state, so the hash (and the chart's values) stay the same run to run.
    const salt = new random.RandomBytes(`${name}-vaultwarden-admin-salt`, { length: 16 }, child);
    this.adminToken = token;
    this.adminTokenHash = pulumi.secret(
      pulumi
        .all([token, salt.base64])
        .apply(([plain, saltBase64]) =>
          plain === undefined || saltBase64 === undefined
            ? undefined
            : vaultwardenAdminHash(plain, Buffer.from(saltBase64, "base64")),
        ),
    );
    const certificate = internalCertificate(
      `${name}-vaultwarden-certificate`,
      { id: "vaultwarden", namespace: ns, dnsNames: [args.hostname], clusterIssuer: args.clusterIssuer },
      child,
    );
    // The hash reaches the chart through a Secret of ours (`adminToken.existingSecret`), so the
    // values hold no secret and nothing unknown at preview.
    const adminTokenSecret = new k8s.core.v1.Secret(
      `${name}-vaultwarden-admin-token-secret`,
      {
        metadata: { name: VAULTWARDEN_ADMIN_SECRET.name, namespace: ns },
        type: "Opaque",
        // Undefined only under mocks, which generate no random values.
        stringData: { [VAULTWARDEN_ADMIN_SECRET.key]: this.adminTokenHash as pulumi.Output<string> },
      },
      child,
    );
    this.chart = pinnedChart(
      `${name}-vaultwarden`,
      { name: "vaultwarden", namespace: ns, chart: PINS.vaultwardenChart, values: vaultwardenValues(args) },
      // Not `child`: a Chart never sat under the identity component, so it has no old name to alias.
      { parent: this, dependsOn: [adminTokenSecret] },
    );
    httpsIngress(
      `${name}-vaultwarden-ingress`,
      {
        name: "vaultwarden",
        namespace: ns,
        host: args.hostname,
        service: "vaultwarden",
        tlsSecret: tlsSecretName("vaultwarden"),
        ingressClassName: args.ingressClassName,
      },
      { ...child, dependsOn: [this.chart, certificate] },
    );
    allowFromNamespace(
      `${name}-vaultwarden-from-ingress`,
      {
        name: "vaultwarden-from-ingress",
        namespace: ns,
        podSelector: VAULTWARDEN_LABELS,
        fromNamespace: args.ingressNamespace,
        ports: [{ port: 8080, protocol: "TCP" }],
      },
      child,
    );
    this.registerOutputs({});
  }
}

function vaultwardenValues(args: VaultwardenArgs): PlainValues {
  return {
    fullnameOverride: "vaultwarden",
    image: { ...PINS.vaultwardenImage, pullPolicy: "IfNotPresent" },
    resourceType: "StatefulSet",
    domain: `https://${args.hostname}`,
    signupsAllowed: false,
    invitationsAllowed: false,
    showPassHint: "false",
    webVaultEnabled: "true",
    // The chart's default is the hash of a published example token: always override it. The pod reads
    // ADMIN_TOKEN from this Secret (guerzon/vaultwarden charts/vaultwarden/templates/_podSpec.tpl,
    // `secretKeyRef` on `adminToken.existingSecret`/`existingSecretKey`; secrets.yaml then writes no
    // ADMIN_TOKEN of its own).
    adminToken: {
      existingSecret: VAULTWARDEN_ADMIN_SECRET.name,
      existingSecretKey: VAULTWARDEN_ADMIN_SECRET.key,
    },
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
    podSecurityContext: restrictedPodSecurity(VAULTWARDEN_UID),
    securityContext: restrictedContainerSecurity(VAULTWARDEN_UID),
    serviceAccount: { create: true, name: "vaultwarden" },
    service: { type: "ClusterIP" },
    ingress: { enabled: false },
  };
}
