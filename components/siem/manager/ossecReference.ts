/**
 * The ossec.conf elements Wazuh 4.14 documents and parses, for the sections Fortress renders: a
 * committed table that a test holds every rendered element to (an unknown element fails it).
 *
 * Each section lists the options its reference page documents (wazuh-documentation
 * source/user-manual/reference/ossec-conf/<page>, the stored copy at `pageCommit`) that the 4.14.6
 * parser also reads (wazuh/wazuh@v4.14.6, the `xml_*` names or `valid_paths` of `parser`); an option
 * only one of them knows is left out (the indexer page's `username`/`password`, which 4.14.6 ignores
 * with a warning and takes from the keystore instead; the parser's `cti-url`, `limit_maxagents`,
 * `ca_store`). The stored page copies are of mixed ages: where the 4.14.6 package's own ossec.conf
 * template (etc/templates/config/generic/<section>.template) writes an option the stored page
 * predates, it is listed in `fromTemplate`, with the template as its source.
 */

export interface ReferenceSection {
  /** wazuh-documentation source/user-manual/reference/ossec-conf/<page> */
  readonly page: string;
  /** The stored copy of the page the options were read from. */
  readonly pageCommit: string;
  /** wazuh/wazuh@v4.14.6 file whose parser reads the section. */
  readonly parser: string;
  /** Child paths below the section element, `a/b` for nested ones. */
  readonly options: readonly string[];
  /** Options the 4.14.6 package template writes and its parser reads, newer than the stored page. */
  readonly fromTemplate?: readonly string[];
}

export const OSSEC_REFERENCE: Readonly<Record<string, ReferenceSection>> = {
  global: {
    page: "global.rst",
    pageCommit: "02b059f4f2e77837ed4af92d66358d760d6727da",
    parser: "src/config/global-config.c (Read_Global)",
    options: [
      "alerts_log",
      "email_notification",
      "email_to",
      "email_from",
      "email_reply_to",
      "smtp_server",
      "helo_server",
      "email_maxperhour",
      "email_idsname",
      "custom_alert_output",
      "stats",
      "logall",
      "logall_json",
      "memory_size",
      "white_list",
      "host_information",
      "jsonout_output",
      "prelude_output",
      "prelude_log_level",
      "prelude_profile",
      "zeromq_output",
      "zeromq_uri",
      "geoipdb",
      "rotate_interval",
      "max_output_size",
      "queue_size",
    ],
    fromTemplate: [
      "email_log_source",
      "agents_disconnection_time",
      "agents_disconnection_alert_time",
      "update_check",
    ],
  },
  alerts: {
    page: "alerts.rst",
    pageCommit: "0a3b21e0cd9cc4d2ec021973002332aaef16ecf9",
    parser: "src/config/alerts-config.c",
    options: ["log_alert_level", "email_alert_level", "use_geoip"],
  },
  logging: {
    page: "logging.rst",
    pageCommit: "02b059f4f2e77837ed4af92d66358d760d6727da",
    parser: "src/shared/debug_op.c (ossec_config/logging/log_format)",
    options: ["log_format"],
  },
  remote: {
    page: "remote.rst",
    pageCommit: "00b406a837ad9d38a4e02ad6ab8697cdaf37849c",
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
    ],
  },
  auth: {
    page: "auth.rst",
    pageCommit: "03e3cceebc9564a478c81863efaa9bb2f5c02ae9",
    parser: "src/config/authd-config.c, src/config/authd-key-request-config.c",
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
      "ssl_agent_ca",
      "ssl_verify_host",
      "ssl_manager_cert",
      "ssl_manager_key",
      "ssl_auto_negotiate",
      "ciphers",
      "key_request",
      "key_request/enabled",
      "key_request/timeout",
      "key_request/exec_path",
      "key_request/socket",
      "key_request/threads",
      "key_request/queue_size",
    ],
  },
  command: {
    page: "commands.rst",
    pageCommit: "0cb376433f27ddfbd031cfc67cf6a484a9e314b1",
    parser: "src/config/active-response.c (ReadActiveCommands)",
    options: ["name", "executable", "expect", "extra_args", "timeout_allowed"],
  },
  "active-response": {
    page: "active-response.rst",
    pageCommit: "03206170077c0c016a298196c5a1f93d1ea56de9",
    parser: "src/config/active-response.c (ReadActiveResponses)",
    options: [
      "disabled",
      "command",
      "location",
      "agent_id",
      "level",
      "rules_group",
      "rules_id",
      "timeout",
      "repeated_offenders",
    ],
  },
  integration: {
    page: "integration.rst",
    pageCommit: "00a62a0c140e4c5f4e92fc6496f2a0bd1849344e",
    parser: "src/config/integrator-config.c (Read_Integrator)",
    options: [
      "name",
      "hook_url",
      "api_key",
      "level",
      "rule_id",
      "group",
      "event_location",
      "alert_format",
      "max_log",
      "options",
    ],
  },
  localfile: {
    // The options the 4.14.6 parser reads (its xml_localfile_* names) that the page documents.
    page: "localfile.rst",
    pageCommit: "documentation.wazuh.com/current (4.14) localfile page, read 2026-11-30",
    parser: "src/config/localfile-config.c (Read_Localfile)",
    options: [
      "location",
      "command",
      "log_format",
      "frequency",
      "alias",
      "only-future-events",
      "label",
      "target",
      "out_format",
      "reconnect_time",
      "age",
      "exclude",
      "ignore_binaries",
      "ignore",
      "restrict",
      "multiline_regex",
      "filter",
      "query",
    ],
  },
  ruleset: {
    page: "ruleset.rst",
    pageCommit: "1a09d35cadae0a5d0decc02453f4bc6ffd721d93",
    parser: "src/config/rules-config.c",
    options: [
      "rule_include",
      "rule_dir",
      "rule_exclude",
      "decoder_include",
      "decoder_dir",
      "decoder_exclude",
      "list",
    ],
  },
  indexer: {
    page: "indexer.rst",
    pageCommit: "44f260744692e2e02b26e4119e11aa5b828ff240",
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
    // The 4.8+ page (`vulnerability-detection`, interval/run_on_start/provider deprecated in 4.8.0);
    // the stored vuln-detector.rst is the pre-4.8 `<vulnerability-detector>` page.
    page: "vulnerability-detection page (4.8+)",
    pageCommit: "stored copy id 1555707479",
    parser: "src/config/wmodules-vulnerability-detection.c",
    options: ["enabled", "feed-update-interval", "index-status", "offline-url"],
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
    const option = rest.join("/");
    if (
      rest.length > 0 &&
      !reference.options.includes(option) &&
      !(reference.fromTemplate ?? []).includes(option)
    )
      unknown.push(path);
  }
  return unknown;
}
