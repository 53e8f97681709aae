/**
 * The names `fortress:response.misp` uses, here so that the door checks them before anything is
 * registered: the feeds Fortress can enable (components/response/misp/feeds.ts FEED_CATALOG) and the
 * images of the MISP VM's compose file (components/response/misp/pins.ts MISP_IMAGES). A test holds
 * each list equal to the component's table.
 */
export const MISP_FEED_NAMES = [
  "circl-osint",
  "botvrij-osint",
  "abusech-threatfox",
  "abusech-malwarebazaar",
  "abusech-urlhaus",
] as const;

export const MISP_IMAGE_NAMES = ["misp-core", "misp-modules", "mariadb", "valkey"] as const;
