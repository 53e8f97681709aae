/**
 * A throwaway CA for loopback TLS tests, made with Debian's openssl: an EC P-256 root (the curve of the
 * lab's internal CA, components/platform/internalCa.ts) and the leaf certificates it signs, as files in
 * `dir`. Valid for a day; nothing here is a Fortress secret.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A leaf to sign: its file name stem, its subject (`/CN=localhost`) and its openssl extensions. */
export interface TestLeaf {
  readonly name: string;
  readonly subject: string;
  /** openssl extension lines, e.g. `subjectAltName=DNS:localhost` or `extendedKeyUsage=clientAuth`. */
  readonly extensions: string;
}

export interface TestCa {
  /** Paths of the CA's certificate and key. */
  readonly cert: string;
  readonly key: string;
  /** Paths of each leaf's certificate and key (a traditional EC key; PKCS#8 with `pkcs8Of`), by name. */
  readonly leaves: Readonly<Record<string, { readonly cert: string; readonly key: string }>>;
}

/** Runs openssl in `dir`; an absent openssl is named with the package that has it. */
export function openssl(dir: string, ...args: string[]): string {
  const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (result.error) throw new Error("openssl is not installed (apt-get install openssl)");
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  return result.stdout;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** Makes the CA `<caName>-ca.pem`/`.key` in `dir` and signs each leaf into `<name>.pem`/`.key`. */
export function testCa(dir: string, caName: string, leaves: readonly TestLeaf[]): TestCa {
  const caCert = `${caName}-ca.pem`;
  const caKey = `${caName}-ca.key`;
  openssl(
    dir,
    "req",
    "-x509",
    ...EC_KEY,
    "-days",
    "1",
    "-subj",
    `/CN=${caName} CA`,
    "-keyout",
    caKey,
    "-out",
    caCert,
  );
  const signed: Record<string, { cert: string; key: string }> = {};
  for (const leaf of leaves) {
    openssl(
      dir,
      "req",
      ...EC_KEY,
      "-subj",
      leaf.subject,
      "-keyout",
      `${leaf.name}.key`,
      "-out",
      `${leaf.name}.csr`,
    );
    writeFileSync(join(dir, `${leaf.name}.ext`), `${leaf.extensions}\n`);
    openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${leaf.name}.csr`,
      "-CA",
      caCert,
      "-CAkey",
      caKey,
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${leaf.name}.ext`,
      "-out",
      `${leaf.name}.pem`,
    );
    signed[leaf.name] = { cert: join(dir, `${leaf.name}.pem`), key: join(dir, `${leaf.name}.key`) };
  }
  return { cert: join(dir, caCert), key: join(dir, caKey), leaves: signed };
}

/** Writes `key` as an unencrypted PKCS#8 key to `out` (what cert-manager's `encoding: PKCS8` gives). */
export function pkcs8Of(dir: string, key: string, out: string): void {
  openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", key, "-out", out);
}
