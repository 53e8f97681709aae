/**
 * The ossec.conf elements Wazuh 4.14 documents and parses, for the sections Fortress renders: a
 * committed table that a test holds every rendered element to (an unknown element fails it).
 *
 * Each section cites the reference page (wazuh-documentation source/user-manual/reference/ossec-conf/<page>.rst)
 * and the 4.14.6 parser that reads it (wazuh/wazuh@v4.14.6, the `xml_*` names or `valid_paths` of the file
 * given). The parser is the tie-breaker: the stored documentation copies are of mixed versions (the
 * stored vuln-detector.rst still describes the pre-4.8 `<vulnerability-detector>`; 4.14's
 * `<vulnerability-detection>` is read by src/config/wmodules-vulnerability-detection.c).
 */

export interface ReferenceSection {
  /** wazuh-documentation source/user-manual/reference/ossec-conf/<page> */
  readonly page: string;
  /** wazuh/wazuh@v4.14.6 file whose parser reads the section. */
  readonly parser: string;
  /** Child paths below the section element, `a/b` for nested ones. */
  readonly options: readonly string[];
}

export const OSSEC_REFERENCE: Readonly<Record<string, ReferenceSection>> = {
  global: {
    page: "global.rst",
    parser: "src/config/global-config.c (Read_Global, Read_GlobalSK)",
    options: [
      "alerts_log",
      "jsonout_output",
      "logall",
      "logall_json",
      "email_notification",
      "email_to",
      "email_from",
      "smtp_server",
      "email_maxperhour",
      "email_log_source",
      "white_list",
      "agents_disconnection_time",
      "agents_disconnection_alert_time",
      "update_check",
      "queue_size",
      "memory_size",
      "max_output_size",
      "rotate_interval",
    ],
  },
  alerts: {
    page: "alerts.rst",
    parser: "src/config/alerts-config.c",
    options: ["log_alert_level", "email_alert_level", "use_geoip"],
  },
  logging: {
    page: "logging.rst",
    parser: "src/shared/debug_op.c (ossec_config/logging/log_format)",
    options: ["log_format"],
  },
  remote: {
    page: "remote.rst",
    parser: "src/config/remote-config.c",
    options: [
      "connection",
      "port",
      "protocol",
      "allowed-ips",
      "denied-ips",
      "local_ip",
      "ipv6",
      "queue_size",
      "agents",
      "rids_closing_time",
      "connection_overtake_time",
    ],
  },
  auth: {
    page: "auth.rst",
    parser: "src/config/authd-config.c",
    options: [
      "disabled",
      "remote_enrollment",
      "port",
      "ipv6",
      "use_source_ip",
      "force",
      "force/enabled",
      "force/disconnected_time",
      "force/after_registration_time",
      "force/key_mismatch",
      "purge",
      "use_password",
      "limit_maxagents",
      "ciphers",
      "ssl_agent_ca",
      "ssl_verify_host",
      "ssl_manager_cert",
      "ssl_manager_key",
      "ssl_auto_negotiate",
      "key_request",
    ],
  },
  command: {
    page: "commands.rst",
    parser: "src/config/active-response.c (ReadActiveCommands)",
    options: ["name", "executable", "timeout_allowed", "expect", "extra_args"],
  },
  "active-response": {
    page: "active-response.rst",
    parser: "src/config/active-response.c (ReadActiveResponses)",
    options: [
      "disabled",
      "command",
      "location",
      "agent_id",
      "rules_id",
      "rules_group",
      "level",
      "timeout",
      "repeated_offenders",
      "ca_store",
    ],
  },
  ruleset: {
    page: "ruleset.rst",
    parser: "src/config/rules-config.c",
    options: [
      "decoder_dir",
      "rule_dir",
      "rule_exclude",
      "decoder_exclude",
      "rule_include",
      "decoder_include",
      "list",
    ],
  },
  indexer: {
    page: "indexer.rst",
    parser: "src/config/indexer-config.c (valid_paths)",
    options: [
      "enabled",
      "hosts",
      "hosts/host",
      "ssl",
      "ssl/certificate_authorities",
      "ssl/certificate_authorities/ca",
      "ssl/certificate",
      "ssl/key",
    ],
  },
  "vulnerability-detection": {
    page: "vuln-detector.rst (4.14: vulnerability-detection)",
    parser: "src/config/wmodules-vulnerability-detection.c",
    options: ["enabled", "index-status", "feed-update-interval", "offline-url", "cti-url"],
  },
};

/** The root element of ossec.conf. */
export const OSSEC_ROOT = "ossec_config";

/** The rendered paths the reference does not document: empty when the file is within it. */
export function unknownElements(paths: readonly string[]): string[] {
  const unknown: string[] = [];
  for (const path of paths) {
    const [root, section, ...rest] = path.split("/");
    if (root !== OSSEC_ROOT) {
      unknown.push(path);
      continue;
    }
    if (section === undefined) continue;
    const reference = OSSEC_REFERENCE[section];
    if (!reference) {
      unknown.push(path);
      continue;
    }
    if (rest.length > 0 && !reference.options.includes(rest.join("/"))) unknown.push(path);
  }
  return unknown;
}
