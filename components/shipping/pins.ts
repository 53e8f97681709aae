/**
 * What the shipper installs, pinned, each with where the pin was read.
 *
 * Vector is not in Debian; its apt repository is Datadog's `apt.vector.dev`
 * (vectordotdev/vector@v0.57.0 website/content/en/highlights/2023-11-07-new-linux-repos.md, "Manual
 * step-by-step instructions": `deb [signed-by=/usr/share/keyrings/datadog-archive-keyring.gpg]
 * https://apt.vector.dev/ stable vector-0`, keys from keys.datadoghq.com; the setup script
 * setup.vector.dev the apt.md page points to does the same). Packages are `vector_<version>-1_<arch>.deb`
 * (website/content/en/docs/setup/installation/package-managers/dpkg.md at v0.57.0).
 */

/** One signing key: its file on keys.datadoghq.com and the fingerprint it must have. */
export interface SigningKey {
  readonly url: string;
  readonly fingerprint: string;
}

/**
 * The keys that may sign apt.vector.dev's metadata and packages: Datadog's DEB keys as Datadog lists
 * them ("Linux DEB packages and repo metadata", DataDog/documentation content/en/data_security/agent.md),
 * without A2923DFF…382E94DE, which expired in 2022. Packages since Vector 0.40.1 are signed with
 * C0962C7D (vectordotdev/vector website/cue/reference/releases/0.40.1.cue); 06462314 is the newer
 * key (expires 2033) the CURRENT file rotates to (DataDog/puppet-datadog-agent manifests/ubuntu_installer.pp
 * `apt_default_keys`). The floating DATADOG_APT_KEY_CURRENT.public is not used: every key is taken
 * by name and accepted only with its fingerprint.
 */
export const DATADOG_APT_KEYS: readonly SigningKey[] = [
  {
    url: "https://keys.datadoghq.com/DATADOG_APT_KEY_06462314.public",
    fingerprint: "D18886567EABAD8B2D2526900D826EB906462314",
  },
  {
    url: "https://keys.datadoghq.com/DATADOG_APT_KEY_C0962C7D.public",
    fingerprint: "5F1E256061D813B125E156E8E6266D4AC0962C7D",
  },
  {
    url: "https://keys.datadoghq.com/DATADOG_APT_KEY_F14F620E.public",
    fingerprint: "D75CEA17048B9ACBF186794B32637D44F14F620E",
  },
];

export const VECTOR_APT = {
  keys: DATADOG_APT_KEYS,
  keyring: "/usr/share/keyrings/datadog-archive-keyring.gpg",
  sourceList: "/etc/apt/sources.list.d/vector.list",
  source: "https://apt.vector.dev/ stable vector-0",
} as const;

/**
 * Vector 0.57.0 (tag v0.57.0, 2026-07-14, the newest release in vectordotdev/vector), package
 * revision 1 (dpkg.md). The configuration this component renders is checked against this version's
 * reference (vectorSchema.fixtures.ts).
 */
export const VECTOR_PACKAGE = { name: "vector", version: "0.57.0-1" } as const;

/** gpg, to check the keys' fingerprints: Debian 12's, the manager's pin (contract.test.ts keeps them equal). */
export const GPG_PACKAGE = { name: "gpg", version: "2.2.40-1.1+deb12u2" } as const;
