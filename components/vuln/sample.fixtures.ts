/** Sample inputs of the vuln layer's tests: digests that are well-formed and obviously not real. */
import { GREENBONE_IMAGES, type GreenboneImageDigests } from "./pins";

export const SAMPLE_DIGESTS = Object.fromEntries(
  Object.keys(GREENBONE_IMAGES).map((name, index) => [
    name,
    `sha256:${index.toString(16).padStart(2, "0").repeat(32)}`,
  ]),
) as unknown as GreenboneImageDigests;
