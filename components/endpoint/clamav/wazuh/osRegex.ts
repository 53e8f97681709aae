/* eslint-disable max-lines-per-function -- a statement-for-statement port of Wazuh's _OS_Regex, kept whole so it reads against the C */
/**
 * Wazuh's OS_Regex and OS_Match, ported line for line from wazuh/wazuh@v4.14.6 src/os_regex/
 * (os_regex_compile.c `OSRegex_Compile`, os_regex_execute.c `OSRegex_Execute_ex` and `_OS_Regex`,
 * os_match_compile.c `OSMatch_Compile`, os_match.c / os_regex_str.c, os_regex_maps.c, and
 * os_regex_internal.h), so that a test can say what the manager's analysisd does with a log line
 * instead of what a JavaScript RegExp would do. OS_Regex is not a backtracking regex: `\S+` runs until
 * the next token matches, with at most four saved restart points (`pt_error`), and that is what the
 * port keeps. It is checked against Wazuh's own test vectors
 * (src/unit_tests/os_regex/test_os_regex_execute.json) in osRegex.test.ts.
 *
 * C strings are read as code units with a virtual NUL past the end; pointers are indices.
 */

const NUL = 0;
const BACKSLASH = 0x5c;
const OPEN = 0x28; // '(' — os_regex_compile.c writes every ')' as '(' too
const PIPE = 0x7c;
const CARET = 0x5e;
const DOLLAR = 0x24;
const STAR = 0x2a;
const PLUS = 0x2b;

const BEGIN_SET = 0o200;
const END_SET = 0o400;
export const OS_CASE_SENSITIVE = 0o400;
export const OS_RETURN_SUBSTRING = 0o200;

/** os_regex_maps.c `charmap`: A–Z to a–z, every other byte to itself. */
const charmap = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

const isDigit = (c: number) => c >= 48 && c <= 57;
/** os_regex_maps.c regexmap row 2 (`\w`): 0-9 A-Z a-z, and - @ _. */
const isWord = (c: number) =>
  isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 0x2d || c === 0x40 || c === 0x5f;
/** os_regex_maps.c regexmap row 4 (`\p`). */
const PUNCT = new Set([..."!\"#$%&'()*+,-.:;<=>?[]{|}"].map((ch) => ch.charCodeAt(0)));

/** os_regex_maps.c `regexmap[x][y]`: x the code os_regex_compile.c gives an escape (1 = \d ... 15 = \<). */
function regexmap(x: number, y: number): boolean {
  switch (x) {
    case 0:
    case 1:
      return isDigit(y);
    case 2:
      return isWord(y);
    case 3:
      return y === 32;
    case 4:
      return PUNCT.has(y);
    case 5:
      return y === 0x28;
    case 6:
      return y === 0x29;
    case 7:
      return y === BACKSLASH;
    case 8:
      return !isDigit(y);
    case 9:
      return !isWord(y);
    case 10:
      return y !== 32;
    case 11:
      return true;
    case 12:
      return y === 9;
    case 13:
      return y === DOLLAR;
    case 14:
      return y === PIPE;
    case 15:
      return y === 0x3c;
    default:
      return false;
  }
}

/** os_regex_compile.c: the code each escape letter is replaced by. */
const ESCAPES: Readonly<Record<string, number>> = {
  d: 1,
  w: 2,
  s: 3,
  p: 4,
  "(": 5,
  ")": 6,
  "\\": 7,
  D: 8,
  W: 9,
  S: 10,
  ".": 11,
  t: 12,
  $: 13,
  "|": 14,
  "<": 15,
};

const isPlus = (c: number) => c === PLUS || c === STAR;

interface SubPattern {
  readonly code: readonly number[];
  readonly flags: number;
  /** Indices of the '(' (open and close) in `code`. */
  readonly closures: readonly number[];
}

export interface CompiledRegex {
  readonly raw: string;
  readonly patterns: readonly SubPattern[];
  readonly substrings: boolean;
}

export class OsRegexError extends Error {}

