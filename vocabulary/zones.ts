/** The words of networks and zones that the lab model, the zone compiler and the door share. */

/** What a network is for; the zone compiler treats management and quarantine specially. */
export const NETWORK_PURPOSES = [
  "management",
  "servers",
  "sensors",
  "users",
  "iot",
  "guest",
  "quarantine",
] as const;

export type NetworkPurpose = (typeof NETWORK_PURPOSES)[number];

/** Destinations of the zone matrix that are not a network. */
export const ZONE_KEYWORDS = ["internet", "firewall", "any"] as const;
export type ZoneKeyword = (typeof ZONE_KEYWORDS)[number];

/** Longest network name a zoned lab may use: Proxmox security group names (`fz-<name>`) have at most 18 characters. */
export const MAX_ZONE_NAME_LENGTH = 15;
