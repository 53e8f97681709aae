import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PLAIN_KEYS, SECRET_KEYS } from "../config/schema";
import { parseStackConfig, readStackConfig, stackConfigSource, stackNameOf } from "./stackConfig";
import { StackFileError } from "./stackFile";

const HOME_FILE = join(__dirname, "..", "..", "Pulumi.home.yaml");

const SAMPLE = `
config:
  aws:region: eu-central-1
  fortress:count: 3
  fortress:ratio: 1.5
  fortress:enabled: true
  fortress:lab:
    domain: home.arpa
    reserve: { memoryGb: 2, diskGb: 32 }
  fortress:nodes:
    - { name: pve1, cores: 4 }
    - { name: pve2, cores: 4, capabilities: [gpu] }
  fortress:token:
    secure: v1:AAAA:Y2lwaGVydGV4dA==
  fortress:mixed:
    user: admin
    password:
      secure: v1:BBBB:c2VjcmV0
  fortress:deepList:
    - plain
    - { inner: [{ secure: "v1:CCCC:ZGVlcA==" }] }
`;

describe("stackNameOf", () => {
  it("reads the stack from Pulumi.<stack>.yaml, with or without a directory", () => {
    assert.equal(stackNameOf("Pulumi.home.yaml"), "home");
    assert.equal(stackNameOf("/work/lab/Pulumi.small-office.yaml"), "small-office");
    assert.equal(stackNameOf("Pulumi.dev.yml"), "dev");
    assert.equal(stackNameOf("Pulumi.org.prod.yaml"), "org.prod");
  });

  it("falls back to dev for a file that is not a stack file", () => {
    assert.equal(stackNameOf("config.yaml"), "dev");
    assert.equal(stackNameOf("Pulumi.yaml"), "dev");
  });
});

describe("parseStackConfig", () => {
  const parsed = parseStackConfig(SAMPLE, "sample");

  it("keeps the stack name and every key", () => {
    assert.equal(parsed.stack, "sample");
    assert.deepEqual(Object.keys(parsed.values).sort(), [
      "aws:region",
      "fortress:count",
      "fortress:deepList",
      "fortress:enabled",
      "fortress:lab",
      "fortress:mixed",
      "fortress:nodes",
      "fortress:ratio",
      "fortress:token",
    ]);
  });

  it("keeps strings as they are and turns other scalars into their JSON text", () => {
    assert.equal(parsed.values["aws:region"], "eu-central-1");
    assert.equal(parsed.values["fortress:count"], "3");
    assert.equal(parsed.values["fortress:ratio"], "1.5");
    assert.equal(parsed.values["fortress:enabled"], "true");
  });

  it("turns structured values into JSON strings", () => {
    const lab = parsed.values["fortress:lab"];
    assert.equal(typeof lab, "string");
    assert.deepEqual(JSON.parse(lab ?? ""), { domain: "home.arpa", reserve: { memoryGb: 2, diskGb: 32 } });
    assert.deepEqual(JSON.parse(parsed.values["fortress:nodes"] ?? ""), [
      { name: "pve1", cores: 4 },
      { name: "pve2", cores: 4, capabilities: ["gpu"] },
    ]);
  });

  it("keeps secure: ciphertext opaque, at the top and inside structured values", () => {
    assert.equal(parsed.values["fortress:token"], "v1:AAAA:Y2lwaGVydGV4dA==");
    assert.deepEqual(JSON.parse(parsed.values["fortress:mixed"] ?? ""), {
      user: "admin",
      password: "v1:BBBB:c2VjcmV0",
    });
    assert.deepEqual(JSON.parse(parsed.values["fortress:deepList"] ?? ""), [
      "plain",
      { inner: ["v1:CCCC:ZGVlcA=="] },
    ]);
  });

  it("lists as secret every key holding a secure: leaf, and no other", () => {
    assert.deepEqual([...parsed.secretKeys].sort(), [
      "fortress:deepList",
      "fortress:mixed",
      "fortress:token",
    ]);
  });

  it("does not mistake an object with a secure key among others for a secret", () => {
    const config = parseStackConfig("config:\n  fortress:x:\n    secure: no\n    other: 1\n", "s");
    assert.deepEqual(config.secretKeys, []);
    assert.deepEqual(JSON.parse(config.values["fortress:x"] ?? ""), { secure: "no", other: 1 });
  });

  it("refuses an empty file and one without config (a new stack's file holds only encryptionsalt)", () => {
    for (const [text, problem] of [
      ["", "is empty"],
      ["encryptionsalt: v1:abc\n", "has no top-level `config:` mapping"],
    ] as const) {
      assert.throws(
        () => parseStackConfig(text, "e"),
        (error: unknown) => error instanceof StackFileError && error.problem === problem,
      );
    }
  });

  it("reads the home stack: every plain key as JSON, the secrets it needs as secrets", () => {
    const home = readStackConfig(HOME_FILE);
    assert.equal(home.stack, "home");
    // The home lab builds its own k3s cluster, so it has no kubeconfig; it names no SMTP relay login and
    // no webhook, so neither notification secret; it keeps its backups on Proxmox, so no S3 key.
    const unused = new Set(["kubeconfig", "smtpPassword", "notifyWebhookToken", "s3AccessKeyId", "s3SecretAccessKey"]);
    const needed = SECRET_KEYS.filter((key) => !unused.has(key));
    assert.deepEqual([...home.secretKeys].sort(), needed.map((key) => `fortress:${key}`).sort());
    for (const key of ["lab", "proxmox", "nodes", "networks", "services"] as const) {
      const text = home.values[`fortress:${key}`];
      assert.ok(text, key);
      assert.equal(PLAIN_KEYS[key].safeParse(JSON.parse(text)).success, true, key);
    }
    assert.equal(
      home.values["fortress:lab"],
      JSON.stringify(JSON.parse(home.values["fortress:lab"] ?? "")),
      "compact JSON, as the CLI passes it",
    );
    assert.ok(readFileSync(HOME_FILE, "utf8").includes(home.values["fortress:sshPrivateKey"] ?? "\0"));
  });
});

