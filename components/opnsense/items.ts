/**
 * One generic core for OPNsense model items: search, get, add, set, del, then make the change live.
 * Field values are strings, as OPNsense stores them ("1"/"0" for booleans, comma-joined lists).
 */
import { call, type Connection, type RetryPolicy } from "./client";
import { OpnsenseError, OpnsenseUnavailableError, OpnsenseValidationError } from "./errors";
import type { ApplyKind, ItemModel } from "./models";
import { type ProbePolicy, safeApplyFilter } from "./safeApply";

export type Fields = Readonly<Record<string, string>>;

interface SaveAnswer {
  result?: string;
  uuid?: string;
  validations?: Record<string, string>;
}

/**
 * OPNsense returns option fields as `{key: {value, selected}}`; the value is the selected keys,
 * comma-joined, which is also what a save takes.
 */
export function flattenValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const options = Object.entries(value as Record<string, unknown>);
  const isOptionList = options.every(
    ([, option]) => typeof option === "object" && option !== null && "selected" in option,
  );
  if (!isOptionList) return JSON.stringify(value);
  return options
    .filter(([, option]) => Number((option as { selected: unknown }).selected) === 1)
    .map(([key]) => key)
    .join(",");
}

export function checkSaved(model: { readonly label: string }, answer: unknown, action: string): SaveAnswer {
  const saved = (answer ?? {}) as SaveAnswer;
  if (saved.result === "failed" || saved.validations) {
    throw new OpnsenseValidationError(model.label, saved.validations ?? {});
  }
  if (saved.result !== "saved") {
    throw new OpnsenseError(
      `OPNsense did not save the ${model.label} (${action}): ${JSON.stringify(answer).slice(0, 300)}`,
    );
  }
  return saved;
}

export async function findByIdentity(
  connection: Connection,
  model: ItemModel,
  value: string,
  policy: RetryPolicy,
): Promise<string | undefined> {
  const answer = (await call(
    connection,
    "POST",
    `${model.base}/${model.commands.search}`,
    { current: 1, rowCount: -1, searchPhrase: value },
    policy,
  )) as {
    rows?: Record<string, unknown>[];
  };
  const row = (answer.rows ?? []).find((candidate) => flattenValue(candidate[model.identity]) === value);
  return row && typeof row.uuid === "string" ? row.uuid : undefined;
}

/**
 * Adds an item. An add whose answer was lost may still have been saved, so before each retry the
 * item is looked up by its identity field and adopted if it is there: never two copies.
 */
export async function addItem(
  connection: Connection,
  model: ItemModel,
  fields: Fields,
  policy: RetryPolicy,
): Promise<string> {
  const identity = fields[model.identity];
  const once: RetryPolicy = { ...policy, retries: 0 };
  let lastError: unknown;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, policy.backoffMs * 2 ** (attempt - 1)));
      const existing = identity ? await findByIdentity(connection, model, identity, policy) : undefined;
      if (existing) return existing;
    }
    try {
      const saved = checkSaved(
        model,
        await call(connection, "POST", `${model.base}/${model.commands.add}`, { [model.key]: fields }, once),
        "add",
      );
      if (!saved.uuid) throw new OpnsenseError(`OPNsense saved the ${model.label} but returned no uuid`);
      return saved.uuid;
    } catch (error) {
      if (!(error instanceof OpnsenseUnavailableError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** The item's current values for `managed` fields, or undefined when it no longer exists. */
export async function getItem(
  connection: Connection,
  model: ItemModel,
  uuid: string,
  managed: readonly string[],
  policy: RetryPolicy,
): Promise<Fields | undefined> {
  const answer = (await call(
    connection,
    "GET",
    `${model.base}/${model.commands.get}/${uuid}`,
    undefined,
    policy,
  )) as Record<string, unknown>;
  const item = answer[model.key];
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const values = item as Record<string, unknown>;
  return Object.fromEntries(managed.map((field) => [field, flattenValue(values[field])]));
}

export async function setItem(
  connection: Connection,
  model: ItemModel,
  uuid: string,
  fields: Fields,
  policy: RetryPolicy,
): Promise<void> {
  checkSaved(
    model,
    await call(
      connection,
      "POST",
      `${model.base}/${model.commands.set}/${uuid}`,
      { [model.key]: fields },
      policy,
    ),
    "set",
  );
}

/** Deletes an item; one that is already gone counts as deleted. */
export async function delItem(
  connection: Connection,
  model: ItemModel,
  uuid: string,
  policy: RetryPolicy,
): Promise<void> {
  const answer = (await call(
    connection,
    "POST",
    `${model.base}/${model.commands.del}/${uuid}`,
    {},
    policy,
  )) as { result?: string };
  if (answer.result !== "deleted" && answer.result !== "not found") {
    throw new OpnsenseError(
      `OPNsense did not delete the ${model.label} ${uuid}: ${JSON.stringify(answer).slice(0, 300)}`,
    );
  }
}

/**
 * Makes `change` and then makes it live: the service's reconfigure after it, or, for filter rules,
 * the safe apply around it (the savepoint must come before the change for a rollback to undo it).
 */
export async function applying<T>(
  connection: Connection,
  apply: ApplyKind,
  policy: RetryPolicy,
  probe: ProbePolicy,
  change: () => Promise<T>,
): Promise<T> {
  if (apply.kind === "filter") return safeApplyFilter(connection, policy, probe, change);
  const result = await change();
  const answer = (await call(connection, "POST", apply.path, {}, policy)) as {
    status?: string;
    result?: string;
  };
  const status = String(answer.status ?? answer.result ?? "")
    .trim()
    .toLowerCase();
  if (status !== "ok" && status !== "saved") {
    throw new OpnsenseError(
      `OPNsense could not apply the change (${apply.path}): ${JSON.stringify(answer).slice(0, 300)}`,
    );
  }
  return result;
}
