/**
 * The containment record the Network component keeps in its inputs with the `quarantine` service on
 * (components/network/network.ts): the quarantine alias's name and the Wazuh manager a contained host
 * still reports to. Read by the zone-matrix policy (the one pass it grants from the contained hosts)
 * and by quarantine-blocks-first.
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
