/**
 * Filter changes go live one at a time, each followed by a check that the API still answers from the
 * machine running Pulumi; the network layer makes them interface by interface, the management
 * network's first. What keeps the firewall reachable is the plan itself: the anti-lockout pass for
 * the management network comes before every rule Fortress writes (components/network/zoneRules.ts,
 * proven on every plan by the policy `opnsense-anti-lockout-first`).
 *
 * OPNsense's own savepoint and 60 s rollback are still asked for where they exist, but only as a best
 * effort: nothing here relies on them. On 25.7–26.1.x the savepoint answers the config revision
 * rounded to two decimals (`sprintf('%0.2f', microtime(true))`) while the backup file it must find is
 * named from the full-precision time, so the timer almost never finds it and reverts nothing
 * (opnsense/core src/opnsense/mvc/app/library/OPNsense/Core/Config.php `updateRevision`/`backup`/
 * `getBackupFilename`, scripts/filter/rollback_timer.php; opnsense/core#10721). 26.7 removed
 * savepoint, cancel_rollback and revert (opnsense/core 17b84612eb, #10411): the router answers 404
 * "Endpoint not found" (www/api.php, Mvc/Dispatcher.php).
 *
 * When the check fails, the error says which changes went live (this one and every earlier one of this
 * run, by interface) and how to undo them from the console.
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsenseHttpError, OpnsenseUnavailableError } from "./errors";

export interface ProbePolicy {
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly intervalMs: number;
}

export const DEFAULT_PROBE: ProbePolicy = { timeoutMs: 5_000, attempts: 4, intervalMs: 2_000 };

/** What a filter change touches, for the record of what went live. */
export interface FilterChange {
  /** The rule's interface (`lan`, `opt1`, …). */
  readonly interface: string;
  /** The rule's description, and what was done to it: "added", "updated", "deleted". */
  readonly description: string;
  readonly action: "added" | "updated" | "deleted";
}

/** A change that went live and after which the API still answered. */
interface AppliedChange extends FilterChange {
  readonly at: Date;
}

/**
 * The changes this process applied to each firewall and confirmed, in order. It lives on globalThis so
 * that every deserialized dynamic provider of one `pulumi up` shares it (as the write queue does).
 */
function appliedLog(url: string): AppliedChange[] {
  const registry = globalThis as unknown as Record<symbol, Map<string, AppliedChange[]> | undefined>;
  const key = Symbol.for("fortress.opnsense.appliedFilterChanges");
  const logs = (registry[key] ??= new Map<string, AppliedChange[]>());
  let log = logs.get(url);
  if (!log) {
    log = [];
    logs.set(url, log);
  }
  return log;
}

/** Where the console restore starts from: the savepoint's revision when there was one, else the time before the change. */
export interface RestorePoint {
  /** The savepoint revision (seconds since 1970, two decimals), when OPNsense made one. */
  readonly revision?: string;
  /** This machine's clock just before the change was saved. */
  readonly before: Date;
}

/**
 * How to undo from the console. opnsense-shell's option 13 runs scripts/shell/restore.sh: it lists
 * /conf/backup/config-<time>.xml (newest first, by date, with "<user>: <request> made changes"), shows
 * the diff, copies the choice over /conf/config.xml and reloads or reboots (opnsense/core
 * src/sbin/opnsense-shell, src/opnsense/scripts/shell/restore.sh). Every config save writes such a
 * backup of the config as saved, so the one to pick is the last one from before the change.
 */
export function consoleRestoreSteps(point: RestorePoint): string {
  const which = point.revision
    ? `the backup of ${new Date(Number(point.revision) * 1000).toISOString()} (savepoint revision ${point.revision}, ` +
      `file /conf/backup/config-${point.revision.split(".")[0]}.*.xml, listed as ".../api/firewall/filter/savepoint made changes")`
    : `the newest backup older than ${point.before.toISOString()} (this machine's clock; the entries after it read ` +
      `".../api/firewall/filter/add_rule made changes", or set_rule / del_rule)`;
  return (
    `To undo it, log in as root at the firewall's console (or over SSH, if it is enabled and still answers): the ` +
    `menu (opnsense-shell) opens; choose 13 "Restore a backup", pick ${which}, ` +
    `confirm, and let it reload. Then fix the zone matrix (fortress:zones) and run \`pulumi up\` again.`
  );
}

