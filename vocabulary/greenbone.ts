/**
 * The images of Greenbone's compose file, by the key `fortress:vuln.imageDigests` uses (each
 * repository's last part): here so that the door checks a digest table before anything is registered.
 * components/vuln/pins.ts pins each one (a test holds the two lists equal).
 */
export const GREENBONE_IMAGE_NAMES = [
  "vulnerability-tests",
  "notus-data",
  "scap-data",
  "cert-bund-data",
  "dfn-cert-data",
  "data-objects",
  "report-formats",
  "gpg-data",
  "redis-server",
  "pg-gvm",
  "pg-gvm-migrator",
  "gvmd",
  "gsa",
  "gsad",
  "gvm-config",
  "nginx",
  "openvas-scanner",
  "ospd-openvas",
  "gvm-tools",
] as const;

export type GreenboneImageKey = (typeof GREENBONE_IMAGE_NAMES)[number];

/** A digest as the registry gives it and compose pins it. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
