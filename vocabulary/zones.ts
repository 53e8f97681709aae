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

/**
 * The services a host flow may carry out of a quarantine network (and nothing else leaves one): the
 * Wazuh agent's connection to the manager, 1514/TCP, so that a contained host still reports, as
 * endpoint products keep their agent link when they isolate a host. Not enrollment (1515): a
 * quarantined agent is already enrolled. The zone compiler and the policy pack both read it.
 */
export const QUARANTINE_FLOW_SERVICES: readonly string[] = ["wazuh-agent-events"];
