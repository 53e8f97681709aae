/** The zone matrix as a grid: who may open connections to whom, and with which services. */
import type { PlanDocument } from "../document";
import { zoneGrid, type ZoneGridCell } from "../zoneGrid";
import { html, type Html } from "./escape";

const QUARANTINE = "quarantine";

function cellHtml(from: string, cell: ZoneGridCell, quarantined: ReadonlySet<string>): Html {
  const classes = [cell.kind, quarantined.has(cell.to) || quarantined.has(from) ? QUARANTINE : ""].join(" ").trim();
  const services = cell.services.map((service) => html`<span class="svc">${service}</span>`);
  const title =
    cell.kind === "self"
      ? "same VLAN: not filtered"
      : cell.kind === "denied"
        ? `${from} → ${cell.to}: denied`
        : `${from} → ${cell.to}: ${cell.services.join(", ")}${cell.kind === "any" ? " (through a zone to any)" : ""}`;
  return html`<td class="${classes}" data-from="${from}" data-to="${cell.to}" data-kind="${cell.kind}" title="${title}">${services}</td>`;
}

export function zonesSection(plan: Pick<PlanDocument, "networks" | "zones">): Html {
  const grid = zoneGrid(plan);
  const quarantined = new Set(grid.rows.filter((row) => row.purpose === QUARANTINE).map((row) => row.from));
  const head = grid.columns.map(
    (column) => html`<th class="${quarantined.has(column) ? QUARANTINE : ""}" scope="col">${column}</th>`,
  );
  const rows = grid.rows.map(
    (row) =>
      html`<tr data-from="${row.from}"><th class="from ${quarantined.has(row.from) ? QUARANTINE : ""}" scope="row">${row.from}${row.purpose === row.from ? "" : html`<br><span class="sub">${row.purpose}</span>`}</th>${row.cells.map((cell) => cellHtml(row.from, cell, quarantined))}</tr>`,
  );
  return html`<section class="card" id="zones">
<h2>Zone matrix <span class="sub">— rows open connections to columns; everything not listed is dropped and logged</span></h2>
<table class="grid"><thead><tr><th class="from">from \\ to</th>${head}</tr></thead><tbody>${rows}</tbody></table>
<p class="legend"><i style="background:#e3f1e8"></i>allowed <i style="background:#f1f7f3"></i>through a zone to <code>any</code> <i style="background:var(--deny)"></i>denied <i class="self" style="background:#e9ecf0"></i>same VLAN, not filtered <i style="background:#fbeceb"></i>quarantine: reaches nothing, reached by nothing</p>
</section>`;
}
