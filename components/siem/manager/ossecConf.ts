/**
 * The manager's ossec.conf and local rules, rendered from typed config by pure functions. The
 * sections are those of the 4.14.6 package's own ossec.conf (wazuh/wazuh@v4.14.6
 * etc/templates/config/generic/*.template), changed where Fortress needs it:
 * - agents on 1514/tcp (secure) and enrollment on 1515 with a password (authd.pass, written by the
 *   install script: auth.rst "use_password … read from /var/ossec/etc/authd.pass");
 * - syslog from the firewall only (remote.rst: a syslog connection needs at least one allowed-ips);
 * - the indexer connection with the internal CA (credentials in the keystore, not here:
 *   src/config/indexer-config.c accepts no username/password);
 * - the active-response commands the endpoint layer triggers, `fortress-clamdscan` among them, and
 *   the containment response (`fortress-contain-ar`, location server, stateless) when wired;
 * - the manager's own active-response log read by logcollector (MANAGER_LOCALFILES), as the package's
 *   ossec.conf does, so the containment's audit lines reach analysisd;
 * - no `<cluster>` block: a single manager, and without one the framework treats the cluster as
 *   disabled (wazuh/wazuh@v4.14.6 framework/wazuh/core/cluster/utils.py read_cluster_config), so no
 *   cluster key exists to leave at a default.
 */
import { CLAMDSCAN_COMMAND, FIM_NEW_OR_CHANGED_RULES } from "../../../vocabulary/agents";
import { SERVICES } from "../../../vocabulary/services";
import { el, serialize, type XmlElement } from "./xml";
import { CONTAIN_AUDIT_RULES, CONTAIN_SYSLOG_RULES } from "./containRules";
import type { LocalRule } from "./localRule";
export {
  CONTAIN_AUDIT_RULES,
  CONTAIN_DECODER,
  CONTAIN_SYSLOG_PARENT,
  CONTAIN_SYSLOG_RULES,
  renderLocalDecoders,
} from "./containRules";
import { OSSEC_ROOT } from "./ossecReference";

export const AGENT_PORT = SERVICES["wazuh-agent"].tcp[0] as number;
export const ENROLLMENT_PORT = SERVICES["wazuh-agent"].tcp[1] as number;
export const SYSLOG_PORT = SERVICES.syslog.udp[0] as number;

export const INDEXER_CA_PATH = "/etc/filebeat/certs/root-ca.pem";

export interface ArCommand {
  readonly name: string;
  readonly executable: string;
  readonly timeoutAllowed: boolean;
}

export interface ActiveResponse {
  readonly command: string;
  /** commands.rst/active-response.rst: local runs on the agent that raised the alert. */
  readonly location: "local" | "server" | "all" | "defined-agent";
  readonly rulesId: readonly number[];
  /** Seconds, only for commands with timeout_allowed. */
  readonly timeout?: number;
}

export type { LocalRule } from "./localRule";

export interface ManagerConfig {
  /** Addresses allowed to send syslog (the firewall's address on the servers network). */
  readonly syslogAllowedIps: readonly string[];
  /** The indexer's REST URLs as the manager reaches them. */
  readonly indexerHosts: readonly string[];
  readonly commands: readonly ArCommand[];
  readonly activeResponses: readonly ActiveResponse[];
  /** Vulnerability detection feed refresh (vuln-detector, 4.14 template default 60m). */
  readonly feedUpdateInterval: string;
  /** Integrations wazuh-integratord runs for matching alerts (the response layer's TheHive bridge). */
  readonly integrations?: readonly Integration[];
}

/**
 * One `<integration>` block (integration.rst; wazuh/wazuh@v4.14.6 src/config/integrator-config.c).
 * integratord applies every filter a block sets, together: a level and a group in one block mean
 * both (src/os_integrator/integrator.c), so "level 10 or these groups" is two blocks. A custom
 * integration's name begins with `custom-` and names its file in /var/ossec/integrations. No
 * `api_key`: integratord passes it on the script's command line (argv[2]), where every process
 * listing shows it. No `options` either: its JSON needs quotes, which the serializer writes as
 * `&quot;` and Wazuh's XML reader (src/os_xml/os_xml.c) does not decode.
 */
export interface Integration {
  readonly name: string;
  readonly hookUrl: string;
  readonly level?: number;
  readonly groups?: readonly string[];
  /** `<rule_id>`: only alerts of these rules (integrator-config.c reads a comma-separated list of numbers). */
  readonly ruleIds?: readonly number[];
}

