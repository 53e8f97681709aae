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
      },
    },
    opts,
  );
}
