/**
 * The zone matrix as a grid, for the text report and report.html alike: rows are source networks,
 * columns destinations (the networks, then the firewall, the internet and `any` when a zone names them).
 */
import type { PlanDocument } from "./document";

/** `self` same VLAN (not filtered); `allowed` a zone entry names the pair; `any` reached through a `to: any` entry; `denied` nothing. */
export type ZoneCellKind = "self" | "allowed" | "any" | "denied";

export interface ZoneGridCell {
  readonly to: string;
  readonly kind: ZoneCellKind;
  readonly services: readonly string[];
}

export interface ZoneGridRow {
  readonly from: string;
  readonly purpose: string;
  readonly cells: readonly ZoneGridCell[];
}

export interface ZoneGrid {
  readonly columns: readonly string[];
  readonly rows: readonly ZoneGridRow[];
}

export function zoneGrid(plan: Pick<PlanDocument, "networks" | "zones">): ZoneGrid {
  const names = plan.networks.map((network) => network.name);
  const purposeOf = (name: string) => plan.networks.find((network) => network.name === name)?.purpose;
  const columns = [...names, "firewall", "internet", "any"].filter(
    (column) => names.includes(column) || plan.zones.some((cell) => cell.to === column),
  );
  const cellOf = (from: string, to: string): ZoneGridCell => {
    if (to === from) return { to, kind: "self", services: [] };
    const cell = plan.zones.find((entry) => entry.from === from && entry.to === to);
    if (cell) return { to, kind: "allowed", services: cell.services };
    const viaAny = plan.zones.find((entry) => entry.from === from && entry.to === "any");
    // `any` opens every network but quarantine, and neither the firewall itself nor `any` as a column.
    const reachableByAny = to !== "firewall" && to !== "any" && purposeOf(to) !== "quarantine";
    return viaAny && reachableByAny
      ? { to, kind: "any", services: viaAny.services }
      : { to, kind: "denied", services: [] };
  };
  return {
    columns,
    rows: names.map((from) => ({
      from,
      purpose: purposeOf(from) ?? "",
      cells: columns.map((to) => cellOf(from, to)),
    })),
  };
}
