/**
 * The containment record the Network component keeps in its inputs with the `quarantine` service on
 * (components/network/network.ts): the quarantine alias's name and the Wazuh manager a contained host
 * still reports to, and the scanners of the Network's recorded scan flows (the rescan reaches a
 * contained host from their one address). Read by the zone-matrix policy (the one pass it grants from
 * the contained hosts) and by quarantine-blocks-first.
 */
import type { PolicyResource } from "@pulumi/policy";
import { addressRange } from "../../vocabulary/addresses";
import { opnsenseFields } from "./opnsense";
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
