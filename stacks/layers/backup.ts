/**
 * The off-site copies fortress:backup.s3 asks for, as the siem and identity layers build them: the
 * Wazuh indexer's snapshot repository, mirrored after the nightly snapshot, and Keycloak's database,
 * dumped and copied. Nothing at all without backup.s3.
 */
import type * as pulumi from "@pulumi/pulumi";
import { S3Backup } from "../../components/backup/s3Backup";
import {
  KEYCLOAK_DB,
  POSTGRES_LABELS,
  POSTGRES_UID,
  type PostgresDatabase,
} from "../../components/identity/postgres";
import { PINS } from "../../components/identity/pins";
import { INDEXER_LABELS } from "../../components/siem/labels";
import { WAZUH_UID } from "../../components/siem/pins";
import { DEFAULT_SNAPSHOTS } from "../../components/siem/retention";
import type { LabSecrets } from "../config/load";
import type { LabModel } from "../lab";

/** How long what leaves the copies is kept, in days, and when Keycloak's database is dumped (UTC). */
export const BACKUP_TIMING = {
  /** After the snapshot's start and its one-hour time limit, before the deletion of expired ones. */
  snapshotsAfterMinutes: 75,
  /**
   * Days a file the mirror replaces or drops stays under `<name>-replaced`, counted from when it was
   * moved there (components/backup/rclone.ts pruneArgs): an incremental snapshot's blobs may be as old
   * as the index they belong to when the indexer lets them go.
   */
  replacedGraceDays: 30,
  keycloakDump: "15 3 * * *",
  keycloakDumpsKeptDays: 30,
} as const;

/** `minute hour * * *` moved on by `minutes` (a daily cron only). */
export function dailyCronAfter(cron: string, minutes: number): string {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  if (!match) throw new Error(`not a daily cron: ${cron}`);
  const total = (Number(match[2]) * 60 + Number(match[1]) + minutes) % (24 * 60);
  return `${total % 60} ${Math.floor(total / 60)} * * *`;
}

function storage(lab: LabModel, secrets: LabSecrets) {
  const s3 = lab.config.backup?.s3;
  if (!s3) return undefined;
  const { s3AccessKeyId, s3SecretAccessKey } = secrets;
  if (!s3AccessKeyId || !s3SecretAccessKey)
    throw new Error(
      "internal: backup.s3 is set but the door let fortress:s3AccessKeyId/s3SecretAccessKey through unset",
    );
  return { target: { ...s3 }, accessKeyId: s3AccessKeyId, secretAccessKey: s3SecretAccessKey };
}

/** The indexer's snapshot claim, mirrored beside the indexer pod (the claim is ReadWriteOnce). */
export function snapshotBackup(
  lab: LabModel,
  secrets: LabSecrets,
  namespace: string,
  opts: pulumi.ComponentResourceOptions,
): S3Backup | undefined {
  const s3 = storage(lab, secrets);
  if (!s3) return undefined;
  return new S3Backup(
    "wazuh-snapshots",
    {
      ...s3,
      namespace,
      schedule: dailyCronAfter(DEFAULT_SNAPSHOTS.cron, BACKUP_TIMING.snapshotsAfterMinutes),
      // Snapshots come and go with the SM policy: the copy follows, and what it drops stays a while.
      transfer: { kind: "sync", keepDays: BACKUP_TIMING.replacedGraceDays },
      source: {
        kind: "claim",
        claimName: "wazuh-indexer-snapshots",
        uid: WAZUH_UID,
        colocateWith: INDEXER_LABELS,
        // The repository's root pointer (opensearch-project/OpenSearch
        // server/src/main/java/org/opensearch/repositories/blobstore/BlobStoreRepository.java INDEX_LATEST_BLOB).
        requireFile: "index.latest",
      },
    },
    opts,
  );
}

/** A PostgreSQL of the lab's (components/identity/postgres.ts), dumped nightly; dated dumps, copied and kept 30 days. */
export function databaseBackup(
  name: string,
  database: { readonly db: PostgresDatabase; readonly serverLabels: Readonly<Record<string, string>> },
  lab: LabModel,
  secrets: LabSecrets,
  namespace: string,
  opts: pulumi.ComponentResourceOptions,
): S3Backup | undefined {
  const s3 = storage(lab, secrets);
  if (!s3) return undefined;
  const { db, serverLabels } = database;
  return new S3Backup(
    name,
    {
      ...s3,
      namespace,
      schedule: BACKUP_TIMING.keycloakDump,
      transfer: { kind: "copy", keepDays: BACKUP_TIMING.keycloakDumpsKeptDays },
      source: {
        kind: "pgDump",
        image: PINS.postgresImage,
        uid: POSTGRES_UID,
        host: db.service,
        port: db.port,
        database: db.name,
        user: db.user,
        password: { secret: db.secret, key: "password" },
        serverLabels,
      },
    },
    opts,
  );
}

/** Keycloak's database, while the lab runs Keycloak. */
export function keycloakBackup(
  lab: LabModel,
  secrets: LabSecrets,
  namespace: string,
  opts: pulumi.ComponentResourceOptions,
): S3Backup | undefined {
  if (!lab.config.services.includes("keycloak")) return undefined;
  return databaseBackup(
    "keycloak-postgres",
    { db: KEYCLOAK_DB, serverLabels: POSTGRES_LABELS },
    lab,
    secrets,
    namespace,
    opts,
  );
}
