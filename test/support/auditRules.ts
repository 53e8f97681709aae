/**
 * Which of Fortress's containment audit rules (components/siem/manager/ossecConf.ts
 * CONTAIN_AUDIT_RULES) an audit line would raise: the line decoded as the ar_log_json decoder does
 * (its prematch, then the JSON after it, nested keys joined with dots as Wazuh's JSON_Decoder names
 * them), then each child of rule 650 tried in order, every `<field>` pattern (PCRE2, and these
 * patterns mean the same in JavaScript) against the decoded field. Undefined: no alert.
 */
import {
  CONTAIN_AUDIT_RULES,
  CONTAIN_DECODER,
  CONTAIN_SYSLOG_PARENT,
  CONTAIN_SYSLOG_RULES,
  type LocalRule,
} from "../../components/siem/manager/ossecConf";

/** ruleset/decoders/0010-active-response_decoders.xml (wazuh/wazuh@v4.14.6), ar_log_json's prematch. */
export const AR_LOG_JSON_PREMATCH = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d active-response\/bin\/\S+: /;

function flatten(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else into.set(prefix, String(value));
  return into;
}

export function decodeAuditLine(line: string): Map<string, string> | undefined {
  const match = AR_LOG_JSON_PREMATCH.exec(line);
  if (!match) return undefined;
  try {
    return flatten(JSON.parse(line.slice(match[0].length)), "", new Map());
  } catch {
    return undefined;
  }
}

const ruleFor = (rules: readonly LocalRule[], parent: number, fields: Map<string, string>) =>
  rules.find(
    (rule) =>
      rule.ifSid === parent &&
      (rule.fields ?? []).every((field) => new RegExp(field.pattern).test(fields.get(field.name) ?? "")),
  )?.id;

export function auditRuleFor(line: string): number | undefined {
  const fields = decodeAuditLine(line);
  return fields ? ruleFor(CONTAIN_AUDIT_RULES, 650, fields) : undefined;
}

/**
 * A syslog message as remoted receives it (`<pri>Mmm dd hh:mm:ss host program: message`): the program
 * name as Wazuh's pre-decoder reads it (src/analysisd/cleanevent.c OS_CleanMSG), the decoder of
 * CONTAIN_DECODER when it is that program (its parent matches `^fortress-contain$`), the message
 * decoded as JSON (its JSON_Decoder child, offset after_parent), then the children of
 * CONTAIN_SYSLOG_PARENT. Undefined: not our decoder, or no alert.
 */
export function syslogRuleFor(message: string): number | undefined {
  const match = /^(?:<\d+>)?\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ ([^\s:[]+)(?:\[\d+\])?: (.*)$/.exec(
    message.trimEnd(),
  );
  if (!match || !new RegExp(`^${CONTAIN_DECODER.programName}$`).test(match[1] ?? "")) return undefined;
  let fields: Map<string, string>;
  try {
    fields = flatten(JSON.parse(match[2] ?? ""), "", new Map());
  } catch {
    return undefined;
  }
  return ruleFor(CONTAIN_SYSLOG_RULES, CONTAIN_SYSLOG_PARENT, fields);
}
