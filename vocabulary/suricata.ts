/**
 * Suricata on OPNsense: the ET open rule files Fortress enables when the config names none. Names are
 * the files of OPNsense's ET open ruleset (opnsense/core@26.7.2
 * src/opnsense/scripts/suricata/metadata/rules/et-open.xml, the same list at 25.7 and 26.1): the
 * families that catch what the worked example needs (malware downloads, command and control, known
 * bad hosts, exploits and phishing), not the noisy policy, info and hunting ones.
 */
export const ET_OPEN_DEFAULT_RULESETS = [
  "botcc.rules",
  "compromised.rules",
  "drop.rules",
  "dshield.rules",
  "emerging-attack_response.rules",
  "emerging-coinminer.rules",
  "emerging-current_events.rules",
  "emerging-exploit.rules",
  "emerging-exploit_kit.rules",
  "emerging-malware.rules",
  "emerging-mobile_malware.rules",
  "emerging-phishing.rules",
  "emerging-web_client.rules",
] as const;

/** A rule file's name as OPNsense lists it (`list_rulesets`): `emerging-malware.rules`. */
export const RULESET_FILE = /^[A-Za-z0-9][\w.-]*\.rules$/;
