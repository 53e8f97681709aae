/**
 * Wazuh → TheHive: the manager's `<integration>` blocks and the script they call
 * (components/response/wazuh/custom-thehive, Python 3 standard library only).
 *
 * Which alerts go, by level and by rule id, never by group: every alert of level 10 and above, and the
 * worked example's detections whatever their level (THEHIVE_RULES). Groups are too wide for this
 * (wazuh/wazuh@v4.14.6 ruleset/rules/0320-clam_av_rules.xml puts ClamAV's housekeeping in `virus`:
 * 52505 "Clamd restarted", 52506-52508 database updates, all level 3; 0475-suricata_rules.xml gives
 * every Suricata alert, 86601, level 3 in `ids,suricata`). integratord ANDs the filters of one block
 * and checks `<rule_id>` against the alert's `rule.id` (src/os_integrator/integrator.c "Looking for
 * the rule"; src/config/integrator-config.c reads a comma-separated list), so "level 10 or these
 * rules" is two blocks; a rule already at level 10 or more stays out of the rule-id block, so no alert
 * is posted twice.
 *
 * The key and the CA are files on the manager, not configuration: KEY_FILE (root:wazuh 0640, the
 * TheHive service account's API key) and CA_FILE (the internal CA that signed TheHive's ingress).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LOCAL_RULES, type Integration } from "../../siem/manager/ossecConf";

export const THEHIVE_INTEGRATION_NAME = "custom-thehive";
/** Where integratord looks for it (src/os_integrator/integrator.c: INTEGRATORDIR/<name>). */
export const THEHIVE_INTEGRATION_PATH = `/var/ossec/integrations/${THEHIVE_INTEGRATION_NAME}`;
export const THEHIVE_KEY_FILE = "/var/ossec/etc/fortress/thehive.key";
export const THEHIVE_CA_FILE = "/var/ossec/etc/fortress/thehive-ca.pem";

/** Alerts of this level and above become TheHive alerts. */
export const THEHIVE_MIN_LEVEL = 10;

/**
 * Wazuh's own ClamAV detection: 52502 "ClamAV: Virus detected", level 8 (0320-clam_av_rules.xml), the
 * parent of Fortress's 100200; it reaches TheHive itself only where 100200 is not loaded.
 */
export const CLAMAV_VIRUS_DETECTED = { id: 52502, level: 8 } as const;

/**
 * The detections that go to TheHive whatever their level: ClamAV's 52502, Fortress's escalation of it
 * (100200) and Fortress's Suricata escalations (100300-100302: malware signatures and categories,
 * severity 1), with their levels (components/siem/manager/ossecConf.ts DEFAULT_LOCAL_RULES). Suricata's
 * other alerts go only when a rule raises them to level 10.
 */
export const THEHIVE_RULES: readonly { readonly id: number; readonly level: number }[] = [
  CLAMAV_VIRUS_DETECTED,
  // Detections only: the containment's audit rules (group "containment", their level-0 syslog parent
  // among them) are what the response did, not what it should respond to.
  ...DEFAULT_LOCAL_RULES.filter((rule) => !rule.groups.includes("containment")).map((rule) => ({
    id: rule.id,
    level: rule.level,
  })),
];

/** The rule ids of the second block: THEHIVE_RULES below the level block's threshold. */
export function theHiveRuleIds(minLevel = THEHIVE_MIN_LEVEL): readonly number[] {
  return THEHIVE_RULES.filter((rule) => rule.level < minLevel).map((rule) => rule.id);
}

/** The script's text, as it is installed (root:wazuh 0750, like the package's integrations). */
export function theHiveIntegrationScript(): string {
  return readFileSync(join(__dirname, THEHIVE_INTEGRATION_NAME), "utf8");
}

/** TheHive's alert endpoint under its base URL (thehive4py endpoints/alert.py: POST /api/v1/alert). */
export function theHiveAlertUrl(baseUrl: string): string {
  if (!/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(baseUrl))
    throw new Error(`TheHive's URL ${baseUrl} is not an https origin`);
  return `${baseUrl.replace(/\/$/, "")}/api/v1/alert`;
}

/** The `<integration>` blocks for the manager's ossec.conf: level 10 and up, and the rule ids below it. */
export function theHiveIntegrations(baseUrl: string): readonly Integration[] {
  const hookUrl = theHiveAlertUrl(baseUrl);
  const ruleIds = theHiveRuleIds();
  return [
    { name: THEHIVE_INTEGRATION_NAME, hookUrl, level: THEHIVE_MIN_LEVEL },
    ...(ruleIds.length > 0 ? [{ name: THEHIVE_INTEGRATION_NAME, hookUrl, ruleIds }] : []),
  ];
}
