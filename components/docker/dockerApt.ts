/**
 * Docker Engine and the compose plugin on a Fortress VM, for the VMs that run a vendor's compose file
 * (Greenbone, MISP): Docker's apt repository for Debian 12 (docs.docker.com/engine/install/debian),
 * because Debian 12's docker.io has no compose v2 plugin and both compose files need v2
 * (`depends_on.condition`). The repository key is accepted only when it holds exactly Docker's published
 * primary key; packages are pinned and held, one Docker release for the whole lab. The lines run inside
 * an install script that defines `$work` (a private temporary directory) and `place` (install a file
 * with mode and owner).
 */

export interface AptPackage {
  readonly name: string;
  readonly version: string;
}

/** Docker's apt repository for Debian 12 (docs.docker.com/engine/install/debian). */
export const DOCKER_APT = {
  keyUrl: "https://download.docker.com/linux/debian/gpg",
  keyFingerprint: "9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
  keyring: "/etc/apt/keyrings/docker.gpg",
  sourceList: "/etc/apt/sources.list.d/docker.list",
  source: "https://download.docker.com/linux/debian bookworm stable",
} as const;

export type DockerApt = { readonly [K in keyof typeof DOCKER_APT]: string };

/**
 * Versions as Docker's repository names them for bookworm (`<version>-1~debian.12~bookworm`, the
 * engine with epoch 5). Not checked against download.docker.com from here (no network): a version the
 * repository lacks stops the install at `apt-get install` with apt's own message.
 */
export const DOCKER_PACKAGES: readonly AptPackage[] = [
  { name: "docker-ce", version: "5:28.3.3-1~debian.12~bookworm" },
  { name: "docker-ce-cli", version: "5:28.3.3-1~debian.12~bookworm" },
  { name: "containerd.io", version: "1.7.27-1" },
  { name: "docker-compose-plugin", version: "2.39.1-1~debian.12~bookworm" },
];

/** Debian 12's gpg, to read the key's fingerprint before trusting it (the Wazuh manager pins the same). */
export const GPG_PACKAGE: AptPackage = { name: "gpg", version: "2.2.40-1.1+deb12u2" };
/** Debian 12's Python, which runs Fortress's stdlib-only API clients on these VMs. */
export const PYTHON_PACKAGE: AptPackage = { name: "python3", version: "3.11.2-1+b1" };

export const pinned = (packages: readonly AptPackage[]) =>
  packages.map((p) => `${p.name}=${p.version}`).join(" ");

/** Docker's repository, its key accepted only when it holds exactly the pinned primary key. */
export function dockerRepositoryLines(apt: DockerApt = DOCKER_APT): string[] {
  const { keyUrl, keyFingerprint, keyring, sourceList, source } = apt;
  return [
    `if ! command -v gpg >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq ${pinned([GPG_PACKAGE])} >/dev/null; fi`,
    `sudo apt-mark hold ${GPG_PACKAGE.name} >/dev/null`,
    `curl -sfL --retry 3 -o "$work/docker.key" '${keyUrl}'`,
    'mkdir -p "$work/gnupg" && chmod 0700 "$work/gnupg"',
    `fprs=$(GNUPGHOME="$work/gnupg" gpg --batch --show-keys --with-colons "$work/docker.key" 2>/dev/null | awk -F: '$1 == "pub" { primary = 1; next } $1 == "fpr" && primary { print $10; primary = 0 }')`,
    `if [ "$fprs" != '${keyFingerprint}' ]; then`,
    `  echo "the key from ${keyUrl} is not Docker's signing key ${keyFingerprint} (got: $fprs)" >&2`,
    "  exit 1",
    "fi",
    'GNUPGHOME="$work/gnupg" gpg --batch --yes --dearmor -o "$work/docker.gpg" "$work/docker.key"',
    `place "$work/docker.gpg" '${keyring}' 644 root root`,
    `echo 'deb [signed-by=${keyring}] ${source}' > "$work/docker.list"`,
    `place "$work/docker.list" '${sourceList}' 644 root root`,
  ];
}

/** Docker's packages and Python, pinned and held; apt runs only when one is missing or another version. */
export function dockerPackagesLines(): string[] {
  const all = [...DOCKER_PACKAGES, PYTHON_PACKAGE];
  return [
    "need_packages=''",
    ...all.map(
      (p) =>
        `[ "$(dpkg-query -W -f='\${Version} \${db:Status-Status}' ${p.name} 2>/dev/null || true)" = '${p.version} installed' ] || need_packages=yes`,
    ),
    'if [ -n "$need_packages" ]; then',
    "  sudo apt-get update -qq",
    `  sudo apt-get install -y -qq --allow-change-held-packages ${pinned(all)} >/dev/null`,
    "fi",
    `sudo apt-mark hold ${all.map((p) => p.name).join(" ")} >/dev/null`,
  ];
}
