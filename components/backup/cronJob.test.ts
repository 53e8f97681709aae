import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run, shellcheck } from "../../test/support/debianTools";
import { backupCronJob, type BackupJobSpec } from "./cronJob";
import { BACKUP_PINS, RCLONE_UID } from "./pins";
import { pgDumpScript } from "./source";

const target = {
  endpoint: "https://minio.example.lan:9000",
  bucket: "fortress-backups",
  region: "us-east-1",
  pathStyle: false,
  prefix: "fortress/home",
};
const claimSpec: BackupJobSpec = {
  name: "wazuh-snapshots",
  namespace: "fortress-siem",
  schedule: "45 3 * * *",
  target,
  transfer: { kind: "sync", keepDays: 30 },
  source: {
    kind: "claim",
    claimName: "wazuh-indexer-snapshots",
    uid: 1000,
    colocateWith: { "app.kubernetes.io/name": "wazuh-indexer" },
    requireFile: "index.latest",
  },
  credentialsSecret: "s3-backup-wazuh-snapshots-s3",
};
const dumpSpec: BackupJobSpec = {
  ...claimSpec,
  name: "keycloak-postgres",
  transfer: { kind: "copy", keepDays: 30 },
  source: {
    kind: "pgDump",
    image: "docker.io/library/postgres:17.6",
    uid: 999,
    host: "keycloak-postgres",
    port: 5432,
    database: "keycloak",
    user: "keycloak",
    password: { secret: "keycloak-db", key: "password" },
    serverLabels: { "app.kubernetes.io/name": "postgres" },
  },
};

interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext: Record<string, unknown>;
  resources: { limits: Record<string, string>; requests: Record<string, string> };
  volumeMounts: { name: string; readOnly?: boolean }[];
}
interface PodSpec {
  initContainers: Container[];
  containers: Container[];
  affinity?: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: unknown[] } };
  volumes: Record<string, unknown>[];
  securityContext: Record<string, unknown>;
  automountServiceAccountToken: boolean;
}
function pod(spec: BackupJobSpec): PodSpec {
  const job = backupCronJob(spec) as unknown as {
    spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } };
  };
  return job.spec.jobTemplate.spec.template.spec;
}
const all = (p: PodSpec) => [...p.initContainers, ...p.containers];