export function compileOsRegex(pattern: string, flags = 0): CompiledRegex {
  const work: number[] = [];
  let parenthesis = 0;
  let prtsSize = 0;
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern.charCodeAt(i);
    if (c === BACKSLASH) {
      const next = pattern[i + 1];
      const code = next === undefined ? undefined : ESCAPES[next];
      if (code === undefined) throw new OsRegexError(`OS_REGEX_BADREGEX: \\${next ?? ""} in ${pattern}`);
      work.push(BACKSLASH, code);
      i++;
      continue;
    } else if (c === OPEN) {
      parenthesis++;
    } else if (c === 0x29) {
      c = OPEN;
      parenthesis--;
      prtsSize++;
    }
    if (parenthesis !== 0 && parenthesis !== 1) throw new OsRegexError(`OS_REGEX_BADPARENTHESIS: ${pattern}`);
    if (!(flags & OS_CASE_SENSITIVE)) c = charmap(c);
    if (c === PIPE && parenthesis !== 0) throw new OsRegexError(`OS_REGEX_BADPARENTHESIS: ${pattern}`);
    work.push(c);
  }
  if (parenthesis !== 0) throw new OsRegexError(`OS_REGEX_BADPARENTHESIS: ${pattern}`);
  const substrings = prtsSize > 0 && (flags & OS_RETURN_SUBSTRING) !== 0;
  // Split on '|': an escape's code byte (1–15) is never one, so every 0x7c left is an OR.
  const patterns: SubPattern[] = [];
  let start = 0;
  for (let i = 0; i <= work.length; i++) {
    if (i === work.length || work[i] === PIPE) {
      let sub = work.slice(start, i);
      let subFlags = 0;
      if (sub[0] === CARET) {
        sub = sub.slice(1);
        subFlags |= BEGIN_SET;
      }
      if (sub.length > 0 && sub[sub.length - 1] === DOLLAR) {
        sub = sub.slice(0, -1);
        subFlags |= END_SET;
      }
      const closures = substrings ? sub.flatMap((code, index) => (code === OPEN ? [index] : [])) : [];
      patterns.push({ code: sub, flags: subFlags, closures });
      start = i + 1;
    }
  }
  return { raw: pattern, patterns, substrings };
}

/** A match: the index `_OS_Regex` returns (its `r_code`) and the captured groups. */
export interface OsRegexMatch {
  /** What is left of the line from the returned pointer on (Wazuh's tests call it end_match). */
  readonly rest: string;
  readonly end: number;
  readonly groups: readonly string[];
}

/** `OSRegex_Execute_ex`: the first sub-pattern that matches, with its substrings. */
export function execOsRegex(regex: CompiledRegex, str: string): OsRegexMatch | undefined {
  // analysisd works on the bytes of the line (UTF-8 as it arrives).
  const bytes = Buffer.from(str, "utf8");
  for (const sub of regex.patterns) {
    const prtsStr: (number | undefined)[] = sub.closures.map(() => undefined);
    const end = osRegexCore(sub.code, bytes, regex.substrings ? sub.closures : undefined, prtsStr, sub.flags);
    if (end === undefined) continue;
    const groups: string[] = [];
    if (regex.substrings) {
      // "We must always have the open and the close": pairs, two by two.
      for (let j = 0; prtsStr[j] !== undefined && prtsStr[j + 1] !== undefined; j += 2) {
        groups.push(bytes.subarray(prtsStr[j], prtsStr[j + 1]).toString("utf8"));
      }
    }
    return { end, rest: bytes.subarray(end).toString("utf8"), groups };
  }
  return undefined;
}

