/**
 * The lab's internal CA, made in the program (@pulumi/tls) rather than inside the cluster, so that its
 * certificate is known to Pulumi: the Proxmox nodes and the Pulumi host can trust it, and it is a stack
 * output. The private key exists only in the (encrypted) state and in cert-manager's CA Secret.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** Ten years; renewed on the `pulumi up` after it enters its last 30 days (then re-trusted everywhere). */
export const CA_VALIDITY_HOURS = 87600;
export const CA_EARLY_RENEWAL_HOURS = 720;

export interface InternalCa {
  /** The CA certificate (PEM), public. */
  readonly certificatePem: pulumi.Output<string>;
  /** The CA private key (PEM), secret. */
  readonly privateKeyPem: pulumi.Output<string>;
}

export function internalCa(name: string, commonName: string, parent: pulumi.Resource): InternalCa {
  const key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const privateKeyPem = pulumi.secret(key.privateKeyPem);
  const certificate = new tls.SelfSignedCert(
    `${name}-certificate`,
    {
      privateKeyPem,
      isCaCertificate: true,
      subject: { commonName, organization: "Fortress" },
      validityPeriodHours: CA_VALIDITY_HOURS,
      earlyRenewalHours: CA_EARLY_RENEWAL_HOURS,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      setSubjectKeyId: true,
    },
    { parent },
  );
  return { certificatePem: pulumi.unsecret(certificate.certPem), privateKeyPem };
}
