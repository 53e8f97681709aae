/**
 * Reading the lab's state through the products' own APIs, the same calls offline (loopback doubles)
 * and live:
 * - the quarantine table: `GET /api/firewall/alias_util/list/<alias>` with the containment key (HTTP
 *   Basic key:secret), rows of `{"ip": ...}` (opnsense/core@26.7.2
 *   Firewall/Api/AliasUtilController.php listAction over scripts/filter/list_table.py; the same call
 *   fortress-contain's `check` makes);
 * - TheHive's alerts: `POST /api/v1/query?name=alerts` with a listAlert query (TheHive4py 2.0.3
 *   endpoints/alert.py `find`, query/filters.py); the integration tags each alert `wazuh-rule:<id>`, sets
 *   `sourceRef` to the Wazuh alert id and `date` to its timestamp (components/response/wazuh/custom-thehive).
 */
import { callJson, type HttpTarget } from "./http";
import type { SeenWazuhAlert } from "./endpoints";

export async function quarantineTable(opnsense: { target: HttpTarget; alias: string }): Promise<string[]> {
  const answer = await callJson(opnsense.target, "GET", `api/firewall/alias_util/list/${opnsense.alias}`);
  const rows = (answer.body as { rows?: { ip?: unknown }[] } | undefined)?.rows;
  if (answer.status !== 200 || !Array.isArray(rows))
    throw new Error(
      `OPNsense alias_util/list/${opnsense.alias}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  return rows.map((row) => String(row.ip ?? "").replace(/\/(32|128)$/, ""));
}

export interface TheHiveAlert {
  readonly _id: string;
  readonly _createdAt?: number;
  readonly sourceRef: string;
  readonly title: string;
  readonly description: string;
  readonly date?: number;
  readonly tags?: readonly string[];
}

/** TheHive alerts that pass a thehive4py-style filter (`{"_eq": {...}}`, `{"_and": [...]}`, …). */
export async function theHiveAlerts(theHive: HttpTarget, filter?: object): Promise<TheHiveAlert[]> {
  const query = [{ _name: "listAlert" }, ...(filter ? [{ _name: "filter", ...filter }] : [])];
  const answer = await callJson(theHive, "POST", "api/v1/query?name=alerts", { query });
  if (answer.status !== 200 || !Array.isArray(answer.body))
    throw new Error(`TheHive query: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as TheHiveAlert[];
}

/**
 * The Wazuh alerts TheHive received since `since`: what a live drill sees of the SIEM without the
 * indexer's credentials (the Wazuh key is not a stack output). The alert's own time is TheHive's `date`.
 */
export async function wazuhAlertsViaTheHive(theHive: HttpTarget, since: number): Promise<SeenWazuhAlert[]> {
  const alerts = await theHiveAlerts(theHive, {
    _and: [{ _eq: { _field: "type", _value: "wazuh" } }, { _gte: { _field: "date", _value: since } }],
  });
  return alerts.map((alert) => ({
    id: alert.sourceRef,
    ruleId:
      (alert.tags ?? []).find((tag) => tag.startsWith("wazuh-rule:"))?.slice("wazuh-rule:".length) ?? "",
    time: alert.date ?? alert._createdAt ?? Date.now(),
    fullLog: alert.description,
  }));
}

export class TimedOut extends Error {}

/** Polls `probe` until it returns a value (not undefined), or gives up after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { readonly timeoutMs: number; readonly intervalMs: number; readonly signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    if (options.signal?.aborted) throw new Error(`interrupted while waiting for ${what}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline)
      throw new TimedOut(
        `gave up waiting for ${what} after ${options.timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ""}`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
