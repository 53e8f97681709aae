/**
 * The containment record the Network component keeps in its inputs with the `quarantine` service on
 * (components/network/network.ts): the quarantine alias's name and the Wazuh manager a contained host
 * still reports to, and the scanners of the Network's recorded scan flows (the rescan reaches a
 * contained host from their one address). Read by the zone-matrix policy (the one pass it grants from
 * the contained hosts) and by quarantine-blocks-first.
 */
import type { PolicyResource } from "@pulumi/policy";
import { addressRange } from "../../vocabulary/addresses";
import { type OpnsenseRule, opnsenseFields } from "./opnsense";
import { NETWORK_TYPE, OPNSENSE } from "./typeNames";

export interface QuarantineRecord {
  /** The Network component that records it. */
  readonly owner: PolicyResource;
  /** The alias whose pf table holds the contained hosts (`fz_quarantine`). */
  readonly alias: string;
  /** The manager's address and name, when one is planned. */
  readonly reportsTo?: { readonly host: string; readonly address: string; readonly network: string };
  /** The vulnerability scanners (the sources of the recorded scan flows): one IPv4 address each, on their network. */
  readonly scanners: readonly { readonly host: string; readonly address: string; readonly network: string }[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The distinct sources of the Network's recorded scan flows (components/network/types.ts ScanFlow). */
function scannersOf(owner: PolicyResource): QuarantineRecord["scanners"] {
  const flows = Array.isArray(owner.props.scanFlows) ? (owner.props.scanFlows as unknown[]) : [];
  const seen = new Map<string, { host: string; address: string; network: string }>();
  for (const flow of flows) {
    if (!isRecord(flow)) continue;
    const { host, address, from } = flow;
    if (typeof host !== "string" || typeof address !== "string" || typeof from !== "string") continue;
    if (!IPV4.test(address) || addressRange(address) === undefined) continue;
    seen.set(`${from} ${address}`, { host, address, network: from });
  }
  return [...seen.values()];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** Every quarantine record; a manager whose address is not one IPv4 host is dropped (it grants nothing). */
export function quarantinesOf(resources: readonly PolicyResource[]): QuarantineRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((owner): QuarantineRecord[] => {
      const record = owner.props.quarantine;
      if (!isRecord(record) || typeof record.alias !== "string" || record.alias === "") return [];
      const reports = record.reportsTo;
      const valid =
        isRecord(reports) &&
        typeof reports.host === "string" &&
        typeof reports.network === "string" &&
        typeof reports.address === "string" &&
        /^\d{1,3}(\.\d{1,3}){3}$/.test(reports.address) &&
        addressRange(reports.address) !== undefined;
      return [
        {
          owner,
          alias: record.alias,
          scanners: scannersOf(owner),
          ...(valid
            ? {
                reportsTo: {
                  host: reports.host as string,
                  address: reports.address as string,
                  network: reports.network as string,
                },
              }
            : {}),
        },
      ];
    });
}

/** The type of the OPNsense alias named `name` in the stack, or undefined when none is declared. */
export function aliasType(resources: readonly PolicyResource[], name: string): string | undefined {
  for (const resource of resources) {
    if (resource.type !== OPNSENSE("alias")) continue;
    const fields = opnsenseFields(resource.props);
    if (fields?.name === name) return fields.type ?? "";
  }
  return undefined;
}

/**
 * The rescan's pass (components/network/quarantine.ts): a pass on exactly one interface, that of a
 * recorded scanner's network (`interfaceOf` maps a network's name to it), from that scanner's one
 * address to the quarantine alias, neither side negated, no source port. It lets the scanner reach a
 * contained host and opens nothing from one (pf's states float: the host's answers match the scanner's
 * state; its own connections meet the quarantine blocks). The alias holds contained hosts alone:
 * fortress-contain refuses the firewall's addresses, the management network and the lab's control
 * hosts (components/response/containment/allowList.ts), so the pass reaches none of them.
 */
export function isRescanPass(
  rule: OpnsenseRule,
  record: QuarantineRecord,
  interfaceOf: (network: string) => string | undefined,
): boolean {
  const { fields } = rule;
  if (fields.action !== "pass" || fields.source_not === "1" || fields.destination_not === "1") return false;
  if (rule.inverted || rule.interfaces.length !== 1) return false;
  if ((fields.destination_net ?? "").trim() !== record.alias) return false;
  if (!["", "any"].includes((fields.source_port ?? "").trim())) return false;
  const source = (fields.source_net ?? "").trim();
  return record.scanners.some(
    (scanner) =>
      interfaceOf(scanner.network) === rule.interfaces[0] &&
      [scanner.address, `${scanner.address}/32`].includes(source),
  );
}