/** `_OS_Regex`, statement for statement. Returns r_code's index, or undefined for NULL. */
function osRegexCore(
  pattern: readonly number[],
  input: Uint8Array,
  prtsClosure: readonly number[] | undefined,
  prtsStr: (number | undefined)[],
  flags: number,
): number | undefined {
  const p = (i: number) => (i < pattern.length ? pattern[i]! : NUL);
  const s = (i: number) => (i < input.length ? input[i]! : NUL);
  const markClosure = (at: number, value: number) => {
    if (!prtsClosure) return;
    const k = prtsClosure.indexOf(at);
    if (k >= 0) prtsStr[k] = value;
  };

  let rCode: number | undefined = 0;
  let okHere: number;
  let regexMatched = 0;
  let st: number;
  let stError: number | undefined;
  let pt = 0;
  let nextPt: number;
  const ptError: (number | undefined)[] = [undefined, undefined, undefined, undefined];
  const ptErrorStr: number[] = [0, 0, 0, 0];

  for (st = 0; s(st) !== NUL; ++st) {
    switch (p(pt)) {
      case NUL:
        if (!(flags & END_SET) || s(st) === NUL) return rCode;
        break;
      case OPEN:
        markClosure(pt, st);
        pt++;
        if (p(pt) === NUL) {
          if (!(flags & END_SET) || s(st) === NUL) return rCode;
        }
        break;
      default:
        break;
    }

    if (p(pt) === BACKSLASH) {
      if (regexmap(p(pt + 1), s(st))) {
        nextPt = pt + 2;
        if (!isPlus(p(nextPt))) {
          pt = nextPt;
          if (stError === undefined) stError = st;
          rCode = st;
          continue;
        }
        if (p(nextPt) === STAR) regexMatched = 1;
        if (regexMatched) {
          nextPt++;
          okHere = -1;
          if (p(nextPt) === OPEN) nextPt++;
          if (p(nextPt) === NUL) {
            okHere = 1;
          } else if (p(nextPt) === BACKSLASH) {
            if (regexmap(p(nextPt + 1), s(st))) {
              okHere = !isPlus(p(nextPt + 2)) ? 2 : 0;
            }
          } else if (p(nextPt) === charmap(s(st))) {
            regexMatched = 0;
            okHere = 1;
          }
          if (okHere >= 0) {
            if (prtsClosure && p(nextPt - 1) === OPEN) {
              const k = prtsClosure.indexOf(nextPt - 1);
              if (k >= 0) prtsStr[k] = regexMatched && okHere === 1 ? st + 1 : st;
            }
            if (p(nextPt) === NUL) continue;
            if (okHere) nextPt += okHere;
            if (ptError[0] === undefined) {
              ptError[0] = pt;
              ptErrorStr[0] = st;
            } else if (ptError[1] === undefined) {
              ptError[1] = pt;
              ptErrorStr[1] = st;
            } else if (ptError[2] === undefined) {
              ptError[2] = pt;
              ptErrorStr[2] = st;
            } else if (ptError[3] === undefined) {
              ptError[3] = pt;
              ptErrorStr[3] = st;
            }
            pt = nextPt;
          }
        } else {
          nextPt++;
          if (prtsClosure && p(nextPt) === OPEN) {
            const k = prtsClosure.indexOf(nextPt);
            if (k >= 0) prtsStr[k] = s(st + 1) === NUL ? st + 1 : st;
            // (the C then steps next_pt past the '(', a value nothing reads before the next round)
          }
          regexMatched = 1;
        }
        rCode = st;
        continue;
      } else if ((p(pt + 2) === NUL || p(pt + 3) === NUL) && regexMatched === 1 && rCode !== undefined) {
        rCode = st;
        if (!(flags & END_SET) || s(st) === NUL) return rCode;
      } else if (p(pt + 2) === PLUS && regexMatched === 1) {
        pt += 3;
        st--;
        regexMatched = 0;
        continue;
      } else if (p(pt + 2) === STAR) {
        pt += 3;
        st--;
        rCode = st;
        regexMatched = 0;
        continue;
      }
      regexMatched = 0;
    } else if (p(pt) === charmap(s(st))) {
      pt++;
      if (stError === undefined) stError = st;
      rCode = st;
      continue;
    }

    // Error handling
    if (ptError[3] !== undefined) {
      pt = ptError[3];
      st = ptErrorStr[3]!;
      ptError[3] = undefined;
      continue;
    } else if (ptError[2] !== undefined) {
      pt = ptError[2];
      st = ptErrorStr[2]!;
      ptError[2] = undefined;
      continue;
    } else if (ptError[1] !== undefined) {
      pt = ptError[1];
      st = ptErrorStr[1]!;
      ptError[1] = undefined;
      continue;
    } else if (ptError[0] !== undefined) {
      pt = ptError[0];
      st = ptErrorStr[0]!;
      ptError[0] = undefined;
      continue;
    } else if (flags & BEGIN_SET) {
      return undefined;
    } else if (stError !== undefined) {
      st = stError;
      stError = undefined;
    }
    pt = 0;
    rCode = undefined;
  }

  // Match for a possible last parenthesis
  if (prtsClosure) {
    while (p(pt) !== OPEN && p(pt) !== NUL) {
      if (p(pt) === BACKSLASH && p(pt + 2) === STAR) pt += 3;
      else break;
    }
    if (p(pt) === OPEN) markClosure(pt, st);
  }

  // Clean up: the C condition, with its side effects. ENDOFFILE(x) is `PRTS(x) && *x == '\0'`, and
  // PRTS(x) steps x over one '(' first (os_regex_execute.c), so each test may move pt.
  const endOfFile = (): boolean => {
    if (p(pt) === OPEN) pt++;
    return p(pt) === NUL;
  };
  if (endOfFile()) return rCode;
  if (p(pt) === BACKSLASH && regexMatched) {
    pt += 2;
    if (isPlus(p(pt))) {
      pt++;
      if (endOfFile()) return rCode;
      if (p(pt) === BACKSLASH) {
        pt += 2;
        if (p(pt) === STAR) {
          pt++;
          if (endOfFile()) return rCode;
        }
      }
    }
  }
  if (p(pt) === BACKSLASH) {
    pt += 2;
    if (p(pt) === STAR) {
      pt++;
      if (endOfFile()) return rCode;
    }
  }
  return undefined;
}

