/** Config problems as the admin sees them: the `fortress:` path, what is wrong, and what to do. */
import { RunError } from "@pulumi/pulumi";

export interface ConfigIssue {
  /** Path under the `fortress:` namespace, e.g. `networks[2].cidr`. */
  readonly path: string;
  readonly message: string;
  readonly hint: string;
}

/** A key that is not a plain name (blank, spaced, quoted, dotted) is written as a JSON string, so that it shows. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, segment, index) => {
    if (typeof segment === "number") return `${acc}[${segment}]`;
    const key = String(segment);
    if (/^[A-Za-z_][\w-]*$/.test(key)) return index === 0 ? key : `${acc}.${key}`;
    return index === 0 ? JSON.stringify(key) : `${acc}[${JSON.stringify(key)}]`;
  }, "");
}

/** A RunError, so that `pulumi up` prints the problems without a stack trace. */
export class ConfigError extends RunError {
  /** The exit code of `npm run plan` for an invalid config. */
  static readonly EXIT_CODE = 2;

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(renderIssues(issues));
    this.name = "ConfigError";
  }
}

export function renderIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map(
    (issue) => `  fortress:${issue.path}: ${issue.message}\n      hint: ${issue.hint}`,
  );
  const noun = issues.length === 1 ? "problem" : "problems";
  return `The stack config has ${issues.length} ${noun}; nothing was deployed.\n${lines.join("\n")}`;
}
