/**
 * Filter changes go live the way OPNsense documents it for the API: savepoint, then the change,
 * then apply that revision (which arms a 60 s rollback timer on the firewall), check that the API
 * still answers from the machine running Pulumi, and only then cancel the rollback. If the check
 * fails, nothing is confirmed and OPNsense reverts to the savepoint, from before the change, by itself.
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsenseHttpError, OpnsenseRollbackError, OpnsenseUnavailableError } from "./errors";

export interface ProbePolicy {
  /** Per attempt. All attempts together must end well inside OPNsense's 60 s rollback window. */
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly intervalMs: number;
}

export const DEFAULT_PROBE: ProbePolicy = { timeoutMs: 5_000, attempts: 4, intervalMs: 2_000 };

/** Takes the savepoint, makes `change` (saved, not yet live), then applies it under the rollback timer. */
export async function safeApplyFilter<T>(
  connection: Connection,
  policy: RetryPolicy,
  probe: ProbePolicy,
  change: () => Promise<T>,
): Promise<T> {
  const probePolicy: RetryPolicy = {
    timeoutMs: probe.timeoutMs,
    retries: probe.attempts - 1,
    backoffMs: probe.intervalMs,
  };
  const savepoint = await call(connection, "POST", "firewall/filter/savepoint", {}, policy).catch(
    (error: unknown) => {
      if (error instanceof OpnsenseHttpError && error.status === 404) return undefined;
      throw error;
    },
  );
  if (savepoint === undefined) {
    const result = await change();
    await applyWithoutRollback(connection, policy, probePolicy);
    return result;
  }
  const revisionValue = (savepoint as { revision?: unknown }).revision;
  const revision =
    typeof revisionValue === "string" || typeof revisionValue === "number" ? String(revisionValue) : "";
  if (!/^\d+(\.\d+)?$/.test(revision)) {
    throw new OpnsenseError(
      `OPNsense returned no savepoint revision: ${JSON.stringify(savepoint).slice(0, 200)}`,
    );
  }
  const result = await change();
  try {
    // Not retried: a second apply would arm a second timer. It gets the full timeout (a pf reload of many
    // rules on small hardware is slow); no answer at all is the same as losing the API.
    await call(connection, "POST", `firewall/filter/apply/${revision}`, {}, { ...policy, retries: 0 });
    await call(connection, "GET", "firewall/filter/search_rule", undefined, probePolicy);
    await call(connection, "POST", `firewall/filter/cancel_rollback/${revision}`, {}, probePolicy);
  } catch (error) {
    if (error instanceof OpnsenseUnavailableError) {
      throw new OpnsenseRollbackError(connection.url, revision, error.message);
    }
    throw error;
  }
  return result;
}

/**
 * OPNsense 26.7 dropped savepoints: `apply` reloads the rules and arms no timer. Fortress still checks
 * that the API answers afterwards, and says plainly that nothing will undo the change by itself.
 */
async function applyWithoutRollback(
  connection: Connection,
  policy: RetryPolicy,
  probePolicy: RetryPolicy,
): Promise<void> {
  try {
    await call(connection, "POST", "firewall/filter/apply", {}, { ...policy, retries: 0 });
    await call(connection, "GET", "firewall/filter/search_rule", undefined, probePolicy);
  } catch (error) {
    if (error instanceof OpnsenseUnavailableError) {
      throw new OpnsenseError(
        `the firewall at ${connection.url} stopped answering after applying its filter rules (${error.message}). ` +
          "This OPNsense version has no savepoint, so nothing rolls the change back by itself: restore access " +
          "from the console (Firewall > Rules, or Diagnostics > Backups), then fix the zone matrix and run again.",
      );
    }
    throw error;
  }
}
