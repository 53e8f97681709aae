/**
 * One generic core for OPNsense model items: search, get, add, set, del, then make the change live.
 * Field values are strings, as OPNsense stores them ("1"/"0" for booleans, lists joined with the
 * field's separator: "," for most, a newline for alias content).
 */
import { call, type Connection, type RetryPolicy } from "./client";
import {
  OpnsenseError,
  OpnsenseServerError,
  OpnsenseUnavailableError,
  OpnsenseValidationError,
} from "./errors";
import type { ApplyKind, ItemModel } from "./models";
import { type ProbePolicy, safeApplyFilter } from "./safeApply";

export type Fields = Readonly<Record<string, string>>;

interface SaveAnswer {
  result?: string;
  uuid?: string;
  validations?: Record<string, string>;
}

/**
 * OPNsense returns option and list fields as `{key: {value, selected}}`; the value is the selected
 * keys joined with the field's separator, which is also what a save takes. The map's order is not
 * kept (JSON object keys that look like numbers come first), so lists compare as sets: sameValue().
 */
export function flattenValue(value: unknown, separator = ","): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const options = Object.entries(value as Record<string, unknown>);
  const isOptionList = options.every(
    ([, option]) => typeof option === "object" && option !== null && "selected" in option,
  );
  if (!isOptionList) return JSON.stringify(value);
  return options
    .filter(([key, option]) => key !== "" && Number((option as { selected: unknown }).selected) === 1)
    .map(([key]) => key)
    .join(separator);
}

function entries(value: string, separator: string): string[] {
  return [
    ...new Set(
      value
        .split(separator)
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    ),
  ].sort();
}

/** Whether two values of a field are the same: lists (with their separator) as sets, others as text. */
export function sameValue(a: string | undefined, b: string | undefined, separator?: string): boolean {
  if (separator === undefined) return (a ?? "") === (b ?? "");
  return entries(a ?? "", separator).join("\n") === entries(b ?? "", separator).join("\n");
}

/** Fields whose values differ, lists compared as sets. */
export function changedFields(a: Fields, b: Fields, lists: Readonly<Record<string, string>> = {}): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => !sameValue(a[key], b[key], lists[key])).sort();
}

/**
 * The live values of `managed` fields, spelled as `recorded` where they are the same (a list whose
 * entries came back in another order): a refresh then shows no change where there is none.
 */
