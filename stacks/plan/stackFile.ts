/**
 * A `Pulumi.<stack>.yaml` read as text: a file that is not YAML, or not a stack file, is refused here
 * with its line, column and a hint, before any key is looked at.
 */
import * as yaml from "js-yaml";
import { ConfigError } from "../config/errors";

/** A stack file that cannot be read as one; `npm run plan` exits with ConfigError.EXIT_CODE. */
export class StackFileError extends Error {
  static readonly EXIT_CODE = ConfigError.EXIT_CODE;

  constructor(
    readonly file: string,
    /** 1-based, when the parser knows where. */
    readonly position: { readonly line: number; readonly column: number } | undefined,
    readonly problem: string,
    readonly hint: string,
  ) {
    const where = position ? `${file}:${position.line}:${position.column}` : file;
    super(`The stack file is not valid; nothing was deployed.\n  ${where}: ${problem}\n      hint: ${hint}`);
    this.name = "StackFileError";
  }
}

/** A line git writes into a file with a merge conflict (`git merge`, `git rebase`, `git stash pop`). */
const CONFLICT_MARKER = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/;

/** Hints for js-yaml's reasons (js-yaml lib/loader.js `throwError` calls), by the start of the reason. */
const YAML_HINTS: readonly (readonly [string, string])[] = [
  ["tab characters must not be used in indentation", "indent with spaces: YAML does not allow tabs in indentation"],
  ["duplicated mapping key", "this key appears twice in the same mapping: keep one of them"],
  ["expected a single document", "a stack file is one YAML document: remove the `---` line and what follows it"],
];

function yamlHint(reason: string): string {
  const known = YAML_HINTS.find(([start]) => reason.startsWith(start));
  return (
    known?.[1] ??
    "fix the YAML at this position: check indentation (spaces only), colons after keys, and quotes around values with `: ` or `#`"
  );
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const EXAMPLE_HINT = "a stack file is a top-level `config:` mapping of keys such as fortress:lab (see Pulumi.home.yaml)";

/** The `config:` mapping of a stack file, or a StackFileError that says what is wrong and where. */
export function stackConfigMapping(text: string, file: string): Record<string, unknown> {
  const lines = text.split(/\r?\n/);
  const conflict = lines.findIndex((line) => CONFLICT_MARKER.test(line));
  if (conflict >= 0) {
    throw new StackFileError(
      file,
      { line: conflict + 1, column: 1 },
      "holds a merge-conflict marker",
      "resolve the conflict: keep the right lines and delete the <<<<<<<, ======= and >>>>>>> marker lines",
    );
  }
  let document: unknown;
  try {
    document = yaml.load(text, { filename: file });
  } catch (error) {
    // Anything else js-yaml throws (a RangeError on absurd nesting) is still a file it cannot read.
    if (!(error instanceof yaml.YAMLException)) {
      throw new StackFileError(file, undefined, `is not valid YAML: ${(error as Error).message}`, yamlHint(""));
    }
    const mark = error.mark as { line?: number; column?: number } | undefined;
    const position =
      mark?.line === undefined || mark.column === undefined
        ? undefined
        : { line: mark.line + 1, column: mark.column + 1 };
    throw new StackFileError(file, position, `is not valid YAML: ${error.reason}`, yamlHint(error.reason));
  }
  if (document === undefined || document === null) {
    throw new StackFileError(file, undefined, "is empty", EXAMPLE_HINT);
  }
  if (!isMapping(document) || !("config" in document)) {
    throw new StackFileError(file, { line: 1, column: 1 }, "has no top-level `config:` mapping", EXAMPLE_HINT);
  }
  const config = document.config;
  if (!isMapping(config)) {
    const line = lines.findIndex((text) => /^config\s*:/.test(text));
    throw new StackFileError(
      file,
      line >= 0 ? { line: line + 1, column: 1 } : undefined,
      `\`config:\` is ${config === null ? "empty" : Array.isArray(config) ? "a list" : "a single value"}, not a mapping of keys`,
      EXAMPLE_HINT,
    );
  }
  return config;
}
