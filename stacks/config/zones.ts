/**
 * `fortress:zones`: which network may open connections to which, with which services. A list of
 * entries; whatever no entry grants is dropped (by OPNsense between VLANs, and again by the Proxmox
 * firewall on each VM's NIC).
 *
 * ```yaml
 * fortress:zones:
 *   - { from: users, to: servers, services: [https] }
 *   - { from: iot, to: internet, services: [https, http] }
 *   - { from: mgmt, to: any, services: all }
 * ```
 *
 * - `from`: a declared network. Not a keyword: inbound from the internet is a port forward, not a
 *   zone entry; "from any" is what a default deny exists to prevent.
 * - `to`: a declared network, or
 *   - `internet`: everything outside the private ranges (RFC 1918) and the lab's networks;
 *   - `firewall`: the firewall's own address on the source VLAN (its gateway), e.g. for DNS and NTP;
 *   - `any`: every network but quarantine, and the internet; only from a management network.
 *     The firewall itself is reached only through `firewall` entries.
 * - `services`: names from components/network/services.ts (`https`, `ssh`, `dns`, `ntp`, `syslog`,
 *   `wazuh-agent`, …) or `all` (every protocol and port), which only a management network may use.
 *
 * An entry grants new connections in one direction; replies flow back by the firewall's state. A
 * network with no entry (quarantine) reaches nothing, and no entry may name a quarantine network:
 * the one flow out of quarantine, its agents' link to the Wazuh manager (1514/TCP to the manager's
 * address), is derived by Fortress (stacks/hostFlows.ts), as are the other zones' agent flows.
 * Same-VLAN traffic never crosses the firewall, so `from` and `to` differ. Each `from → to` pair
 * appears once. Passes into the management network are logged.
 */
import { z } from "zod";
import { isServiceName, SERVICE_NAMES } from "../../vocabulary/services";
import { MAX_ZONE_NAME_LENGTH, type NetworkPurpose, ZONE_KEYWORDS } from "../../vocabulary/zones";
import type { ConfigIssue } from "./errors";

/** What the zone checks read of a declared network (schema.ts's NetworkConfig has more). */
interface NetworkConfig {
  readonly name: string;
  readonly purpose: NetworkPurpose;
}

export const zoneEntrySchema = z.strictObject({
  from: z.string().min(1, "name the source network"),
  to: z.string().min(1, "name the destination: a network, internet, firewall or any"),
  services: z.union(
    [z.literal("all"), z.array(z.string().min(1)).min(1, "list at least one service, or remove the entry")],
    { error: 'must be "all" or a list of service names' },
  ),
});

export const zonesSchema = z.array(zoneEntrySchema).default([]);

export type ZoneConfig = z.infer<typeof zoneEntrySchema>;

const issue = (path: string, message: string, hint: string): ConfigIssue => ({ path, message, hint });

const isKeyword = (name: string): boolean => (ZONE_KEYWORDS as readonly string[]).includes(name);

function networkIssues(networks: readonly NetworkConfig[]): ConfigIssue[] {
  return networks.flatMap((network, index) => {
    const path = `networks[${index}].name`;
    const found: ConfigIssue[] = [];
    if (isKeyword(network.name)) {
      found.push(
        issue(
          path,
          `${network.name} is a zone keyword, so fortress:zones could not name this network`,
          `rename the network; ${ZONE_KEYWORDS.join(", ")} are reserved`,
        ),
      );
    }
    if (network.name.length > MAX_ZONE_NAME_LENGTH) {
      found.push(
        issue(
          path,
          `${network.name} is longer than ${MAX_ZONE_NAME_LENGTH} characters, too long for its firewall objects`,
          `shorten it: the Proxmox security group fz-<name> may have at most 18 characters`,
        ),
      );
    }
    return found;
  });
}

/** What every entry's checks look up: the declared networks, and their names for the hints. */
interface ZoneContext {
  readonly byName: ReadonlyMap<string, NetworkConfig>;
  readonly networkNames: string;
  readonly managementNames: string;
}

/** Chrony on the firewall is every VLAN's one time source: NTP goes to `firewall` only. */
function ntpIssues(entry: ZoneConfig, path: string): ConfigIssue[] {
  if (!Array.isArray(entry.services) || !entry.services.includes("ntp") || entry.to === "firewall") return [];
  return [
    issue(
      `${path}.services`,
      `NTP to ${entry.to} is not allowed: chrony on the firewall is the one time source of every VLAN`,
      `remove ntp here and add { from: ${entry.from}, to: firewall, services: [ntp] }`,
    ),
  ];
}

