/**
 * What a backup copies: a claim's directory as it is, or a database dumped first into a scratch
 * volume. The dump is PostgreSQL's own `pg_dump --format=custom` (restorable with `pg_restore`), run
 * from the server's own image, the password read by libpq from PGPASSWORD (set from a Secret, never
 * on argv). Pure.
 */

/** A claim's directory, read-only. */
export interface ClaimSource {
  readonly kind: "claim";
  readonly claimName: string;
  /** The uid (and gid) that owns the files: the pod runs as it and reads what the writer wrote. */
  readonly uid: number;
  /**
   * The pods that mount the claim: a ReadWriteOnce claim is mounted by a second pod only on the node
   * it is attached to, so the backup pod must run beside them.
   */
  readonly colocateWith?: Readonly<Record<string, string>>;
  /** A file that must exist before anything is synced (an empty directory would empty the copy). */
  readonly requireFile?: string;
}

/** A PostgreSQL database, dumped by pg_dump from its server's image. */
export interface PgDumpSource {
  readonly kind: "pgDump";
  /** The server's own image (the same pg_dump major as the server). */
  readonly image: string;
  /** The image's postgres user (the pod runs as it). */
  readonly uid: number;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The Secret and key holding the user's password. */
  readonly password: { readonly secret: string; readonly key: string };
  /** The server's pods (their NetworkPolicy is opened to the backup pods on `port`). */
  readonly serverLabels: Readonly<Record<string, string>>;
}

export type BackupSource = ClaimSource | PgDumpSource;

/** Where the claim or the scratch volume is mounted in the backup pod. */
export const SOURCE_DIR = "/source";

/**
 * The dump: one file per run, named by the database and the UTC time, so that copies never overwrite
 * each other. libpq reads PGHOST, PGPORT, PGUSER, PGDATABASE and PGPASSWORD; --no-password fails
 * instead of prompting.
 */
export function pgDumpScript(dir: string): string {
  return [
    "set -eu",
    "stamp=$(date -u +%Y%m%dT%H%M%SZ)",
    `target="${dir}/\${PGDATABASE}-\${stamp}.dump"`,
    'pg_dump --format=custom --no-password --file="${target}.partial"',
    // Only a complete dump carries the name the copy picks up.
    'mv "${target}.partial" "${target}"',
    'echo "dumped ${PGDATABASE} to ${target}"',
    "",
  ].join("\n");
}