export function liveFields(
  values: Readonly<Record<string, unknown>>,
  managed: readonly string[],
  recorded: Fields,
  lists: Readonly<Record<string, string>> = {},
): Fields {
  return Object.fromEntries(
    managed.map((field) => {
      const separator = lists[field];
      const live = flattenValue(values[field], separator);
      return [field, sameValue(live, recorded[field], separator) ? (recorded[field] ?? live) : live];
    }),
  );
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

/** The uuid of the item whose identity fields equal those in `fields`, if there is one. */
export async function findByIdentity(
  connection: Connection,
  model: ItemModel,
  fields: Fields,
  policy: RetryPolicy,
): Promise<string | undefined> {
  if (model.identity.some((field) => (fields[field] ?? "") === "")) return undefined;
  const row = (await searchAll(connection, model, fields, policy)).find((candidate) =>
    model.identity.every((field) => flattenValue(candidate[field]) === fields[field]),
  );
  return row && typeof row.uuid === "string" ? row.uuid : undefined;
}

export interface Added {
  readonly uuid: string;
  /** The item was already there (saved by an earlier run that failed after its add) and is now ours. */
  readonly adopted: boolean;
}

/**
 * Adds an item, or adopts the one with the same identity: a run that failed after its add (in the
 * reconfigure, the filter apply, the probe) left it there while Pulumi recorded nothing, and adding it
 * again would fail on OPNsense's uniqueness checks or, for filter rules, make a second copy. The
 * adopted item is set to `fields`. An add whose answer was lost is looked up the same way before each
 * retry.
 */
export async function addItem(
  connection: Connection,
  model: ItemModel,
  fields: Fields,
  policy: RetryPolicy,
): Promise<Added> {
  const adopt = async (): Promise<Added | undefined> => {
    const existing = await findByIdentity(connection, model, fields, policy);
    if (!existing) return undefined;
    await setItem(connection, model, existing, fields, policy);
    return { uuid: existing, adopted: true };
  };
  const first = await adopt();
  if (first) return first;
  const once: RetryPolicy = { ...policy, retries: 0 };
  let lastError: unknown;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, policy.backoffMs * 2 ** (attempt - 1)));
      const existing = await findByIdentity(connection, model, fields, policy);
      if (existing) return { uuid: existing, adopted: false };
    }
    try {
      const saved = checkSaved(
        model,
        await call(connection, "POST", `${model.base}/${model.commands.add}`, { [model.key]: fields }, once),
        "add",
      );
      if (!saved.uuid) throw new OpnsenseError(`OPNsense saved the ${model.label} but returned no uuid`);
      return { uuid: saved.uuid, adopted: false };
    } catch (error) {
      if (!(error instanceof OpnsenseUnavailableError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * The item's current values for the fields recorded in `recorded` (see liveFields), or undefined
 * when it no longer exists. A get of an unknown uuid answers `[]` on most controllers; the alias
 * controller fails with HTTP 500 instead (AliasController::getItemAction reads the content of the
 * empty answer), so a 500 is checked against search before it counts as an error.
 */
export async function getItem(
  connection: Connection,
  model: ItemModel,
  uuid: string,
  recorded: Fields,
  policy: RetryPolicy,
): Promise<Fields | undefined> {
  let answer: Record<string, unknown>;
  try {
    answer = (await call(
      connection,
      "GET",
      `${model.base}/${model.commands.get}/${uuid}`,
      undefined,
      policy,
    )) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof OpnsenseServerError && !(await exists(connection, model, uuid, recorded, policy))) {
      return undefined;
    }
    throw error;
  }
  const item = answer[model.key];
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  return liveFields(item as Record<string, unknown>, Object.keys(recorded), recorded, model.lists);
}

async function exists(
  connection: Connection,
  model: ItemModel,
  uuid: string,
  fields: Fields,
  policy: RetryPolicy,
): Promise<boolean> {
  return (await searchAll(connection, model, fields, policy)).some((row) => row.uuid === uuid);
}

/** Every row the model's search lists for an item with these fields (see ItemModel.searchBy). */
async function searchAll(
  connection: Connection,
  model: ItemModel,
  fields: Fields,
  policy: RetryPolicy,
): Promise<Record<string, unknown>[]> {
  const by = Object.fromEntries((model.searchBy ?? []).map((field) => [field, fields[field] ?? ""]));
  const answer = (await call(
    connection,
    "POST",
    `${model.base}/${model.commands.search}`,
    { current: 1, rowCount: -1, ...by },
    policy,
  )) as { rows?: Record<string, unknown>[] };
  // From 26.7 the rule search also lists the rules pf gets from outside the model (legacy and
  // automatic ones, `legacy: true`, their pf label as `uuid`; Firewall/Api/FilterController.php
  // searchRuleAction, scripts/filter/list_non_mvc_rules.php): not items, never adopted or matched.
  return (answer.rows ?? []).filter((row) => row.legacy !== true);
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
  let answer: { result?: string };
  try {
    answer = (await call(connection, "POST", `${model.base}/${model.commands.del}/${uuid}`, {}, policy)) as {
      result?: string;
    };
  } catch (error) {
    if (error instanceof OpnsenseServerError && error.userException && model.base === VLAN_BASE) {
      throw await explainAssignedVlan(connection, uuid, policy, error);
    }
    throw error;
  }
  if (answer.result !== "deleted" && answer.result !== "not found") {
    throw new OpnsenseError(
      `OPNsense did not delete the ${model.label} ${uuid}: ${JSON.stringify(answer).slice(0, 300)}`,
    );
  }
}

const VLAN_BASE = "interfaces/vlan_settings";

/**
 * OPNsense refuses to delete a VLAN device that is assigned ("This VLAN cannot be deleted because it
 * is assigned as an interface.", VlanSettingsController::delItemAction) without saying to which
 * interface: look it up (the device from get_item, its assignment from interfaces/overview/export)
 * and say what to unassign. Best effort: the refusal stands if the lookup fails.
 */
async function explainAssignedVlan(
  connection: Connection,
  uuid: string,
  policy: RetryPolicy,
  refusal: OpnsenseServerError,
): Promise<OpnsenseServerError> {
  if (!/assigned/i.test(refusal.errorMessage)) return refusal;
  let where = "";
  try {
    const item = (await call(connection, "GET", `${VLAN_BASE}/get_item/${uuid}`, undefined, policy)) as {
      vlan?: { vlanif?: unknown; tag?: unknown; if?: unknown };
    };
    const device = typeof item.vlan?.vlanif === "string" ? item.vlan.vlanif : "";
    const overview = (await call(connection, "GET", "interfaces/overview/export", undefined, policy)) as
      | { device?: string; identifier?: string; description?: string }[]
      | { rows?: { device?: string; identifier?: string; description?: string }[] };
    const rows = Array.isArray(overview) ? overview : (overview.rows ?? []);
    const row = rows.find((candidate) => candidate.device === device && candidate.identifier);
    where = row
      ? `VLAN device ${device} (tag ${flattenValue(item.vlan?.tag)} on ${flattenValue(item.vlan?.if)}) is ` +
        `assigned to interface ${row.description ?? row.identifier} (${row.identifier}).`
      : device
        ? `VLAN device ${device} is assigned to an interface.`
        : "";
  } catch {
    // The refusal is what matters; the lookup only adds the interface's name.
  }
  return new OpnsenseServerError(
    refusal.path,
    refusal.status,
    refusal.errorMessage,
    refusal.errorTitle,
    [
      where,
      "Remove that interface under Interfaces > Assignments on the firewall, then run again;",
      "or keep the network in fortress:networks.",
    ]
      .filter((part) => part !== "")
      .join(" "),
  );
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