/** `from` is a declared network, and not the quarantine network. */
function fromIssues(entry: ZoneConfig, path: string, context: ZoneContext): ConfigIssue[] {
  const from = context.byName.get(entry.from);
  if (from?.purpose === "quarantine")
    return [
      issue(
        `${path}.from`,
        `${from.name} is the quarantine network: nothing may leave it`,
        "remove the entry; quarantined hosts reach nothing but the Wazuh manager's agent port, which Fortress opens itself",
      ),
    ];
  if (from) return [];
  if (entry.from === "internet")
    return [
      issue(
        `${path}.from`,
        "traffic from the internet is not a zone entry",
        "inbound from the internet needs a port forward, which Fortress does not make; use a declared network",
      ),
    ];
  if (isKeyword(entry.from))
    return [
      issue(
        `${path}.from`,
        `from must be a declared network, not ${entry.from}`,
        `use one of: ${context.networkNames}`,
      ),
    ];
  return [issue(`${path}.from`, `no network is named ${entry.from}`, `use one of: ${context.networkNames}`)];
}

/** `to` is a declared network or a keyword; not quarantine, not the source, `any` only from management. */
function toIssues(entry: ZoneConfig, path: string, context: ZoneContext): ConfigIssue[] {
  const from = context.byName.get(entry.from);
  const to = context.byName.get(entry.to);
  if (!to && !isKeyword(entry.to))
    return [
      issue(
        `${path}.to`,
        `no network is named ${entry.to}`,
        `use one of: ${context.networkNames}, or ${ZONE_KEYWORDS.join(", ")}`,
      ),
    ];
  if (to?.purpose === "quarantine")
    return [
      issue(
        `${path}.to`,
        `${to.name} is the quarantine network: nothing may enter it`,
        "remove the entry; the response layer isolates hosts there, and no zone may reach them",
      ),
    ];
  if (from && to === from)
    return [
      issue(
        `${path}.to`,
        `${entry.to} is also the source: traffic inside one VLAN never crosses the firewall`,
        "remove the entry or name another network",
      ),
    ];
  if (from && entry.to === "any" && from.purpose !== "management")
    return [
      issue(
        `${path}.to`,
        `only a management network may reach any; ${from.name} is a ${from.purpose} network`,
        "name the networks it may reach, one entry each, or use internet",
      ),
    ];
  return [];
}

/** `all` only from a management network; otherwise known service names, each once. */
function serviceIssues(entry: ZoneConfig, path: string, context: ZoneContext): ConfigIssue[] {
  const from = context.byName.get(entry.from);
  const services = entry.services;
  if (services === "all") {
    if (!from || from.purpose === "management") return [];
    return [
      issue(
        `${path}.services`,
        `services: all is only for a management network (${context.managementNames}); ${from.name} is a ${from.purpose} network`,
        `list the services it needs, e.g. [https]; known: ${SERVICE_NAMES.join(", ")}`,
      ),
    ];
  }
  return services.flatMap((service, serviceIndex) => {
    const servicePath = `${path}.services[${serviceIndex}]`;
    const first = services.indexOf(service);
    if (!isServiceName(service))
      return [
        issue(servicePath, `${service} is not a known service`, `use one of: ${SERVICE_NAMES.join(", ")}`),
      ];
    if (first !== serviceIndex)
      return [
        issue(servicePath, `${service} is already listed at services[${first}]`, "list each service once"),
      ];
    return [];
  });
}

/** Each `from → to` pair once: the second entry for a pair is reported against the first. */
function duplicatePairIssues(zones: readonly ZoneConfig[]): ConfigIssue[] {
  const firstPair = new Map<string, number>();
  return zones.flatMap((entry, index) => {
    const pair = `${entry.from} → ${entry.to}`;
    const earlier = firstPair.get(pair);
    if (earlier === undefined) {
      firstPair.set(pair, index);
      return [];
    }
    return [
      issue(
        `zones[${index}]`,
        `${pair} is already granted by zones[${earlier}]`,
        `merge its services into zones[${earlier}]`,
      ),
    ];
  });
}

/** Semantic checks of the zone matrix against the declared networks. Every issue has a path and a hint. */
export function checkZones(zones: readonly ZoneConfig[], networks: readonly NetworkConfig[]): ConfigIssue[] {
  const context: ZoneContext = {
    byName: new Map(networks.map((network) => [network.name, network])),
    networkNames: networks.map((network) => network.name).join(", "),
    managementNames:
      networks
        .filter((network) => network.purpose === "management")
        .map((network) => network.name)
        .join(", ") || "none declared",
  };
  const duplicates = duplicatePairIssues(zones);
  const entryIssues = zones.flatMap((entry, index) => {
    const path = `zones[${index}]`;
    return [
      ...ntpIssues(entry, path),
      ...fromIssues(entry, path, context),
      ...toIssues(entry, path, context),
      ...serviceIssues(entry, path, context),
      ...duplicates.filter((duplicate) => duplicate.path === path),
    ];
  });
  return [...networkIssues(networks), ...entryIssues];
}
