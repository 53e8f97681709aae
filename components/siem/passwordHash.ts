/**
 * bcrypt hashes for internal_users.yml (the plugin checks `hash` with bcrypt: opensearch-project/security
 * config/internal_users.yml, "The hash value is a bcrypt hash"). Deterministic in password and salt, and
 * the salt is a random resource's, kept in the state: the file (and the Job that loads it) stays the same
 * run to run instead of changing with a fresh salt every time.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { bcrypt } from "hash-wasm";

/** The cost the plugin's own hash.sh and the shipped hashes use (`$2y$12$`). */
export const BCRYPT_COST = 12;

export async function bcryptHash(password: string, salt: Uint8Array): Promise<string> {
  if (salt.length !== 16) throw new Error("a bcrypt salt is 16 bytes");
  return bcrypt({ password, salt, costFactor: BCRYPT_COST, outputType: "encoded" });
}

/** A random password for `name` and its bcrypt hash with a salt of its own; both secret. */
export function hashedPassword(
  name: string,
  opts: pulumi.CustomResourceOptions,
): { readonly password: pulumi.Output<string>; readonly hash: pulumi.Output<string> } {
  const password = pulumi.secret(
    new random.RandomPassword(`${name}-password`, { length: 40, special: false }, opts).result,
  );
  const salt = new random.RandomBytes(`${name}-salt`, { length: 16 }, opts);
  const hash = pulumi.secret(
    pulumi
      .all([password, salt.base64])
      // Unresolved only under mocks, which generate no random values.
      .apply(([plain, saltBase64]) =>
        plain === undefined || saltBase64 === undefined
          ? undefined
          : bcryptHash(plain, Buffer.from(saltBase64, "base64")),
      ),
  ) as pulumi.Output<string>;
  return { password, hash };
}
