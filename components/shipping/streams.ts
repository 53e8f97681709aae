/**
 * The streams Vector ships from the sensor and vulnerability VMs, one index per day each
 * (`fortress-<stream>-%Y.%m.%d`): Zeek's logs, the firewall's NetFlow, Greenbone's reports. The
 * SIEM's fortress_vector role may write these indices and nothing else, and its ISM policy ages them
 * out with Wazuh's events (components/siem/securityConfig.ts, retention.ts read this list).
 */
export const SHIPPED_STREAMS = ["zeek", "netflow", "greenbone"] as const;
export type ShippedStream = (typeof SHIPPED_STREAMS)[number];

/** The index prefix of a shipped stream (the daily suffix is the shipper's). */
export const shippedIndex = (stream: ShippedStream) => `fortress-${stream}` as const;

/** The index patterns of all shipped streams. */
export const SHIPPED_INDICES = SHIPPED_STREAMS.map((stream) => `${shippedIndex(stream)}-*` as const);

/**
 * The syslog the monitoring layer's Vector aggregator receives (OPNsense, the hosts), one index per day
 * (`fortress-syslog-%Y.%m.%d`), written by its own user (the SIEM's fortress_syslog role), aged out
 * with the shipped streams.
 */
export const SYSLOG_INDEX = "fortress-syslog" as const;
export const SYSLOG_INDICES = [`${SYSLOG_INDEX}-*`] as const;