/** The built-in Linux commands the 4.14.6 package defines (ar-commands.template) and the endpoint layer's scan. */
export const DEFAULT_COMMANDS: readonly ArCommand[] = [
  { name: "disable-account", executable: "disable-account", timeoutAllowed: true },
  { name: "restart-wazuh", executable: "restart-wazuh", timeoutAllowed: false },
  { name: "firewall-drop", executable: "firewall-drop", timeoutAllowed: true },
  { name: "host-deny", executable: "host-deny", timeoutAllowed: true },
  { name: "route-null", executable: "route-null", timeoutAllowed: true },
  // With a timeout, execd keeps the scan's key (the file's path) for that long and answers `abort` to
  // the script's check_keys for the same path, so a file FIM reports twice is scanned once; without
  // one it keeps nothing and always answers `continue` (wazuh/wazuh@v4.14.6 src/os_execd/execd.c: the
  // list is kept only `if (timeout_value)`). The `delete` it sends when the time is up is a no-op.
  { name: CLAMDSCAN_COMMAND, executable: CLAMDSCAN_COMMAND, timeoutAllowed: true },
];

/** Seconds within which the same file is not scanned twice. */
export const CLAMDSCAN_DEDUP_SECONDS = 60;

/** Scan a file on the agent where FIM saw it arrive or change. */
export const DEFAULT_ACTIVE_RESPONSES: readonly ActiveResponse[] = [
  {
    command: CLAMDSCAN_COMMAND,
    location: "local",
    rulesId: FIM_NEW_OR_CHANGED_RULES,
    timeout: CLAMDSCAN_DEDUP_SECONDS,
  },
];

/**
 * Suricata's alerts (EVE JSON from the firewall's syslog, sensors layer) above Wazuh's level 3, so that
 * they can open cases. Wazuh v4.14.6 ruleset/rules/0475-suricata_rules.xml: 86600 decodes EVE (json,
 * `timestamp` and `event_type`), 86601 "Suricata: Alert - $(alert.signature)" is level 3 for every
 * `event_type` alert. Among children of one rule the first that matches wins, so the malware rules
 * come before the severity rule. `alert.severity` is the priority of the rule's classtype
 * (opnsense/core templates/OPNsense/IDS/classification.config: 1 is the highest); the categories are
 * that file's descriptions of trojan-activity, command-and-control, domain-c2 and exploit-kit; ET's
 * signatures name their family first ("ET MALWARE …", older "ET TROJAN …", "ET MOBILE_MALWARE …").
 */
export const SURICATA_LOCAL_RULES: readonly LocalRule[] = [
  {
    id: 100300,
    level: 12,
    ifSid: 86601,
    fields: [{ name: "alert.signature", pattern: "^ET (MALWARE|TROJAN|MOBILE_MALWARE) ", pcre2: true }],
    description: "Fortress: Suricata saw malware on the network - $(alert.signature)",
    groups: ["fortress", "suricata", "malware"],
  },
  {
    id: 100301,
    level: 12,
    ifSid: 86601,
    fields: [
      {
        name: "alert.category",
        pattern:
          "^(A Network Trojan was detected|Malware Command and Control Activity Detected|" +
          "Domain Observed Used for C2 Detected|Exploit Kit Activity Detected)$",
        pcre2: true,
      },
    ],
    description: "Fortress: Suricata alert of a malware category - $(alert.category): $(alert.signature)",
    groups: ["fortress", "suricata", "malware"],
  },
  {
    id: 100302,
    level: 10,
    ifSid: 86601,
    fields: [{ name: "alert.severity", pattern: "^1$", pcre2: true }],
    description: "Fortress: high-severity Suricata alert - $(alert.signature)",
    groups: ["fortress", "suricata", "ids"],
  },
];

