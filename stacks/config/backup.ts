import { z } from "zod";
import { httpsEndpoint } from "./formats";

/**
 * Off-site backups of the cluster's state to S3-compatible storage (MinIO, Garage, Ceph RGW or a
 * cloud's): the keys are fortress:s3AccessKeyId and fortress:s3SecretAccessKey. The smb profile asks
 * for it; the others keep backups on a Proxmox storage (proxmox.backup) and may add it.
 */
export const backupSchema = z.strictObject({
  s3: z
    .strictObject({
      endpoint: httpsEndpoint("the S3-compatible storage", "https://minio.example.lan:9000"),
      bucket: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          "must be an S3 bucket name: 3-63 lower-case letters, digits, dots, dashes",
        ),
      region: z
        .string()
        .regex(/^[a-z0-9-]{1,32}$/, "must be a region such as us-east-1")
        .default("us-east-1"),
      /** Path-style addressing (https://host/bucket): what MinIO and most self-hosted stores need. */
      pathStyle: z.boolean().default(true),
      /** A key prefix under the bucket, so that one bucket can hold several labs. */
      prefix: z
        .string()
        .regex(/^[a-z0-9][a-z0-9/_-]{0,63}$/, "must be a short key prefix such as fortress/home")
        .default("fortress"),
    })
    .optional(),
});

export type BackupSettings = z.infer<typeof backupSchema>;
