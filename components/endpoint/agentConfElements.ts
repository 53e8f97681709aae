/**
 * What a Wazuh 4.14 agent.conf may hold, for the parts Fortress renders: the sections the manager's
 * verify-agent-conf accepts inside `<agent_config>`, and, for each section Fortress writes, its child
 * elements and their attributes. Read at wazuh/wazuh@v4.14.6 (the parsers the agent and
 * verify-agent-conf run) and checked against the 4.14 reference (wazuh-documentation
 * source/user-manual/reference/centralized-configuration.rst, ossec-conf/syscheck.rst,
 * ossec-conf/localfile.rst, ossec-conf/labels.rst). A test holds every rendered agent.conf to it.
 */

export interface ElementRule {
  /** Attributes the element may carry. */
  readonly attributes: readonly string[];
  /** Child elements it may hold (absent: text only). */
  readonly children?: Readonly<Record<string, ElementRule>>;
  readonly source: string;
}

const text = (attributes: readonly string[], source: string): ElementRule => ({ attributes, source });

const SYSCHECK_SRC = "wazuh/wazuh@v4.14.6 src/config/syscheck-config.c (read_attr, Read_Syscheck)";
const LOCALFILE_SRC = "wazuh/wazuh@v4.14.6 src/config/localfile-config.c (Read_Localfile)";

/**
 * `<directories>` attributes: syscheck-config.c `read_attr` (xml_check_all … xml_diff_size_limit);
 * `realtime` and `whodata` take yes/no, `recursion_level` 0–320 (ossec-conf/syscheck.rst).
 */
const DIRECTORY_ATTRIBUTES = [
  "realtime",
  "whodata",
  "report_changes",
  "check_all",
  "check_sum",
  "check_sha1sum",
  "check_md5sum",
  "check_sha256sum",
  "check_size",
  "check_owner",
  "check_group",
  "check_perm",
  "check_mtime",
  "check_inode",
  "check_attrs",
  "restrict",
  "tags",
  "recursion_level",
  "follow_symbolic_link",
  "diff_size_limit",
] as const;

/** The agent.conf grammar for what Fortress writes. */
export const AGENT_CONF_ROOT: ElementRule = {
  // centralized-configuration.rst "Options": name, os, profile (config.c also reads `overwrite`).
  attributes: ["name", "os", "profile"],
  source: "wazuh/wazuh@v4.14.6 src/config/config.c ReadConfig (xml_start_agent, CAGENT_CONFIG)",
  children: {
    syscheck: {
      attributes: [],
      source: SYSCHECK_SRC,
      children: {
        disabled: text([], SYSCHECK_SRC),
        frequency: text([], SYSCHECK_SRC),
        scan_on_start: text([], SYSCHECK_SRC),
        directories: text(DIRECTORY_ATTRIBUTES, SYSCHECK_SRC),
        // `type="sregex"` for a pattern (syscheck.rst "ignore").
        ignore: text(["type"], SYSCHECK_SRC),
        nodiff: text(["type"], SYSCHECK_SRC),
        skip_nfs: text([], SYSCHECK_SRC),
        skip_dev: text([], SYSCHECK_SRC),
        skip_proc: text([], SYSCHECK_SRC),
        skip_sys: text([], SYSCHECK_SRC),
        max_files_per_second: text([], SYSCHECK_SRC),
      },
    },
    localfile: {
      attributes: [],
      source: LOCALFILE_SRC,
      children: {
        location: text([], LOCALFILE_SRC),
        // localfile.rst: syslog, journald (4.12+ agents; `location` must then be `journald`), json, command …
        log_format: text([], LOCALFILE_SRC),
        "only-future-events": text([], LOCALFILE_SRC),
        // journald filters: <filter field="_SYSTEMD_UNIT">^ssh.service$</filter> (localfile.rst "filter").
        filter: text(["field", "ignore_if_missing"], LOCALFILE_SRC),
        frequency: text([], LOCALFILE_SRC),
        command: text([], LOCALFILE_SRC),
        alias: text([], LOCALFILE_SRC),
      },
    },
    labels: {
      attributes: [],
      source: "wazuh/wazuh@v4.14.6 src/config/labels-config.c",
      children: { label: text(["key", "hidden"], "wazuh/wazuh@v4.14.6 src/config/labels-config.c") },
    },
  },
};

/** The `log_format` values Fortress uses, each accepted by localfile-config.c. */
export const LOG_FORMATS = new Set(["syslog", "journald", "json"]);

/** Values an attribute of `<directories>` takes (syscheck-config.c: "yes"/"no" for the switches). */
export const YES_NO_ATTRIBUTES = new Set<string>(
  DIRECTORY_ATTRIBUTES.filter(
    (name) => !["restrict", "tags", "recursion_level", "diff_size_limit"].includes(name),
  ),
);
