/**
 * The firewall's own API for the lab hosts that call it (issue 14, "Containment"). The containment
 * action runs on the Wazuh manager (servers network) and calls OPNsense's `firewall/alias_util/add`
 * and `diagnostics/firewall/kill_states`; the API and web UI answer to management alone, because the
 * zone compiler writes, on every other VLAN interface with a pass beyond the firewall, a logged block
 * to `(self)` (all of the firewall's addresses) ahead of those passes (zoneRules.ts, step 3). Pure.
 *
 * A client gets one pass on its network's interface, right after the zone's passes to its own gateway
 * and before that block: from the client's one address (never its network), to the API's address
 * (the host of `fortress:opnsense.url`), TCP, the URL's port alone, IPv4, quick, logged. It comes after
 * the containment rules (quarantine.ts, first after the anti-lockout): a client is the Wazuh manager,
 * which the containment's allow-list never lets into `fz_quarantine`, so those blocks never apply to it.
 *
 * The API answers on that address from any interface: with no "Listen interfaces" set (the default),
 * the web GUI's lighttpd binds 0.0.0.0 and :: (opnsense/core@26.7.2 src/etc/inc/plugins.inc.d/webgui.inc
 * `webgui_configure_do`), so pf's rules are what keeps it to management, and this pass what opens it.
 *
 * OPNsense's order is the one the compiler already follows (policies/lib/opnsenseOrder.ts): rules of
 * one interface sort by sequence within the same priority group, and a quick rule ends the evaluation
 * at its first match, so the pass decides before the block to `(self)` is reached.
 *
 * The Proxmox side needs nothing: a VM's firewall filters inbound traffic only (security groups of
 * `type: "in"`, options `outputPolicy: "ACCEPT"`: components/hypervisor/hypervisor.ts `guardVm`), and
 * the API's replies belong to the connection the VM opened.
 */
import { cidrContainsHost, isIpv4, parseCidr } from "../../vocabulary/addresses";
import type { FirewallApiClient, FirewallApiEndpoint, RuleSpec, ZoneNetwork, ZonePolicyInput } from "./types";

/** The protocol of the API's pass: HTTPS (or HTTP) is TCP. */
export const FIREWALL_API_PROTOCOL = "TCP";

/**
 * Where the firewall's API answers, from `fortress:opnsense.url`: its host when it is an IPv4 address,
 * and its port (443 for https when none is written, 80 for http). Undefined for a host name: a filter
 * rule needs the address, which the plan cannot resolve.
 */
export function firewallApiEndpoint(url: string): FirewallApiEndpoint | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!isIpv4(parsed.hostname)) return undefined;
  const port = parsed.port !== "" ? Number(parsed.port) : parsed.protocol === "http:" ? 80 : 443;
  return { address: parsed.hostname, port };
}

/** A client, its network looked up. */
export interface ResolvedFirewallApiClient {
  readonly from: ZoneNetwork;
  readonly host: string;
  readonly address: string;
  readonly why: string;
}

/**
 * Clients are derived by Fortress (stacks/hostFlows.ts), never written by the admin: a bad one is a
 * caller's bug, so it throws. Each is one host address of a declared network other than quarantine
 * (nothing leaves one but the agent link), granted once.
 */
export function resolveFirewallApiClients(
  clients: readonly FirewallApiClient[],
  endpoint: FirewallApiEndpoint | undefined,
  byName: ReadonlyMap<string, ZoneNetwork>,
): ResolvedFirewallApiClient[] {
  if (clients.length === 0) return [];
  if (!endpoint) throw new Error("zone compiler: firewallApiClients without the firewall's API endpoint");
  if (!isIpv4(endpoint.address))
    throw new Error(`zone compiler: firewallApi: ${endpoint.address} is not an IPv4 address`);
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65_535)
    throw new Error(`zone compiler: firewallApi: ${endpoint.port} is not a TCP port`);
  const seen = new Set<string>();
  return clients.map((client, index) => {
    const fail = (message: string) => new Error(`zone compiler: firewallApiClients[${index}]: ${message}`);
    const from = byName.get(client.from);
    if (!from) throw fail(`unknown network ${client.from}`);
    if (from.purpose === "quarantine") throw fail("nothing but the agent link leaves a quarantine network");
    const cidr = parseCidr(from.cidr);
    if (
      !isIpv4(client.address) ||
      !cidr ||
      !cidrContainsHost(cidr, client.address) ||
      client.address === from.gateway
    )
      throw fail(`${client.address} is not a host address of ${from.name} (${from.cidr})`);
    if (client.why.trim() === "") throw fail("no reason given");
    if (seen.has(client.address)) throw fail(`${client.address} is granted twice`);
    seen.add(client.address);
    return { from, host: client.host, address: client.address, why: client.why };
  });
}

/** What a client's pass says: `fortress firewall API: containment: wazuh-manager-1 10.10.20.64 → 10.10.10.1:443 (TCP)`. */
export function firewallApiDescription(
  client: ResolvedFirewallApiClient,
  endpoint: FirewallApiEndpoint,
): string {
  return `fortress firewall API: ${client.why}: ${client.host} ${client.address} → ${endpoint.address}:${endpoint.port} (${FIREWALL_API_PROTOCOL})`;
}

type RuleBody = Omit<RuleSpec, "sequence">;

/**
 * The clients' passes of the policy, per interface (see the module comment): resolves them once and
 * returns, for each network, the passes its interface carries (none for most).
 */
export function firewallApiPasses(
  input: Pick<ZonePolicyInput, "firewallApiClients" | "firewallApi">,
  networks: readonly ZoneNetwork[],
): (network: ZoneNetwork) => RuleBody[] {
  const endpoint = input.firewallApi;
  const clients = resolveFirewallApiClients(
    input.firewallApiClients ?? [],
    endpoint,
    new Map(networks.map((network) => [network.name, network])),
  );
  return (network) =>
    !endpoint
      ? []
      : clients
          .filter((client) => client.from === network)
          .sort((a, b) => a.address.localeCompare(b.address, "en", { numeric: true }))
          .map((client) => ({
            enabled: true,
            action: "pass",
            quick: true,
            direction: "in",
            ipprotocol: "inet",
            interface: network.interface,
            protocol: FIREWALL_API_PROTOCOL,
            source_net: client.address,
            source_not: false,
            destination_net: endpoint.address,
            destination_not: false,
            destination_port: String(endpoint.port),
            log: true,
            description: firewallApiDescription(client, endpoint),
          }));
}
