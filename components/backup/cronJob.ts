/**
 * The backup CronJob: init containers do the work in order (check the source, dump, transfer), the main
 * container prunes what is older than the copies kept; a failed step stops the pod before the next, so a
 * prune never follows a failed transfer. Non-root, read-only root filesystem, all capabilities dropped,
 * limits on every container (the restricted Pod Security profile). Pure.
 */
import type * as k8s from "@pulumi/kubernetes";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { BACKUP_PINS, BACKUP_RESOURCES } from "./pins";
import { pruneArgs, rcloneEnv, type EnvVar, type S3Target, transferArgs, type Transfer } from "./rclone";
import { type BackupSource, pgDumpScript, SOURCE_DIR } from "./source";

export interface BackupJobSpec {
  /** The copy's name: the CronJob is `s3-backup-<name>`, the remote folder `<prefix>/<name>`. */
  readonly name: string;
  readonly namespace: string;
  /** Cron, UTC. */
  readonly schedule: string;
  readonly target: S3Target;
  readonly transfer: Transfer;
  readonly source: BackupSource;
  /** The Secret holding the two S3 keys. */
  readonly credentialsSecret: string;
}

export const jobName = (name: string) => `s3-backup-${name}`;

/** The backup pods' labels (their NetworkPolicies select them). */
export function backupLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": "s3-backup", "app.kubernetes.io/instance": name };
}

const HOSTNAME_TOPOLOGY = "kubernetes.io/hostname";

function container(name: string, uid: number, image: string, extra: Record<string, unknown>) {
  return {
    name,
    image,
    imagePullPolicy: "IfNotPresent",
    resources: name === "dump" ? BACKUP_RESOURCES.dump : BACKUP_RESOURCES.rclone,
    securityContext: { ...restrictedContainerSecurity(uid), readOnlyRootFilesystem: true },
    ...extra,
  };
}

function steps(spec: BackupJobSpec) {
  const { source } = spec;
  const env: EnvVar[] = rcloneEnv(spec.target, spec.credentialsSecret);
  const mounts = [
    { name: "source", mountPath: SOURCE_DIR, readOnly: source.kind === "claim" },
    { name: "tmp", mountPath: "/tmp" },
  ];
  const rclone = (name: string, args: string[], volumeMounts = mounts) =>
    container(name, source.uid, BACKUP_PINS.rcloneImage, { args, env, volumeMounts });
  const before =
    source.kind === "claim"
      ? source.requireFile
        ? // `lsf` of a missing path fails (directory not found): nothing is synced from an empty claim.
          [rclone("check", ["lsf", `${SOURCE_DIR}/${source.requireFile}`], mounts)]
        : []
      : [
          container("dump", source.uid, source.image, {
            command: ["/bin/sh", "-c", pgDumpScript(SOURCE_DIR)],
            env: [
              { name: "PGHOST", value: source.host },
              { name: "PGPORT", value: String(source.port) },
              { name: "PGUSER", value: source.user },
              { name: "PGDATABASE", value: source.database },
              {
                name: "PGPASSWORD",
                valueFrom: { secretKeyRef: { name: source.password.secret, key: source.password.key } },
              },
            ],
            volumeMounts: [{ name: "source", mountPath: SOURCE_DIR }],
          }),
        ];
  return {
    initContainers: [
      ...before,
      rclone("transfer", transferArgs(SOURCE_DIR, spec.target, spec.name, spec.transfer)),
    ],
    containers: [rclone("prune", pruneArgs(spec.target, spec.name, spec.transfer), [mounts[1]!])],
  };
}

export function backupCronJob(spec: BackupJobSpec): k8s.batch.v1.CronJobArgs {
  const { source } = spec;
  const labels = backupLabels(spec.name);
  const sourceVolume =
    source.kind === "claim"
      ? { name: "source", persistentVolumeClaim: { claimName: source.claimName, readOnly: true } }
      : { name: "source", emptyDir: { sizeLimit: "2Gi" } };
  const colocate = source.kind === "claim" ? source.colocateWith : undefined;
  return {
    metadata: { name: jobName(spec.name), namespace: spec.namespace, labels },
    spec: {
      schedule: spec.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      // A run missed by more than an hour waits for the next night.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          // A pod that cannot be placed (its indexer down) fails the run instead of waiting a day.
          activeDeadlineSeconds: 4 * 3600,
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: restrictedPodSecurity(source.uid),
              ...(colocate
                ? {
                    affinity: {
                      podAffinity: {
                        requiredDuringSchedulingIgnoredDuringExecution: [
                          { labelSelector: { matchLabels: { ...colocate } }, topologyKey: HOSTNAME_TOPOLOGY },
                        ],
                      },
                    },
                  }
                : {}),
              ...steps(spec),
              volumes: [sourceVolume, { name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
            },
          },
        },
      },
    },
  };
}
