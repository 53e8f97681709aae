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

export interface AptPackage {
  readonly name: string;
  readonly version: string;
}

/**
 * Docker Engine and the compose plugin from Docker's apt repository for Debian 12
 * (docs.docker.com/engine/install/debian): Debian 12's docker.io has no compose v2 plugin, and misp-docker's
 * compose file needs v2 (`depends_on.condition`). The key is accepted only with Docker's published
 * fingerprint 9DC8 5822 9FC7 DD38 854A E2D8 8D81 803C 0EBF CD88. The same versions as the Greenbone VM
 * (components/vuln/pins.ts; the lint rule keeps the response layer from importing the vuln layer), so the
 * lab runs one Docker release. Not checked against download.docker.com from here (no network): a version
 * the repository lacks stops the install at `apt-get install` with apt's own message.
 */
export const DOCKER_APT = {
  keyUrl: "https://download.docker.com/linux/debian/gpg",
  keyFingerprint: "9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
  keyring: "/etc/apt/keyrings/docker.gpg",
  sourceList: "/etc/apt/sources.list.d/docker.list",
  source: "https://download.docker.com/linux/debian bookworm stable",
} as const;

export const DOCKER_PACKAGES: readonly AptPackage[] = [
  { name: "docker-ce", version: "5:28.3.3-1~debian.12~bookworm" },
  { name: "docker-ce-cli", version: "5:28.3.3-1~debian.12~bookworm" },
  { name: "containerd.io", version: "1.7.27-1" },
  { name: "docker-compose-plugin", version: "2.39.1-1~debian.12~bookworm" },
];

/** Debian 12's gpg (reads the key's fingerprint before trusting it) and Python (runs fortress_misp.py). */
export const GPG_PACKAGE: AptPackage = { name: "gpg", version: "2.2.40-1.1+deb12u2" };
export const PYTHON_PACKAGE: AptPackage = { name: "python3", version: "3.11.2-1+b1" };
