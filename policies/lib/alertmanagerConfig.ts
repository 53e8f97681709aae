/**
 * What `amtool check-config` (Debian's 0.25) refuses in an Alertmanager configuration, as Fortress
 * writes it, plus Fortress's own rules: secrets only as `*_file`, and only self-hostable receivers
 * (webhook, email). From prometheus/alertmanager@v0.25.0:
 * - config/config.go `Load`: `yaml.UnmarshalStrict` (a field outside Config {global, route,
 *   inhibit_rules, receivers, templates, mute_time_intervals, time_intervals}, Route, InhibitRule,
 *   Receiver fails); a route must exist, the root route needs a receiver, no matchers and no `continue`;
 *   every receiver a route names must be defined, receiver names unique and not empty; `group_by` label
 *   names valid, unique, `...` alone; `group_interval`/`repeat_interval` not zero; `equal` label names
 *   valid; an email config needs `smarthost` and `from` when `global` has none.
 * - config/notifiers.go: WebhookConfig {send_resolved, http_config, url, max_alerts} (no `timeout`,
 *   no `url_file` in 0.25), url http(s) with a host; EmailConfig needs `to`.
 * - pkg/labels/parse.go ParseMatcher: `name op value`, op one of = != =~ !~, a valid label name.
 */
import { LABEL_NAME, validDuration } from "./promRules";

type Record_ = Record<string, unknown>;
const asRecord = (value: unknown): Record_ | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record_) : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const TOP = new Set([
  "global",
  "route",
  "inhibit_rules",
  "receivers",
  "templates",
  "mute_time_intervals",
  "time_intervals",
]);
const ROUTE = new Set([
  "receiver",
  "group_by",
  "match",
  "match_re",
  "matchers",
  "mute_time_intervals",
  "active_time_intervals",
  "continue",
  "routes",
  "group_wait",
  "group_interval",
  "repeat_interval",
]);
const INHIBIT = new Set([
  "source_match",
  "source_match_re",
  "source_matchers",
  "target_match",
  "target_match_re",
  "target_matchers",
  "equal",
]);
const GLOBAL = new Set([
  "resolve_timeout",
  "http_config",
  "smtp_from",
  "smtp_hello",
  "smtp_smarthost",
  "smtp_auth_username",
  "smtp_auth_password_file",
  "smtp_auth_identity",
  "smtp_require_tls",
]);
const WEBHOOK = new Set(["send_resolved", "http_config", "url", "max_alerts"]);
const EMAIL = new Set([
  "send_resolved",
  "to",
  "from",
  "hello",
  "smarthost",
  "auth_username",
  "auth_password_file",
  "auth_identity",
  "headers",
  "html",
  "text",
  "require_tls",
  "tls_config",
]);
/** Keys that would put a secret in the YAML itself; Fortress uses their `_file` forms. */
const INLINE_SECRETS = new Set([
  "auth_password",
  "auth_secret",
  "smtp_auth_password",
  "smtp_auth_secret",
  "credentials",
  "password",
  "bearer_token",
]);
const MATCHER = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*("(?:[^"\\]|\\.)*"|[^"]*)\s*$/;

function unknownFields(at: string, value: Record_, known: ReadonlySet<string>): string[] {
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => `${at}: field ${key} not found`);
}

function matcherProblems(at: string, matchers: unknown): string[] {
  return list(matchers).flatMap((matcher) => {
    const parsed = typeof matcher === "string" ? MATCHER.exec(matcher) : null;
    if (!parsed) return [`${at}: bad matcher format: ${String(matcher)}`];
    if (parsed[2] === "=~" || parsed[2] === "!~") {
      const raw = (parsed[3] ?? "").replace(/^"|"$/g, "");
      try {
        new RegExp(`^(?:${raw})$`);
      } catch {
        return [`${at}: invalid regular expression in ${matcher}`];
      }
    }
    return [];
  });
}

function labelNames(at: string, what: string, names: unknown, allowAll: boolean): string[] {
  const values = list(names);
  const problems = values
    .filter((name) => !(typeof name === "string" && (LABEL_NAME.test(name) || (allowAll && name === "..."))))
    .map((name) => `${at}: invalid label name ${String(name)} in ${what}`);
  if (new Set(values).size !== values.length) problems.push(`${at}: duplicated label in ${what}`);
  if (allowAll && values.includes("...") && values.length > 1)
    problems.push(`${at}: cannot have wildcard group_by (\`...\`) and other labels at the same time`);
  return problems;
}

