/**
 * A command line read against a table of options: the same table drives the parsing, the checks of
 * each value and the usage text, so adding an option is one entry. Every misuse comes back as one
 * line that says what is wrong; the caller prints it with the usage.
 */
import { parseArgs } from "node:util";

export interface OptionSpec<T> {
  /** The long flag without its dashes: `config` for `--config`. */
  readonly name: string;
  /** The field of the parsed options it sets. */
  readonly field: keyof T & string;
  /** What the value is, as the usage shows it (`DIR`); absent for a flag that takes no value. */
  readonly value?: string;
  readonly default?: string;
  readonly help: string;
  /** Why the value cannot be used (one line), or undefined when it can. */
  readonly check?: (value: string, flag: string) => string | undefined;
}

export type CommandLine<T> =
  | { readonly kind: "options"; readonly options: T }
  | { readonly kind: "help" }
  | { readonly kind: "misuse"; readonly reason: string };

const HELP = "help";

/** The usage: a synopsis, one line per option (`--help` last) and whatever the command adds (exit codes). */
export function renderUsage<T>(command: string, specs: readonly OptionSpec<T>[], footer = ""): string {
  const rows = [
    ...specs.map((spec) => ({
      flag: `--${spec.name}${spec.value ? ` ${spec.value}` : ""}`,
      help: `${spec.help}${spec.default === undefined ? "" : ` (default: ${spec.default})`}`,
    })),
    { flag: `--${HELP}`, help: "print this help and exit" },
  ];
  const width = Math.max(...rows.map((row) => row.flag.length));
  const lines = rows.map((row) => `  ${row.flag.padEnd(width)}  ${row.help}`);
  return `usage: ${command} [options]\n${lines.join("\n")}\n${footer}`;
}

type Token = ReturnType<typeof parseArgs>["tokens"] extends (infer U)[] | undefined ? U : never;

/** Why one token cannot be taken, or undefined. */
function misuseOf<T>(token: Token, specs: readonly OptionSpec<T>[], seen: Set<string>): string | undefined {
  if (token.kind === "positional") {
    return `unexpected argument ${JSON.stringify(token.value)}: every value follows its option (--config FILE)`;
  }
  if (token.kind !== "option") return undefined;
  const spec = specs.find((candidate) => candidate.name === token.name);
  if (!spec && token.name !== HELP) return `unknown option ${token.rawName}`;
  if (seen.has(token.name)) return `${token.rawName} is given twice`;
  seen.add(token.name);
  if (!spec?.value) return token.value === undefined ? undefined : `${token.rawName} takes no value`;
  if (token.value === undefined || token.value === "")
    return `${token.rawName} needs a value (${spec.value})`;
  // Node's parseArgs, when not strict, takes `--out` in `--config --out DIR` as the value of --config.
  if (!token.inlineValue && token.value.startsWith("-")) {
    return `${token.rawName} needs a value (${spec.value}), not the option ${token.value} (write ${token.rawName}=${token.value} for a file so named)`;
  }
  return spec.check?.(token.value, token.rawName);
}

export function parseCommandLine<T>(
  argv: readonly string[],
  specs: readonly OptionSpec<T>[],
): CommandLine<T> {
  // Not strict: node's own messages for a misuse span several lines; misuseOf writes one.
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      specs.map((spec) => [spec.name, { type: spec.value ? ("string" as const) : ("boolean" as const) }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === "option" && token.name === HELP)) return { kind: "help" };
  const seen = new Set<string>();
  const values = new Map<string, string | boolean>();
  for (const token of tokens) {
    const reason = misuseOf(token, specs, seen);
    if (reason) return { kind: "misuse", reason };
    if (token.kind === "option") values.set(token.name, token.value ?? true);
  }
  for (const spec of specs) {
    const defaulted = spec.default;
    if (values.has(spec.name) || defaulted === undefined) continue;
    const reason = spec.check?.(defaulted, `--${spec.name}`);
    if (reason) return { kind: "misuse", reason };
    values.set(spec.name, defaulted);
  }
  const options = Object.fromEntries(
    specs.flatMap((spec) => (values.has(spec.name) ? [[spec.field, values.get(spec.name)]] : [])),
  );
  return { kind: "options", options: options as T };
}
