/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) built only
 * from the plan document and, with `--diff`, the plan diff. Every name in it is escaped (escape.ts).
 */
import type { PlanDiff } from "../diff";
import type { PlanDocument } from "../document";
import { exitMeaning, METRIC_LABEL, summarize } from "../summary";
import { dagSection } from "./dag";
import { diffSection } from "./diff";
import { Html, html, num } from "./escape";
import { placementSection } from "./placement";
import { STYLE } from "./style";
import { vlansSection } from "./vlans";
import { violationsSection } from "./violations";
import { zonesSection } from "./zones";

export interface ReportDiff {
  readonly diff: PlanDiff;
  /** The base plan's file, as given to `--diff`. */
  readonly base: string;
}

function facts(plan: PlanDocument): Html {
  const summary = summarize(plan);
  const fact = (id: string, value: string | number, label: string, tone = "") =>
    html`<div class="fact ${tone}" data-fact="${id}"><b>${value}</b><span>${label}</span></div>`;
  const tight = summary.minHeadroom;
  return html`<div class="facts">
${fact("resources", summary.resources, `resources in ${summary.builtLayers} built layers`)}
${fact("vms", summary.vms, `VMs on ${summary.nodes} nodes`)}
${tight ? fact("headroom", `${num(tight.pct)} %`, `least headroom: ${METRIC_LABEL[tight.metric]} on ${tight.node}`, tight.pct < 10 ? "bad" : "") : ""}
${fact("violations", summary.violations, `violations (${summary.mandatory} mandatory)`, summary.violations > 0 ? "bad" : "good")}
${fact("exit", summary.exitCode, `exit code: ${exitMeaning(summary)}`, summary.exitCode === 0 ? "good" : "bad")}
</div>`;
}

export function renderReportHtml(plan: PlanDocument, diff?: ReportDiff): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Fortress plan · ${plan.stack}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
<h1>Fortress plan for stack <code>${plan.stack}</code></h1>
<p class="sub">Project <code>${plan.project}</code> · plan.json version ${plan.version} · planned offline, nothing deployed</p>
${facts(plan)}
${diff ? diffSection(diff.diff, diff.base) : ""}
${placementSection(plan.placement)}
${zonesSection(plan)}
${vlansSection(plan.networks, plan.placement)}
${dagSection(plan.layers, plan.edges)}
${violationsSection(plan.violations)}
</main>
</body>
</html>
`;
  return page.text;
}
