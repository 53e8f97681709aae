/**
 * The part of Wazuh's analysisd a clamd log line goes through, from wazuh/wazuh@v4.14.6:
 * - the pre-decoder, `OS_CleanMSG` (src/analysisd/cleanevent.c), for the classic syslog header
 *   `Mmm dd hh:mm:ss host program[pid]: message` (the branch for that date format only; the others,
 *   ISO dates, xferlog, snort..., are not ported and return undefined);
 * - decoders with `program_name` (OS_Match), `prematch` and `regex` (OS_Regex, regex compiled with
 *   OS_RETURN_SUBSTRING) and `order`, and children by `parent` (src/analysisd/decoders/decode-xml.c
 *   default types: program_name osmatch, prematch and regex osregex; the regex is applied to the
 *   whole message when no `offset` is given);
 * - rules with `decoded_as`, `if_sid` and `match` (OS_Match on the message), children tried in file order.
 * The XML is Wazuh's, read from the committed fixtures; nothing here knows a rule's content.
 */
import { compileOsMatch, compileOsRegex, execOsMatch, execOsRegex, OS_RETURN_SUBSTRING } from "./osRegex";

export interface PreDecoded {
  readonly hostname: string | undefined;
  readonly programName: string | undefined;
  /** The message the decoders and rules see. */
  readonly log: string;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
/** os_regex_maps.c `hostname_map` entries equal to 1: ( ) - . / 0-9 @ A-Z _ a-z. */
const isValidChar = (c: string | undefined) => c !== undefined && /^[()\-./0-9@A-Z_a-z]$/.test(c);

/** `OS_CleanMSG` for a `Mmm dd hh:mm:ss ` header, as the agent forwards a syslog-format line. */
export function preDecode(line: string): PreDecoded | undefined {
  const pieces = line;
  const loglen = line.length + 1;
  if (!(
    loglen > 17 &&
    pieces[3] === " " &&
    pieces[6] === " " &&
    pieces[9] === ":" &&
    pieces[12] === ":" &&
    pieces[15] === " "
  )) {
    return undefined;
  }
  let i = 16;
  if (pieces[i] === " ") i++;
  const hostStart = i;
  while (isValidChar(pieces[i])) i++;
  let hostname: string | undefined = pieces.slice(hostStart, i);
  let programName: string | undefined;
  let at: number | undefined;
  if (pieces[i] === ":" && pieces[i + 1] === " ") {
    // A syslog line without a host name (Solaris): the "host" is the program.
    programName = hostname;
    hostname = undefined;
    at = i + 2;
  } else if (pieces[i] !== " ") {
    hostname = undefined;
    at = undefined;
  } else {
    i++;
    const programStart = i;
    while (isValidChar(pieces[i])) i++;
    programName = pieces.slice(programStart, i);
    if (pieces[i] === ":") {
      i++;
      if (pieces[i] === " ") i++;
      at = i;
    } else if (pieces[i] === "[" && isDigit(pieces[i + 1])) {
      i += 2;
      while (isDigit(pieces[i])) i++;
      if (pieces[i] === "]" && pieces[i + 1] === ":") {
        i += 2;
        if (pieces[i] === " ") i++;
        at = i;
      } else if (pieces[i] === "]" && pieces[i + 1] === " ") {
        at = i + 2;
      } else {
        at = undefined;
        programName = undefined;
      }
    } else {
      // Not ported: the AIX `|facility:severity` form. Anything else has no program name.
      at = undefined;
      programName = undefined;
    }
  }
  let log = line.slice(16 + (line[16] === " " ? 1 : 0));
  if (at !== undefined) {
    log = line.slice(at);
    if (log.startsWith("[ID ")) {
      const close = log.indexOf("]", 4);
      if (close >= 0) log = log.slice(close + 2);
    }
  }
  return { hostname, programName, log };
}

/* ------------------------------------------------------------------------------------------------ */

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly { readonly name: string; readonly text: string }[];
}

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The `<decoder>` or `<rule>` elements of a Wazuh file (several roots, comments), with their leaf children. */
function elements(xml: string, name: "decoder" | "rule"): XmlElement[] {
  const text = xml.replace(/<!--[\s\S]*?-->/g, "");
  const found: XmlElement[] = [];
  const pattern = new RegExp(`<${name}\\b([^>]*)>([\\s\\S]*?)</${name}>`, "g");
  for (const match of text.matchAll(pattern)) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1]!.matchAll(/(\w+)="([^"]*)"/g))
      attributes[attribute[1]!] = unescape(attribute[2]!);
    const children = [...match[2]!.matchAll(/<(\w+)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((child) => ({
      name: child[1]!,
      text: unescape(child[2]!),
    }));
    found.push({ name, attributes, children });
  }
  return found;
}

