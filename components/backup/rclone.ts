/**
 * rclone, configured only by environment variables: a remote named `backup` of type s3. The variable
 * names are rclone's: `RCLONE_CONFIG_<REMOTE>_<OPTION>` with the option upper-cased
 * (rclone/rclone@v1.75.0:fs/config.go ConfigToEnv), the options those of the s3 backend
 * (rclone/rclone@v1.75.0:backend/s3/s3.go: provider, env_auth, access_key_id, secret_access_key,
 * region, endpoint, force_path_style, no_check_bucket). Provider `Other` ("Any other S3 compatible
 * provider", backend/s3/provider/Other.yaml): no provider quirk overrides what the config says. Pure.
 */

/** The remote's name, as rclone reads it from the variables' names. */
export const RCLONE_REMOTE = "backup";

export interface S3Target {
  /** https://host[:port] */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  /** Path-style addressing (https://host/bucket), what MinIO needs. */
  readonly pathStyle: boolean;
  /** The key prefix under the bucket. */
  readonly prefix: string;
}

/** The Secret's keys the two credentials are read from. */
export const CREDENTIAL_KEYS = {
  accessKeyId: "access-key-id",
  secretAccessKey: "secret-access-key",
} as const;

const variable = (option: string) => `RCLONE_CONFIG_${RCLONE_REMOTE}_${option}`.toUpperCase();

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/** The remote's settings; the two keys by secretKeyRef only, never as values. */
export function rcloneEnv(target: S3Target, secretName: string): EnvVar[] {
  const fromSecret = (key: string) => ({ secretKeyRef: { name: secretName, key } });
  return [
    { name: variable("type"), value: "s3" },
    { name: variable("provider"), value: "Other" },
    // The keys below, never the pod's environment or an instance role.
    { name: variable("env_auth"), value: "false" },
    { name: variable("access_key_id"), valueFrom: fromSecret(CREDENTIAL_KEYS.accessKeyId) },
    { name: variable("secret_access_key"), valueFrom: fromSecret(CREDENTIAL_KEYS.secretAccessKey) },
    { name: variable("endpoint"), value: target.endpoint },
    { name: variable("region"), value: target.region },
    { name: variable("force_path_style"), value: String(target.pathStyle) },
    // The bucket exists and the key may only write under the prefix: never try to create it.
    { name: variable("no_check_bucket"), value: "true" },
  ];
}

/** `backup:<bucket>/<prefix>/<name>` */
export function remotePath(target: S3Target, name: string): string {
  return `${RCLONE_REMOTE}:${target.bucket}/${target.prefix}/${name}`;
}

/** What a copy leaves behind: how it is transferred, and how long what it no longer needs is kept. */
export type Transfer =
  | {
      /**
       * A mirror of a directory whose files change and go (a snapshot repository): the remote follows the
       * source, and every file the sync would delete or overwrite is moved to `<name>-replaced` instead
       * (`--backup-dir`), where it stays until `keepDays` old.
       */
      readonly kind: "sync";
      readonly keepDays: number;
    }
  | {
      /** New, dated files only (dumps): copied, never deleted by the copy; pruned when `keepDays` old. */
      readonly kind: "copy";
      readonly keepDays: number;
    };

// One line per file transferred or deleted, in the Job's log.
const COMMON_FLAGS = ["--log-level=INFO"];

/** rclone's arguments for the transfer from `source` (a local directory) to the remote. */
export function transferArgs(source: string, target: S3Target, name: string, transfer: Transfer): string[] {
  const destination = remotePath(target, name);
  return transfer.kind === "sync"
    ? ["sync", source, destination, `--backup-dir=${destination}-replaced`, ...COMMON_FLAGS]
    : ["copy", source, destination, ...COMMON_FLAGS];
}

/**
 * rclone's arguments for the prune after a transfer: `delete` with `--min-age` (rclone/rclone@v1.75.0:
 * fs/filter/filter.go min_age). A dump is judged by its own time. What a sync moved aside is judged by
 * the time it was moved: rclone's server-side move on S3 copies the object with its original
 * `X-Amz-Meta-Mtime` (backend/s3/s3.go `Copy`, MetadataDirective COPY), so an old snapshot blob would
 * otherwise go the night it is replaced; `--use-server-modtime` reads the copy's `LastModified` instead.
 */
export function pruneArgs(target: S3Target, name: string, transfer: Transfer): string[] {
  if (!Number.isInteger(transfer.keepDays) || transfer.keepDays < 1)
    throw new Error(`backup ${name}: keepDays must be whole days, at least 1`);
  const destination = remotePath(target, name);
  const pruned = transfer.kind === "sync" ? `${destination}-replaced` : destination;
  const byMoveTime = transfer.kind === "sync" ? ["--use-server-modtime"] : [];
  return ["delete", pruned, `--min-age=${transfer.keepDays}d`, ...byMoveTime, ...COMMON_FLAGS];
}
