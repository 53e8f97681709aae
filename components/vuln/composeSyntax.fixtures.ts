/**
 * Docker Compose's `.env` parser and interpolation, for the vuln layer's tests, written from compose's own
 * source (the loader docker-compose-plugin 2.39 builds on), not from Fortress's renderers:
 * - parseDotEnv: compose-spec/compose-go@v2.8.1:dotenv/parser.go (parse, getStatementStart,
 *   locateKeyName, extractVarValue): `#` lines and blank lines skipped, the key up to `=` or `:` of
 *   `[A-Za-z0-9_.-[\]]` characters, an unquoted value up to the newline, less an inline ` #` comment and
 *   trailing space, then variables expanded; quoted values are not written by Fortress and are refused here.
 * - interpolate: compose-spec/compose-go@v2.8.1:template/template.go (DefaultPattern; `${VAR:?err}`
 *   withRequired: unset or empty is `required variable VAR is missing a value: err`; `${VAR}` unset is
 *   an empty string; `$$` a literal `$`).
 */

const KEY_CHAR = /^[\p{L}\p{N}_.\-[\]]$/u;

export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let line = 0;
  for (const raw of text.split("\n")) {
    line += 1;
    const statement = raw.replace(/^\s+/, "");
    if (statement === "" || statement.startsWith("#")) continue;
    const end = [...statement].findIndex((char) => char === "=" || char === ":");
    if (end < 0) throw new Error(`line ${line}: no '=' (an inherited variable)`);
    const key = statement.slice(0, end).trimEnd();
    for (const char of key)
      if (!KEY_CHAR.test(char))
        throw new Error(`line ${line}: unexpected character "${char}" in variable name`);
    const rest = statement.slice(end + 1).replace(/^[ \t]+/, "");
    if (rest.startsWith('"') || rest.startsWith("'")) throw new Error(`line ${line}: a quoted value`);
    const value = (rest.split(" #")[0] ?? "").trimEnd();
    out[key] = interpolate(value, out);
  }
  return out;
}

const PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)\}|()))/gi;

export function interpolate(template: string, env: Readonly<Record<string, string>>): string {
  return template.replace(
    PATTERN,
    (_match, escaped?: string, named?: string, braced?: string, _rest?: string, invalid?: string) => {
      if (escaped) return "$";
      if (invalid !== undefined) throw new Error(`Invalid template: ${JSON.stringify(template)}`);
      const substitution = (named ?? braced) as string;
      if (substitution.includes(":?")) {
        const [name, reason] = [
          substitution.slice(0, substitution.indexOf(":?")),
          substitution.slice(substitution.indexOf(":?") + 2),
        ];
        const value = env[name];
        if (value === undefined || value === "")
          throw new Error(`required variable ${name} is missing a value: ${interpolate(reason, env)}`);
        return value;
      }
      if (/[-+?]/.test(substitution)) throw new Error(`not modelled here: ${substitution}`);
      return env[substitution] ?? "";
    },
  );
}
