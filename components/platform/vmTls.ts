/**
 * A Fortress VM's TLS identity: an ECDSA P-256 key and a certificate from the lab's internal CA for
 * the VM's fqdn and address (plus localhost, for checks run on the VM itself). Used by every part
 * installed over SSH that serves TLS: the Wazuh manager's API and authd, Greenbone's web UI.
 * The key is `protect`ed: a new key would be a new identity for every client that pinned it.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { InternalCa } from "./internalCa";

export const VM_CERT_VALIDITY_HOURS = 8760;
export const VM_CERT_EARLY_RENEWAL_HOURS = 720;

/** What the certificate names: the VM as its clients reach it. */
export interface TlsSubject {
  readonly fqdn: string;
  readonly address: string;
}

export interface VmTlsIdentity {
  readonly key: tls.PrivateKey;
  readonly certificate: tls.LocallySignedCert;
}

/** The key (`<name>-tls-key`) and its certificate (`<name>-tls-certificate`), children of `parent`. */
export function vmTlsIdentity(
  name: string,
  host: TlsSubject,
  ca: InternalCa,
  parent: pulumi.Resource,
): VmTlsIdentity {
  const key = new tls.PrivateKey(
    `${name}-tls-key`,
    { algorithm: "ECDSA", ecdsaCurve: "P256" },
    {
      parent,
      protect: true,
      additionalSecretOutputs: ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"],
    },
  );
  const request = new tls.CertRequest(
    `${name}-tls-request`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: host.fqdn, organization: "Fortress" },
      dnsNames: [host.fqdn, "localhost"],
      ipAddresses: [host.address, "127.0.0.1"],
    },
    { parent },
  );
  const certificate = new tls.LocallySignedCert(
    `${name}-tls-certificate`,
    {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: ca.privateKeyPem,
      caCertPem: ca.certificatePem,
      validityPeriodHours: VM_CERT_VALIDITY_HOURS,
      earlyRenewalHours: VM_CERT_EARLY_RENEWAL_HOURS,
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    },
    { parent },
  );
  return { key, certificate };
}
