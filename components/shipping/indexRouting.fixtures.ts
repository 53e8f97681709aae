/**
 * Test doubles that run what vectorConfig.ts renders for index routing, without Vector on this
 * machine: the log-name statements of a remap program (VRL) and a sink's `bulk.index` template.
 * Each construct is implemented as its vendor source defines it, and anything else is refused, so a
 * change to the rendered VRL or template that these do not understand fails the test instead of
 * passing unseen.
 * - VRL (vectordotdev/vrl@33fec9b, the VRL of Vector 0.57.0): src/stdlib/string.rs (error unless the
 *   value is a string; `??` takes the fallback), replace.rs (regex `replace_all` when count is -1,
 *   the default), downcase.rs (`to_lowercase`), truncate.rs (first `limit` characters, no suffix).
 * - Templates (vectordotdev/vector@v0.57.0 src/template.rs): `{{ path }}` parts by the regex
 *   `\{\{(?P<key>[^\}]+)\}\}` with the key trimmed, a missing key fails the render
 *   (`MissingKeys`, the event is dropped); strftime on the literal parts with the event's timestamp;
 *   `literal_prefix` (up to the first `{{` or `%`) and `PrefixChecker::confine` (the rendered value
 *   starts with that prefix and has no `..` segment between `/`).
 */

const VARIABLE = "log_name";

type Statement = (value: string, event: Readonly<Record<string, unknown>>) => string;

/** One rendered VRL line that reads or writes the log-name variable, as a function of its value. */
function statement(line: string): Statement | "result" {
  let match = /^log_name = string\(\.(\w+)\) \?\? "([^"\\]*)"$/.exec(line);
  if (match) {
    const [, key, fallback] = match as unknown as [string, string, string];
    return (_, event) => (typeof event[key] === "string" ? (event[key] as string) : fallback);
  }
  match = /^log_name = replace\(log_name, r'([^']*)', "([^"\\$]*)"\)$/.exec(line);
  if (match) {
    const [, pattern, replacement] = match as unknown as [string, string, string];
    const regex = new RegExp(pattern, "gu");
    return (value) => value.replace(regex, replacement);
  }
  if (line === "log_name = downcase(log_name)") return (value) => value.toLowerCase();
  match = /^log_name = truncate\(log_name, (\d+)\)$/.exec(line);
  if (match) {
    const limit = Number(match[1]);
    return (value) => Array.from(value).slice(0, limit).join("");
  }
  match = /^if log_name == "([^"\\]*)" \{ log_name = "([^"\\]*)" \}$/.exec(line);
  if (match) {
    const [, when, then] = match as unknown as [string, string, string];
    return (value) => (value === when ? then : value);
  }
  if (/^\.[\w.]+ = log_name$/.test(line)) return "result";
  throw new Error(`VRL double: ${line} is no statement it knows`);
}

/**
 * The log-name statements of a remap program run on an event as the file source emits it (before
 * the line is merged): the field the program sets and its value. Lines that do not name the variable
 * are not run here (the parse and merge are checked on their own).
 */
export function evaluateLogName(
  program: string,
  event: Readonly<Record<string, unknown>>,
): { field: string; value: string } {
  let value: string | undefined;
  for (const line of program.split("\n").map((text) => text.trim())) {
    if (!new RegExp(`\\b${VARIABLE}\\b`).test(line)) continue;
    const step = statement(line);
    if (step === "result") {
      if (value === undefined) throw new Error("VRL double: log_name is read before it is set");
      return { field: (line.split(" = ")[0] as string).slice(1), value };
    }
    if (value === undefined && !line.startsWith(`${VARIABLE} = string(`))
      throw new Error(`VRL double: ${line} reads log_name before it is set`);
    value = step(value ?? "", event);
  }
  throw new Error("VRL double: the program sets no field from log_name");
}

function lookup(event: Readonly<Record<string, unknown>>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (at, key) => (typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined),
      event,
    );
}

function strftime(literal: string, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return literal.replace(/%(.)/g, (_, spec: string) => {
    if (spec === "Y") return String(at.getUTCFullYear());
    if (spec === "m") return pad(at.getUTCMonth() + 1);
    if (spec === "d") return pad(at.getUTCDate());
    throw new Error(`template double: %${spec} is no specifier it knows`);
  });
}

/** The literal prefix Vector confines a templated value to (template.rs `literal_prefix`). */
export function literalPrefix(template: string): string {
  const end = template.search(/\{\{|%/);
  return end < 0 ? template : template.slice(0, end);
}

/** A sink template rendered for an event at a timestamp, confined as Vector 0.57.0 confines it. */
export function renderTemplate(template: string, event: Readonly<Record<string, unknown>>, at: Date): string {
  let out = "";
  let last = 0;
  const missing: string[] = [];
  let dynamic = false;
  for (const match of template.matchAll(/\{\{([^}]+)\}\}/g)) {
    dynamic = true;
    out += strftime(template.slice(last, match.index), at);
    const key = (match[1] as string).trim();
    const value = lookup(event, key);
    if (value === undefined || value === null) missing.push(key);
    else out += typeof value === "string" ? value : JSON.stringify(value);
    last = match.index + match[0].length;
  }
  out += strftime(template.slice(last), at);
  if (missing.length > 0)
    throw new Error(`template double: missing keys ${missing.join(", ")} (event dropped)`);
  if (dynamic) {
    const base = literalPrefix(template);
    if (base === "") throw new Error("template double: no derivable base (refused at startup)");
    if (out.split("/").includes("..") || !out.startsWith(base))
      throw new Error(`template double: ${out} is outside ${base} (event dropped)`);
  }
  return out;
}
