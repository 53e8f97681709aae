/**
 * TheHive 5's query API for alerts, as the loopback TheHive answers it. Written from thehive4py
 * (TheHive-Project/TheHive4py 2.0.3): endpoints/alert.py `find` posts `POST /api/v1/query?name=alerts`
 * with `{"query": [{"_name": "listAlert"}, {"_name": "filter", ...}, {"_name": "sort", ...},
 * {"_name": "page", ...}]}` (endpoints/_base.py `_build_subquery`); query/filters.py spells the filters
 * `{"_eq": {"_field": f, "_value": v}}` (also `_ne`, `_lt`, `_gt`, `_lte`, `_gte`), `{"_and": [...]}`,
 * `{"_or": [...]}`, `{"_not": {...}}`; query/sort.py `{"_fields": [{"<field>": "asc"|"desc"}]}`;
 * query/page.py `{"from": n, "to": m}`. The answer is the list of alerts (types/alert.py OutputAlert:
 * `_id`, `_createdAt`, the input fields, `status`, …). A filter on a list field (`tags`) with `_eq`
 * matches when the list holds the value. Anything else is refused 400, as TheHive refuses a query it
 * cannot parse; the double does not pretend to know more.
 */
type Alert = Record<string, unknown>;
type Filter = Record<string, unknown>;

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  _lt: (a, b) => a < b,
  _gt: (a, b) => a > b,
  _lte: (a, b) => a <= b,
  _gte: (a, b) => a >= b,
};

function matches(alert: Alert, filter: Filter): boolean {
  const [operator, operand] = Object.entries(filter)[0] ?? [];
  if (operator === "_and") return (operand as Filter[]).every((part) => matches(alert, part));
  if (operator === "_or") return (operand as Filter[]).some((part) => matches(alert, part));
  if (operator === "_not") return !matches(alert, operand as Filter);
  const { _field: field, _value: value } = (operand ?? {}) as { _field?: string; _value?: unknown };
  if (typeof field !== "string") throw new Error(`Invalid filter ${JSON.stringify(filter)}`);
  const actual = alert[field];
  const equal = Array.isArray(actual) ? actual.includes(value) : actual === value;
  if (operator === "_eq") return equal;
  if (operator === "_ne") return !equal;
  const compare = operator ? COMPARE[operator] : undefined;
  if (!compare) throw new Error(`Invalid filter operator ${operator}`);
  return typeof actual === "number" && typeof value === "number" && compare(actual, value);
}

/** The alerts a query selects, or an error message (answered 400). */
export function queryAlerts(alerts: readonly Alert[], body: unknown): Alert[] | string {
  const query = (body as { query?: unknown } | undefined)?.query;
  if (!Array.isArray(query) || (query[0] as Filter | undefined)?._name !== "listAlert")
    return "Invalid query: the loopback TheHive answers listAlert queries only";
  let selected = [...alerts];
  try {
    for (const step of query.slice(1) as Filter[]) {
      const { _name: name, ...rest } = step;
      if (name === "filter") selected = selected.filter((alert) => matches(alert, rest));
      else if (name === "sort") {
        const fields = (rest._fields ?? []) as Record<string, string>[];
        for (const field of [...fields].reverse()) {
          const [key, order] = Object.entries(field)[0] ?? [];
          if (!key) continue;
          const sign = order === "desc" ? -1 : 1;
          selected.sort((a, b) => sign * (Number(a[key] ?? 0) - Number(b[key] ?? 0)));
        }
      } else if (name === "page") {
        selected = selected.slice(Number(rest.from ?? 0), Number(rest.to ?? selected.length));
      } else return `Invalid query step ${String(name)}`;
    }
  } catch (error) {
    return (error as Error).message;
  }
  return selected;
}

/** POST /api/v1/query over the double's stored alerts: the status and body TheHive answers. */
export function answerQuery(
  alerts: readonly { _id: string; createdAt: number; body: Record<string, unknown> }[],
  text: string,
): { status: number; body: unknown } {
  let query: unknown;
  try {
    query = JSON.parse(text);
  } catch {
    return { status: 400, body: { type: "BadRequest", message: "Invalid Json" } };
  }
  const found = queryAlerts(
    alerts.map((alert) => ({ _id: alert._id, _type: "Alert", _createdAt: alert.createdAt, ...alert.body })),
    query,
  );
  return typeof found === "string"
    ? { status: 400, body: { type: "BadRequest", message: found } }
    : { status: 200, body: found };
}