/**
 * Containment (issue 14): a custom active response on the manager itself (`location` server: execd on
 * the manager runs it, with the whole alert on stdin: wazuh/wazuh@v4.14.6 src/analysisd/ar_json.c),
 * which picks the host the alert is about (the agent's address for FIM and ClamAV alerts, the client
 * side of a Suricata alert's flow, on the terms components/response/containment/README.md gives) and
 * runs the one containment action, fortress-contain (components/response/containment).
 *
 * Stateless in execd: `timeout_allowed` no and no `<timeout>`. A timed response sits in execd's
 * in-memory timeout list, and execd runs every pending `delete` of it when it stops
 * (src/os_execd/execd.c ExecdShutdown, "Delete pending AR"): any manager restart would release every
 * contained host. With timeout 0 execd keeps nothing and never sends delete (execd.c ExecdRun: "We
 * don't need to add to the list if the timeout_value == 0"; src/config/active-response.c sets a
 * `<timeout>` to 0 for a command without timeout_allowed). Release is fortress-contain's own: the
 * expiry it records (ContainConfigInput.releaseAfter, components/response/containment/program.ts) and
 * the fortress-contain-expire timer. Not in DEFAULT_COMMANDS: the response layer adds it with the
 * script, when the `quarantine` service is on.
 */
export const CONTAIN_COMMAND: ArCommand = {
  name: "fortress-contain-ar",
  executable: "fortress-contain-ar",
  timeoutAllowed: false,
};

/**
 * High-confidence detections that contain their host at once: Fortress's escalation of ClamAV's
 * 52502 (DEFAULT_LOCAL_RULES, level 12, the lab's clamd found malware). Suricata's own rule for every
 * alert (86601, level 3: ruleset/rules/0475-suricata_rules.xml) is not high-confidence; the sensors
 * layer adds its escalations here when it exists.
 */
export const CONTAIN_RULES: readonly number[] = [100200];

/**
 * The containment's `<active-response>` block: on the server, for CONTAIN_RULES (or `rulesId`), with
 * no timeout (see CONTAIN_COMMAND). How long a host stays contained is fortress-contain's setting.
 */
export function containResponse(options: { readonly rulesId?: readonly number[] } = {}): ActiveResponse {
  if ("timeout" in options)
    throw new Error(
      "the containment has no execd timeout (execd releases every timed host when it stops): set the containment's releaseAfter",
    );
  const rulesId = options.rulesId ?? CONTAIN_RULES;
  const own = rulesId.filter((id) =>
    [...CONTAIN_AUDIT_RULES, ...CONTAIN_SYSLOG_RULES].some((rule) => rule.id === id),
  );
  if (own.length > 0)
    throw new Error(`rules ${own.join(", ")} are the containment's own audit: containing on them loops`);
  return { command: CONTAIN_COMMAND.name, location: "server", rulesId };
}

/**
 * The files the manager's logcollector reads. The package's own ossec.conf reads
 * /var/ossec/logs/active-responses.log with log_format syslog (wazuh/wazuh@v4.14.6
 * etc/ossec-server.conf, "Log analysis"); Fortress renders the whole file, so it keeps that block:
 * Wazuh's active responses and fortress-contain write their lines there, and the SIEM on the manager
 * hears them (a syslog line the manager sends to itself is dropped by remoted's allowed-ips).
 */
export const MANAGER_LOCALFILES: readonly { readonly logFormat: string; readonly location: string }[] = [
  { logFormat: "syslog", location: "/var/ossec/logs/active-responses.log" },
];

/**
 * Wazuh's own ClamAV rule 52502 "ClamAV: Virus detected" (L8, ruleset/rules/0320-clam_av_rules.xml)
 * raised to 12 for the lab: a file the lab's clamd found is the worked example's alarm.
 */
export const DEFAULT_LOCAL_RULES: readonly LocalRule[] = [
  {
    id: 100200,
    level: 12,
    ifSid: 52502,
    description: "Fortress: the lab's clamd found malware in a scanned file",
    groups: ["fortress", "malware"],
  },
  ...SURICATA_LOCAL_RULES,
  ...CONTAIN_AUDIT_RULES,
  ...CONTAIN_SYSLOG_RULES,
];

const IPV4_OR_CIDR = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const NAME = /^[A-Za-z0-9_-]+$/;
const DURATION = /^\d+[smhd]?$/;

