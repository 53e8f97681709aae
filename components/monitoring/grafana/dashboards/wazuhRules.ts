/**
 * The Wazuh rule ids the dashboards count, taken from the components that define them: the alerts
 * that go to TheHive (components/response/wazuh/integration.ts), ClamAV's and Fortress's malware
 * detections, and the containment's audit (components/siem/manager/containRules.ts), never retyped.
 */
import { CONTAIN_AUDIT_RULES, CONTAIN_SYSLOG_RULES } from "../../../siem/manager/containRules";
import { DEFAULT_LOCAL_RULES } from "../../../siem/manager/ossecConf";
import {
  CLAMAV_VIRUS_DETECTED,
  THEHIVE_MIN_LEVEL,
  theHiveRuleIds,
} from "../../../response/wazuh/integration";
import { anyOf } from "../panels";

const results = (rule: (typeof CONTAIN_AUDIT_RULES)[number]) =>
  (rule.fields ?? []).filter((field) => field.name === "fortress.result").map((field) => field.pattern);

/**
 * The containment audit rules (the active response's and their syslog twins) whose result pattern is
 * exactly `^<result>$` or lists it among alternatives.
 */
export function containmentRuleIds(result: string): readonly number[] {
  const ids = [...CONTAIN_AUDIT_RULES, ...CONTAIN_SYSLOG_RULES]
    .filter((rule) => results(rule).some((pattern) => new RegExp(pattern).test(result)))
    .map((rule) => rule.id);
  if (ids.length === 0) throw new Error(`no containment rule raises the result ${result}`);
  return ids;
}

/** What reaches TheHive (the integration's two blocks): level 10 and above, or one of its rule ids. */
export const THEHIVE_LUCENE = `rule.level:>=${THEHIVE_MIN_LEVEL} OR ${anyOf("rule.id", theHiveRuleIds())}`;

/** Malware found: ClamAV's 52502 and Fortress's local rules of group `malware` (100200 above it, Suricata's). */
export const MALWARE_RULE_IDS: readonly number[] = [
  CLAMAV_VIRUS_DETECTED.id,
  ...DEFAULT_LOCAL_RULES.filter((rule) => rule.groups.includes("malware")).map((rule) => rule.id),
];

/** Wazuh's severity bands as its dashboard shows them (low 0-6, medium 7-11, high 12-14, critical 15). */
export const SEVERITY_FILTERS = [
  { label: "low", query: "rule.level:[0 TO 6]" },
  { label: "medium", query: "rule.level:[7 TO 11]" },
  { label: "high", query: "rule.level:[12 TO 14]" },
  { label: "critical", query: "rule.level:>=15" },
] as const;
