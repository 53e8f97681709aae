/**
 * Which of Fortress's containment audit rules (components/siem/manager/ossecConf.ts
 * CONTAIN_AUDIT_RULES) an audit line would raise: the line decoded as the ar_log_json decoder does
 * (its prematch, then the JSON after it, nested keys joined with dots as Wazuh's JSON_Decoder names
 * them), then each child of rule 650 tried in order, every `<field>` pattern (PCRE2, and these
 * patterns mean the same in JavaScript) against the decoded field. Undefined: no alert.
 */
import { CONTAIN_AUDIT_RULES } from "../../components/siem/manager/ossecConf";

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

export function auditRuleFor(line: string): number | undefined {
  const fields = decodeAuditLine(line);
  if (!fields) return undefined;
  return CONTAIN_AUDIT_RULES.find((rule) =>
    (rule.fields ?? []).every((field) => new RegExp(field.pattern).test(fields.get(field.name) ?? "")),
  )?.id;
}
