/**
 * Containment on the firewall (issue 14, "Containment"): the quarantine alias and the rules that cut a
 * contained host off, compiled per VLAN interface when the `quarantine` service is on. Pure.
 *
 * The alias is of type `external`: Fortress creates it empty and never writes its content; the
 * containment action fills only its pf table (`POST /api/firewall/alias_util/add/fz_quarantine`). For
 * an alias of type host or network, `alias_util/add` and `delete` also rewrite the alias's `content`
 * in config.xml (opnsense/core@26.7.2 src/opnsense/mvc/app/controllers/OPNsense/Firewall/Api/
 * AliasUtilController.php `addAction`/`deleteAction`: `in_array($cnfAlias->type, ['host','network'])`),
 * which the next `pulumi up` would see as drift and revert, releasing every contained host. On any
 * other type they only run `filter add table` / `filter delete table` (pfctl), and `external` is the
 * type whose table OPNsense leaves to others ("External (advanced)", models/OPNsense/Firewall/Alias.xml;
 * scripts/filter/lib/alias/__init__.py skips resolving it).
 *
 * Per VLAN interface, right after the anti-lockout (sequences 1..n, on the management interface; its
 * source is the management network, which the containment's allow-list never lets into the table, so
 * it cannot open anything for a contained host), at `vlan × 200 + 1…`:
 *   1. a pass from the contained hosts to the Wazuh manager's address on 1514/TCP (`wazuh-agent-events`),
 *      logged, so a contained host still reports and still receives active responses; not on the
 *      manager's own interface (same-VLAN traffic never crosses the firewall);
 *   2. a logged block from the contained hosts to anything, IPv4 and IPv6;
 *   3. a logged block from anything to the contained hosts (inbound on the other interfaces: nothing
 *      opens a new connection to a contained host).
 * With the vuln layer's scanner (its scan flows from this interface), between 1 and 2: a logged pass
 * from the scanner's one address to the contained hosts, every protocol, so that the rescan after a
 * containment finds the host alive instead of dead behind the blocks. It opens nothing from a
 * contained host: the host's answers match the state the scanner's connection made (OPNsense sets no
 * `state-policy if-bound` unless configured, so pf's states float across interfaces:
 * opnsense/core@26.7.2 src/etc/inc/filter.inc line 352), and its own connections still meet block 2.
 * They come before every pass of the zone matrix, the derived flows and the scan flows of their
 * interface, so no entry can open anything for a contained host, whatever it grants.
 */
import { cidrContainsHost, parseCidr } from "../../vocabulary/addresses";
import { QUARANTINE_FLOW_SERVICES } from "../../vocabulary/zones";
import {
  isServiceName,
  type ServiceMatch,
  type ServiceName,
  serviceMatches,
} from "../../vocabulary/services";
import type { AliasSpec, QuarantineInput, RuleSpec, ZoneNetwork } from "./types";

/** The pf table (and alias) of contained hosts: the one name the firewall, the action and the playbooks share. */
export const QUARANTINE_ALIAS = "fz_quarantine";

/** The Wazuh manager a contained host still reports to, resolved. */
export interface ResolvedQuarantine {
  readonly reportsTo?: { readonly host: string; readonly address: string; readonly network: ZoneNetwork };
  readonly services: readonly ServiceName[];
}

export function quarantineAlias(): AliasSpec {
  return {
    enabled: true,
    name: QUARANTINE_ALIAS,
    type: "external",
    content: [],
    description:
      "Fortress: contained hosts (pf table only, filled by fortress-contain through alias_util; never in config)",
  };
}

/** What the Network component records of the quarantine for the policy pack (nothing while it is off). */
export function quarantineRecord(input: QuarantineInput | undefined): {
  quarantine?: { alias: string; reportsTo?: NonNullable<QuarantineInput["reportsTo"]> };
} {
  if (!input) return {};
  return {
    quarantine: { alias: QUARANTINE_ALIAS, ...(input.reportsTo ? { reportsTo: input.reportsTo } : {}) },
  };
}

/** Checks the manager's record against the networks; a bad one is a caller's bug, so it throws. */
export function resolveQuarantine(
  input: QuarantineInput,
  byName: ReadonlyMap<string, ZoneNetwork>,
): ResolvedQuarantine {
  const services = QUARANTINE_FLOW_SERVICES.map((name) => {
    if (!isServiceName(name)) throw new Error(`zone compiler: quarantine: unknown service ${name}`);
    return name;
  });
  if (!input.reportsTo) return { services };
  const { host, address, network: name } = input.reportsTo;
  const fail = (message: string) => new Error(`zone compiler: quarantine.reportsTo: ${message}`);
  const network = byName.get(name);
  if (!network) throw fail(`unknown network ${name}`);
  if (network.purpose === "quarantine") throw fail("the manager cannot sit in a quarantine network");
  const cidr = parseCidr(network.cidr);
  if (!cidr || !cidrContainsHost(cidr, address) || address === network.gateway) {
    throw fail(`${address} is not a host address of ${network.name} (${network.cidr})`);
  }
  return { reportsTo: { host, address, network }, services };
}

type RuleBody = Omit<RuleSpec, "sequence">;

const RULE = {
  enabled: true,
  quick: true,
  direction: "in",
  source_not: false,
  destination_not: false,
} as const;

/** How the compiler writes a service match into a rule: its protocol, port alias and label. */
export type MatchWriter = (match: ServiceMatch) => Pick<RuleSpec, "protocol" | "destination_port"> & {
  readonly label: string;
};

/** A scanner on the interface: its VM's name and its one address (a scan flow's source). */
export interface QuarantineScanner {
  readonly host: string;
  readonly address: string;
}

/** The quarantine rules of one interface, in order (see the module comment). */
export function quarantineRules(
  network: ZoneNetwork,
  quarantine: ResolvedQuarantine,
  write: MatchWriter,
  scanners: readonly QuarantineScanner[] = [],
): RuleBody[] {
  const where = `fortress quarantine: ${network.name}`;
  const reports = quarantine.reportsTo;
  const passes: RuleBody[] =
    reports && reports.network !== network
      ? quarantine.services.flatMap(serviceMatches).map((match): RuleBody => {
          const { label, ...written } = write(match);
          return {
            ...RULE,
            action: "pass",
            interface: network.interface,
            ipprotocol: "inet",
            ...written,
            source_net: QUARANTINE_ALIAS,
            destination_net: reports.address,
            log: true,
            description: `${where} contained hosts → ${reports.host} ${reports.address} (${label})`,
          };
        })
      : [];
  const block = (source: string, destination: string, what: string): RuleBody => ({
    ...RULE,
    action: "block",
    interface: network.interface,
    ipprotocol: "inet46",
    protocol: "any",
    source_net: source,
    destination_net: destination,
    destination_port: "",
    log: true,
    description: `${where} ${what}`,
  });
  const seen = new Set<string>();
  const rescans = scanners
    .filter((scanner) => !seen.has(scanner.address) && seen.add(scanner.address) !== undefined)
    .map((scanner): RuleBody => ({
      ...RULE,
      action: "pass",
      interface: network.interface,
      ipprotocol: "inet",
      protocol: "any",
      source_net: scanner.address,
      destination_net: QUARANTINE_ALIAS,
      destination_port: "",
      log: true,
      description: `${where} scanner ${scanner.host} ${scanner.address} → contained hosts (rescan)`,
    }));
  return [
    ...passes,
    ...rescans,
    block(QUARANTINE_ALIAS, "any", "contained hosts → anything blocked"),
    block("any", QUARANTINE_ALIAS, "anything → contained hosts blocked"),
  ];
}
