/**
 * What the backup jobs run. rclone 1.75.0 (2026-07-31, rclone/rclone@v1.75.0:docs/content/changelog.md):
 * its release workflow pushes the Docker Hub image `rclone/rclone:<version>` for each tag
 * (rclone/rclone@v1.75.0:.github/workflows/build_publish_docker_image.yml, `type=semver,pattern={{version}}`).
 * No digest is pinned: none is published beside the tag. The image's own user is `rclone`, uid 1009
 * (rclone/rclone@v1.75.0:Dockerfile `adduser -u 1009`), its entrypoint `rclone`.
 */
import type { ContainerResources } from "../kubernetes/resources";

export const BACKUP_PINS = {
  rcloneImage: "docker.io/rclone/rclone:1.75.0",
} as const;

/** The rclone image's user (Dockerfile `addgroup -g 1009 rclone && adduser -u 1009`). */
export const RCLONE_UID = 1009;

/** rclone streams: a few buffers per transfer; pg_dump of Keycloak's database is small. */
export const BACKUP_RESOURCES: Readonly<Record<"rclone" | "dump", ContainerResources>> = {
  rclone: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  dump: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
};
