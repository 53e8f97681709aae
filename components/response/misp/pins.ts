/**
 * What the MISP VM runs, pinned in one place.
 *
 * Images: the services of misp-docker's compose file (MISP/misp-docker@6d915d5:docker-compose.yml) that
 * Fortress keeps: misp-core, misp-modules, db (MariaDB), redis (Valkey). No mail relay (MISP's e-mail is
 * off unless a relay is configured) and no misp-guard (a compose profile, off upstream too).
 * - misp-core and misp-modules at the versioned tags misp-docker publishes for its release
 *   (template.env CORE_TAG=v2.5.42, MODULES_TAG=v3.0.8; docker-bake.hcl tags `<tag>` on
 *   ghcr.io/misp/misp-docker/misp-core and misp-modules), never upstream's default `latest`;
 * - MariaDB at the exact patch release behind upstream's `mariadb:10.11` (docker-library/official-images
 *   @37079fb:library/mariadb "Tags: 10.11.18-jammy, 10.11-jammy, 10-jammy, 10.11.18, 10.11, 10");
 * - Valkey at the exact patch release behind upstream's `valkey/valkey:7.2`
 *   (valkey-io/valkey-container@ae6141e:versions.json `"7.2": "7.2.8"`).
 * A tag can be re-pushed, so the stack may also give a `sha256:` digest per image (`imageDigests`,
 * from the stack's configuration); the compose file then names `<repository>:<tag>@<digest>` and
 * Docker refuses any other content. No public source that can be cited lists these digests, so
 * Fortress carries none of its own.
 */
export interface MispImage {
  readonly repository: string;
  readonly tag: string;
}

export const MISP_IMAGES = {
  "misp-core": { repository: "ghcr.io/misp/misp-docker/misp-core", tag: "v2.5.42" },
  "misp-modules": { repository: "ghcr.io/misp/misp-docker/misp-modules", tag: "v3.0.8" },
  mariadb: { repository: "mariadb", tag: "10.11.18" },
  valkey: { repository: "valkey/valkey", tag: "7.2.8" },
} as const satisfies Record<string, MispImage>;

export type MispImageName = keyof typeof MISP_IMAGES;
/** Optional `sha256:<64 hex>` per image (any subset). */
export type MispImageDigests = Readonly<Partial<Record<MispImageName, string>>>;

export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A tag that names one release: never `latest` or a bare major/minor line. */
export const EXACT_TAG = /^v?\d+\.\d+\.\d+$/;

/** The problems of a digest table: unknown images or malformed digests (empty when usable). */
export function digestProblems(digests: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [name, digest] of Object.entries(digests)) {
    if (!(name in MISP_IMAGES)) problems.push(`${name}: not an image of the MISP compose file`);
    else if (typeof digest !== "string" || !IMAGE_DIGEST.test(digest))
      problems.push(`${name}: not sha256:<64 hex>`);
  }
  return problems;
}

/** `<repository>:<tag>` or, with a digest, `<repository>:<tag>@sha256:…`. */
export function imageReference(name: MispImageName, digests: MispImageDigests = {}): string {
  const { repository, tag } = MISP_IMAGES[name];
  const digest = digests[name];
  return digest === undefined ? `${repository}:${tag}` : `${repository}:${tag}@${digest}`;
}

/** Docker on the VM: the shared block (components/docker/dockerApt.ts), one release for the lab. */
export {
  type AptPackage,
  DOCKER_APT,
  DOCKER_PACKAGES,
  GPG_PACKAGE,
  PYTHON_PACKAGE,
} from "../../docker/dockerApt";
