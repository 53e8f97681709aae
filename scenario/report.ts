/** The scenario's printout: each hop with its time, the issue's figure, the burst's counts. Pure. */
import { figures, type HopResult, type ScenarioResult } from "./hops";
import type { BurstFigures } from "./offline/burst";

const pad = (text: string | number, width: number) => String(text).padStart(width);

export function hopLine(hop: HopResult, previousAt: number): string {
  if (hop.skipped !== undefined) return `  ${hop.n}  ${hop.name.padEnd(34)}skipped: ${hop.skipped}`;
  const head = `  ${hop.n}  ${hop.name.padEnd(34)}${pad(hop.at, 8)} ms ${pad(`+${Math.max(0, hop.at - previousAt)}`, 8)} ms`;
  return [head, ...hop.detail.map((line) => `       ${line}`)].join("\n");
}

/** The next hop's "since previous" reference: a skipped hop moves nothing. */
export const nextPrevious = (hop: HopResult, previousAt: number): number =>
  hop.skipped === undefined ? Math.max(previousAt, hop.at) : previousAt;

export function header(mode: "offline" | "live", where: string): string {
  return [
    `Fortress worked example (${mode}: ${where})`,
    `  #  hop${" ".repeat(32)}since landing   since previous`,
  ].join("\n");
}

export function summary(result: ScenarioResult): string {
  const skipped = result.hops.filter((hop) => hop.skipped !== undefined).map((hop) => hop.n);
  const ran = result.hops.filter((hop) => hop.skipped === undefined).map((hop) => hop.n);
  const hops = `hops run: ${ran.join(", ")}${skipped.length > 0 ? `; skipped (not in this lab): ${skipped.join(", ")}` : ""}`;
  const figure = figures(result);
  if (!figure) return `${hops}\nno containment in this lab: no figure for file landed → host in the table`;
  const { landedToContainedMs, withoutScanMs, targetMs } = figure;
  const verdict = withoutScanMs <= targetMs ? "within" : "OVER";
  return [
    hops,
    `file landed → ${result.address} in the quarantine table: ${landedToContainedMs} ms`,
    `  without the clamd scan (detection line → table): ${withoutScanMs} ms, ${verdict} the ${targetMs} ms target`,
  ].join("\n");
}

export function burstLines(burst: BurstFigures): string {
  const rate = burst.wallMs > 0 ? ((burst.alerts * 1000) / burst.wallMs).toFixed(1) : "-";
  return [
    `burst: ${burst.alerts} alerts for ${burst.hosts} hosts in ${(burst.wallMs / 1000).toFixed(1)} s (${rate} alerts/s)`,
    burst.theHive
      ? `  Wazuh alerts ${burst.wazuhAlerts}, TheHive alerts ${burst.theHive.alerts}: ${burst.theHive.lost} lost, ${burst.theHive.duplicateCases} duplicate`
      : `  Wazuh alerts ${burst.wazuhAlerts}; no TheHive in this lab`,
    `  hosts contained ${burst.contained}: ${burst.duplicateTableEntries} duplicate table entries, ${burst.duplicateAdds} repeated alias_util/add`,
    `  integration runs ${burst.integrationRuns}, active-response runs ${burst.responses}, failed runs ${burst.failedRuns}`,
  ].join("\n");
}
