/**
 * A burst: many ClamAV detections for many hosts at once through the offline lab's manager (integratord
 * and execd as Wazuh runs them, the real scripts, the loopback TheHive and OPNsense), and what came out:
 * every alert reached TheHive once (no alert lost, no duplicate), every host was contained once (one
 * alias_util/add each, one table entry each). Figures are printed by the CLI; tests assert the counts.
 */
import * as ipaddr from "ipaddr.js";
import { QUARANTINE_ALIAS } from "../../components/network/quarantine";
import { PROGRAM, requestsTo } from "../../test/opnsense/containHarness";
import { theHiveAlerts } from "../observe";
import type { OfflineLab } from "./lab";
import { runProcess } from "./proc";
import type { ScenarioEndpoints } from "../endpoints";

export interface BurstFigures {
  readonly alerts: number;
  readonly hosts: number;
  readonly wallMs: number;
  readonly wazuhAlerts: number;
  /** What reached TheHive (absent: no TheHive in this lab): lost = Wazuh alerts without a TheHive alert. */
  readonly theHive?: { readonly alerts: number; readonly lost: number; readonly duplicateCases: number };
  readonly contained: number;
  readonly duplicateTableEntries: number;
  readonly duplicateAdds: number;
  readonly integrationRuns: number;
  readonly failedRuns: number;
  /** Active-response runs (one per alert: execd runs the response for every alert of its rules). */
  readonly responses: number;
}

/**
 * Host i of the burst: on the workstation's network (`cidr`), from its 100th address on, never the
 * workstation itself nor an allow-listed address (those would be refused, not contained).
 */
export function burstHosts(
  count: number,
  cidr: string,
  avoid: readonly string[],
): { id: string; name: string; ip: string }[] {
  const [network, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const base = network.toByteArray().reduce((sum, byte) => sum * 256 + byte, 0);
  const size = 2 ** (32 - bits);
  const hosts: { id: string; name: string; ip: string }[] = [];
  for (let offset = 100; hosts.length < count; offset += 1) {
    if (offset >= size - 1) throw new Error(`${cidr} has no room for ${count} burst hosts`);
    const n = base + offset;
    const ip = [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
    if (avoid.includes(ip)) continue;
    const index = hosts.length;
    hosts.push({ id: String(200 + index).padStart(3, "0"), name: `laptop-${index + 1}`, ip });
  }
  return hosts;
}

const line = (agent: string, n: number) =>
  `Nov 30 14:30:00 ${agent} clamd[812]: /home/user/Downloads/setup-${n}.exe: Fortress.Test.WorkedExample.UNOFFICIAL(0123456789abcdef0123456789abcdef:202) FOUND`;

export async function runBurst(
  lab: OfflineLab,
  endpoints: ScenarioEndpoints,
  size: { readonly alerts: number; readonly hosts: number },
): Promise<BurstFigures> {
  const allowed = lab.config.containment?.allow.map((entry) => entry.cidr.replace(/\/32$/, "")) ?? [];
  const hosts = burstHosts(size.hosts, lab.config.workstation.cidr, [lab.workstation.ip, ...allowed]);
  const integrationBefore = lab.manager.integrationRuns.length;
  const arBefore = lab.manager.arRuns.length;
  const started = Date.now();
  const alerts = await Promise.all(
    Array.from({ length: size.alerts }, (_, n) => {
      const host = hosts[n % hosts.length]!;
      return lab.manager.ingest(line(host.name, n), host);
    }),
  );
  await lab.manager.idle();
  const wallMs = Date.now() - started;
  const ids = new Set(alerts.map((alert) => alert.id));
  const inTheHive = endpoints.theHive
    ? (await theHiveAlerts(endpoints.theHive, { _eq: { _field: "type", _value: "wazuh" } })).filter((alert) =>
        ids.has(alert.sourceRef),
      )
    : undefined;
  const refs = new Set(inTheHive?.map((alert) => alert.sourceRef));
  const addresses = new Set(hosts.map((host) => host.ip));
  const table = lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS).filter((entry) => addresses.has(entry));
  const adds = requestsTo(lab.opnsense.api, "firewall/alias_util/add")
    .map((request) => (request.body as { address?: string } | undefined)?.address ?? "")
    .filter((address) => addresses.has(address));
  const integrationRuns = lab.manager.integrationRuns.slice(integrationBefore);
  const arRuns = lab.manager.arRuns.slice(arBefore);
  const figures: BurstFigures = {
    alerts: size.alerts,
    hosts: size.hosts,
    wallMs,
    wazuhAlerts: ids.size,
    ...(inTheHive
      ? {
          theHive: {
            alerts: inTheHive.length,
            lost: [...ids].filter((id) => !refs.has(id)).length,
            duplicateCases: inTheHive.length - refs.size,
          },
        }
      : {}),
    contained: new Set(table).size,
    duplicateTableEntries: table.length - new Set(table).size,
    duplicateAdds: adds.length - new Set(adds).size,
    integrationRuns: integrationRuns.length,
    failedRuns: [...integrationRuns, ...arRuns].filter((run) => run.result.code !== 0).length,
    responses: arRuns.length,
  };
  if (lab.config.containment)
    for (const host of hosts)
      await runProcess(PROGRAM, [
        "--config",
        lab.opnsense.config,
        "--by",
        "scenario",
        "--reason",
        "burst over",
        "delete",
        host.ip,
      ]);
  return figures;
}
