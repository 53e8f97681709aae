/**
 * What `promtool check rules` (Debian's 2.42) refuses in a rule file, as far as it is checkable without
 * a PromQL parser, plus Fortress's own rule: every alert says its `severity` and `layer` and has a
 * summary and a description. From prometheus/prometheus@v2.42.0:
 * - model/rulefmt/rulefmt.go `Parse`: strict YAML (`decoder.KnownFields(true)`: a field outside
 *   RuleGroup {name, interval, limit, rules} or RuleNode {record, alert, expr, for, keep_firing_for,
 *   labels, annotations} fails; `query_offset` is a 3.x field 2.42 refuses); `Validate`: a group needs a
 *   name, unique in the file; a rule exactly one of record/alert, an expr; a recording rule no
 *   annotations and no `for`, and a valid metric name; label names valid and not `__name__`; annotation
 *   names valid.
 * - prometheus/common@v0.39.0 model.ParseDuration (`for`, `interval`): `^(\d+y)?(\d+w)?(\d+d)?(\d+h)?
 *   (\d+m)?(\d+s)?(\d+ms)?$`, not empty; label names `^[a-zA-Z_][a-zA-Z0-9_]*$`, metric names
 *   `^[a-zA-Z_:][a-zA-Z0-9_:]*$`.
 * - cmd/promtool/main.go `checkDuplicates` (`--lint=duplicate-rules`): two rules with the same name and
 *   the same labels.
 * An expression is only checked for balance (brackets, quotes) and for `holt_winters`, renamed in
 * Prometheus 3 (prometheus/prometheus@v3.1.0:docs/migration.md); promtool itself runs in the tests.
 */

import { K8S_PACKAGE } from "../../vocabulary/sdkTypes";

/** The operator's rule object (prometheus-operator pkg/apis/monitoring/v1 PrometheusRule: spec.groups). */
export const PROMETHEUS_RULE_TYPE = `${K8S_PACKAGE}:monitoring.coreos.com/v1:PrometheusRule`;

const GROUP_FIELDS = new Set(["name", "interval", "limit", "rules"]);
const RULE_FIELDS = new Set(["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
const DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const SEVERITIES = new Set(["critical", "warning", "info"]);

type Record_ = Record<string, unknown>;
const asRecord = (value: unknown): Record_ | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record_) : undefined;

export function validDuration(value: unknown): boolean {
  return typeof value === "string" && value !== "" && DURATION.test(value);
}

/** Brackets and string literals balance (PromQL strings: "…", '…', `…`). */
function balanced(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i] as string;
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += c !== "`" && expr[j] === "\\" ? 2 : 1;
      if (j >= expr.length) return false;
      i = j;
    } else if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
}

function mapProblems(at: string, what: string, value: unknown, reserved: boolean): string[] {
  if (value === undefined) return [];
  const map = asRecord(value);
  if (!map) return [`${at}: ${what} is not a map`];
  const problems: string[] = [];
  for (const [key, item] of Object.entries(map)) {
    if (!LABEL_NAME.test(key) || (reserved && key === "__name__"))
      problems.push(`${at}: invalid ${what.replace(/s$/, "")} name ${key}`);
    if (typeof item !== "string") problems.push(`${at}: ${what} ${key} is not a string`);
  }
  return problems;
}

function ruleProblems(at: string, rule: Record_): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(rule))
    if (!RULE_FIELDS.has(key)) problems.push(`${at}: field ${key} not found`);
  const { record, alert, expr } = rule;
  if (record && alert) problems.push(`${at}: only one of 'record' and 'alert' must be set`);
  if (!record && !alert) problems.push(`${at}: one of 'record' or 'alert' must be set`);
  if (typeof expr !== "string" || expr.trim() === "")
    problems.push(`${at}: field 'expr' must be set in rule`);
  else if (!balanced(expr))
    problems.push(`${at}: could not parse expression (unbalanced brackets or quotes)`);
  else if (/\bholt_winters\s*\(/.test(expr)) problems.push(`${at}: holt_winters is gone in Prometheus 3`);
  for (const key of ["for", "keep_firing_for"])
    if (rule[key] !== undefined && !validDuration(rule[key]))
      problems.push(`${at}: ${key} is not a duration`);
  if (record) {
    if (typeof record !== "string" || !METRIC_NAME.test(record))
      problems.push(`${at}: invalid recording rule name: ${String(record)}`);
    if (rule.annotations !== undefined) problems.push(`${at}: invalid field 'annotations' in recording rule`);
    if (rule.for !== undefined) problems.push(`${at}: invalid field 'for' in recording rule`);
  }
  problems.push(
    ...mapProblems(at, "labels", rule.labels, true),
    ...mapProblems(at, "annotations", rule.annotations, false),
  );
  if (alert) problems.push(...fortressAlertProblems(at, rule));
  return problems;
}

/** Fortress's contract (components/monitoring/contract.ts AlertRule): severity, layer, summary, description. */
function fortressAlertProblems(at: string, rule: Record_): string[] {
  const labels = asRecord(rule.labels) ?? {};
  const annotations = asRecord(rule.annotations) ?? {};
  const problems: string[] = [];
  if (typeof labels.severity !== "string" || !SEVERITIES.has(labels.severity))
    problems.push(`${at}: no severity label (critical, warning or info)`);
  if (typeof labels.layer !== "string" || labels.layer === "") problems.push(`${at}: no layer label`);
  for (const key of ["summary", "description"])
    if (typeof annotations[key] !== "string" || annotations[key] === "")
      problems.push(`${at}: no ${key} annotation`);
  return problems;
}

/** Problems of a rule file (`{groups: [...]}`, as a PrometheusRule's spec holds it); empty when none. */
export function ruleFileProblems(where: string, file: unknown): string[] {
  const doc = asRecord(file);
  if (!doc) return [`${where}: not a rule file`];
  const problems: string[] = [];
  for (const key of Object.keys(doc)) if (key !== "groups") problems.push(`${where}: field ${key} not found`);
  if (!Array.isArray(doc.groups)) return [...problems, `${where}: no groups`];
  const names = new Set<string>();
  const seen = new Set<string>();
  doc.groups.forEach((value, index) => {
    const group = asRecord(value);
    const at = `${where} group ${index + 1}`;
    if (!group) return void problems.push(`${at}: not a map`);
    for (const key of Object.keys(group))
      if (!GROUP_FIELDS.has(key)) problems.push(`${at}: field ${key} not found`);
    if (typeof group.name !== "string" || group.name === "")
      problems.push(`${at}: Groupname must not be empty`);
    else if (names.has(group.name))
      problems.push(`${at}: groupname: "${group.name}" is repeated in the same file`);
    else names.add(group.name);
    if (group.interval !== undefined && !validDuration(group.interval))
      problems.push(`${at}: interval is not a duration`);
    const rules = Array.isArray(group.rules) ? group.rules : [];
    rules.forEach((item, ruleIndex) => {
      const rule = asRecord(item);
      const ruleAt = `${at} (${String(group.name)}) rule ${ruleIndex + 1}`;
      if (!rule) return void problems.push(`${ruleAt}: not a map`);
      problems.push(...ruleProblems(ruleAt, rule));
      const key = `${String(rule.alert ?? rule.record)}\u0000${JSON.stringify(Object.entries(asRecord(rule.labels) ?? {}).sort())}`;
      if (seen.has(key))
        problems.push(`${ruleAt}: duplicate rule ${String(rule.alert ?? rule.record)} with the same labels`);
      seen.add(key);
    });
  });
  return problems;
}