/* ------------------------------------------------------------------------------------------------ */

export interface CompiledMatch {
  readonly negate: boolean;
  readonly patterns: readonly {
    readonly text: string;
    readonly kind: "equal" | "prefix" | "suffix" | "contains";
  }[];
}

/**
 * `OSMatch_Compile` (os_match_compile.c): an optional leading `!` negates, `|` separates
 * alternatives, `^` anchors at the start, `$` at the end, both: equality; lower-cased unless
 * OS_CASE_SENSITIVE. No escapes: every other character is itself.
 */
export function compileOsMatch(pattern: string, flags = 0): CompiledMatch {
  let raw = pattern;
  let negate = false;
  if (raw.startsWith("!")) {
    negate = true;
    raw = raw.slice(1);
  }
  const text =
    flags & OS_CASE_SENSITIVE
      ? raw
      : [...raw].map((ch) => String.fromCharCode(charmap(ch.charCodeAt(0)))).join("");
  const patterns = text.split("|").map((part) => {
    const begin = part.startsWith("^");
    const body = begin ? part.slice(1) : part;
    const end = body.length > 0 && body.endsWith("$");
    const core = end ? body.slice(0, -1) : body;
    const kind = begin && end ? "equal" : begin ? "prefix" : end ? "suffix" : "contains";
    return { text: core, kind } as const;
  });
  return { negate, patterns };
}

/**
 * `OSMatch_Execute`: the match functions of os_regex_str.c / os_match.c compare the pattern with
 * `charmap` of the string (`_os_strncmp`, `_os_strcmp_last`, `_os_strcmp`, `_OS_Match`).
 */
export function execOsMatch(match: CompiledMatch, str: string, flags = 0): boolean {
  const subject =
    flags & OS_CASE_SENSITIVE
      ? str
      : [...str].map((ch) => String.fromCharCode(charmap(ch.charCodeAt(0)))).join("");
  const hit = match.patterns.some(({ text, kind }) => {
    switch (kind) {
      case "equal":
        return subject === text;
      case "prefix":
        return subject.startsWith(text);
      case "suffix":
        return subject.endsWith(text);
      default:
        return subject.includes(text);
    }
  });
  return match.negate ? !hit : hit;
}
