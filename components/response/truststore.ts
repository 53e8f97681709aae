/**
 * A certificate from the lab's CA whose Secret also holds a JKS truststore with that CA: cert-manager
 * writes `truststore.jks` beside `tls.crt` when `keystores.jks.create` is set and the issuer gives a CA
 * (cert-manager/cert-manager@v1.21.1 pkg/apis/certmanager/v1/types_certificate.go JKSKeystore,
 * types.go `JKSTruststoreKey = "truststore.jks"`; the password from `passwordSecretRef`). TheHive's
 * JanusGraph client and Cortex read Java truststores only, and the Wazuh indexer's certificate comes
 * from the same CA (components/siem/certificates.ts), so this is how they trust the indexer without a
 * root init container running keytool. The same certificate serves the UI's ingress.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { internalCertificate } from "../kubernetes/certificate";

export interface TruststoreCertificateArgs {
  readonly id: string;
  readonly namespace: string;
  readonly dnsNames: readonly string[];
  readonly clusterIssuer: string;
  /** The Secret and key holding the truststore's password. */
  readonly password: { readonly secret: string; readonly key: string };
}

/** The shared internal certificate (components/kubernetes/certificate.ts) with its JKS truststore. */
export function truststoreCertificate(
  resourceName: string,
  args: TruststoreCertificateArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  const { password, ...certificate } = args;
  return internalCertificate(resourceName, { ...certificate, jksPassword: password }, opts);
}