function validate(config: ManagerConfig): void {
  if (config.syslogAllowedIps.length === 0)
    throw new Error("syslog needs at least one allowed address (remote.rst: allowed-ips)");
  for (const ip of config.syslogAllowedIps)
    if (!IPV4_OR_CIDR.test(ip)) throw new Error(`${ip} is not an IPv4 address or network`);
  if (config.indexerHosts.length === 0) throw new Error("the manager needs an indexer host");
  for (const host of config.indexerHosts)
    if (!/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(host)) throw new Error(`${host} is not an https indexer URL`);
  const names = new Set<string>();
  for (const command of config.commands) {
    if (!NAME.test(command.name) || !NAME.test(command.executable))
      throw new Error(`${command.name}: command names and executables are plain file names`);
    if (names.has(command.name)) throw new Error(`${command.name} is defined twice`);
    names.add(command.name);
  }
  for (const response of config.activeResponses) {
    const command = config.commands.find((candidate) => candidate.name === response.command);
    if (!command) throw new Error(`active response ${response.command} has no <command> definition`);
    if (response.rulesId.length === 0) throw new Error(`active response ${response.command} has no rules`);
    if (response.timeout !== undefined && !command.timeoutAllowed)
      throw new Error(`${response.command} does not allow a timeout`);
  }
  if (!DURATION.test(config.feedUpdateInterval))
    throw new Error(`${config.feedUpdateInterval} is not a Wazuh time value`);
  for (const integration of config.integrations ?? []) validateIntegration(integration);
}

function validateIntegration(integration: Integration): void {
  if (!/^custom-[A-Za-z0-9_-]+$/.test(integration.name))
    throw new Error(`integration ${integration.name}: a custom integration's name is custom-<name>`);
  if (!/^https?:\/\/[^\s<>&]+$/.test(integration.hookUrl))
    throw new Error(`integration ${integration.name}: ${integration.hookUrl} is not a plain URL`);
  const level = integration.level;
  if (level !== undefined && (!Number.isInteger(level) || level < 0 || level > 16))
    throw new Error(`integration ${integration.name}: level ${level} is outside 0-16`);
  for (const group of integration.groups ?? [])
    if (!/^[A-Za-z0-9_.-]+$/.test(group))
      throw new Error(`integration ${integration.name}: ${group} is not a rule group name`);
  for (const id of integration.ruleIds ?? [])
    if (!Number.isInteger(id) || id <= 0)
      throw new Error(`integration ${integration.name}: rule id ${id} is not a positive integer`);
  if (
    level === undefined &&
    (integration.groups ?? []).length === 0 &&
    (integration.ruleIds ?? []).length === 0
  )
    throw new Error(
      `integration ${integration.name}: without a level, groups or rule ids it would get every alert`,
    );
}

function integrationElement(integration: Integration): XmlElement {
  return el("integration", [
    el("name", integration.name),
    el("hook_url", integration.hookUrl),
    ...(integration.level !== undefined ? [el("level", integration.level)] : []),
    ...((integration.groups ?? []).length > 0 ? [el("group", (integration.groups ?? []).join(","))] : []),
    ...((integration.ruleIds ?? []).length > 0 ? [el("rule_id", (integration.ruleIds ?? []).join(","))] : []),
    el("alert_format", "json"),
  ]);
}

const yesNo = (value: boolean) => (value ? "yes" : "no");

