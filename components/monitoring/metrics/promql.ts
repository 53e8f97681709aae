/**
 * The metric names a PromQL expression reads, for the tests that check every rule and dashboard
 * query names only metrics some producer exposes. A small lexer after Prometheus's own
 * (prometheus/prometheus@v3.14.0:promql/parser/lex.go): strings, numbers and durations, label
 * matchers in `{…}`, ranges and subqueries in `[…]`, grouping label lists after
 * by/without/on/ignoring/group_left/group_right, and function or aggregation names (an identifier
 * followed by `(`, or an aggregation followed by `by`/`without`) are not metric names; any other
 * identifier that is not a keyword is one, and so is a `__name__="…"` matcher or a quoted name in
 * braces (`{"name"}`, Prometheus 3).
 */

type Token =
  | { readonly kind: "ident"; readonly text: string }
  | { readonly kind: "string"; readonly text: string }
  | { readonly kind: "number" }
  | { readonly kind: "punct"; readonly text: string };

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "atan2",
  "bool",
  "offset",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "inf",
  "nan",
]);

/** promql/parser/lex.go `key` ItemType aggregators. */
const AGGREGATORS = new Set([
  "sum",
  "avg",
  "count",
  "min",
  "max",
  "group",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "count_values",
  "quantile",
  "limitk",
  "limit_ratio",
]);

const GROUPING = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);

const IDENT = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const NUMBER =
  /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+(?:ms|[smhdwy]))+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/;
const PUNCT = /^(?:=~|!~|!=|==|<=|>=|[-+*/%^<>=(){}[\],@:])/;

function readString(expr: string, start: number): { text: string; end: number } {
  const quote = expr[start];
  let text = "";
  let i = start + 1;
  while (i < expr.length && expr[i] !== quote) {
    if (expr[i] === "\\" && quote !== "`") {
      i += 1;
    }
    text += expr[i] ?? "";
    i += 1;
  }
  if (i >= expr.length) {
    throw new Error(`PromQL: unterminated string at ${start} in ${JSON.stringify(expr)}`);
  }
  return { text, end: i + 1 };
}

/** The expression's tokens; throws on a character PromQL does not know. */
export function tokenize(expr: string): readonly Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const rest = expr.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith("#")) {
      const eol = rest.indexOf("\n");
      i += eol === -1 ? rest.length : eol;
      continue;
    }
    if (rest[0] === '"' || rest[0] === "'" || rest[0] === "`") {
      const { text, end } = readString(expr, i);
      tokens.push({ kind: "string", text });
      i = end;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number && /^[0-9.]/.test(rest)) {
      tokens.push({ kind: "number" });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: "ident", text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCT.exec(rest);
    if (punct) {
      tokens.push({ kind: "punct", text: punct[0] });
      i += punct[0].length;
      continue;
    }
    throw new Error(`PromQL: unexpected ${JSON.stringify(rest[0])} at ${i} in ${JSON.stringify(expr)}`);
  }
  return tokens;
}

const isPunct = (token: Token | undefined, text: string): boolean =>
  token?.kind === "punct" && token.text === text;

/** The index just past the bracket matching the one at `open`. */
function skipBracket(tokens: readonly Token[], open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    if (isPunct(tokens[i], left)) depth += 1;
    if (isPunct(tokens[i], right)) depth -= 1;
    if (depth === 0) return i + 1;
  }
  throw new Error(`PromQL: unbalanced ${left}`);
}

/** The metric names named inside a label-matcher block `{…}` (`__name__="x"`, or a quoted `"x"`). */
function namesInMatchers(tokens: readonly Token[], open: number, close: number): string[] {
  const names: string[] = [];
  for (let i = open + 1; i < close - 1; i += 1) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token?.kind === "ident" && token.text === "__name__" && isPunct(next, "=")) {
      const value = tokens[i + 2];
      if (value?.kind === "string") names.push(value.text);
    }
    const previous = tokens[i - 1];
    const startsMatcher = isPunct(previous, "{") || isPunct(previous, ",");
    if (token?.kind === "string" && startsMatcher && (isPunct(next, ",") || isPunct(next, "}"))) {
      names.push(token.text);
    }
  }
  return names;
}

/** The distinct metric names `expr` reads, in order of first appearance. */
export function metricNamesIn(expr: string): readonly string[] {
  const tokens = tokenize(expr);
  const names: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (isPunct(token, "{")) {
      const end = skipBracket(tokens, i, "{", "}");
      names.push(...namesInMatchers(tokens, i, end));
      i = end;
    } else if (isPunct(token, "[")) {
      i = skipBracket(tokens, i, "[", "]");
    } else if (token.kind === "ident" && GROUPING.has(token.text.toLowerCase()) && isPunct(next, "(")) {
      i = skipBracket(tokens, i + 1, "(", ")");
    } else if (token.kind === "ident") {
      const lower = token.text.toLowerCase();
      const isCall = isPunct(next, "(");
      const isAggregation =
        AGGREGATORS.has(lower) && next?.kind === "ident" && GROUPING.has(next.text.toLowerCase());
      if (!isCall && !isAggregation && !KEYWORDS.has(lower)) names.push(token.text);
      i += 1;
    } else {
      i += 1;
    }
  }
  return [...new Set(names)];
}
