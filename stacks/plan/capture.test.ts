import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { REDACTED, redact } from "./capture";
import { KNOWN_DEFAULT_CREDENTIALS, KNOWN_DEFAULT_HASHES, SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";

/** The markers of Pulumi's serialized property values (sdk/nodejs/runtime/rpc.ts). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const ref = (urn: string, id?: string) => ({ [SIG_KEY]: RESOURCE_SIG, urn, ...(id ? { id } : {}) });

describe("redact", () => {
  it("uses the markers of the installed Pulumi SDK", () => {
    assert.equal(rpc.specialSigKey, SIG_KEY);
    assert.equal(rpc.specialSecretSig, SECRET_SIG);
    assert.equal(rpc.specialResourceSig, RESOURCE_SIG);
    assert.equal(rpc.specialAssetSig, ASSET_SIG);
    assert.equal(rpc.unknownValue, UNKNOWN);
  });

  it("marks a secret file that keeps a shipped demo user's bcrypt hash, under any key", () => {
    for (const hash of KNOWN_DEFAULT_HASHES) {
      const file = `---\n_meta:\n  type: internalusers\nadmin:\n  hash: "${hash}"\n`;
      assert.equal(redact(secret({ "internal_users.yml": file })), SECRET_KNOWN_DEFAULT);
      assert.equal(redact(secret(file)), SECRET_KNOWN_DEFAULT);
    }
    // A fresh hash of a random password is no default.
    const fresh = "$2a$12$" + "b".repeat(53);
    assert.equal(redact(secret({ "internal_users.yml": `admin:\n  hash: "${fresh}"\n` })), REDACTED);
  });

  it("uses [secret] as its marker", () => {
    assert.equal(REDACTED, "[secret]");
  });

  it("replaces a secret at the top level, whatever it wraps", () => {
    assert.equal(redact(secret("hunter2")), "[secret]");
    assert.equal(redact(secret({ user: "root", password: "p" })), "[secret]");
    assert.equal(redact(secret(42)), "[secret]");
  });

  it("replaces secrets at any depth, in objects and arrays", () => {
    const input = {
      name: "vm",
      cloudInit: { users: [{ name: "fortress", passwd: secret("x"), keys: ["ssh-ed25519 AAA"] }] },
      tokens: [secret("a"), "plain", [secret("b")]],
      deep: { a: { b: { c: { d: secret("deep") } } } },
    };
    assert.deepEqual(redact(input), {
      name: "vm",
      cloudInit: { users: [{ name: "fortress", passwd: "[secret]", keys: ["ssh-ed25519 AAA"] }] },
      tokens: ["[secret]", "plain", ["[secret]"]],
      deep: { a: { b: { c: { d: "[secret]" } } } },
    });
  });

  it("marks a structured secret holding a known default under a credential key, and only there", () => {
    const values = { auth: { username: "grafana", adminPassword: "prom-operator" }, replicas: 1 };
    assert.equal(redact(secret(values)), SECRET_KNOWN_DEFAULT);
    assert.equal(redact(secret({ env: [{ name: "X", secretValue: "changeme" }] })), SECRET_KNOWN_DEFAULT);
    // "admin" as a user name is no credential: the object stays merely redacted.
    assert.equal(redact(secret({ auth: { username: "admin", password: "x9!Lq-unique" } })), REDACTED);
  });

  it("marks a secret that equals a known default credential, in any case, without its value", () => {
    for (const value of KNOWN_DEFAULT_CREDENTIALS) {
      assert.equal(redact(secret(value)), SECRET_KNOWN_DEFAULT, value);
      assert.equal(redact(secret(` ${value.toUpperCase()} `)), SECRET_KNOWN_DEFAULT, value);
    }
    assert.equal(redact(secret("a-generated-40-character-password-xyz")), REDACTED);
    assert.equal(redact(secret({ password: "admin" })), SECRET_KNOWN_DEFAULT);
    assert.ok(!JSON.stringify(redact({ a: secret("kibanaserver") })).includes("kibanaserver"));
  });

  it("never lets the secret's value through", () => {
    const out = JSON.stringify(
      redact({ a: [{ b: secret("TOPSECRET-VALUE") }], c: secret({ k: "TOPSECRET-2" }) }),
    );
    assert.ok(!out.includes("TOPSECRET"), out);
  });

  it("turns resource references into their URN", () => {
    const urn = "urn:pulumi:home::fortress::proxmoxve:index/vmLegacy:VmLegacy::k3s-server-1";
    assert.deepEqual(redact(ref(urn, "101")), { $ref: urn });
    assert.deepEqual(redact({ vms: [ref(urn)], owner: { vm: ref(urn, "x") } }), {
      vms: [{ $ref: urn }],
      owner: { vm: { $ref: urn } },
    });
  });

  it("marks the unknown sentinel, at the top and at any depth", () => {
    assert.equal(redact(UNKNOWN), "[unknown]");
    assert.deepEqual(redact({ id: UNKNOWN, list: [1, UNKNOWN], nested: { ip: UNKNOWN } }), {
      id: "[unknown]",
      list: [1, "[unknown]"],
      nested: { ip: "[unknown]" },
    });
  });

  it("shows other signatures (assets, archives) by a short prefix", () => {
    assert.equal(redact({ [SIG_KEY]: ASSET_SIG, path: "/etc/passwd" }), "[c44067f5]");
  });

  it("leaves plain values alone", () => {
    const plain = {
      s: "text",
      n: 3.5,
      zero: 0,
      t: true,
      f: false,
      nil: null,
      empty: {},
      list: [1, "two", { three: [3] }],
      almostSecret: { value: "not marked", sig: SECRET_SIG },
      almostUnknown: `${UNKNOWN}-suffix`,
    };
    assert.deepEqual(redact(plain), plain);
    for (const scalar of ["", "x", 0, -1, true, null, undefined]) assert.equal(redact(scalar), scalar);
    assert.deepEqual(redact([]), []);
  });

  it("does not modify its input", () => {
    const input = { a: secret("x"), b: [UNKNOWN, ref("urn:x")] };
    const copy = structuredClone(input);
    redact(input);
    assert.deepEqual(input, copy);
  });
});