function routeProblems(at: string, value: unknown, receivers: ReadonlySet<string>, root: boolean): string[] {
  const route = asRecord(value);
  if (!route) return [`${at}: no routes provided`];
  const problems = unknownFields(at, route, ROUTE);
  if (root) {
    if (!route.receiver) problems.push(`${at}: root route must specify a default receiver`);
    if (route.matchers || route.match || route.match_re)
      problems.push(`${at}: root route must not have any matchers`);
    if (route.continue) problems.push(`${at}: cannot have continue in root route`);
  }
  if (route.receiver !== undefined && !receivers.has(String(route.receiver)))
    problems.push(`${at}: undefined receiver "${String(route.receiver)}" used in route`);
  problems.push(...labelNames(at, "group_by", route.group_by, true), ...matcherProblems(at, route.matchers));
  for (const key of ["group_wait", "group_interval", "repeat_interval"])
    if (route[key] !== undefined && !validDuration(route[key]))
      problems.push(`${at}: ${key} is not a duration`);
  for (const key of ["group_interval", "repeat_interval"])
    if (typeof route[key] === "string" && /^0+[a-z]*$/.test(route[key] as string))
      problems.push(`${at}: ${key} cannot be zero`);
  list(route.routes).forEach((child, index) =>
    problems.push(...routeProblems(`${at}.routes[${index}]`, child, receivers, false)),
  );
  return problems;
}

function httpUrl(value: unknown): boolean {
  try {
    const url = new URL(String(value));
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function receiverProblems(at: string, receiver: Record_, global: Record_): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(receiver))
    if (key !== "name" && key !== "webhook_configs" && key !== "email_configs")
      problems.push(
        `${at}: ${key} is not a self-hostable receiver Fortress allows (webhook_configs, email_configs)`,
      );
  list(receiver.webhook_configs).forEach((item, index) => {
    const webhook = asRecord(item) ?? {};
    const where = `${at}.webhook_configs[${index}]`;
    problems.push(...unknownFields(where, webhook, WEBHOOK));
    if (webhook.url === undefined) problems.push(`${where}: missing URL in webhook config`);
    else if (!httpUrl(webhook.url)) problems.push(`${where}: scheme required for webhook url`);
  });
  list(receiver.email_configs).forEach((item, index) => {
    const email = asRecord(item) ?? {};
    const where = `${at}.email_configs[${index}]`;
    problems.push(...unknownFields(where, email, EMAIL));
    if (!email.to) problems.push(`${where}: missing to address in email config`);
    if (!email.smarthost && !global.smtp_smarthost) problems.push(`${where}: no global SMTP smarthost set`);
    if (!email.from && !global.smtp_from) problems.push(`${where}: no global SMTP from set`);
  });
  return problems;
}

function inlineSecrets(at: string, value: unknown, out: string[] = []): string[] {
  const map = asRecord(value);
  if (map)
    for (const [key, item] of Object.entries(map)) {
      if (INLINE_SECRETS.has(key))
        out.push(`${at}: ${key} puts a secret in the configuration; use ${key}_file`);
      inlineSecrets(at, item, out);
    }
  else for (const item of list(value)) inlineSecrets(at, item, out);
  return out;
}

/** Problems of an Alertmanager configuration (parsed YAML); empty when none. */
export function alertmanagerProblems(where: string, config: unknown): string[] {
  const doc = asRecord(config);
  if (!doc) return [`${where}: not an Alertmanager configuration`];
  const global = asRecord(doc.global) ?? {};
  const problems = [...unknownFields(where, doc, TOP), ...unknownFields(`${where} global`, global, GLOBAL)];
  const names = new Set<string>();
  list(doc.receivers).forEach((item, index) => {
    const receiver = asRecord(item) ?? {};
    const name = typeof receiver.name === "string" ? receiver.name : "";
    if (!name) problems.push(`${where} receivers[${index}]: missing name in receiver`);
    else if (names.has(name)) problems.push(`${where}: notification config name "${name}" is not unique`);
    names.add(name);
    problems.push(...receiverProblems(`${where} receiver ${name}`, receiver, global));
  });
  if (doc.route === undefined) problems.push(`${where}: no route provided in config`);
  else problems.push(...routeProblems(`${where} route`, doc.route, names, true));
  list(doc.inhibit_rules).forEach((item, index) => {
    const rule = asRecord(item) ?? {};
    const at = `${where} inhibit_rules[${index}]`;
    problems.push(
      ...unknownFields(at, rule, INHIBIT),
      ...matcherProblems(at, rule.source_matchers),
      ...matcherProblems(at, rule.target_matchers),
      ...labelNames(at, "equal", rule.equal, false),
    );
  });
  return [...problems, ...inlineSecrets(where, doc)];
}
