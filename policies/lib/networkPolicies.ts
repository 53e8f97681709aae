/** What a NetworkPolicy lets through: whether it opens every pod of its namespace to everything. */
import { addressRange, type AddressRange, covers, everyAddress } from "../../vocabulary/addresses";

type Inputs = Record<string, unknown>;

/** The ranges of a rule's ipBlocks that have no `except`: `0.0.0.0/1` and `128.0.0.0/1` together are everything. */
function ipBlocksCoverEverything(peers: Inputs[]): boolean {
  const ranges = peers.flatMap((peer): AddressRange[] => {
    const ipBlock = peer.ipBlock as { cidr?: unknown; except?: unknown } | undefined;
    if (!ipBlock || (Array.isArray(ipBlock.except) && ipBlock.except.length > 0)) return [];
    const range = addressRange(String(ipBlock.cidr));
    return range ? [range] : [];
  });
  return ranges.length > 0 && (covers(ranges, everyAddress("ipv4")) || covers(ranges, everyAddress("ipv6")));
}
const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === "object" && Object.keys(value).length === 0);

/** A peer (`from`/`to` entry) that matches everything: every address, or every pod of every namespace. */
function peerIsEverything(peer: Inputs): boolean {
  if (peer.ipBlock) return ipBlocksCoverEverything([peer]);
  return "namespaceSelector" in peer && isEmpty(peer.namespaceSelector) && isEmpty(peer.podSelector);
}

/** A rule that allows every peer on every port: no `from`/`to` (or an everything peer) and no `ports`. */
function ruleIsEverything(rule: Inputs, peers: "from" | "to"): boolean {
  const list = rule[peers];
  const everyPeer =
    !Array.isArray(list) ||
    list.length === 0 ||
    (list as Inputs[]).some(peerIsEverything) ||
    ipBlocksCoverEverything(list as Inputs[]);
  const ports = rule.ports;
  return everyPeer && (!Array.isArray(ports) || ports.length === 0);
}

/**
 * The directions (`Ingress`, `Egress`) in which a NetworkPolicy opens every pod of its namespace
 * (`podSelector: {}`) to everything; under Kubernetes' union semantics no other policy can close them.
 */
export function openDirections(props: Inputs): ("Ingress" | "Egress")[] {
  const spec = (props.spec ?? {}) as Inputs;
  if (
    !isEmpty((spec.podSelector as Inputs | undefined)?.matchLabels) ||
    !isEmpty((spec.podSelector as Inputs | undefined)?.matchExpressions)
  )
    return [];
  const types = Array.isArray(spec.policyTypes)
    ? spec.policyTypes.map(String)
    : ["Ingress", ...(spec.egress !== undefined ? ["Egress"] : [])];
  const open: ("Ingress" | "Egress")[] = [];
  for (const [type, key, peers] of [
    ["Ingress", "ingress", "from"],
    ["Egress", "egress", "to"],
  ] as const) {
    if (!types.includes(type)) continue;
    const rules = spec[key];
    if (Array.isArray(rules) && (rules as Inputs[]).some((rule) => ruleIsEverything(rule ?? {}, peers)))
      open.push(type);
  }
  return open;
}
