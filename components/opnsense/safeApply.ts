/**
 * Filter changes go live the way OPNsense's own GUI does it safely: savepoint, apply that revision
 * (which arms a 60 s rollback timer on the firewall), check that the API still answers from the
 * machine running Pulumi, and only then cancel the rollback. If the check fails, nothing is
 * confirmed and OPNsense reverts to the savepoint by itself.
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsenseRollbackError, OpnsenseUnavailableError } from "./errors";

export interface ProbePolicy {
  /** Per attempt. All attempts together must end well inside OPNsense's 60 s rollback window. */
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly intervalMs: number;
}

export const DEFAULT_PROBE: ProbePolicy = { timeoutMs: 5_000, attempts: 4, intervalMs: 2_000 };

export async function safeApplyFilter(
  connection: Connection,
  policy: RetryPolicy,
  probe: ProbePolicy,
): Promise<void> {
  const savepoint = (await call(connection, "POST", "firewall/filter/savepoint", {}, policy)) as {
    revision?: unknown;
  };
  const revision =
    typeof savepoint.revision === "string" || typeof savepoint.revision === "number"
      ? String(savepoint.revision)
      : "";
  if (!/^[\d.]+$/.test(revision)) {
    throw new OpnsenseError(
      `OPNsense returned no savepoint revision: ${JSON.stringify(savepoint).slice(0, 200)}`,
    );
  }
  const probePolicy: RetryPolicy = {
    timeoutMs: probe.timeoutMs,
    retries: probe.attempts - 1,
    backoffMs: probe.intervalMs,
  };
  try {
    // Not retried: a second apply would arm a second timer. No answer here is the same as losing the API.
    await call(connection, "POST", `firewall/filter/apply/${revision}`, {}, { ...probePolicy, retries: 0 });
    await call(connection, "GET", "firewall/filter/search_rule", undefined, probePolicy);
    await call(connection, "POST", `firewall/filter/cancel_rollback/${revision}`, {}, probePolicy);
  } catch (error) {
    if (error instanceof OpnsenseUnavailableError) {
      throw new OpnsenseRollbackError(connection.url, revision, error.message);
    }
    throw error;
  }
}