describe("the backup CronJob", () => {
  it("runs at the schedule in UTC, one run at a time", () => {
    const job = backupCronJob(claimSpec) as unknown as { spec: Record<string, unknown> };
    assert.equal(job.spec.schedule, "45 3 * * *");
    assert.equal(job.spec.timeZone, "Etc/UTC");
    assert.equal(job.spec.concurrencyPolicy, "Forbid");
  });

  it("checks, syncs, then prunes a claim, mounted read-only beside the pods that write it", () => {
    const p = pod(claimSpec);
    assert.deepEqual(
      all(p).map((c) => [c.name, c.args]),
      [
        ["check", ["lsf", "/source/index.latest"]],
        [
          "transfer",
          [
            "sync",
            "/source",
            "backup:fortress-backups/fortress/home/wazuh-snapshots",
            "--backup-dir=backup:fortress-backups/fortress/home/wazuh-snapshots-replaced",
            "--log-level=INFO",
          ],
        ],
        [
          "prune",
          [
            "delete",
            "backup:fortress-backups/fortress/home/wazuh-snapshots-replaced",
            "--min-age=30d",
            "--use-server-modtime",
            "--log-level=INFO",
          ],
        ],
      ],
    );
    assert.deepEqual(p.volumes[0], {
      name: "source",
      persistentVolumeClaim: { claimName: "wazuh-indexer-snapshots", readOnly: true },
    });
    for (const c of p.initContainers)
      assert.equal(c.volumeMounts.find((m) => m.name === "source")?.readOnly, true);
    assert.deepEqual(p.affinity?.podAffinity.requiredDuringSchedulingIgnoredDuringExecution, [
      {
        labelSelector: { matchLabels: { "app.kubernetes.io/name": "wazuh-indexer" } },
        topologyKey: "kubernetes.io/hostname",
      },
    ]);
    assert.equal(p.securityContext.runAsUser, 1000, "the files' owner");
  });

  it("dumps with the server's image, the password by secretKeyRef, then copies and prunes the dumps", () => {
    const p = pod(dumpSpec);
    assert.deepEqual(
      all(p).map((c) => c.name),
      ["dump", "transfer", "prune"],
    );
    const dump = p.initContainers[0]!;
    assert.equal(dump.image, "docker.io/library/postgres:17.6");
    assert.deepEqual(
      dump.env?.find((e) => e.name === "PGPASSWORD"),
      {
        name: "PGPASSWORD",
        valueFrom: { secretKeyRef: { name: "keycloak-db", key: "password" } },
      },
    );
    assert.deepEqual(p.initContainers[1]!.args?.slice(0, 3), [
      "copy",
      "/source",
      "backup:fortress-backups/fortress/home/keycloak-postgres",
    ]);
    assert.deepEqual(p.containers[0]!.args?.slice(0, 3), [
      "delete",
      "backup:fortress-backups/fortress/home/keycloak-postgres",
      "--min-age=30d",
    ]);
    assert.equal(p.affinity, undefined);
    assert.ok("emptyDir" in p.volumes[0]!);
  });

  it("pins rclone and reads the keys only from the Secret, under the names rclone reads", () => {
    for (const spec of [claimSpec, dumpSpec])
      for (const c of all(pod(spec)).filter((c) => c.name !== "dump")) {
        assert.equal(c.image, BACKUP_PINS.rcloneImage);
        assert.match(c.image, /^docker\.io\/rclone\/rclone:\d+\.\d+\.\d+$/);
        const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
        for (const key of ["ACCESS_KEY_ID", "SECRET_ACCESS_KEY"]) {
          const variable = env[`RCLONE_CONFIG_BACKUP_${key}`];
          assert.equal(variable?.value, undefined);
          assert.deepEqual(variable?.valueFrom, {
            secretKeyRef: { name: spec.credentialsSecret, key: key.toLowerCase().replace(/_/g, "-") },
          });
        }
        assert.equal(env.RCLONE_CONFIG_BACKUP_TYPE?.value, "s3");
        assert.equal(env.RCLONE_CONFIG_BACKUP_FORCE_PATH_STYLE?.value, "false");
        assert.equal(env.RCLONE_CONFIG_BACKUP_ENDPOINT?.value, target.endpoint);
        assert.ok(!(c.args ?? []).some((arg) => /access.key|secret/i.test(arg)), "no key on argv");
      }
  });

  it("runs every container restricted: non-root, read-only root, no capability, limits", () => {
    for (const spec of [claimSpec, dumpSpec]) {
      const p = pod(spec);
      assert.equal(p.automountServiceAccountToken, false);
      assert.equal(p.securityContext.runAsNonRoot, true);
      for (const c of all(p)) {
        assert.equal(c.securityContext.readOnlyRootFilesystem, true, c.name);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
        assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
        assert.ok(Number(c.securityContext.runAsUser) > 0);
        assert.ok(c.resources.limits.memory && c.resources.limits.cpu && c.resources.requests.memory);
      }
    }
    assert.ok(RCLONE_UID > 0);
  });

  it("refuses a prune that keeps less than a day", () => {
    assert.throws(() => backupCronJob({ ...dumpSpec, transfer: { kind: "copy", keepDays: 0 } }), /keepDays/);
  });
});

describe("the dump script", () => {
  const script = pgDumpScript("/source");

  it("passes shellcheck", () => {
    const result = shellcheck(script, "sh");
    assert.equal(result.status, 0, result.stdout);
  });

  /** Runs the script with a pg_dump stand-in that writes its --file argument, or fails. */
  function dumpWith(behaviour: "writes" | "fails") {
    const dir = mkdtempSync(join(tmpdir(), "fortress-pgdump-"));
    const bin = join(dir, "bin");
    run("mkdir", [bin]);
    const out = join(dir, "out");
    run("mkdir", [out]);
    writeFileSync(
      join(bin, "pg_dump"),
      behaviour === "writes"
        ? '#!/bin/sh\nfor a in "$@"; do case "$a" in --file=*) printf dump > "${a#--file=}";; esac; done\n'
        : '#!/bin/sh\nfor a in "$@"; do case "$a" in --file=*) printf half > "${a#--file=}";; esac; done\nexit 1\n',
    );
    chmodSync(join(bin, "pg_dump"), 0o755);
    const result = run("sh", ["-c", pgDumpScript(out)], {
      env: { PATH: `${bin}:${process.env.PATH}`, PGDATABASE: "keycloak" },
    });
    const files = readdirSync(out);
    rmSync(dir, { recursive: true, force: true });
    return { result, files };
  }

  it("leaves one dated dump named by the database", () => {
    const { result, files } = dumpWith("writes");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^keycloak-\d{8}T\d{6}Z\.dump$/);
  });

  it("fails, and leaves no file the copy would take for a dump, when pg_dump fails", () => {
    const { result, files } = dumpWith("fails");
    assert.notEqual(result.status, 0);
    assert.ok(
      files.every((file) => file.endsWith(".partial")),
      files.join(","),
    );
  });
});