describe("stackConfigSource", () => {
  it("serves the fortress keys without their prefix and tells secrets apart", () => {
    const source = stackConfigSource(parseStackConfig(SAMPLE, "sample"));
    assert.deepEqual(source.keys().sort(), [
      "count",
      "deepList",
      "enabled",
      "lab",
      "mixed",
      "nodes",
      "ratio",
      "token",
    ]);
    assert.equal(source.raw("count"), "3");
    assert.equal(source.raw("region"), undefined);
    assert.equal(source.isSecret("token"), true);
    assert.equal(source.isSecret("mixed"), true);
    assert.equal(source.isSecret("lab"), false);
  });
});

describe("secure: values that are not ciphertext", () => {
  const text = [
    "config:",
    "  fortress:proxmoxApiToken:",
    "    secure: root@pam!fortress=7b4e2f31-9c1a-4c55-8f0e-2d7a61b9c0de",
    "  fortress:sshPrivateKey:",
    "    secure:",
    "  fortress:lab:",
    "    secure: hunter22",
    "  aws:accessKey:",
    "    secure: hunter22",
    "",
  ].join("\n");
  const config = parseStackConfig(text, "s");

  it("are found in fortress secret keys only: a secure: leaf in a plain key is refused as such by the door", () => {
    assert.deepEqual(config.secureProblems, [
      { key: "fortress:proxmoxApiToken", problem: "a Proxmox API token (user@realm!id=…)" },
      { key: "fortress:sshPrivateKey", problem: "empty" },
    ]);
  });

  it("reach the door through the source, with the set --secret command and without the value", () => {
    const issues = stackConfigSource(config).problems?.() ?? [];
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["proxmoxApiToken", "sshPrivateKey"],
    );
    assert.match(issues[0]?.hint ?? "", /pulumi config set --secret fortress:proxmoxApiToken/);
    assert.doesNotMatch(JSON.stringify(issues), /7b4e2f31|hunter22/);
  });
});