/** The firewall stopped answering after a filter change went live; nothing rolls it back by itself. */
export class OpnsenseLockoutError extends OpnsenseError {
  constructor(
    readonly url: string,
    readonly change: FilterChange | undefined,
    /** Earlier changes of this run, applied and confirmed, in order. */
    readonly confirmed: readonly FilterChange[],
    readonly restore: RestorePoint,
    cause: string,
  ) {
    const byInterface = new Map<string, number>();
    for (const earlier of confirmed)
      byInterface.set(earlier.interface, (byInterface.get(earlier.interface) ?? 0) + 1);
    const applied = [
      ...[...byInterface].map(
        ([name, count]) => `  - ${name}: ${count} rule change(s), the API still answered afterwards`,
      ),
      change
        ? `  - ${change.interface}: the rule "${change.description}" ${change.action}; after this the API no longer answered`
        : "  - a filter change; after this the API no longer answered",
    ];
    super(
      `the firewall at ${url} stopped answering after a filter change went live (${cause}).\n` +
        `Applied in this run, in order:\n${applied.join("\n")}\n` +
        "Nothing rolls this back by itself: OPNsense's savepoint timer does not revert on 25.7–26.1 " +
        "(opnsense/core#10721) and 26.7 has none.\n" +
        consoleRestoreSteps(restore),
    );
  }
}

/** Takes a savepoint where OPNsense offers one that answers; undefined on 26.7 (404) or a useless answer. */
async function savepoint(connection: Connection, policy: RetryPolicy): Promise<string | undefined> {
  try {
    const answer = (await call(connection, "POST", "firewall/filter/savepoint", {}, policy)) as {
      status?: unknown;
      revision?: unknown;
    };
    const revision =
      typeof answer.revision === "string" || typeof answer.revision === "number"
        ? String(answer.revision)
        : "";
    return answer.status === "ok" && /^\d+(\.\d+)?$/.test(revision) ? revision : undefined;
  } catch (error) {
    if (error instanceof OpnsenseHttpError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Makes `change` (saved, not yet live), applies it, and checks that the API still answers. `what` names
 * the change for the record and for the error if the firewall goes dark.
 */
export async function safeApplyFilter<T>(
  connection: Connection,
  policy: RetryPolicy,
  probe: ProbePolicy,
  change: () => Promise<T>,
  what?: FilterChange,
): Promise<T> {
  const probePolicy: RetryPolicy = {
    timeoutMs: probe.timeoutMs,
    retries: probe.attempts - 1,
    backoffMs: probe.intervalMs,
  };
  const before = new Date();
  const revision = await savepoint(connection, policy);
  const result = await change();
  const log = appliedLog(connection.url);
  try {
    // Not retried: a second apply would arm a second timer. It gets the full timeout (a pf reload of many
    // rules on small hardware is slow); no answer at all is the same as losing the API.
    await call(
      connection,
      "POST",
      revision ? `firewall/filter/apply/${revision}` : "firewall/filter/apply",
      {},
      { ...policy, retries: 0 },
    );
    await call(connection, "GET", "firewall/filter/search_rule", undefined, probePolicy);
  } catch (error) {
    if (error instanceof OpnsenseUnavailableError) {
      throw new OpnsenseLockoutError(
        connection.url,
        what,
        [...log],
        { ...(revision ? { revision } : {}), before },
        error.message,
      );
    }
    throw error;
  }
  if (what) log.push({ ...what, at: new Date() });
  if (revision) {
    // Best effort: on 25.7–26.1 the timer it stops would not have reverted anything anyway.
    await call(connection, "POST", `firewall/filter/cancel_rollback/${revision}`, {}, probePolicy).catch(
      () => undefined,
    );
  }
  return result;
}
