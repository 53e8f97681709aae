import assert from "node:assert/strict";
import { createCipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { secureValueProblem } from "./ciphertext";
import { parseStackConfig, secureIssues } from "./stackConfig";

/** A value as pulumi/pulumi's symmetricCrypter.EncryptValue writes it: AES-256-GCM, 12-byte nonce. */
function passphraseCiphertext(plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", randomBytes(32), nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

describe("secureValueProblem", () => {
  it("takes what the Pulumi CLI writes: v1:<nonce>:<ciphertext> and bare base64 (Pulumi Cloud)", () => {
    for (const plaintext of ["", "x", "root@pam!fortress=7b4e2f31-9c1a-4c55-8f0e-2d7a61b9c0de"]) {
      assert.equal(secureValueProblem(passphraseCiphertext(plaintext)), undefined);
    }
    assert.equal(secureValueProblem(randomBytes(16).toString("base64")), undefined);
    assert.equal(secureValueProblem(randomBytes(61).toString("base64")), undefined);
  });

  it("takes the seed's placeholders, which are well-formed though not decryptable", () => {
    const seed = parseStackConfig(readFileSync(join(__dirname, "..", "..", "Pulumi.home.yaml"), "utf8"), "home");
    assert.equal(seed.secureProblems, undefined);
    assert.deepEqual(secureIssues(seed), []);
  });

  it("names what a value is instead, without repeating it", () => {
    const cases: [unknown, string][] = [
      [null, "empty"],
      ["", "empty"],
      ["   ", "empty"],
      [42, "a number"],
      [true, "a boolean"],
      [["a"], "a list"],
      [{ a: 1 }, "a mapping"],
      ["root@pam!fortress=7b4e2f31-9c1a-4c55-8f0e-2d7a61b9c0de", "a Proxmox API token (user@realm!id=…)"],
      ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----", "a PEM block (-----BEGIN …)"],
      ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHunter2 me", "an SSH key"],
      ["ecdsa-sha2-nistp256 AAAAE2VjZHNh me", "an SSH key"],
      ["apiVersion: v1\nclusters: []", "a kubeconfig"],
      ["hunter22", "plain text"],
      ["dGVzdA==", "plain text"],
      ["v1:abc", "a v1: value whose parts are not base64 (v1:<nonce>:<ciphertext>)"],
      ["v1:!!:AAAA", "a v1: value whose parts are not base64 (v1:<nonce>:<ciphertext>)"],
      ["v1:AAAA:AAAA:AAAA", "a v1: value whose parts are not base64 (v1:<nonce>:<ciphertext>)"],
    ];
    for (const [value, kind] of cases) {
      const problem = secureValueProblem(value);
      assert.equal(problem, kind, `for ${JSON.stringify(value)}`);
      if (typeof value === "string" && value.trim().length > 3) assert.ok(!problem?.includes(value));
    }
  });

  it("refuses bare base64 in a stack whose file names its own key, and hex anywhere", () => {
    // An OPNsense API key as opnsense/core's ApiKeyField makes it: base64 of 60 random bytes.
    const opnsenseKey = randomBytes(60).toString("base64");
    assert.equal(secureValueProblem(opnsenseKey), undefined, "a Pulumi Cloud stack may hold bare base64");
    assert.match(secureValueProblem(opnsenseKey, true) ?? "", /^bare base64, but this stack's file names its own key/);
    assert.equal(secureValueProblem(passphraseCiphertext("x"), true), undefined);
    assert.equal(secureValueProblem(randomBytes(32).toString("hex")), "hex text (a pasted key or token)");
    const file = (header: string) =>
      `${header}config:\n  fortress:opnsenseApiKey:\n    secure: ${opnsenseKey}\n`;
    const salted = parseStackConfig(file("encryptionsalt: v1:3D5jnHBEqmA=:v1:ZLbFhJ7hvm0uRr6m:ayb9dTxVSsLqQ+Ve+t0zhfpcGtpW9g==\n"), "s");
    assert.deepEqual(salted.secureProblems?.map((problem) => problem.key), ["fortress:opnsenseApiKey"]);
    assert.ok(!JSON.stringify(secureIssues(salted)).includes(opnsenseKey), "the value is never printed");
    assert.equal(parseStackConfig(file(""), "s").secureProblems, undefined);
  });
});
