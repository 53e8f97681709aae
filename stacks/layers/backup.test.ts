/**
 * The home lab planned offline with fortress:backup.s3 added (and its two keys, canaries): the two
 * copies appear in the siem and identity layers, the pack passes on them, and no key leaks into the
 * plan. Without backup.s3 nothing of it is planned (test/home-plan.test.ts holds the home lab's count).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { EXIT, type PlanOutcome, plan } from "../plan/cli";
import type { PlanDocument, PlanResource } from "../plan/document";
import { dailyCronAfter } from "./backup";

const root = join(__dirname, "..", "..");
const KEY_ID = "S3KEYIDCANARY";
const SECRET = "S3SECRETCANARY";
/**
 * A secure: value in the CLI's v1:<nonce>:<ciphertext> form whose ciphertext carries the canary: the
 * offline plan keeps secure values opaque, so the value the program holds is this very string.
 */
const secure = (text: string) => `v1:AAAAAAAAAAAAAAAA:${text}${"A".repeat((4 - (text.length % 4)) % 4)}`;

const S3_CONFIG = `  fortress:backup:
    s3:
      endpoint: https://minio.home.arpa:9000
      bucket: fortress-backups
      prefix: fortress/home
  fortress:s3AccessKeyId:
    secure: ${secure(KEY_ID)}
  fortress:s3SecretAccessKey:
    secure: ${secure(SECRET)}
`;

describe("dailyCronAfter", () => {
  it("moves a daily cron on by minutes, across the hour and midnight", () => {
    assert.equal(dailyCronAfter("30 2 * * *", 75), "45 3 * * *");
    assert.equal(dailyCronAfter("50 23 * * *", 20), "10 0 * * *");
    assert.throws(() => dailyCronAfter("*/5 * * * *", 10), /not a daily cron/);
  });
});

describe("the home lab with backup.s3", () => {
  let outcome: PlanOutcome;
  let document: PlanDocument;
  let planJson: string;
  const byName = (name: string): PlanResource => {
    const found = document.resources.find((resource) => resource.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
  };

  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "fortress-s3-plan-"));
    const configFile = join(out, "Pulumi.home.yaml");
    writeFileSync(configFile, readFileSync(join(root, "Pulumi.home.yaml"), "utf8") + S3_CONFIG);
    outcome = await plan({ configFile, outDir: out, width: 100 });
    planJson = readFileSync(join(out, "plan.json"), "utf8");
    document = JSON.parse(planJson) as PlanDocument;
  });

  it("plans clean: no violation of the pack", () => {
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    assert.deepEqual(document.violations, []);
  });

  it("copies the indexer's snapshots in the siem layer and Keycloak's database in the identity layer", () => {
    const copies = document.resources.filter((resource) => resource.type === "fortress:backup:S3Backup");
    assert.deepEqual(
      copies.map((copy) => [copy.name, copy.layer]),
      [
        ["keycloak-postgres", "identity"],
        ["wazuh-snapshots", "siem"],
      ].sort(([a], [b]) => a!.localeCompare(b!)),
    );
    const snapshots = byName("wazuh-snapshots-cronjob").inputs as {
      metadata: { namespace: string };
      spec: { schedule: string };
    };
    // After the SM policy's 02:30 snapshot and its hour, before its 04:30 deletion.
    assert.equal(snapshots.spec.schedule, "45 3 * * *");
    assert.equal(snapshots.metadata.namespace, "fortress-siem");
    const keycloak = byName("keycloak-postgres-cronjob").inputs as { metadata: { namespace: string } };
    assert.equal(keycloak.metadata.namespace, "fortress-identity");
  });

  it("lets the backup pods reach the storage's port and DNS only, and the database its port", () => {
    const egress = byName("wazuh-snapshots-egress").inputs as { spec: { egress: unknown[] } };
    assert.deepEqual(egress.spec.egress[0], {
      to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      ports: [{ protocol: "TCP", port: 9000 }],
    });
    assert.equal(egress.spec.egress.length, 2, "the storage and DNS");
    const database = byName("keycloak-postgres-database").inputs as {
      spec: { podSelector: unknown; ingress: { ports: unknown }[] };
    };
    assert.deepEqual(database.spec.podSelector, {
      matchLabels: { "app.kubernetes.io/name": "postgres", "app.kubernetes.io/instance": "keycloak" },
    });
    assert.deepEqual(database.spec.ingress[0]?.ports, [{ protocol: "TCP", port: 5432 }]);
  });

  it("keeps both keys secret: neither appears anywhere in the plan", () => {
    assert.ok(!planJson.includes(KEY_ID) && !planJson.includes(SECRET));
    assert.ok(!outcome.text.includes(KEY_ID) && !outcome.text.includes(SECRET));
    const secret = byName("wazuh-snapshots-s3-keys").inputs as { stringData: unknown };
    assert.equal(secret.stringData, "[secret]");
  });
});
