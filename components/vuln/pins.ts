/**
 * What the Greenbone VM runs, pinned in one place.
 *
 * Images: the services of Greenbone's own compose file (greenbone/docs@edf6cb7d:src/_static/compose.yaml,
 * project `greenbone-community-edition`), all from registry.community.greenbone.net/community/, whose
 * tags float (`stable`, `latest`, none). No public source that can be cited lists their digests (a search
 * of public code for `registry.community.greenbone.net/community/…@sha256:` finds none), so Fortress
 * carries no digest in code. Pinned on first install, moved only on purpose:
 * - the compose file names every image as `<repository>@${FORTRESS_DIGEST_<KEY>:?…}` (compose.ts), and
 *   the project's `.env` (root-only, beside compose.yaml) holds the digests (imagePins.ts);
 * - with the stack's `fortress:vuln.imageDigests` (the component's `imageDigests`; on a machine with
 *   network, `scripts/greenbone-digests.sh` prints it), every install writes `.env` from that table:
 *   a changed table moves the pins;
 * - without it, the FIRST install pulls each `<repository>:<tag>` below on the VM, reads the digest
 *   Docker recorded, and writes `.env`; later installs keep the recorded `.env` and never resolve again.
 *   `fortress-greenbone-pin --refresh` on the VM resolves the tags anew and restarts what changed: the only
 *   way the feed data images (vulnerability-tests, scap-data, …) are updated;
 * - the install prints the digests it uses (`greenbone-pin <key> sha256:…`), and the component exposes
 *   them as `pinnedDigests`, to copy into `fortress:vuln.imageDigests` and reproduce the pins elsewhere.
 *
 * Docker Engine and the compose plugin: Greenbone's prerequisites send users to Docker's own
 * installation guide (greenbone/docs src/22.4/container/prerequisites.md); Debian 12's docker.io
 * has no compose v2 plugin (only the Python docker-compose 1.29), and the compose file needs v2
 * (`depends_on.condition: service_completed_successfully`, `deploy.restart_policy`). So Docker's apt
 * repository, its key accepted only with Docker's published fingerprint
 * 9DC8 5822 9FC7 DD38 854A E2D8 8D81 803C 0EBF CD88 ("Docker Release (CE deb)"), packages pinned
 * and held.
 */

/** One compose service's image: the repository and the tag Greenbone's compose file names. */
export interface GreenboneImage {
  readonly repository: string;
  /** The tag the upstream compose file uses ("latest" where it names none). */
  readonly tag: string;
}

export const GREENBONE_REGISTRY = "registry.community.greenbone.net/community";
/** The feed release the data containers serve (compose.yaml FEED_RELEASE). */
export const FEED_RELEASE = "24.10";

const image = (name: string, tag = "latest"): GreenboneImage => ({
  repository: `${GREENBONE_REGISTRY}/${name}`,
  tag,
});

/** Every image of the compose file, keyed by its repository's last part (the key of `imageDigests`). */
export const GREENBONE_IMAGES = {
  "vulnerability-tests": image("vulnerability-tests"),
  "notus-data": image("notus-data"),
  "scap-data": image("scap-data"),
  "cert-bund-data": image("cert-bund-data"),
  "dfn-cert-data": image("dfn-cert-data"),
  "data-objects": image("data-objects"),
  "report-formats": image("report-formats"),
  "gpg-data": image("gpg-data"),
  "redis-server": image("redis-server"),
  "pg-gvm": image("pg-gvm", "stable"),
  "pg-gvm-migrator": image("pg-gvm-migrator", "stable"),
  gvmd: image("gvmd", "stable"),
  gsa: image("gsa", "stable-slim"),
  gsad: image("gsad", "stable"),
  "gvm-config": image("gvm-config"),
  nginx: image("nginx"),
  "openvas-scanner": image("openvas-scanner", "stable"),
  "ospd-openvas": image("ospd-openvas", "stable"),
  "gvm-tools": image("gvm-tools"),
} as const satisfies Record<string, GreenboneImage>;

export type GreenboneImageName = keyof typeof GREENBONE_IMAGES;
/** `sha256:<64 hex>` for every image: what scripts/greenbone-digests.sh prints. */
export type GreenboneImageDigests = Readonly<Record<GreenboneImageName, string>>;

export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The `.env` variable holding an image's digest: `FORTRESS_DIGEST_<KEY>` (compose's `[_a-z][_a-z0-9]*`). */
export function digestVariable(name: GreenboneImageName): string {
  return `FORTRESS_DIGEST_${name.toUpperCase().replace(/-/g, "_")}`;
}

/** The problems of a digest table: missing, unknown or malformed entries (empty when usable). */
export function digestProblems(digests: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(GREENBONE_IMAGES)) {
    const digest = digests[name];
    if (typeof digest !== "string" || !IMAGE_DIGEST.test(digest))
      problems.push(`${name}: ${digest === undefined ? "no digest" : "not sha256:<64 hex>"}`);
  }
  for (const name of Object.keys(digests))
    if (!(name in GREENBONE_IMAGES)) problems.push(`${name}: not an image of the compose file`);
  return problems;
}

/** Docker on the VM: the shared block (components/docker/dockerApt.ts), one release for the lab. */
export {
  type AptPackage,
  DOCKER_APT,
  DOCKER_PACKAGES,
  GPG_PACKAGE,
  PYTHON_PACKAGE,
} from "../docker/dockerApt";
