/**
 * What the central ClamAV runs, and how much of the node it may take.
 *
 * Image: `clamav/clamav:1.4.5_base`, the official image (Alpine) of the 1.4 LTS feature release, without
 * signatures baked in (the databases live on the volume freshclam keeps). Read at
 * Cisco-Talos/clamav-docker@ba18a8c:clamav/1.4/alpine/{Dockerfile,Jenkinsfile,scripts/*}:
 * - the image has no `USER`: its entrypoint `/init` starts freshclam and clamd as root and lets them drop
 *   to `clamav` (`adduser -S ... -u 100 clamav`, home /var/lib/clamav); it also `exec`s any other
 *   command given as the first argument (`command -v "$1"`), so the pod runs `clamd` and `freshclam`
 *   directly, as uid 100 from the first instruction, and the root entrypoint never runs;
 * - everything clamd and freshclam write is the database directory, a temporary directory and the log;
 *   Fortress gives them a volume, an emptyDir and stdout, so the root file system is read-only;
 * - tags `X.Y.Z_base` are pushed by the Jenkinsfile (`${FULL_VERSION}_base`) for image name `clamav`.
 * 1.4 rather than 1.5: the same feature release as Debian 12's clamav 1.4.6 (bookworm-security), which the
 * agents' clamdscan and the tests' clamconf/clamd/clamscan are, so what the tests accept is what runs.
 */
import type { ContainerResources } from "../../kubernetes/resources";

export const CLAMAV_IMAGE = "docker.io/clamav/clamav:1.4.5_base";

/** The `clamav` user of the Alpine image (`adduser -S -u 100`). */
export const CLAMAV_UID = 100;

/** clamd's TCP port, as the image's clamd.conf and `EXPOSE 3310` set it. */
export const CLAMD_PORT = 3310;

/**
 * research/next-layers.md §0.3 and §10: clamd holds ~1.2 GB of signatures, and ~2.4 GB while a
 * concurrent reload builds a second engine. `ConcurrentDatabaseReload no` (clamd.conf) frees the old
 * engine first, so the limit needs the resident size and headroom for scans, not the doubled peak.
 * freshclam with `TestDatabases no` does not load the databases itself (freshclam.conf.sample:
 * "This feature uses a lot of RAM"), so it stays small.
 */
export const CLAMAV_RESOURCES: Readonly<Record<"clamd" | "freshclam", ContainerResources>> = {
  clamd: { requests: { cpu: "250m", memory: "1280Mi" }, limits: { cpu: "1", memory: "1792Mi" } },
  freshclam: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
};

/** Signatures plus one download in flight and freshclam's temporary files. */
export const DATABASE_VOLUME_SIZE = "2Gi";

/**
 * Debian 12's clamdscan on the agents (client only: no daemon, no signatures), pinned and held:
 * `apt-cache policy clamdscan` on bookworm, from bookworm-security (the 1.4 feature release the
 * central clamd's image runs).
 */
export const CLAMDSCAN_DEB_VERSION = "1.4.6+dfsg-0+deb12u1";
/** Seconds a scan may take before fortress-clamdscan reports it as a clamd error (52503). */
export const AGENT_SCAN_TIMEOUT_SECONDS = 120;
/** clamd's StreamMaxLength (config.ts, 100M): larger files are reported (52504), not sent. */
export const AGENT_MAX_STREAM_BYTES = 100 * 1024 * 1024;