function sections(config: ManagerConfig): XmlElement[] {
  return [
    el("global", [
      el("jsonout_output", "yes"),
      el("alerts_log", "yes"),
      el("logall", "no"),
      el("logall_json", "no"),
      el("email_notification", "no"),
      el("agents_disconnection_time", "15m"),
      el("agents_disconnection_alert_time", "0"),
      // The lab may have no internet, and nothing should call home from the SIEM.
      el("update_check", "no"),
      el("white_list", "127.0.0.1"),
      el("white_list", "^localhost.localdomain$"),
    ]),
    el("alerts", [el("log_alert_level", 3), el("email_alert_level", 12)]),
    el("logging", [el("log_format", "plain")]),
    el("remote", [
      el("connection", "secure"),
      el("port", AGENT_PORT),
      el("protocol", "tcp"),
      el("queue_size", 131072),
    ]),
    el("remote", [
      el("connection", "syslog"),
      el("port", SYSLOG_PORT),
      el("protocol", "udp"),
      ...config.syslogAllowedIps.map((ip) => el("allowed-ips", ip)),
    ]),
    el("auth", [
      el("disabled", "no"),
      el("remote_enrollment", "yes"),
      el("port", ENROLLMENT_PORT),
      el("use_source_ip", "no"),
      el("purge", "yes"),
      el("use_password", "yes"),
      el("ciphers", "HIGH:!ADH:!EXP:!MD5:!RC4:!3DES:!CAMELLIA:@STRENGTH"),
      el("ssl_verify_host", "no"),
      el("ssl_manager_cert", "etc/sslmanager.cert"),
      el("ssl_manager_key", "etc/sslmanager.key"),
      el("ssl_auto_negotiate", "no"),
    ]),
    el("vulnerability-detection", [
      el("enabled", "yes"),
      el("index-status", "yes"),
      el("feed-update-interval", config.feedUpdateInterval),
    ]),
    el("indexer", [
      el("enabled", "yes"),
      el(
        "hosts",
        config.indexerHosts.map((host) => el("host", host)),
      ),
      el("ssl", [el("certificate_authorities", [el("ca", INDEXER_CA_PATH)])]),
    ]),
    ...config.commands.map((command) =>
      el("command", [
        el("name", command.name),
        el("executable", command.executable),
        el("timeout_allowed", yesNo(command.timeoutAllowed)),
      ]),
    ),
    ...config.activeResponses.map((response) =>
      el("active-response", [
        el("disabled", "no"),
        el("command", response.command),
        el("location", response.location),
        el("rules_id", response.rulesId.join(",")),
        ...(response.timeout !== undefined ? [el("timeout", response.timeout)] : []),
      ]),
    ),
    ...(config.integrations ?? []).map(integrationElement),
    ...MANAGER_LOCALFILES.map((file) =>
      el("localfile", [el("log_format", file.logFormat), el("location", file.location)]),
    ),
    el("ruleset", [
      el("decoder_dir", "ruleset/decoders"),
      el("rule_dir", "ruleset/rules"),
      el("rule_exclude", "0215-policy_rules.xml"),
      el("list", "etc/lists/audit-keys"),
      el("list", "etc/lists/amazon/aws-eventnames"),
      el("list", "etc/lists/security-eventchannel"),
      el("list", "etc/lists/malicious-ioc/malware-hashes"),
      el("list", "etc/lists/malicious-ioc/malicious-ip"),
      el("list", "etc/lists/malicious-ioc/malicious-domains"),
      el("decoder_dir", "etc/decoders"),
      el("rule_dir", "etc/rules"),
    ]),
  ];
}

/** /var/ossec/etc/ossec.conf: no secret in it (the indexer credentials live in the keystore). */
export function renderOssecConf(config: ManagerConfig): string {
  validate(config);
  return `<!-- Rendered by Fortress (components/siem/manager/ossecConf.ts); changes here are overwritten. -->\n${serialize(
    el(OSSEC_ROOT, sections(config)),
  )}\n`;
}

/** /var/ossec/etc/rules/local_rules.xml: one group (ruleset rules syntax, `<group name=…>` of `<rule>`). */
export function renderLocalRules(rules: readonly LocalRule[]): string {
  const ids = new Set<number>();
  for (const rule of rules) {
    // Custom rules take IDs 100000-120000 (wazuh-documentation ruleset/rules/custom: "100000 and 120000").
    if (!Number.isInteger(rule.id) || rule.id < 100000 || rule.id > 120000)
      throw new Error(`rule ${rule.id} is outside the custom range 100000-120000`);
    if (ids.has(rule.id)) throw new Error(`rule ${rule.id} is defined twice`);
    ids.add(rule.id);
    if ((rule.ifSid === undefined) === (rule.decodedAs === undefined))
      throw new Error(`rule ${rule.id}: give it either a parent (if_sid) or a decoder (decoded_as)`);
    if (!Number.isInteger(rule.level) || rule.level < 0 || rule.level > 16)
      throw new Error(`rule ${rule.id}: level ${rule.level} is outside 0-16`);
  }
  const group = el(
    "group",
    rules.map((rule) =>
      el(
        "rule",
        [
          rule.ifSid !== undefined ? el("if_sid", rule.ifSid) : el("decoded_as", rule.decodedAs ?? ""),
          ...(rule.fields ?? []).map((field) =>
            el("field", field.pattern, { name: field.name, ...(field.pcre2 ? { type: "pcre2" } : {}) }),
          ),
          el("description", rule.description),
          el("group", `${rule.groups.join(",")},`),
        ],
        { id: String(rule.id), level: String(rule.level) },
      ),
    ),
    { name: "fortress,local," },
  );
  return `<!-- Rendered by Fortress (components/siem/manager/ossecConf.ts). -->\n${serialize(group)}\n`;
}