const childText = (element: XmlElement, name: string) =>
  element.children.find((child) => child.name === name)?.text;

export interface Decoded {
  readonly decoder: string;
  /** The parent's name, for `decoded_as` (Wazuh records the parent decoder's name). */
  readonly decodedAs: string;
  readonly fields: Readonly<Record<string, string>>;
}

export function decode(decodersXml: string, event: PreDecoded): Decoded | undefined {
  const decoders = elements(decodersXml, "decoder");
  for (const parent of decoders.filter((decoder) => childText(decoder, "parent") === undefined)) {
    const programName = childText(parent, "program_name");
    const prematch = childText(parent, "prematch");
    if (
      programName !== undefined &&
      (event.programName === undefined || !execOsMatch(compileOsMatch(programName), event.programName))
    )
      continue;
    if (prematch !== undefined && !execOsRegex(compileOsRegex(prematch), event.log)) continue;
    const parentName = parent.attributes.name!;
    for (const child of decoders.filter((decoder) => childText(decoder, "parent") === parentName)) {
      const childPrematch = childText(child, "prematch");
      if (childPrematch !== undefined && !execOsRegex(compileOsRegex(childPrematch), event.log)) continue;
      const regex = childText(child, "regex");
      const order = (childText(child, "order") ?? "")
        .split(",")
        .map((field) => field.trim())
        .filter(Boolean);
      const fields: Record<string, string> = {};
      if (regex !== undefined) {
        const match = execOsRegex(compileOsRegex(regex, OS_RETURN_SUBSTRING), event.log);
        if (match === undefined) continue;
        order.forEach((field, index) => {
          const value = match.groups[index];
          if (value !== undefined) fields[field] = value;
        });
      }
      return { decoder: child.attributes.name!, decodedAs: parentName, fields };
    }
    return { decoder: parentName, decodedAs: parentName, fields: {} };
  }
  return undefined;
}

export interface RuleHit {
  readonly id: string;
  readonly level: number;
  readonly description: string;
  readonly groups: readonly string[];
}

/** The deepest rule that matches: a root by decoded_as, then its if_sid children in file order. */
export function matchRules(
  rulesXml: string,
  event: PreDecoded,
  decoded: Decoded | undefined,
): RuleHit | undefined {
  const rules = elements(rulesXml, "rule");
  const matches = (rule: XmlElement) => {
    const decodedAs = childText(rule, "decoded_as");
    if (decodedAs !== undefined && decoded?.decodedAs !== decodedAs) return false;
    const match = childText(rule, "match");
    if (match !== undefined && !execOsMatch(compileOsMatch(match), event.log)) return false;
    return true;
  };
  const hit = (rule: XmlElement): RuleHit => ({
    id: rule.attributes.id!,
    level: Number(rule.attributes.level),
    description: childText(rule, "description") ?? "",
    groups: (childText(rule, "group") ?? "").split(",").filter(Boolean),
  });
  const descend = (rule: XmlElement): RuleHit => {
    const children = rules.filter((candidate) =>
      (childText(candidate, "if_sid") ?? "").split(/[\s,]+/).includes(rule.attributes.id!),
    );
    const child = children.find(matches);
    return child ? descend(child) : hit(rule);
  };
  const root = rules.find((rule) => childText(rule, "if_sid") === undefined && matches(rule));
  return root ? descend(root) : undefined;
}
