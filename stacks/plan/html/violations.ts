/** Policy violations grouped by policy, mandatory ones first. */
import type { Violation } from "../graph";
import { html, type Html } from "./escape";

export function groupByPolicy(violations: readonly Violation[]): [string, Violation[]][] {
  const groups = new Map<string, Violation[]>();
  for (const violation of violations) groups.set(violation.policy, [...(groups.get(violation.policy) ?? []), violation]);
  const mandatory = (list: readonly Violation[]) => list.some((violation) => violation.level === "mandatory");
  return [...groups].sort(([, a], [, b]) => Number(mandatory(b)) - Number(mandatory(a)));
}

export function violationsSection(violations: readonly Violation[]): Html {
  if (violations.length === 0)
    return html`<section class="card" id="violations">
<h2>Violations <span class="count">0</span></h2>
<p class="none">None: every policy of the pack holds, and every URN is unique.</p>
</section>`;
  const groups = groupByPolicy(violations).map(([policy, list]) => {
    const level = list.some((violation) => violation.level === "mandatory") ? "mandatory" : "advisory";
    const items = list.map(
      (violation) =>
        html`<li data-violation="${violation.policy}">${violation.message}${violation.urn ? html`<br><code class="sub">${violation.urn}</code>` : ""}</li>`,
    );
    return html`<div class="policy ${level}" data-policy="${policy}">
  <h3><code>${policy}</code> <span class="level">${level}</span> <span class="sub">${list.length} violation${list.length === 1 ? "" : "s"}</span></h3>
  <ul>${items}</ul>
</div>`;
  });
  return html`<section class="card" id="violations">
<h2>Violations <span class="count bad">${violations.length}</span> <span class="sub">— by policy; <code>npm run plan</code> exits 1 on any mandatory one</span></h2>
${groups}
</section>`;
}
