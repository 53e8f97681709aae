/**
 * Wazuh → TheHive: the manager's `<integration>` blocks and the script they call
 * (components/response/wazuh/custom-thehive, Python 3 standard library only).
 *
 * Which alerts go: every alert of level 10 and above, and every alert of the malware, virus and
 * suricata rule groups whatever its level (`malware`: Fortress's escalation of ClamAV's 52502,
 * components/siem/manager/ossecConf.ts DEFAULT_LOCAL_RULES; `virus`: Wazuh's own ClamAV rules,
 * ruleset/rules/0320-clam_av_rules.xml, whose file-wide groups are `clamd,freshclam` — there is no
 * `clamav` group; `suricata`: ruleset/rules/0475-suricata_rules.xml `ids,suricata`). integratord
 * ANDs the filters of one block (wazuh/wazuh@v4.14.6 src/os_integrator/integrator.c), so this is two
 * blocks; an alert both select is posted twice with the same sourceRef, and TheHive keeps one.
 *
 * The key and the CA are files on the manager, not configuration: KEY_FILE (root:wazuh 0640, the
 * TheHive service account's API key) and CA_FILE (the internal CA that signed TheHive's ingress).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Integration } from "../../siem/manager/ossecConf";

export const THEHIVE_INTEGRATION_NAME = "custom-thehive";
/** Where integratord looks for it (src/os_integrator/integrator.c: INTEGRATORDIR/<name>). */
export const THEHIVE_INTEGRATION_PATH = `/var/ossec/integrations/${THEHIVE_INTEGRATION_NAME}`;
export const THEHIVE_KEY_FILE = "/var/ossec/etc/fortress/thehive.key";
export const THEHIVE_CA_FILE = "/var/ossec/etc/fortress/thehive-ca.pem";

/** Alerts of this level and above become TheHive alerts. */
export const THEHIVE_MIN_LEVEL = 10;
/** Rule groups whose alerts go to TheHive at any level. */
export const THEHIVE_GROUPS = ["malware", "virus", "suricata"] as const;

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

/** The two `<integration>` blocks for the manager's ossec.conf. */
export function theHiveIntegrations(baseUrl: string): readonly Integration[] {
  const hookUrl = theHiveAlertUrl(baseUrl);
  return [
    { name: THEHIVE_INTEGRATION_NAME, hookUrl, level: THEHIVE_MIN_LEVEL },
    { name: THEHIVE_INTEGRATION_NAME, hookUrl, groups: THEHIVE_GROUPS },
  ];
}
