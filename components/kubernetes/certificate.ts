/**
 * A TLS certificate from the lab's internal CA: a cert-manager Certificate issued by the `fortress-ca`
 * ClusterIssuer (made by the platform's baseline), written to the Secret `<id>-tls` of its namespace.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** 90 days, renewed 30 days before they end. */
export const CERTIFICATE_DURATION = "2160h";
export const CERTIFICATE_RENEW_BEFORE = "720h";

/** The Secret cert-manager writes the key pair of certificate `id` to. */
export const tlsSecretName = (id: string) => `${id}-tls`;

export interface InternalCertificateArgs {
  /** Names the Certificate and its Secret (`<id>-tls`). */
  readonly id: string;
  readonly namespace: pulumi.Input<string>;
  readonly dnsNames: readonly string[];
  /** The CA ClusterIssuer (the platform baseline's `clusterIssuer`). */
  readonly clusterIssuer: string;
  /**
   * Also a JKS truststore with the CA (`truststore.jks` beside `tls.crt`), for Java clients that read
   * only Java stores: cert-manager writes it when `keystores.jks.create` is set and the issuer gives a CA
   * (cert-manager/cert-manager@v1.21.1 pkg/apis/certmanager/v1/types_certificate.go JKSKeystore,
   * types.go `JKSTruststoreKey = "truststore.jks"`), its password from this Secret and key.
   */
  readonly jksPassword?: { readonly secret: string; readonly key: string };
}

export function internalCertificate(
  resourceName: string,
  args: InternalCertificateArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  if (args.dnsNames.length === 0) throw new Error(`certificate ${args.id}: no DNS name`);
  return new k8s.apiextensions.CustomResource(
    resourceName,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: tlsSecretName(args.id), namespace: args.namespace },
      spec: {
        secretName: tlsSecretName(args.id),
        dnsNames: [...args.dnsNames],
        duration: CERTIFICATE_DURATION,
        renewBefore: CERTIFICATE_RENEW_BEFORE,
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: args.clusterIssuer },
        ...(args.jksPassword
          ? {
              keystores: {
                jks: {
                  create: true,
                  passwordSecretRef: { name: args.jksPassword.secret, key: args.jksPassword.key },
                },
              },
            }
          : {}),
      },
    },
    opts,
  );
}
