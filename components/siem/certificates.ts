/**
 * The indexer's certificates from the lab's internal CA (cert-manager, the `fortress-ca` ClusterIssuer):
 * the node's (HTTP and transport; its DN is `nodes_dn`), the admin client's (`admin_dn`, for
 * securityadmin.sh and the policies Job) and the dashboard's. Keys are PKCS#8, as the plugin's PEM
 * reader takes them, and ECDSA P-256 like the CA: the reader tries RSA, DSA, then EC
 * (opensearch-project/security@2.19.5.0 src/main/java/org/opensearch/security/support/PemKeyReader.java
 * `toPrivateKey`, "Neither RSA, DSA nor EC worked"); the node's TLS goes through Netty's SslContext,
 * which does the same. cert-manager writes `tls.crt`, `tls.key` and `ca.crt`; the pods mount them under
 * the file names the image expects (opensearchYml.ts INDEXER_CERT_FILES).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CERTIFICATE_DURATION, CERTIFICATE_RENEW_BEFORE, tlsSecretName } from "../kubernetes/certificate";

/** The organisation and unit every SIEM certificate carries; the DNs below follow from them. */
export const SIEM_SUBJECT = { organizations: ["Fortress"], organizationalUnits: ["siem"] } as const;

/** RFC 2253, as Java prints the subject cert-manager writes (CN, then OU, then O). */
export const subjectDn = (commonName: string) =>
  `CN=${commonName},OU=${SIEM_SUBJECT.organizationalUnits[0]},O=${SIEM_SUBJECT.organizations[0]}`;

export interface SiemCertificateArgs {
  readonly id: string;
  readonly namespace: pulumi.Input<string>;
  readonly commonName: string;
  /** Server names; none for a client certificate. */
  readonly dnsNames: readonly string[];
  /** Addresses clients outside the cluster reach it on (the indexer node's, for the manager VM). */
  readonly ipAddresses?: readonly string[];
  readonly usages: readonly ("server auth" | "client auth")[];
  readonly clusterIssuer: string;
}

export function siemCertificate(
  resourceName: string,
  args: SiemCertificateArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  if (args.usages.includes("server auth") && args.dnsNames.length === 0)
    throw new Error(`certificate ${args.id}: a server certificate needs a DNS name`);
  return new k8s.apiextensions.CustomResource(
    resourceName,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: tlsSecretName(args.id), namespace: args.namespace },
      spec: {
        secretName: tlsSecretName(args.id),
        commonName: args.commonName,
        subject: {
          organizations: [...SIEM_SUBJECT.organizations],
          organizationalUnits: [...SIEM_SUBJECT.organizationalUnits],
        },
        ...(args.dnsNames.length > 0 ? { dnsNames: [...args.dnsNames] } : {}),
        ...(args.ipAddresses && args.ipAddresses.length > 0 ? { ipAddresses: [...args.ipAddresses] } : {}),
        usages: ["digital signature", "key encipherment", ...args.usages],
        privateKey: { algorithm: "ECDSA", size: 256, encoding: "PKCS8", rotationPolicy: "Always" },
        duration: CERTIFICATE_DURATION,
        renewBefore: CERTIFICATE_RENEW_BEFORE,
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: args.clusterIssuer },
      },
    },
    opts,
  );
}
