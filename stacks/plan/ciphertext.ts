/**
 * What a `secure:` value in a stack file may look like. The Pulumi CLI writes one of two forms
 * (pulumi/pulumi):
 * - `v1:<nonce>:<ciphertext>`, both standard base64, from the passphrase and cloud-KMS secrets
 *   providers (sdk/go/common/resource/config/crypt.go `symmetricCrypter.EncryptValue`;
 *   pkg/secrets/cloud/manager.go wraps the same crypter around its data key);
 * - plain standard base64 from the Pulumi Cloud provider (pkg/secrets/service/manager.go
 *   `serviceCrypter.EncryptValue`).
 * Anything else cannot be decrypted, and is most often a secret pasted in by hand. A stack whose
 * file names its own key (`encryptionsalt:` for a passphrase, pkg/secrets/passphrase/manager.go;
 * `secretsprovider:`/`encryptedkey:` for a cloud KMS, pkg/secrets/cloud/manager.go) writes only the
 * `v1:` form, so there bare base64 is a pasted secret: an OPNsense API key or secret is 80 characters
 * of base64 (opnsense/core Auth/FieldTypes/ApiKeyField.php).
 */

/** Keys of a stack file's top level that only a passphrase or cloud-KMS secrets provider writes. */
export const OWN_KEY_HEADER = /^(encryptionsalt|secretsprovider|encryptedkey):/m;

/** Standard base64 as Go's base64.StdEncoding decodes it: padded, a multiple of 4 characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The shortest bare-base64 value taken as ciphertext: 16 bytes, the authentication tag alone of an
 * AEAD cipher such as AES-GCM. Shorter base64-looking text (`hunter22`) is a password, not ciphertext.
 */
const MIN_BARE_CIPHERTEXT_CHARS = 24;

/** What the text is instead, in words that never repeat it. */
function plainTextKind(text: string): string {
  if (/^-----BEGIN /.test(text)) return "a PEM block (-----BEGIN …)";
  if (/^(ssh-|ecdsa-|sk-ssh-|sk-ecdsa-)/.test(text)) return "an SSH key";
  if (/^[^\s@!]+@[^\s@!]+![^\s=]+=/.test(text)) return "a Proxmox API token (user@realm!id=…)";
  if (/^(apiVersion|clusters|kind):/m.test(text)) return "a kubeconfig";
  if (/^https?:\/\//.test(text)) return "a URL";
  return "plain text";
}

/** Why a `secure:` value is not ciphertext the Pulumi CLI wrote, or undefined when it may be. */
export function secureValueProblem(value: unknown, ownKey = false): string | undefined {
  if (value === null || value === undefined) return "empty";
  if (typeof value !== "string") {
    return Array.isArray(value) ? "a list" : typeof value === "object" ? "a mapping" : `a ${typeof value}`;
  }
  if (value.trim() === "") return "empty";
  const parts = value.split(":");
  if (parts[0] === "v1") {
    const [, nonce, ciphertext] = parts;
    const wellFormed =
      parts.length === 3 && !!nonce && !!ciphertext && BASE64.test(nonce) && BASE64.test(ciphertext);
    return wellFormed ? undefined : "a v1: value whose parts are not base64 (v1:<nonce>:<ciphertext>)";
  }
  // Ciphertext of 32 random bytes or more is never all hex digits; a pasted key or token often is.
  if (/^[0-9a-fA-F]+$/.test(value)) return "hex text (a pasted key or token)";
  if (BASE64.test(value) && value.length >= MIN_BARE_CIPHERTEXT_CHARS) {
    return ownKey
      ? "bare base64, but this stack's file names its own key (encryptionsalt or secretsprovider), whose values all start with v1:"
      : undefined;
  }
  return plainTextKind(value);
}
