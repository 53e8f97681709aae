/**
 * What the Zeek sensor installs, pinned.
 *
 * Zeek's own binary packages come from the openSUSE Build Service project `security:zeek` (Debian 12
 * has no Zeek: research/next-layers.md §4). Zeek's wiki (zeek/zeek wiki "Binary Packages") names the
 * packages of a release train `<ver>`: `zeek-<ver>-core` (Zeek and its scripts) and `zeekctl-<ver>`
 * (ZeekControl); the `zeek-<ver>` meta-package would add the development, btest and zkg packages a
 * sensor does not need. 8.0 is the LTS train (docs.zeek.org v8.0.8 / install.rst).
 *
 * The version: 8.0.11-0, as published in security:zeek/Debian_12 (`zeek-8.0-core_8.0.11-0_amd64.deb`,
 * recorded on 2026-11-04 with its sha256 by halilozturkci/dfirswarm's pinned-download release). OBS keeps
 * only the latest build of a package: when 8.0.12 is published, `apt-get install zeek-8.0-core=8.0.11-0`
 * fails loudly ("Version … was not found") instead of installing something else; raise the pin then.
 */
export const ZEEK_PACKAGES = [
  { name: "zeek-8.0-core", version: "8.0.11-0" },
  { name: "zeekctl-8.0", version: "8.0.11-0" },
] as const;

export const ZEEK_APT = {
  keyUrl: "https://download.opensuse.org/repositories/security:zeek/Debian_12/Release.key",
  /**
   * The key OBS signs security:zeek with is the parent project's, "security OBS Project
   * <security@build.opensuse.org>", AAF3EB044C49C402A9E7B9AE69D1B2AAEE3D166A: quoted in full by rpm's
   * signature check on security:zeek packages (zeek/zeek issue #3851), its key id 69D1B2AAEE3D166A by
   * apt on security:/zeek/Raspbian_11 (KasperskyLab/TinyCheck issue #134). Its expiry is extended in
   * place by OBS (same fingerprint); the install script accepts the downloaded key only with it.
   */
  keyFingerprint: "AAF3EB044C49C402A9E7B9AE69D1B2AAEE3D166A",
  keyring: "/usr/share/keyrings/security-zeek.gpg",
  sourceList: "/etc/apt/sources.list.d/security-zeek.list",
  source: "http://download.opensuse.org/repositories/security:/zeek/Debian_12/ /",
} as const;

/** Where the OBS packages install Zeek (debian.zeekctl-8.0.dirs: opt/zeek/bin, etc, spool, logs). */
export const ZEEK_PREFIX = "/opt/zeek";
