/**
 * Suricata on OPNsense: which ET open rule files run and which drop by default, by the file names
 * OPNsense installs them under (opnsense/core src/opnsense/scripts/suricata/metadata/rules/et-open.xml:
 * the same names at 25.7.x and 26.1.x; 26.7 drops 3coresec.rules and adds five, none of them chosen
 * here, so every name below is offered by every supported release). Here, not in the component, so
 * that the door can check `fortress:sensors.ids` against them.
 *
 * Threat rulesets: what says a host is compromised or being attacked, not what merely describes
 * traffic. Left out on purpose: emerging-info, -policy, -hunting, -user_agents, -games, -chat,
 * -inappropriate (inventory and policy, loud on a home network: they would drown the alerts that open
 * cases), emerging-deleted/-retired (no live rules), emerging-scan (every port scan of the WAN), the
 * protocol sets (-dns, -smtp, -sql, -web_server …: useful where such servers are exposed, which the lab's
 * zone matrix does not do by default) and tor (a policy choice).
 */
export const ET_OPEN_DEFAULT_RULESETS = [
  // IP reputation: known command-and-control servers, compromised hosts, hijacked networks
  // (Spamhaus DROP), DShield's top attackers, CI Army's bad actors.
  "botcc.rules",
  "compromised.rules",
  "drop.rules",
  "dshield.rules",
  "ciarmy.rules",
  // Malware on a host: its C2, downloads, droppers, miners, phone malware.
  "emerging-malware.rules",
  "emerging-mobile_malware.rules",
  "emerging-coinminer.rules",
  // Attacks and their success: exploits, exploit kits, shellcode, worms, what a shell answers.
  "emerging-exploit.rules",
  "emerging-exploit_kit.rules",
  "emerging-shellcode.rules",
  "emerging-worm.rules",
  "emerging-attack_response.rules",
  // Users lured: phishing pages and the client side of web attacks (the worked example's download).
  "emerging-phishing.rules",
  "emerging-web_client.rules",
  "emerging-current_events.rules",
] as const;

/**
 * What IPS mode drops by default: the IP reputation lists only. Their rules match addresses, not
 * payloads, so they rarely hit legitimate traffic; dropping on payload rulesets is a choice to make
 * after watching their alerts for a while (the README's "turning IPS on safely").
 */
export const ET_OPEN_DEFAULT_DROP = [
  "botcc.rules",
  "compromised.rules",
  "drop.rules",
  "dshield.rules",
  "ciarmy.rules",
] as const;

/** A rule file's name as OPNsense lists it (`list_rulesets`): `emerging-malware.rules`. */
export const RULESET_FILE = /^[A-Za-z0-9][\w.-]*\.rules$/;
